"""The size limit of the quantitative layer: tables that would exhaust memory are refused.

Every table cidlib builds (a CPD, a decision rule, a factor of the variable elimination, a
counterfactual coupling) is sized before it is allocated. One larger than
:data:`MAX_TABLE_ENTRIES` raises :class:`~cidlib.exceptions.SizeLimitError`, naming the node
or the variables and the size, instead of running for minutes and dying with numpy's
``MemoryError``. The limit is a module attribute, read at every check; raise it for a
machine with more memory:

>>> import cidlib.quant.limits
>>> cidlib.quant.limits.MAX_TABLE_ENTRIES
33554432

``cidlib.quant.limits.MAX_TABLE_ENTRIES = 2**28`` allows tables of 2 GiB (8-byte floats).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable

from cidlib.core.names import shorten
from cidlib.exceptions import SizeLimitError

__all__ = ["MAX_TABLE_ENTRIES"]

MAX_TABLE_ENTRIES = 2**25
"""The most entries a table may have: 2**25, 256 MiB of 8-byte floats."""

_SHOWN = 6  # variables named in a message before "... and k more"


def names(nodes: Iterable[Hashable]) -> str:
    """Return a short list of node names for a message: ``A, B, C, … and 7 more``."""
    return shorten([str(n) for n in nodes], _SHOWN)


def check_size(size: int, what: str | Callable[[], str]) -> None:
    """Raise :class:`SizeLimitError` when ``size`` entries exceed :data:`MAX_TABLE_ENTRIES`.

    ``what`` says which table, e.g. ``"the CPD of 'X' (30 parents)"``; a function giving it
    is called only when the table is refused.
    """
    limit = MAX_TABLE_ENTRIES
    if size > limit:
        raise SizeLimitError(
            f"{what() if callable(what) else what} would have {size:,} entries, more than the "
            f"limit of {limit:,} "
            "(cidlib.quant.limits.MAX_TABLE_ENTRIES); shrink the domains or the number of "
            "parents, or raise the limit if the memory is there",
            size, limit,
        )


def table_size(shape: Iterable[int]) -> int:
    """Return the number of entries of a table of ``shape`` (exact, never overflowing)."""
    return math.prod(int(s) for s in shape)
