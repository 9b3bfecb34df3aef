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


def sort_nodes(nodes: Iterable[Hashable]) -> list[Hashable]:
    """Return ``nodes`` as a list in :func:`node_key` order."""
    return sorted(nodes, key=node_key)


def show_nodes(nodes: Iterable[Hashable]) -> str:
    """Return ``nodes`` as ``"'A', 'B'"``, in :func:`node_key` order."""
    return ", ".join(repr(n) for n in sort_nodes(nodes))


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


def check_name(name: object, where: str) -> Hashable:
    """Return ``name`` if it can name a node; ``where`` says where it was written."""
    if not is_hashable(name):
        raise InvalidNodeError(
            f"{where}: node name {name!r} is unhashable ({type(name).__name__}); "
            "use a string, a number or a tuple"
        )
    if name is None or (isinstance(name, str) and not name.strip()):
        raise InvalidNodeError(f"{where}: node name {name!r} is empty; give every node a name")
    return name


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
