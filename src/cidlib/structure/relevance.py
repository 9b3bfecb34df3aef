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

import itertools
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

import networkx as nx

from cidlib.core.checks import ensure_diagram, owner_utilities, require_decision
from cidlib.core.diagram import InfluenceDiagram
from cidlib.core.names import node_key
from cidlib.core.paths import Path
from cidlib.core.search import Adjacency, Ball
from cidlib.exceptions import ArgumentTypeError, InvalidQueryError
from cidlib.structure.reduction import decision_ball, diagram_cache, utility_ball

__all__ = ["Reliance", "condensed_relevance_graph", "has_perfect_recall",
           "has_sufficient_recall", "r_reachable", "relevance_graph", "relies_on", "s_reachable"]


def reachable_mechanisms(
    pa: Adjacency, ch: Adjacency, decision: Hashable, utilities: frozenset[Hashable]
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
    require_decision(diagram, decision)
    return reachable_mechanisms(
        diagram.pred, diagram.succ, decision, owner_utilities(diagram, decision)
    )


def s_reachable(diagram: InfluenceDiagram, decision: Hashable) -> frozenset[Hashable]:
    """Return the decisions that ``decision`` relies on (s-reachable decisions, itself excluded)."""
    return (r_reachable(diagram, decision) & diagram.decisions) - {decision}


def relevance_graph(diagram: InfluenceDiagram) -> nx.DiGraph[Hashable]:
    """Return the relevance graph: an edge ``D -> D'`` iff ``D`` relies on ``D'``.

    "``D`` relies on ``D'``" means ``D'`` is s-reachable from ``D``: the optimal rule for
    ``D`` can depend on the rule for ``D'``. This is the direction of Hammond et al. (2021)
    and PyCID. Solve a game in reverse topological order of this graph (or of
    :func:`condensed_relevance_graph` when it has cycles).

    Examples
    --------
    >>> import cidlib
    >>> g = cidlib.MACID([("D1", "D2"), ("D1", "U1"), ("D2", "U1"), ("D2", "U2")],
    ...                  agents={1: {"decisions": ["D1"], "utilities": ["U1"]},
    ...                          2: {"decisions": ["D2"], "utilities": ["U2"]}})
    >>> sorted(relevance_graph(g).edges)
    [('D1', 'D2')]
    """
    diagram = ensure_diagram(diagram)
    return _relevance(diagram, lambda d: decision_ball(diagram, d)[1])


def _relevance(diagram: InfluenceDiagram, ball_of: Callable[[Hashable], Ball],
               ) -> nx.DiGraph[Hashable]:
    graph: nx.DiGraph[Hashable] = nx.DiGraph()
    decisions = sorted(diagram.decisions, key=node_key)
    graph.add_nodes_from(decisions)
    for d in decisions:
        ball = ball_of(d)
        graph.add_edges_from((d, e) for e in decisions if e != d and (
            (e in ball.up and e not in ball.given) or (e in ball.down and e in ball.opened)))
    return graph


_RELEVANCE = diagram_cache()  # diagram -> its relevance graph


def relevance_cycle(
    diagram: InfluenceDiagram, agent: Hashable, pa: Adjacency | None = None,
    ch: Adjacency | None = None,
) -> list[Hashable] | None:
    """Return a cycle ``[D1, D2, ..., D1]`` of reliance among ``agent``'s decisions, or None.

    ``pa``/``ch`` evaluate the diagram with other edges (e.g. an added information link);
    without them the relevance graph is cached per diagram.
    """
    own = ensure_diagram(diagram).decisions_of(agent)
    if pa is None or ch is None:
        graph: nx.DiGraph[Hashable] | None = _RELEVANCE.get(diagram)
        if graph is None:
            graph = _RELEVANCE[diagram] = relevance_graph(diagram)
    else:
        graph = _relevance(diagram, lambda d: utility_ball(
            pa, ch, d, owner_utilities(diagram, d))[1])
    return find_cycle(own, graph.subgraph(own).edges)


def find_cycle(decisions: Iterable[Hashable], edges: Iterable[tuple[Hashable, Hashable]],
               ) -> list[Hashable] | None:
    """Return a cycle ``[D1, D2, ..., D1]`` of the reliance ``edges`` among ``decisions``.

    The same cycle whatever the order of the arguments: nodes and edges are sorted by name.
    """
    graph: nx.DiGraph[Hashable] = nx.DiGraph()
    graph.add_nodes_from(sorted(decisions, key=node_key))
    graph.add_edges_from(sorted(edges, key=lambda e: (node_key(e[0]), node_key(e[1]))))
    try:
        found = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        return None
    return [u for u, _ in found] + [found[0][0]]


def _only_agent(diagram: InfluenceDiagram, agent: Hashable | None, what: str) -> Hashable:
    """Return ``agent``, or the diagram's only agent when it is None."""
    if agent is not None:
        return agent
    agents = sorted(ensure_diagram(diagram).agents, key=node_key)
    if len(agents) != 1:
        raise ArgumentTypeError(
            f"{what} needs an agent for a diagram with several agents "
            f"({', '.join(repr(a) for a in agents)}); say whose, e.g. "
            f"{what}(diagram, {agents[0]!r})"
        )
    return agents[0]


def has_sufficient_recall(diagram: InfluenceDiagram, agent: Hashable | None = None) -> bool:
    """Return True when ``agent``'s decisions form no cycle of reliance.

    For a single agent this is solubility: the diagram can be solved by backward induction.
    ``agent`` may be left out when the diagram has one agent.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D1"), ("S", "U"), ("D1", "U"), ("D2", "U")],
    ...                decisions=["D1", "D2"], utilities=["U"])
    >>> has_sufficient_recall(d)  # neither decision sees the other
    False
    >>> has_sufficient_recall(d.add_edges([("S", "D2"), ("D1", "D2")]))
    True
    """
    return relevance_cycle(diagram, _only_agent(diagram, agent, "has_sufficient_recall")) is None


def condensed_relevance_graph(diagram: InfluenceDiagram) -> nx.DiGraph[frozenset[Hashable]]:
    """Return the relevance graph with each strongly connected component contracted.

    Its nodes are frozensets of decisions that (transitively) rely on each other; an edge
    ``C -> C'`` means some decision in ``C`` relies on one in ``C'``. It is acyclic: backward
    induction solves the components in its reverse topological order, each as a smaller game.

    Examples
    --------
    >>> import cidlib
    >>> pd = cidlib.MACID([("D1", "U1"), ("D2", "U1"), ("D1", "U2"), ("D2", "U2"),
    ...                    ("D2", "D3"), ("D3", "U3")],
    ...                   agents={1: {"decisions": ["D1"], "utilities": ["U1"]},
    ...                           2: {"decisions": ["D2"], "utilities": ["U2"]},
    ...                           3: {"decisions": ["D3"], "utilities": ["U3"]}})
    >>> graph = condensed_relevance_graph(pd)
    >>> sorted(sorted(c) for c in graph)
    [['D1', 'D2'], ['D3']]
    >>> graph.number_of_edges()
    0
    """
    graph = relevance_graph(diagram)
    components = [frozenset(c) for c in nx.strongly_connected_components(graph)]
    where = {d: c for c in components for d in c}
    condensed: nx.DiGraph[frozenset[Hashable]] = nx.DiGraph()
    condensed.add_nodes_from(sorted(components, key=lambda c: sorted(map(node_key, c))))
    condensed.add_edges_from(
        (where[u], where[v]) for u, v in graph.edges if where[u] != where[v]
    )
    return condensed


def has_perfect_recall(diagram: InfluenceDiagram, agent: Hashable | None = None) -> bool:
    """Return True when ``agent`` remembers all its earlier decisions and observations.

    The agent's decisions, in topological order ``D1, ..., Dk``, satisfy
    ``Fa(Dj) ⊆ Pa(Dk)`` for every ``j < k`` (Koller & Milch 2003). Perfect recall implies
    sufficient recall (:func:`has_sufficient_recall`), not conversely. ``agent`` may be left
    out when the diagram has one agent.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D1"), ("D1", "D2"), ("D1", "U"), ("D2", "U")],
    ...                decisions=["D1", "D2"], utilities=["U"])
    >>> has_perfect_recall(d)
    False
    >>> has_perfect_recall(d.add_information_link("S", "D2"))
    True
    """
    agent = _only_agent(diagram, agent, "has_perfect_recall")
    diagram = ensure_diagram(diagram)
    own = diagram.decisions_of(agent)
    order = [n for n in diagram.topological_order() if n in own]
    return all(
        diagram.family(earlier) <= diagram.parents(later)
        for earlier, later in itertools.pairwise(order)
    )


@dataclass(frozen=True)
class Reliance:
    """Whether ``decision`` relies on ``other``, with the evidence.

    Truthy iff it does. ``witness`` is then a path from ``other`` to a utility of
    ``decision``'s agent below ``decision``, active given ``Fa(decision)`` once a new parent
    is added to ``other`` (its mechanism): the path starts with an edge out of ``other``
    (``other`` unobserved) or into it (``other`` observed or an ancestor of an observation).
    ``other_is_decision`` says whether ``other`` is a decision (with a rule) rather than a
    chance or utility node (with a mechanism).
    """

    decision: Hashable
    other: Hashable
    witness: Path | None
    other_is_decision: bool = True  # whether ``other`` is a decision (it has a rule)

    def __bool__(self) -> bool:
        return self.witness is not None

    def explain(self) -> str:
        """Return one sentence saying why (or that) ``decision`` does not rely on ``other``."""
        how = (f"the rule for {self.other}" if self.other_is_decision
               else f"how {self.other} is generated")
        if self.witness is None:
            return (f"{self.decision} does not rely on {self.other}: {how} cannot change "
                    f"which rules are optimal for {self.decision}.")
        if len(self.witness.nodes) == 1:
            return (f"{self.decision} relies on {self.other}, a utility of its agent that "
                    f"{self.decision} can influence.")
        return (f"{self.decision} relies on {self.other}, because {how} reaches "
                f"{self.decision}'s utility {self.witness.end} along {self.witness}, given "
                f"what {self.decision} observes.")


def relies_on(diagram: InfluenceDiagram, decision: Hashable, other: Hashable) -> Reliance:
    """Return whether ``decision`` relies on ``other`` (is ``other`` r-reachable?), with a path.

    ``other`` may be any node: for a decision this is strategic relevance (s-reachability,
    sound and complete by Koller & Milch 2003), for a chance node it says that the node's
    distribution matters to the decision's choice (r-reachability, Hammond et al. 2021).

    Examples
    --------
    >>> import cidlib
    >>> taxi = cidlib.catalogue.taxi_competition()  # D1 -> D2; both move, both paid
    >>> print(relies_on(taxi, "D1", "D2").witness)
    D2 -> U1
    >>> bool(relies_on(taxi, "D2", "D1"))
    False
    """
    require_decision(diagram, decision)
    diagram.require(other)
    if other == decision:
        raise InvalidQueryError(
            f"{decision!r} is the decision asked about; ask whether it relies on another node"
        )
    _, ball = utility_ball(diagram.pred, diagram.succ, decision, owner_utilities(diagram, decision))
    is_decision = other in diagram.decisions
    if other not in ball.leaves_upwards():
        return Reliance(decision, other, None, is_decision)
    return Reliance(decision, other, ball.upward_path(other), is_decision)
