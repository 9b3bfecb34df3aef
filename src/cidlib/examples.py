"""Deprecated: the paper catalogue is now :mod:`cidlib.catalogue`.

``cidlib.examples`` clashed with the repository's ``examples/`` folder of scripts. It still
works for one release, with a :class:`DeprecationWarning`, and will be removed in 0.3.
"""

import warnings

import cidlib.catalogue as _moved
from cidlib.catalogue import *  # noqa: F403 -- the old name offers the same names

warnings.warn(
    "cidlib.examples is deprecated and will be removed in cidlib 0.3; use cidlib.catalogue "
    "(the same names)",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = _moved.__all__
