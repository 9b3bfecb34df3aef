"""Paths, and the answers they explain.

A :class:`Path` is a sequence of distinct nodes with one edge between each consecutive pair,
in either direction. Directed paths (every edge forward) witness response, control and
instrumental control incentives; undirected active paths witness value of information,
requisite observations and reliance. A path of a single node has length 0: the papers'
convention that a node reaches itself.

Every yes/no answer cidlib gives about a graph follows the :class:`Verdict` protocol: it is
truthy when the property holds, carries the path that shows it, and explains itself in one
sentence.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any, Protocol, runtime_checkable

__all__ = ["Path", "Verdict"]


class Path:
    """A path through a diagram, as nodes and edge directions.

    Parameters
    ----------
    nodes : tuple
        The nodes in order, first to last.
    forward : tuple of bool
        ``forward[i]`` is True when the edge between ``nodes[i]`` and ``nodes[i + 1]`` points
        from ``nodes[i]`` to ``nodes[i + 1]``.

    Notes
    -----
    A witness that a search found is made lazily (:meth:`lazy`): its length, ends and
    :meth:`brief` text cost no more than a few steps, and its node list is built only when
    asked for, so reading every witness of a large report stays linear.

    Examples
    --------
    >>> p = Path(("X", "D", "Z"), (True, False))
    >>> str(p)
    'X -> D <- Z'
    >>> p.edges
    (('X', 'D'), ('Z', 'D'))
    >>> str(Path.directed(["P", "I", "C"]))
    'P -> I -> C'
    """

    __slots__ = ("_forward", "_nodes", "_source")
    _nodes: tuple[Hashable, ...] | None
    _forward: tuple[bool, ...] | None
    _source: PathSource | None

    def __init__(self, nodes: Iterable[Hashable], forward: Iterable[bool]) -> None:
        seq, directions = tuple(nodes), tuple(forward)
        if not seq:
            raise ValueError("a path has at least one node")
        if len(directions) != len(seq) - 1:
            raise ValueError(
                f"a path of {len(seq)} nodes needs {len(seq) - 1} edge directions, "
                f"got {len(directions)}"
            )
        object.__setattr__(self, "_nodes", seq)
        object.__setattr__(self, "_forward", directions)
        object.__setattr__(self, "_source", None)

    @classmethod
    def lazy(cls, source: PathSource) -> Path:
        """Return the path that ``source`` describes, its nodes built when first needed."""
        path = cls.__new__(cls)
        object.__setattr__(path, "_nodes", None)
        object.__setattr__(path, "_forward", None)
        object.__setattr__(path, "_source", source)
        return path

    def _built(self) -> tuple[tuple[Hashable, ...], tuple[bool, ...]]:
        if self._nodes is None or self._forward is None:
            if self._source is None:  # pragma: no cover -- a path has nodes or a source
                raise RuntimeError("a lazy path without a source")
            made = self._source.build()
            object.__setattr__(self, "_nodes", made.nodes)
            object.__setattr__(self, "_forward", made.forward)
            return made.nodes, made.forward
        return self._nodes, self._forward

    @property
    def nodes(self) -> tuple[Hashable, ...]:
        """The nodes in order, first to last."""
        return self._built()[0]

    @property
    def forward(self) -> tuple[bool, ...]:
        """Whether each edge points from the node before it to the node after it."""
        return self._built()[1]

    @classmethod
    def directed(cls, nodes: Iterable[Hashable]) -> Path:
        """Return the directed path through ``nodes`` (every edge forward)."""
        seq = tuple(nodes)
        return cls(seq, (True,) * (len(seq) - 1))

    @property
    def start(self) -> Hashable:
        """The first node."""
        if self._nodes is None and self._source is not None:
            return self._source.ends()[0]
        return self.nodes[0]

    @property
    def end(self) -> Hashable:
        """The last node."""
        if self._nodes is None and self._source is not None:
            return self._source.ends()[1]
        return self.nodes[-1]

    @property
    def length(self) -> int:
        """The number of edges."""
        if self._forward is None and self._source is not None:
            return self._source.length()
        return len(self.forward)

    @property
    def is_directed(self) -> bool:
        """True when every edge points forward, from ``start`` towards ``end``."""
        return all(self.forward)

    @property
    def edges(self) -> tuple[tuple[Hashable, Hashable], ...]:
        """The edges of the path as ``(parent, child)`` pairs, in path order."""
        nodes, forward = self._built()
        return tuple(
            (a, b) if fwd else (b, a)
            for a, b, fwd in zip(nodes, nodes[1:], forward, strict=False)
        )

    def reversed(self) -> Path:
        """Return the same path walked from ``end`` to ``start``."""
        nodes, forward = self._built()
        return Path(nodes[::-1], tuple(not f for f in reversed(forward)))

    def __add__(self, other: Path) -> Path:
        """Join two paths where the first ends and the second starts."""
        if self.end != other.start:
            raise ValueError(f"cannot join a path ending at {self.end!r} to one starting at "
                             f"{other.start!r}")
        return Path(self.nodes + other.nodes[1:], self.forward + other.forward)

    def brief(self, head: int = 6) -> str:
        """Return the path as text, eliding the middle of a long one.

        At most about ``2 * head`` nodes are shown; a longer path shows its first nodes, ``…``,
        its last node and its length.

        Examples
        --------
        >>> print(Path.directed([f"X{i}" for i in range(100)]).brief(3))
        X0 -> X1 -> X2 -> X3 … X99 (99 edges)
        >>> print(Path.directed("ABC").brief())
        A -> B -> C
        """
        if self._nodes is None and self._source is not None:
            return self._source.brief(head)
        if self.length < 2 * head:
            return str(self)
        nodes, forward = self._built()
        parts = [str(nodes[0])]
        for node, fwd in zip(nodes[1:head + 1], forward, strict=False):
            parts += ["->" if fwd else "<-", str(node)]
        return " ".join([*parts, "…", str(nodes[-1])]) + f" ({self.length:,} edges)"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Path):
            return NotImplemented
        return self._built() == other._built()

    def __hash__(self) -> int:
        return hash(self._built())

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Path is immutable; cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Path is immutable; cannot delete {name!r}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path, self._built())

    def __str__(self) -> str:
        nodes, forward = self._built()
        parts = [str(nodes[0])]
        for node, fwd in zip(nodes[1:], forward, strict=True):
            parts.append("->" if fwd else "<-")
            parts.append(str(node))
        return " ".join(parts)

    def __repr__(self) -> str:
        return f"Path({str(self)!r})"


class PathSource(Protocol):
    """What a lazy :class:`Path` is made from: a search's description of one of its paths.

    The search answers the cheap questions (length, ends, a brief text) without building
    the node list; :meth:`build` builds it.
    """

    def length(self) -> int:
        """Return the number of edges."""
        ...

    def ends(self) -> tuple[Hashable, Hashable]:
        """Return the first and last node."""
        ...

    def brief(self, head: int) -> str:
        """Return the text of :meth:`Path.brief`."""
        ...

    def build(self) -> Path:
        """Return the path with its nodes."""
        ...


@runtime_checkable
class Verdict(Protocol):
    """A yes/no answer about a diagram, with its evidence.

    :class:`~cidlib.Incentive`, :class:`~cidlib.ObservationCheck`, :class:`~cidlib.Reliance`
    and :class:`~cidlib.IntroducedVariation` follow it, so code that reports answers (the
    command line, a CI guard, a notebook) can treat them alike.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"], utilities=["U"])
    >>> answers = [cidlib.admits_voi(d, "D", "S"), cidlib.check_observation(d, "D", "S")]
    >>> all(isinstance(a, cidlib.Verdict) for a in answers)
    True
    >>> [str(a.witness) for a in answers]
    ['S -> U', 'S -> U']
    """

    def __bool__(self) -> bool:
        """Whether the property holds."""
        ...

    @property
    def witness(self) -> Path | None:
        """The path that shows the property holds (None when it does not)."""
        ...

    def explain(self) -> str:
        """One plain-English sentence: the answer and its reason."""
        ...
