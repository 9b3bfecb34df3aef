"""Strategic relevance: which decisions a decision relies on.

A node ``V`` is *r-reachable* from decision ``D`` of agent ``i`` (Hammond et al. 2021) when a
new parent ``V^`` added to ``V`` would be d-connected to ``i``'s utilities below ``D`` given
``Fa(D)``: then D's optimal rule can depend on how ``V`` is generated. For a decision ``V``
this is Koller & Milch's *s-reachability*, sound and complete for strategic relevance ("D
relies on V"). One Bayes-ball pass from those utilities finds every r-reachable node: ``V``
is r-reachable when the ball can leave ``V`` upwards, i.e. it arrives from a child with ``V``
unobserved, or from a parent with ``V`` an ancestor of (or in) ``Fa(D)``.

The *relevance graph* has the decisions as nodes and an edge ``D -> D'`` iff D relies on D'
(the direction of Hammond et al. and PyCID; the mechanised graphs of Hammond et al. 2023
draw the reverse). An agent has *sufficient recall* iff the relevance graph restricted to its
decisions is acyclic; for one agent this is *solubility* (Lauritzen & Nilsson 2001).

References
----------
.. [1] D. Koller, B. Milch. "Multi-agent influence diagrams for representing and solving
   games." Games and Economic Behavior 45, 2003.
.. [2] L. Hammond, J. Fox, T. Everitt, A. Abate, M. Wooldridge. "Equilibrium Refinements for
   Multi-Agent Influence Diagrams: Theory and Practice." AAMAS 2021.
"""

from __future__ import annotations

import weakref
from collections.abc import Hashable

import networkx as nx

from cidlib.diagram import InfluenceDiagram, ensure_diagram, node_key
from cidlib.reduction import Adj, check_decision, owner_utilities, utility_ball

__all__ = ["has_sufficient_recall", "r_reachable", "relevance_cycle", "relevance_graph",
           "s_reachable"]


def reachable_mechanisms(
    pa: Adj, ch: Adj, decision: Hashable, utilities: frozenset[Hashable]
) -> frozenset[Hashable]:
    """r-reachable nodes of ``decision`` on raw adjacency (the "new parent" ball)."""
    return utility_ball(pa, ch, decision, utilities)[1].leaves_upwards()


def r_reachable(diagram: InfluenceDiagram, decision: Hashable) -> frozenset[Hashable]:
    """Return every node r-reachable from ``decision`` (one linear pass).

    Examples
    --------
    >>> import cidlib
    >>> g = cidlib.MACID([("D1", "D2"), ("D1", "U1"), ("D2", "U1"), ("D2", "U2")],
    ...                  agents={1: {"decisions": ["D1"], "utilities": ["U1"]},
    ...                          2: {"decisions": ["D2"], "utilities": ["U2"]}})
    >>> sorted(r_reachable(g, "D1"), key=str)
    ['D2', 'U1']
    """
    check_decision(diagram, decision)
    return reachable_mechanisms(
        diagram._pa, diagram._ch, decision, owner_utilities(diagram, decision)
    )


def s_reachable(diagram: InfluenceDiagram, decision: Hashable) -> frozenset[Hashable]:
    """Return the decisions that ``decision`` relies on (s-reachable decisions, itself excluded)."""
    return (r_reachable(diagram, decision) & diagram.decisions) - {decision}


def relevance_graph(diagram: InfluenceDiagram) -> nx.DiGraph[Hashable]:
    """Return the relevance graph: an edge ``D -> D'`` iff ``D`` relies on ``D'``.

    Examples
    --------
    >>> import cidlib
    >>> g = cidlib.MACID([("D1", "D2"), ("D1", "U1"), ("D2", "U1"), ("D2", "U2")],
    ...                  agents={1: {"decisions": ["D1"], "utilities": ["U1"]},
    ...                          2: {"decisions": ["D2"], "utilities": ["U2"]}})
    >>> sorted(relevance_graph(g).edges)
    [('D1', 'D2')]
    """
    return _relevance(ensure_diagram(diagram), diagram._pa, diagram._ch)


def _relevance(diagram: InfluenceDiagram, pa: Adj, ch: Adj) -> nx.DiGraph[Hashable]:
    graph: nx.DiGraph[Hashable] = nx.DiGraph()
    decisions = sorted(diagram.decisions, key=node_key)
    graph.add_nodes_from(decisions)
    for d in decisions:
        relied = reachable_mechanisms(pa, ch, d, owner_utilities(diagram, d))
        graph.add_edges_from((d, e) for e in decisions if e != d and e in relied)
    return graph


_RELEVANCE: weakref.WeakKeyDictionary[InfluenceDiagram, nx.DiGraph[Hashable]] = (
    weakref.WeakKeyDictionary()
)


def relevance_cycle(
    diagram: InfluenceDiagram, agent: Hashable, pa: Adj | None = None, ch: Adj | None = None
) -> list[Hashable] | None:
    """Return a cycle ``[D1, D2, ..., D1]`` of reliance among ``agent``'s decisions, or None.

    ``pa``/``ch`` evaluate the diagram with other edges (e.g. an added information link);
    without them the relevance graph is cached per diagram.
    """
    own = ensure_diagram(diagram).decisions_of(agent)
    if pa is None or ch is None:
        graph = _RELEVANCE.get(diagram)
        if graph is None:
            graph = _RELEVANCE[diagram] = relevance_graph(diagram)
    else:
        graph = _relevance(diagram, pa, ch)
    sub = graph.subgraph(own)
    try:
        edges = nx.find_cycle(sub)
    except nx.NetworkXNoCycle:
        return None
    return [u for u, _ in edges] + [edges[0][0]]


def has_sufficient_recall(diagram: InfluenceDiagram, agent: Hashable) -> bool:
    """Return True when ``agent``'s decisions form no cycle of reliance.

    For a single agent this is solubility: the diagram can be solved by backward induction.
    """
    return relevance_cycle(diagram, agent) is None
