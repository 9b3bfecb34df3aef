"""``python -m cidlib``: the command line."""

from cidlib.cli import main

raise SystemExit(main())
