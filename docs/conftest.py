"""Doctests of the documentation pages (``>>>`` sessions, collected by ``--doctest-glob``).

Each page's session runs in a scratch directory holding a copy of ``examples/diagrams/``,
as if from the root of a clone, so an example may write files without touching the
repository. tests/test_docs.py runs the ``python`` and ``console`` blocks the same way.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Pages that need the quantitative layer are skipped without pgmpy.
_NEEDS_PGMPY = ["howto/parameterise-and-solve.md"]
collect_ignore_glob = [] if importlib.util.find_spec("pgmpy") else _NEEDS_PGMPY


@pytest.fixture(autouse=True)
def _scratch_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ROOT / "examples" / "diagrams", tmp_path / "examples" / "diagrams")
    monkeypatch.chdir(tmp_path)
