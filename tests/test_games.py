"""Several agents: relevance, recall, subgames, reasoning patterns (graph part).

Stated answers come from the papers (docs/theory.md); random diagrams are checked against
the path-enumeration oracle of tests/oracle.py.
"""

from __future__ import annotations

import itertools

import networkx as nx
import pytest
from hypothesis import given, settings

import cidlib
from cidlib import catalogue
from cidlib.exceptions import InvalidQueryError, UnknownNodeError, UnsupportedDiagramError
from tests import oracle
from tests.strategies import diagrams

# -- relevance graphs of the classic games (docs/theory.md#strategic-relevance-and-recall) --


def test_prisoners_dilemma_is_a_cycle():
    assert set(cidlib.relevance_graph(catalogue.prisoners_dilemma()).edges) == {
        ("D1", "D2"), ("D2", "D1")}


def test_taxi_d1_relies_on_d2_not_conversely():
    taxi = catalogue.taxi_competition()
    assert set(cidlib.relevance_graph(taxi).edges) == {("D1", "D2")}
    assert cidlib.relies_on(taxi, "D1", "D2")
    assert not cidlib.relies_on(taxi, "D2", "D1")


def test_tree_killer_relevance_as_koller_and_milch_state():
    graph = cidlib.relevance_graph(catalogue.tree_killer())
    assert set(graph.edges) == {("PT", "BP"), ("PT", "TDoc"), ("BP", "TDoc")}
    assert nx.is_directed_acyclic_graph(graph)


def test_road_plots_form_components_each_relying_on_the_next():
    condensed = cidlib.condensed_relevance_graph(catalogue.road(4))
    plots = {i: frozenset({f"B{i}W", f"B{i}E"}) for i in range(1, 5)}
    assert set(condensed.nodes) == set(plots.values())
    assert set(condensed.edges) == {(plots[i], plots[i + 1]) for i in range(1, 4)}


def test_job_market_is_cyclic():
    graph = cidlib.relevance_graph(catalogue.job_market())
    assert set(graph.edges) == {("E", "W"), ("W", "E")}
    (component,) = cidlib.condensed_relevance_graph(catalogue.job_market()).nodes
    assert component == {"E", "W"}


def test_forgetful_movie_star_lacks_sufficient_recall():
    star = catalogue.forgetful_movie_star()
    assert not cidlib.has_sufficient_recall(star, 1)
    assert cidlib.has_sufficient_recall(star, 2)
    assert not cidlib.has_perfect_recall(star, 1)


# -- perfect recall -------------------------------------------------------------------------


def test_perfect_recall_needs_every_earlier_observation_and_decision():
    d = cidlib.CID([("S", "D1"), ("D1", "D2"), ("S", "D2"), ("T", "D2"), ("D2", "U")],
                   decisions=["D1", "D2"], utilities=["U"])
    agent = next(iter(d.agents))
    assert cidlib.has_perfect_recall(d, agent)
    assert not cidlib.has_perfect_recall(d.remove_edges([("S", "D2")]), agent)
    assert not cidlib.has_perfect_recall(d.remove_edges([("D1", "D2")]), agent)


@settings(max_examples=100)
@given(diagrams(max_nodes=7, agents=2))
def test_perfect_recall_matches_the_definition_and_implies_sufficient_recall(d):
    for agent in d.agents:
        own = d.decisions_of(agent)
        by_definition = any(
            all(d.family(a) <= d.parents(b) for a, b in itertools.combinations(order, 2))
            for order in itertools.permutations(own))
        assert cidlib.has_perfect_recall(d, agent) == by_definition
        if by_definition:
            assert cidlib.has_sufficient_recall(d, agent)


# -- reliance witnesses ---------------------------------------------------------------------


def _with_mechanism(d, node):
    """The diagram with a fresh parent of ``node`` (its mechanism), as plain sets."""
    fresh = ("mechanism", node)
    return d.nodes | {fresh}, d.edges | {(fresh, node)}, fresh


