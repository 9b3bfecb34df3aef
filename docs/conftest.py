"""Doctests of the documentation pages (``>>>`` sessions, collected by ``--doctest-glob``).

Each page's session runs in a scratch directory holding a copy of ``examples/diagrams/``,
as if from the root of a clone, so an example may write files without touching the
repository. tests/test_docs.py runs the ``python`` and ``console`` blocks the same way.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent
collect_ignore = ["griffe_numpydoc_rst.py"]  # a docs-build helper (needs griffe); no doctests


@pytest.fixture(autouse=True)
def _scratch_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(DOCS.parent / "examples" / "diagrams", tmp_path / "examples" / "diagrams")
    monkeypatch.chdir(tmp_path)
