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

from cidlib.diagram import InfluenceDiagram, ensure_diagram, names_of, node_key
from cidlib.exceptions import ArgumentTypeError, InvalidQueryError, UnsupportedDiagramError
from cidlib.games.relevance import reachable_mechanisms
from cidlib.graph import reach
from cidlib.reduction import owner_utilities

__all__ = ["subgame_base", "subgames"]

MAX_SUBGAMES = 10_000


class _Closure:
    """Closure of node sets under r-reachability and directed-path completion."""

    def __init__(self, diagram: InfluenceDiagram) -> None:
        self.diagram = diagram
        self.relied: dict[Hashable, frozenset[Hashable]] = {}

    def __call__(self, nodes: Iterable[Hashable]) -> frozenset[Hashable]:
        d = self.diagram
        closed = set(nodes)
        while True:
            grown = set(closed)
            for decision in closed & d.decisions:
                if decision not in self.relied:
                    self.relied[decision] = reachable_mechanisms(
                        d._pa, d._ch, decision, owner_utilities(d, decision))
                grown |= self.relied[decision]
            grown |= reach(d._ch, grown).keys() & reach(d._pa, grown).keys()
            if grown == closed:
                return frozenset(closed)
            closed = grown


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
        diagram._check(node)
    if not start:
        raise InvalidQueryError("nodes is empty; give at least one node of the diagram")
    return _Closure(diagram)(start)


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
    bases: dict[frozenset[Hashable], frozenset[Hashable]] = {}
    queue: deque[frozenset[Hashable]] = deque()

    def visit(base: frozenset[Hashable]) -> None:
        key = base & decisions
        if key not in bases:
            if len(bases) == max_subgames:
                raise UnsupportedDiagramError(
                    f"the diagram has more than max_subgames={max_subgames} subgames; raise "
                    "max_subgames, or ask subgame_base for the subgames you need"
                )
            bases[key] = base
            queue.append(base)

    for decision in sorted(decisions, key=node_key):
        visit(closure([decision]))
    while queue:
        base = queue.popleft()
        for decision in sorted(decisions - base, key=node_key):
            visit(closure(base | {decision}))
    return tuple(sorted(bases.values(),
                        key=lambda b: (len(b & decisions), len(b), sorted(map(node_key, b)))))