@settings(max_examples=150)
@given(diagrams(max_nodes=7, agents=2))
def test_relies_on_agrees_with_oracle_and_its_witness_is_active(d):
    model = oracle.Model.of(d)
    for decision in d.decisions:
        reached = cidlib.r_reachable(d, decision)
        for other in d.nodes - {decision}:
            answer = cidlib.relies_on(d, decision, other)
            assert bool(answer) == model.relies_on(decision, other) == (other in reached)
            if answer:
                path = answer.witness
                nodes, edges, fresh = _with_mechanism(d, other)
                steps = [(fresh, True)] + [
                    (v, path.forward[i]) for i, v in enumerate(path.nodes[:-1])
                ] + [(path.end, True)]
                assert path.start == other
                assert path.end in model.targets(decision)
                assert oracle.active(nodes, edges, steps, d.family(decision))
                assert str(other) in answer.explain()


def test_relies_on_names_bad_input():
    taxi = catalogue.taxi_competition()
    with pytest.raises(InvalidQueryError, match="another node"):
        cidlib.relies_on(taxi, "D1", "D1")
    with pytest.raises(InvalidQueryError, match="U1"):
        cidlib.relies_on(taxi, "U1", "D2")
    with pytest.raises(UnknownNodeError, match="D3"):
        cidlib.relies_on(taxi, "D1", "D3")


def test_condensed_graph_contracts_cycles_of_any_length():
    g = cidlib.MACID([("D1", "U1"), ("D2", "U1"), ("D2", "U2"), ("D3", "U2"), ("D3", "U3"),
                      ("D1", "U3"), ("D4", "U4"), ("D1", "U4")],
                     agents={i: {"decisions": [f"D{i}"], "utilities": [f"U{i}"]}
                             for i in range(1, 5)})
    condensed = cidlib.condensed_relevance_graph(g)
    cycle, alone = frozenset({"D1", "D2", "D3"}), frozenset({"D4"})
    assert set(condensed.nodes) == {cycle, alone}
    assert set(condensed.edges) == {(alone, cycle)}


# -- subgames (docs/theory.md#subgames-and-equilibria) --------------------------------------


def _decision_sets(d):
    return {s & d.decisions for s in cidlib.subgames(d)}


def test_taxi_subgames_are_d2_alone_and_the_whole_game():
    taxi = catalogue.taxi_competition()
    assert cidlib.subgames(taxi) == (frozenset({"D2", "U2"}), frozenset(taxi.nodes))


def test_a_maid_can_have_a_subgame_its_extensive_form_lacks():
    # Hammond et al. (2021): D2 does not observe N, yet {D2} is a subgame, because none of
    # D2's utilities depends on N.
    g = cidlib.MACID([("N", "D1"), ("N", "U1A"), ("N", "U2A"), ("D1", "U1A"), ("D1", "U2A"),
                      ("D1", "U1B"), ("D1", "U2B"), ("D1", "D2"), ("D2", "U1B"),
                      ("D2", "U2B")],
                     agents={1: {"decisions": ["D1"], "utilities": ["U1A", "U1B"]},
                             2: {"decisions": ["D2"], "utilities": ["U2A", "U2B"]}})
    assert _decision_sets(g) == {frozenset({"D2"}), frozenset({"D1", "D2"})}
    assert cidlib.subgame_base(g, ["D2"]) == {"D2", "U2B"}


def test_simultaneous_games_have_only_the_whole_game():
    assert _decision_sets(catalogue.prisoners_dilemma()) == {frozenset({"D1", "D2"})}
    assert _decision_sets(catalogue.job_market()) == {frozenset({"E", "W"})}


def test_tree_killer_and_road_subgames_follow_their_relevance_graphs():
    assert _decision_sets(catalogue.tree_killer()) == {
        frozenset({"TDoc"}), frozenset({"BP", "TDoc"}), frozenset({"PT", "BP", "TDoc"})}
    plots = [frozenset({f"B{i}W", f"B{i}E"}) for i in range(1, 4)]
    assert _decision_sets(catalogue.road(3)) == {
        plots[2], plots[1] | plots[2], plots[0] | plots[1] | plots[2]}


def test_subgame_base_names_bad_input():
    with pytest.raises(UnknownNodeError, match="X"):
        cidlib.subgame_base(catalogue.taxi_competition(), ["X"])
    with pytest.raises(InvalidQueryError, match="empty"):
        cidlib.subgame_base(catalogue.taxi_competition(), [])


