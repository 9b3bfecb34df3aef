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
each single decision, never by trying the ``2^|D|`` subsets of decisions. Extending a base
``C`` by a decision ``d`` is skipped when an extension ``E`` of ``C`` already found lies
within ``C`` and the closure of ``d``: the closure of ``C + d`` contains both, so it is ``E``
or it is reached by extending ``E`` by ``d``. Every base is still found, from a largest base
strictly inside it (whose extensions within it all equal it), and trying the smallest
extensions first usually leaves one closure per base: on Koller & Milch's road game, one
per plot.

References
----------
.. [1] L. Hammond, J. Fox, T. Everitt, A. Abate, M. Wooldridge. "Equilibrium Refinements for
   Multi-Agent Influence Diagrams: Theory and Practice." AAMAS 2021.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable
from typing import NamedTuple

import networkx as nx

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


def _grow(adjacency: Adjacency, seen: set[Hashable], start: Iterable[Hashable]) -> list[Hashable]:
    """Add to ``seen`` everything reachable from ``start`` (``seen`` is closed already).

    Returns the nodes added.
    """
    added = [v for v in start if v not in seen]
    seen.update(added)
    queue = deque(added)
    while queue:
        for w in adjacency[queue.popleft()]:
            if w not in seen:
                seen.add(w)
                added.append(w)
                queue.append(w)
    return added


class _Closure:
    """Closure under r-reachability and directed-path completion, grown incrementally.

    Extending a closed set searches only from the nodes it adds: its descendants and
    ancestors are kept, closed under children and parents respectively, and a node lies
    on a directed path between members iff it is in both. The nodes in both were inside
    already, so only those newly added to one of them need a look.
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
            below = _grow(d.succ, down, new)
            above = _grow(d.pred, up, new)
            found = {x for x in below if x in up}
            found.update(x for x in above if x in down)
            for x in new & d.decisions:
                found |= self._relied(x)
            new = found - inside
        return _Closed(frozenset(inside), frozenset(down), frozenset(up))

    def singles(self) -> dict[Hashable, _Closed]:
        """Return the closure of each single decision.

        Decisions that rely on each other share it, and it contains the closures of the
        decisions they rely on: components of the relevance graph, the relied-on ones first,
        each extending the largest closure among those it relies on.
        """
        d = self.diagram
        decisions = sorted(d.decisions, key=node_key)
        graph: nx.DiGraph[Hashable] = nx.DiGraph()
        graph.add_nodes_from(decisions)
        graph.add_edges_from([(x, y) for x in decisions for y in sorted(
            self._relied(x) & d.decisions, key=node_key) if y != x])
        dag = nx.condensation(graph)
        done: dict[int, _Closed] = {}
        for c in reversed(list(nx.topological_sort(dag))):
            below = sorted((done[s] for s in dag.successors(c)), key=lambda b: -len(b.nodes))
            start = below[0] if below else self.EMPTY
            more = [x for b in below[1:] for x in b.nodes & d.decisions]
            done[c] = self.extend(start, [*sorted(dag.nodes[c]["members"], key=node_key),
                                          *more])
        return {x: done[c] for c in dag for x in dag.nodes[c]["members"]}


def subgame_base(diagram: InfluenceDiagram, nodes: object) -> frozenset[Hashable]:
    """Return the smallest subgame base containing ``nodes``.

    Examples
    --------
    >>> import cidlib
    >>> taxi = cidlib.catalogue.taxi_competition()  # D1 -> D2; both move, both paid
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
    >>> taxi = cidlib.catalogue.taxi_competition()  # D1 -> D2; both move, both paid
    >>> [sorted(s) for s in subgames(taxi)]
    [['D2', 'U2'], ['D1', 'D2', 'U1', 'U2']]
    """
    diagram = ensure_diagram(diagram)
    if isinstance(max_subgames, bool) or not isinstance(max_subgames, int):
        raise ArgumentTypeError(f"max_subgames must be an int, not {max_subgames!r:.40}")
    closure = _Closure(diagram)
    decisions = sorted(diagram.decisions, key=node_key)
    bit = {d: 1 << i for i, d in enumerate(decisions)}

    def mask(base: _Closed) -> int:
        return sum(bit[x] for x in base.nodes if x in bit)

    alone = closure.singles()
    alone_mask = {d: mask(base) for d, base in alone.items()}
    bases: dict[int, _Closed] = {}
    queue: deque[tuple[_Closed, int]] = deque()

    def visit(base: _Closed, key: int) -> None:
        if key not in bases:
            if len(bases) == max_subgames:
                raise UnsupportedDiagramError(
                    f"the diagram has more than max_subgames={max_subgames} subgames; raise "
                    "max_subgames, or ask subgame_base for the subgames you need"
                )
            bases[key] = base
            queue.append((base, key))

    for d in decisions:
        visit(alone[d], alone_mask[d])
    while queue:
        base, key = queue.popleft()
        # Extend by each decision outside, smallest extension first; skip d when an
        # extension already found lies within base + the closure of d (see the docstring).
        outside = sorted((d for d in decisions if not key & bit[d]),
                         key=lambda d: (alone_mask[d] | key).bit_count())
        found: list[int] = []
        for d in outside:
            within = key | alone_mask[d]
            if any(not e & ~within for e in found):
                continue
            grown = closure.extend(base, [d])
            found.append(mask(grown))
            visit(grown, found[-1])
    by_size: dict[tuple[int, int], list[frozenset[Hashable]]] = {}
    for key, b in bases.items():
        by_size.setdefault((key.bit_count(), len(b.nodes)), []).append(b.nodes)
    return tuple(b for size in sorted(by_size) for b in (
        sorted(by_size[size], key=lambda b: sorted(map(node_key, b)))
        if len(by_size[size]) > 1 else by_size[size]))
