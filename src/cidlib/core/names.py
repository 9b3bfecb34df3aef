"""Node names: checking them, ordering them deterministically, showing them, suggesting them.

A node name is any hashable value that is not ``None`` or a blank string. Sets of names are
shown and iterated in the order of :func:`node_key` (by ``str`` first), so that reports, error
messages and witness paths are the same on every run whatever the names' types.
"""

from __future__ import annotations

import difflib
from collections.abc import Hashable, Iterable, Mapping
from typing import Any, NoReturn

from cidlib.exceptions import ArgumentTypeError, InvalidNodeError, UnknownNodeError

__all__: list[str] = []  # internal: the public names are in cidlib


def node_key(node: Hashable) -> tuple[str, str, str]:
    """Sort key that orders nodes of any hashable type deterministically, by ``str`` first.

    Examples
    --------
    >>> sorted([2, "b", "a", 10], key=node_key)
    [10, 2, 'a', 'b']
    """
    return (str(node), type(node).__name__, repr(node))


def brief(value: object, width: int = 60) -> str:
    """Return ``repr(value)``, cut to ``width`` characters with "…" when longer."""
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def sort_nodes(nodes: Iterable[Hashable]) -> list[Hashable]:
    """Return ``nodes`` as a list in :func:`node_key` order."""
    return sorted(nodes, key=node_key)


SHOWN = 10
"""How many names a message lists before it says how many more there are."""


def shorten(items: list[str], limit: int = SHOWN) -> str:
    """Join ``items`` with commas, the first ``limit`` of them and then "… and N more"."""
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f", … and {len(items) - limit:,} more"


def show_nodes(nodes: Iterable[Hashable], limit: int = SHOWN) -> str:
    """Return ``nodes`` as ``"'A', 'B'"`` in :func:`node_key` order, at most ``limit`` of them.

    Examples
    --------
    >>> show_nodes(["b", "a"])
    "'a', 'b'"
    >>> show_nodes([f"X{i}" for i in range(10_000)], limit=2)
    "'X0', 'X1', … and 9,998 more"
    """
    return shorten([repr(n) for n in sort_nodes(nodes)], limit)


def show_names(nodes: Iterable[Hashable], limit: int = SHOWN) -> str:
    """Like :func:`show_nodes`, with names as they print (``str``), not quoted."""
    return shorten([str(n) for n in sort_nodes(nodes)], limit)


def names_of(value: object, what: str) -> list[Any]:
    """Return ``value`` as a list, or raise a clear error for a string or a non-collection."""
    if isinstance(value, (str, bytes)):
        raise ArgumentTypeError(
            f"{what} must be a collection of names, not the string {value!r}; write [{value!r}]"
        )
    if not isinstance(value, Iterable):
        raise ArgumentTypeError(
            f"{what} must be a collection of names, not {type(value).__name__} {value!r}"
        )
    return list(value)


def mapping_of(value: object, what: str) -> Mapping[Any, Any]:
    """Return ``value`` (``{}`` for None) if it is a mapping, else raise a clear error."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ArgumentTypeError(
            f"{what} must be a mapping {{node: value}}, not {type(value).__name__}"
        )
    return value


def is_hashable(value: object) -> bool:
    """Whether ``value`` can be a node name or a dictionary key."""
    try:
        hash(value)
    except TypeError:
        return False
    return True


MAX_NESTING = 16
"""How deeply tuple names may nest (a tuple of tuples of ...): deeper ones are refused."""


def check_name(name: object, where: str, depth: int = 0) -> Hashable:
    """Return ``name`` if it can name a node; ``where`` says where it was written.

    A name is hashable, not empty, equal to itself (not NaN), nested at most
    :data:`MAX_NESTING` tuples deep and, if text, writable as UTF-8 (no lone surrogates), so
    that every file format and figure can hold it.
    """
    if not is_hashable(name):
        raise InvalidNodeError(
            f"{where}: node name {name!r} is unhashable ({type(name).__name__}); "
            "use a string, a number or a tuple"
        )
    if name is None or (isinstance(name, str) and not name.strip()):
        raise InvalidNodeError(f"{where}: node name {name!r} is empty; give every node a name")
    if name != name:  # noqa: PLR0124 -- NaN is the value that is not equal to itself
        raise InvalidNodeError(f"{where}: node name {name!r} is not equal to itself (NaN); "
                               "use a string or a whole number")
    if isinstance(name, tuple):
        if depth >= MAX_NESTING:
            raise InvalidNodeError(f"{where}: node name {brief(name)} nests tuples more than "
                                   f"{MAX_NESTING} deep; use a flatter name")
        for part in name:
            check_name(part, where, depth + 1)
    elif isinstance(name, str):
        check_text(name, f"{where}: node name")
    return name


def check_text(text: str, what: str) -> str:
    """Return ``text`` if every file and figure can hold it, else raise.

    Refused: lone surrogates (UTF-8 cannot hold them) and control characters other than tab
    and newline (no font draws them).
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise InvalidNodeError(
            f"{what} {text[:40]!r} has the character {text[err.start]!r} at position "
            f"{err.start}, which UTF-8 cannot hold (a lone surrogate); remove it"
        ) from None
    bad = next((i for i, c in enumerate(text) if (c < " " and c not in "\t\n") or c == "\x7f"),
               None)
    if bad is not None:
        raise InvalidNodeError(
            f"{what} {text[:40]!r} has the control character U+{ord(text[bad]):04X} at "
            f"position {bad}; remove it"
        )
    return text


def same_name(a: Hashable, b: Hashable) -> bool:
    """Whether two equal names are the same name (``1`` and ``True`` are equal but not)."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, tuple) and isinstance(b, tuple):
        return all(same_name(x, y) for x, y in zip(a, b, strict=True))
    return True


def suggest(name: object, known: Iterable[Hashable]) -> str:
    """Names in ``known`` close to ``name`` (case-insensitively), as ``"'A', 'B'"``, or ''."""
    by_text: dict[str, list[Hashable]] = {}
    for n in known:
        by_text.setdefault(str(n).lower(), []).append(n)
    close = difflib.get_close_matches(str(name).lower(), list(by_text), n=3)
    return ", ".join(repr(n) for c in close for n in sort_nodes(by_text[c]))


def unknown(name: object, known: Iterable[Hashable], what: str = "node") -> NoReturn:
    """Raise :class:`~cidlib.exceptions.UnknownNodeError` for ``name``, with did-you-mean."""
    close = suggest(name, known)
    hint = f"; did you mean {close}?" if close else ""
    article = "an" if what[0] in "aeiou" else "a"
    raise UnknownNodeError(f"{name!r} is not {article} {what} of the diagram{hint}")