def oracle_bases(d):
    """Every subgame base with at least one decision, straight from the definition."""
    model = oracle.Model.of(d)
    nodes = sorted(d.nodes, key=str)
    relied = {x: {v for v in d.nodes if model.relies_on(x, v)} for x in d.decisions}
    bases = []
    for r in range(1, len(nodes) + 1):
        for subset in itertools.combinations(nodes, r):
            s = set(subset)
            if not s & d.decisions:
                continue
            if any(not relied[x] <= s for x in s & d.decisions):
                continue
            if any(v not in s and oracle.has_directed_path(d.edges, a, v)
                   and oracle.has_directed_path(d.edges, v, b)
                   for a in s for b in s for v in d.nodes):
                continue
            bases.append(frozenset(s))
    return bases


@settings(max_examples=60)
@given(diagrams(max_nodes=6, agents=2))
def test_subgames_are_the_smallest_bases_of_every_decision_set(d):
    bases = oracle_bases(d)
    smallest = {}
    for base in bases:
        key = base & d.decisions
        if key not in smallest or len(base) < len(smallest[key]):
            smallest[key] = base
    found = cidlib.subgames(d)
    assert {s & d.decisions: s for s in found} == smallest
    assert len(found) == len(smallest)


# -- reasoning patterns (docs/theory.md#reasoning-patterns) ---------------------------------

POLITICIAN = cidlib.MACID(
    [("D1", "I"), ("T", "I"), ("T", "U2"), ("I", "D2"), ("R", "D2"), ("D2", "U1"),
     ("D2", "U2")],
    agents={1: {"decisions": ["D1"], "utilities": ["U1"]},
            2: {"decisions": ["D2"], "utilities": ["U2"]}})


def _kinds(d, decision):
    return {(str(p.pattern), p.other) for p in cidlib.reasoning_patterns(d, decision)}


def test_politician_reveals_or_denies_and_the_voter_acts_directly():
    # Checked by hand: D1 -> I -> D2 is decision-free, D2 -> U1, and D1 -> I <- T -> U2 is
    # an indirect front-door path not blocked by {D2, R}; D1 has no back-door path.
    assert _kinds(POLITICIAN, "D1") == {("revealing/denying", "D2")}
    assert _kinds(POLITICIAN, "D2") == {("direct effect", None)}
    assert cidlib.effective_decisions(POLITICIAN) == {"D1", "D2"}


def test_manipulation_and_signalling_by_hand():
    # A parent offers to read (D1) if... the child (D2) sees D1 and chooses; the parent
    # cares only about D2, the child about D1 and D2: manipulation.
    manipulate = cidlib.MACID([("D1", "D2"), ("D2", "U1"), ("D1", "U2"), ("D2", "U2")],
                              agents={1: {"decisions": ["D1"], "utilities": ["U1"]},
                                      2: {"decisions": ["D2"], "utilities": ["U2"]}})
    assert _kinds(manipulate, "D1") == {("manipulation", "D2")}
    # Signalling: D1 sees a type X that D2 cares about (X -> U2) and D2 sees only D1;
    # agent 1 cares about D2 and about X: the back-door path D1 <- X -> U2 has key X, and
    # X -> U1 is not blocked by {D1}.
    signal = cidlib.MACID([("X", "D1"), ("X", "U1"), ("X", "U2"), ("D1", "D2"), ("D2", "U1"),
                           ("D2", "U2")],
                          agents={1: {"decisions": ["D1"], "utilities": ["U1"]},
                                  2: {"decisions": ["D2"], "utilities": ["U2"]}})
    assert _kinds(signal, "D1") == {("signalling", "D2")}


def test_an_unmotivated_decision_is_not_effective():
    g = cidlib.MACID([("D1", "X"), ("D2", "U2")],
                     agents={1: {"decisions": ["D1"], "utilities": ["U1"]},
                             2: {"decisions": ["D2"], "utilities": ["U2"]}},
                     nodes=["U1"])
    assert cidlib.effective_decisions(g) == {"D2"}
    assert cidlib.reasoning_patterns(g, "D1") == ()


