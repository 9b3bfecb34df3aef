"""An independent reference for several decisions: one minimal d-reduction per candidate.

Written from the definitions (docs/theory.md) on networkx graphs with networkx's own
d-separation test, sharing no code with cidlib's searches: a link ``X -> D`` is requisite
when ``X`` is d-connected to a utility below ``D`` given ``Fa(D) - {X}``; the minimal
d-reduction deletes nonrequisite links one at a time until none is left; ``D`` relies on
``D'`` when a fresh parent of ``D'`` is d-connected to those utilities given ``Fa(D)``; a
diagram is soluble when that relation has no cycle. Polynomial per question, so usable on
diagrams of a few dozen nodes; one agent only.
"""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx

Edge = tuple[Hashable, Hashable]


class Reference:
    """One agent's diagram as a networkx graph, with the definitions applied one at a time."""

    def __init__(self, d) -> None:  # type: ignore[no-untyped-def]
        self.nodes = set(d.nodes)
        self.edges = frozenset(d.edges)
        self.decisions = set(d.decisions)
        self.utilities = set(d.utilities)

    def graph(self, edges: frozenset[Edge]) -> nx.DiGraph:
        g = nx.DiGraph()
        g.add_nodes_from(self.nodes)
        g.add_edges_from(edges)
        return g

    def targets(self, g: nx.DiGraph, decision: Hashable) -> set[Hashable]:
        return self.utilities & nx.descendants(g, decision)

    def requisite(self, g: nx.DiGraph, decision: Hashable, x: Hashable) -> bool:
        targets = self.targets(g, decision)
        given = (set(g.predecessors(decision)) | {decision}) - {x}
        return bool(targets) and not nx.is_d_separator(g, {x}, targets, given)

    def reduced(self, edges: frozenset[Edge]) -> frozenset[Edge]:
        """Delete any nonrequisite information link, one at a time, until none is left."""
        while True:
            g = self.graph(edges)
            drop = next(((x, dec) for dec in sorted(self.decisions, key=str)
                         for x in sorted(g.predecessors(dec), key=str)
                         if not self.requisite(g, dec, x)), None)
            if drop is None:
                return edges
            edges = edges - {drop}

    def relies(self, edges: frozenset[Edge], decision: Hashable, other: Hashable) -> bool:
        """s-reachability: a fresh parent of ``other`` is d-connected to the targets."""
        g = self.graph(edges)
        fresh = ("fresh parent of", other)
        targets = self.targets(g, decision)
        g.add_edge(fresh, other)
        given = set(g.predecessors(decision)) | {decision}
        return bool(targets) and not nx.is_d_separator(g, {fresh}, targets, given)

    def relevance(self, edges: frozenset[Edge]) -> set[Edge]:
        return {(a, b) for a in self.decisions for b in self.decisions
                if a != b and self.relies(edges, a, b)}

    def soluble(self, edges: frozenset[Edge]) -> bool:
        graph = nx.DiGraph(self.relevance(edges))
        return nx.is_directed_acyclic_graph(graph)

    def voi(self, decision: Hashable, x: Hashable) -> str:
        """'present', 'absent' or 'undetermined' for the link ``x -> decision``."""
        edges = self.edges | {(x, decision)}
        if (x, decision) not in self.reduced(edges):
            return "absent"
        return "present" if self.soluble(edges) else "undetermined"
