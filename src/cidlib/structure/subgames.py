"""Subgames of a multi-agent influence diagram.

A *subgame base* (Hammond et al. 2021) is a set of nodes ``V'`` that

1. contains every node on a directed path between two of its members, and
2. is closed under r-reachability: whatever a decision in ``V'`` relies on (see
   :func:`~cidlib.r_reachable`) is in ``V'``; this includes the utilities of the decision's
   agent below it.

Its decisions can then be played as a game of their own once the nodes outside ``V'`` are
fixed. Every subgame is determined by its decisions: :func:`subgames` returns, for each set
of decisions that is the decision set of some subgame, the smallest base containing it (the
closure of the decisions under the two conditions). The one with every decision stands for
the whole game.

Decision sets are found by growing closed sets one decision at a time from the closure of
each single decision, so the work is proportional to the number of subgames times the
number of decisions times one closure, never to the ``2^|D|`` subsets of decisions.

References
----------
.. [1] L. Hammond, J. Fox, T. Everitt, A. Abate, M. Wooldridge. "Equilibrium Refinements for
   Multi-Agent Influence Diagrams: Theory and Practice." AAMAS 2021.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable
from typing import NamedTuple

from cidlib.core.checks import ensure_diagram, owner_utilities
from cidlib.core.diagram import InfluenceDiagram
from cidlib.core.names import names_of, node_key
from cidlib.core.search import Adjacency
from cidlib.exceptions import ArgumentTypeError, InvalidQueryError, UnsupportedDiagramError
from cidlib.structure.relevance import reachable_mechanisms

__all__ = ["subgame_base", "subgames"]

MAX_SUBGAMES = 10_000


class _Closed(NamedTuple):
    """A closed node set with its descendants and ancestors (each set includes the nodes)."""

    nodes: frozenset[Hashable]
    down: frozenset[Hashable]
    up: frozenset[Hashable]


def _grow(adjacency: Adjacency, seen: set[Hashable], start: Iterable[Hashable]) -> None:
    """Add to ``seen`` everything reachable from ``start``; ``seen`` is closed already."""
    queue = deque(v for v in start if v not in seen)
    seen.update(queue)
    while queue:
        for w in adjacency[queue.popleft()]:
            if w not in seen:
                seen.add(w)
                queue.append(w)


class _Closure:
    """Closure under r-reachability and directed-path completion, grown incrementally.

    Extending a closed set searches only from the nodes it adds: its descendants and
    ancestors are kept, and they are closed under children and parents respectively.
    """

    EMPTY = _Closed(frozenset(), frozenset(), frozenset())

    def __init__(self, diagram: InfluenceDiagram) -> None:
        self.diagram = diagram
        self.relied: dict[Hashable, frozenset[Hashable]] = {}

    def _relied(self, decision: Hashable) -> frozenset[Hashable]:
        if decision not in self.relied:
            d = self.diagram
            self.relied[decision] = reachable_mechanisms(d.pred, d.succ, decision,
                                                         owner_utilities(d, decision))
        return self.relied[decision]

    def extend(self, closed: _Closed, nodes: Iterable[Hashable]) -> _Closed:
        d = self.diagram
        inside, down, up = set(closed.nodes), set(closed.down), set(closed.up)
        new = set(nodes) - inside
        while new:
            inside |= new
            _grow(d.succ, down, new)
            _grow(d.pred, up, new)
            relied = set().union(*(self._relied(x) for x in new & d.decisions))
            new = (relied | (down & up)) - inside
        return _Closed(frozenset(inside), frozenset(down), frozenset(up))


def subgame_base(diagram: InfluenceDiagram, nodes: object) -> frozenset[Hashable]:
    """Return the smallest subgame base containing ``nodes``.

    Examples
    --------
    >>> import cidlib
    >>> taxi = cidlib.MACID([("D1", "D2"), ("D1", "U1"), ("D2", "U1"), ("D1", "U2"),
    ...                      ("D2", "U2")],
    ...                     agents={1: {"decisions": ["D1"], "utilities": ["U1"]},
    ...                             2: {"decisions": ["D2"], "utilities": ["U2"]}})
    >>> sorted(subgame_base(taxi, ["D2"]))
    ['D2', 'U2']
    >>> sorted(subgame_base(taxi, ["D1"]))
    ['D1', 'D2', 'U1', 'U2']
    """
    diagram = ensure_diagram(diagram)
    start = names_of(nodes, "nodes")
    for node in start:
        diagram.require(node)
    if not start:
        raise InvalidQueryError("nodes is empty; give at least one node of the diagram")
    return _Closure(diagram).extend(_Closure.EMPTY, start).nodes


def subgames(
    diagram: InfluenceDiagram, *, max_subgames: int = MAX_SUBGAMES
) -> tuple[frozenset[Hashable], ...]:
    """Return the node set of the smallest base of every subgame, smallest first.

    There is one entry per distinct set of decisions a subgame can have (ties broken by the
    sorted node names). The last entry contains every decision: the whole game.

    Parameters
    ----------
    diagram : InfluenceDiagram
    max_subgames : int
        Size guard: decisions that do not rely on each other combine freely, so ``k``
        independent agents give ``2^k - 1`` subgames.

    Raises
    ------
    UnsupportedDiagramError
        When there are more than ``max_subgames`` subgames.

    Examples
    --------
    >>> import cidlib
    >>> taxi = cidlib.MACID([("D1", "D2"), ("D1", "U1"), ("D2", "U1"), ("D1", "U2"),
    ...                      ("D2", "U2")],
    ...                     agents={1: {"decisions": ["D1"], "utilities": ["U1"]},
    ...                             2: {"decisions": ["D2"], "utilities": ["U2"]}})
    >>> [sorted(s) for s in subgames(taxi)]
    [['D2', 'U2'], ['D1', 'D2', 'U1', 'U2']]
    """
    diagram = ensure_diagram(diagram)
    if isinstance(max_subgames, bool) or not isinstance(max_subgames, int):
        raise ArgumentTypeError(f"max_subgames must be an int, not {max_subgames!r:.40}")
    closure = _Closure(diagram)
    decisions = diagram.decisions
    bases: dict[frozenset[Hashable], _Closed] = {}
    queue: deque[_Closed] = deque()

    def visit(base: _Closed) -> None:
        key = base.nodes & decisions
        if key not in bases:
            if len(bases) == max_subgames:
                raise UnsupportedDiagramError(
                    f"the diagram has more than max_subgames={max_subgames} subgames; raise "
                    "max_subgames, or ask subgame_base for the subgames you need"
                )
            bases[key] = base
            queue.append(base)

    for decision in sorted(decisions, key=node_key):
        visit(closure.extend(_Closure.EMPTY, [decision]))
    while queue:
        base = queue.popleft()
        for decision in sorted(decisions - base.nodes, key=node_key):
            visit(closure.extend(base, [decision]))
    return tuple(sorted((b.nodes for b in bases.values()),
                        key=lambda b: (len(b & decisions), len(b), sorted(map(node_key, b)))))
