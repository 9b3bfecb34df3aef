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
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

__all__ = ["Path", "Verdict"]


@dataclass(frozen=True)
class Path:
    """A path through a diagram, as nodes and edge directions.

    Parameters
    ----------
    nodes : tuple
        The nodes in order, first to last.
    forward : tuple of bool
        ``forward[i]`` is True when the edge between ``nodes[i]`` and ``nodes[i + 1]`` points
        from ``nodes[i]`` to ``nodes[i + 1]``.

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

    nodes: tuple[Hashable, ...]
    forward: tuple[bool, ...]

    def __post_init__(self) -> None:
        if not self.nodes:
            raise ValueError("a path has at least one node")
        if len(self.forward) != len(self.nodes) - 1:
            raise ValueError(
                f"a path of {len(self.nodes)} nodes needs {len(self.nodes) - 1} edge directions, "
                f"got {len(self.forward)}"
            )

    @classmethod
    def directed(cls, nodes: Iterable[Hashable]) -> Path:
        """Return the directed path through ``nodes`` (every edge forward)."""
        seq = tuple(nodes)
        return cls(seq, (True,) * (len(seq) - 1))

    @property
    def start(self) -> Hashable:
        """The first node."""
        return self.nodes[0]

    @property
    def end(self) -> Hashable:
        """The last node."""
        return self.nodes[-1]

    @property
    def length(self) -> int:
        """The number of edges."""
        return len(self.forward)

    @property
    def is_directed(self) -> bool:
        """True when every edge points forward, from ``start`` towards ``end``."""
        return all(self.forward)

    @property
    def edges(self) -> tuple[tuple[Hashable, Hashable], ...]:
        """The edges of the path as ``(parent, child)`` pairs, in path order."""
        return tuple(
            (a, b) if fwd else (b, a)
            for a, b, fwd in zip(self.nodes, self.nodes[1:], self.forward, strict=False)
        )

    def reversed(self) -> Path:
        """Return the same path walked from ``end`` to ``start``."""
        return Path(self.nodes[::-1], tuple(not f for f in reversed(self.forward)))

    def __add__(self, other: Path) -> Path:
        """Join two paths where the first ends and the second starts."""
        if self.end != other.start:
            raise ValueError(f"cannot join a path ending at {self.end!r} to one starting at "
                             f"{other.start!r}")
        return Path(self.nodes + other.nodes[1:], self.forward + other.forward)

    def __str__(self) -> str:
        parts = [str(self.nodes[0])]
        for node, fwd in zip(self.nodes[1:], self.forward, strict=True):
            parts.append("->" if fwd else "<-")
            parts.append(str(node))
        return " ".join(parts)

    def __repr__(self) -> str:
        return f"Path({str(self)!r})"


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
