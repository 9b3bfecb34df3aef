"""Doctests of the quantitative layer need pgmpy; skip collecting them without it."""

import importlib.util

collect_ignore_glob = [] if importlib.util.find_spec("pgmpy") else ["src/cidlib/quant/*"]