def _oracle_patterns(d, decision, effective):
    """The four patterns by path enumeration, straight from Pfeffer & Gal (2007)."""
    nodes, edges = d.nodes, d.edges
    agent = d.agent_of(decision)
    mine = d.utilities_of(agent)

    def directed(x, targets, ok, avoid=None):
        return any(all(v in ok for v in p[1:-1]) and avoid not in p
                   for t in targets for p in oracle.directed_paths(edges, x, t) if len(p) > 1)

    def paths(x, targets, ok):
        for t in targets:
            for p in oracle.undirected_paths(edges, x, t):
                if all(v in ok for v, _ in p[1:-1]):
                    yield p

    chance = nodes - d.decisions
    ok = chance | effective
    desc = {v: oracle.descendants(nodes, edges, v) | {v} for v in nodes}
    found = set()
    if directed(decision, mine, chance):
        found.add(("direct effect", None))
    for other in effective - d.decisions_of(agent):
        if not (directed(decision, {other}, chance) and directed(other, mine, ok)):
            continue
        theirs = d.utilities_of(d.agent_of(other))
        if directed(decision, theirs, ok, avoid=other):
            found.add(("manipulation", other))
        z = {other} | (d.parents(other) - desc[decision])
        for p in paths(decision, theirs, ok):
            if not oracle.active(nodes, edges, p, z):
                continue
            collider = any(p[i - 1][1] and not p[i][1] for i in range(1, len(p) - 1))
            if p[0][1] and collider:
                found.add(("revealing/denying", other))
            if not p[0][1]:
                turn = next(i for i in range(len(p)) if p[i][1])  # first edge going down
                key = p[turn][0]
                near = {decision} | (d.parents(decision) - desc[key])
                if any(oracle.active(nodes, edges, q, near)
                       for q in paths(key, mine, ok - {decision} | {decision})):
                    found.add(("signalling", other))
    return found


def _oracle_effective(d):
    effective = frozenset(d.decisions)
    while True:
        kept = frozenset(x for x in effective if _oracle_patterns(d, x, effective))
        if kept == effective:
            return effective
        effective = kept


@settings(max_examples=100)
@given(diagrams(max_nodes=7, max_decisions=3, agents=2))
def test_reasoning_patterns_contain_those_of_path_enumeration(d):
    # The searches follow walks: they find every pattern the path definition gives, and
    # (rarely, see the next test) more; the fixpoint keeps a superset of effective decisions.
    effective = _oracle_effective(d)
    found = cidlib.effective_decisions(d)
    assert effective <= found
    for decision in d.decisions:
        expected = _oracle_patterns(d, decision, found) if decision in found else set()
        assert expected <= _kinds(d, decision), decision


def test_a_walk_can_show_signalling_that_no_path_shows():
    # The reviewer's example: the only active back-door path D_A <- Cp -> X -> U_B has key
    # Cp, which fails condition (d) (P blocks it); the walk D_A <- Cp <- C -> Cp -> X -> U_B
    # has key C, which passes. The definition says no pattern; cidlib over-approximates.
    g = cidlib.MACID([("C", "Cp"), ("Cp", "DA"), ("C", "P"), ("P", "DA"), ("P", "UA"),
                      ("P", "DB"), ("Cp", "X"), ("X", "UB"), ("DA", "DB"), ("DB", "UA"),
                      ("DB", "UB")],
                     agents={"A": {"decisions": ["DA"], "utilities": ["UA"]},
                             "B": {"decisions": ["DB"], "utilities": ["UB"]}})
    assert _oracle_patterns(g, "DA", frozenset({"DA", "DB"})) == set()
    assert _kinds(g, "DA") == {("signalling", "DB")}
    assert _oracle_effective(g) == {"DB"} < cidlib.effective_decisions(g)


def test_independent_agents_combine_freely_up_to_the_guard():
    # k agents whose decisions matter only to themselves: every nonempty set of decisions is
    # a subgame, 2^k - 1 of them.
    k = 6
    g = cidlib.MACID([(f"D{i}", f"U{i}") for i in range(k)],
                     agents={i: {"decisions": [f"D{i}"], "utilities": [f"U{i}"]}
                             for i in range(k)})
    assert len(cidlib.subgames(g)) == 2**k - 1
    with pytest.raises(UnsupportedDiagramError, match="max_subgames=20"):
        cidlib.subgames(g, max_subgames=20)
