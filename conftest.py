"""Test-session setup shared by the tests, the doctests and the docs' examples."""

import importlib.util
import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")  # headless: draw to files, never to a window

# The deprecated alias warns when imported (tests/test_examples.py checks that); its names
# are the catalogue's, whose doctests run there.
collect_ignore = ["src/cidlib/examples.py"]

# Doctests that exchange models with pgmpy, the quantitative layer's one optional dependency.
NEEDS_PGMPY = ("to_pgmpy",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip the doctests that need pgmpy when it is not installed."""
    if importlib.util.find_spec("pgmpy") is not None:
        return
    for item in items:
        if item.name.endswith(NEEDS_PGMPY):
            item.add_marker(pytest.mark.skip(reason="needs pgmpy: pip install '.[quant]'"))
