"""Test-session setup shared by the tests, the doctests and the docs' examples."""

import importlib.util
import os

os.environ.setdefault("MPLBACKEND", "Agg")  # headless: draw to files, never to a window

# Doctests of the quantitative layer need pgmpy; skip collecting them without it.
collect_ignore_glob = [] if importlib.util.find_spec("pgmpy") else ["src/cidlib/quant/*"]
