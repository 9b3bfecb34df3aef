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

DOCS = Path(__file__).resolve().parent
collect_ignore = ["griffe_numpydoc_rst.py"]  # a docs-build helper (needs griffe); no doctests
NEEDS_PGMPY = {DOCS / "howto" / "parameterise-and-solve.md",  # the quantitative layer
               DOCS / "howto" / "several-agents.md"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip the pages that need pgmpy when it is not installed."""
    if importlib.util.find_spec("pgmpy") is not None:
        return
    for item in items:
        if item.path in NEEDS_PGMPY:
            item.add_marker(pytest.mark.skip(reason="needs pgmpy: pip install '.[quant]'"))


@pytest.fixture(autouse=True)
def _scratch_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(DOCS.parent / "examples" / "diagrams", tmp_path / "examples" / "diagrams")
    monkeypatch.chdir(tmp_path)
