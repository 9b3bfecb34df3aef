from __future__ import annotations

import pytest
from hypothesis import given

import cidlib
from cidlib.exceptions import ArgumentTypeError, InvalidQueryError, UnknownNodeError
from tests import oracle
from tests.strategies import diagrams


def cid(edges, decisions, utilities):  # type: ignore[no-untyped-def]
    return cidlib.CID(edges, decisions=decisions, utilities=utilities)


# -- requisite observations, edge cases (docs/theory.md#requisite-observations) -----------

def test_no_utility_below_decision_makes_every_observation_nonrequisite() -> None:
    d = cid([("X", "D"), ("X", "U")], ["D"], ["U"])
    assert cidlib.requisite_observations(d, "D") == frozenset()


def test_observation_whose_only_route_runs_through_d() -> None:
    d = cid([("W", "X"), ("X", "D"), ("D", "U")], ["D"], ["U"])
    assert cidlib.requisite_observations(d, "D") == frozenset()


def test_collider_makes_observation_requisite_without_directed_path() -> None:
    d = cid([("X", "C"), ("Y", "C"), ("Y", "U"), ("C", "D"), ("X", "D"), ("D", "U")],
            ["D"], ["U"])
    assert cidlib.requisite_observations(d, "D") == {"X", "C"}
    check = cidlib.check_observation(d, "D", "X")
    assert check
    assert str(check.witness) == "X -> C <- Y -> U"
    assert cidlib.is_active(d, check.witness, check.separator)


def test_screened_off_observation_explains_its_separator() -> None:
    d = cid([("X", "Y"), ("Y", "U"), ("X", "D"), ("Y", "D"), ("D", "U")], ["D"], ["U"])
    assert cidlib.requisite_observations(d, "D") == {"Y"}
    check = cidlib.check_observation(d, "D", "X")
    assert not check
    assert check.witness is None
    assert check.separator == {"Y", "D"}
    assert "given {D, Y}" in check.explain()
    assert "(U)" in check.explain()
    assert "no utility" in cidlib.check_observation(
        cid([("X", "D"), ("X", "U")], ["D"], ["U"]), "D", "X").explain()
    assert cidlib.check_observation(d, "D", "Y").explain().startswith(
        "Y is a requisite observation of D: Y -> U is active")


def test_utilities_not_below_decision_are_ignored() -> None:
    d = cid([("X", "D"), ("X", "U1"), ("D", "U2")], ["D"], ["U1", "U2"])
    assert cidlib.requisite_observations(d, "D") == frozenset()


def test_query_errors() -> None:
    d = cid([("X", "D"), ("D", "U")], ["D"], ["U"])
    with pytest.raises(InvalidQueryError, match="'X' is a chance node, not a decision"):
        cidlib.requisite_observations(d, "X")
    with pytest.raises(InvalidQueryError, match="no edge 'U' -> 'D'"):
        cidlib.check_observation(d, "D", "U")


# -- the minimal d-reduction (docs/theory.md#the-minimal-d-reduction) -----------------------

def test_multi_decision_reduction_needs_a_fixpoint() -> None:
    d = cid([("Z1", "D1"), ("Z1", "D2"), ("Z2", "D2"), ("D1", "D2"), ("D2", "U")],
            ["D1", "D2"], ["U"])
    assert cidlib.requisite_observations(d, "D1") == {"Z1"}  # requisite at first
    red = cidlib.minimal_reduction(d)
    # Z1 -> D2, Z2 -> D2 and D1 -> D2 go first; then D1 has no utility below it, so Z1 -> D1
    assert red.edges == {("D2", "U")}
    assert red.decisions == d.decisions
    assert red.nodes == d.nodes


def test_multi_agent_reduction_one_sweep_is_not_enough() -> None:
    g = cidlib.MACID(
        [("X", "D1"), ("X", "D2"), ("X", "W"), ("D1", "U1"), ("D1", "U2"), ("D2", "U2"),
         ("W", "U3")],
        agents={1: {"decisions": ["D1"], "utilities": ["U1"]},
                2: {"decisions": ["D2"], "utilities": ["U2", "U3"]}},
    )
    assert cidlib.requisite_observations(g, "D1") == frozenset()
    assert cidlib.requisite_observations(g, "D2") == {"X"}  # X -> D1 -> U2 at first
    red = cidlib.minimal_reduction(g)
    assert ("X", "D1") not in red.edges
    assert ("X", "D2") not in red.edges


class Counted:
    """A node name that counts how often it is compared for equality."""

    comparisons = 0

    def __init__(self, i: int) -> None:
        self.i = i

    def __hash__(self) -> int:
        return hash(self.i)

    def __eq__(self, other: object) -> bool:
        Counted.comparisons += 1
        return isinstance(other, Counted) and self.i == other.i

    def __repr__(self) -> str:
        return f"P{self.i}"


def test_minimal_reduction_is_linear_in_a_decisions_parents() -> None:
    """Issue 14, item 11: looking each parent up in a tuple made the reduction quadratic."""
    n = 2_000
    parents = [Counted(i) for i in range(n)]
    d = cid([(p, "D") for p in parents] + [(p, "U") for p in parents[::2]] + [("D", "U")],
            ["D"], ["U"])
    Counted.comparisons = 0
    red = cidlib.minimal_reduction(d)
    assert Counted.comparisons < 5 * n  # a scan per parent compares about n * n / 2 times
    assert red.parents("D") == set(parents[::2])


def test_reduction_returns_same_diagram_when_nothing_to_remove() -> None:
    d = cid([("S", "D"), ("S", "U"), ("D", "U")], ["D"], ["U"])
    assert cidlib.minimal_reduction(d) is d


# -- properties --------------------------------------------------------------------------------

@given(diagrams(agents=2))
def test_requisite_observations_match_oracle(d: cidlib.InfluenceDiagram) -> None:
    model = oracle.Model.of(d)
    for dec in d.decisions:
        expected = {x for x in d.parents(dec) if model.requisite(dec, x)}
        assert cidlib.requisite_observations(d, dec) == expected
        for x in d.parents(dec):
            check = cidlib.check_observation(d, dec, x)
            assert bool(check) == (x in expected)
            if check:
                assert check.witness.start == x
                assert check.witness.end in check.utilities
                assert cidlib.is_active(d, check.witness, check.separator)


@given(diagrams(agents=2))
def test_minimal_reduction_matches_oracle(d: cidlib.InfluenceDiagram) -> None:
    assert cidlib.minimal_reduction(d).edges == oracle.Model.of(d).reduced().edges


@given(diagrams(agents=2))
def test_reduction_is_idempotent_and_keeps_non_information_edges(
        d: cidlib.InfluenceDiagram) -> None:
    red = cidlib.minimal_reduction(d)
    assert cidlib.minimal_reduction(red) == red
    assert d.edges - red.edges <= d.information_links


@given(diagrams(agents=2, max_decisions=4))
def test_r_reachability_matches_oracle(d: cidlib.InfluenceDiagram) -> None:
    model = oracle.Model.of(d)
    for dec in d.decisions:
        relied = cidlib.s_reachable(d, dec)
        expected = {e for e in d.decisions - {dec} if model.relies_on(dec, e)}
        assert relied == expected
        graph = cidlib.relevance_graph(d)
        assert set(graph.successors(dec)) == expected
    for agent in d.agents:
        assert cidlib.has_sufficient_recall(d, agent) == model.soluble(agent)


def test_recall_checks_need_no_agent_for_a_single_agent_diagram() -> None:
    """Issue 14: has_sufficient_recall(cid) and has_perfect_recall(cid) for one agent."""
    d = cid([("S", "D1"), ("S", "U"), ("D1", "U"), ("D2", "U")], ["D1", "D2"], ["U"])
    assert not cidlib.has_sufficient_recall(d)
    assert not cidlib.has_perfect_recall(d)
    recall = d.add_edges([("S", "D2"), ("D1", "D2")])
    assert cidlib.has_sufficient_recall(recall)
    assert cidlib.has_perfect_recall(recall)
    assert cidlib.has_sufficient_recall(recall, 0)
    assert cidlib.has_perfect_recall(recall, 0)


def test_recall_checks_ask_for_the_agent_when_there_are_several() -> None:
    taxi = cidlib.MACID([("D1", "D2"), ("D1", "U1"), ("D2", "U1"), ("D1", "U2"), ("D2", "U2")],
                        agents={1: {"decisions": ["D1"], "utilities": ["U1"]},
                                2: {"decisions": ["D2"], "utilities": ["U2"]}})
    for check in (cidlib.has_sufficient_recall, cidlib.has_perfect_recall):
        with pytest.raises(ArgumentTypeError, match=r"several agents \(1, 2\).*e\.g\. "
                           + check.__name__ + r"\(diagram, 1\)"):
            check(taxi)
        assert check(taxi, 2)
    with pytest.raises(UnknownNodeError, match="3 is not an agent"):
        cidlib.has_sufficient_recall(taxi, 3)


def test_relevance_examples() -> None:
    # Taxi competition shape: D1 relies on D2, not conversely (Hammond et al. 2021)
    taxi = cidlib.MACID([("D1", "D2"), ("D1", "U1"), ("D2", "U1"), ("D1", "U2"), ("D2", "U2")],
                        agents={1: {"decisions": ["D1"], "utilities": ["U1"]},
                                2: {"decisions": ["D2"], "utilities": ["U2"]}})
    assert set(cidlib.relevance_graph(taxi).edges) == {("D1", "D2")}
    # Simultaneous moves (prisoner's dilemma): a cycle
    pd = cidlib.MACID([("D1", "U1"), ("D2", "U1"), ("D1", "U2"), ("D2", "U2")],
                      agents={1: {"decisions": ["D1"], "utilities": ["U1"]},
                              2: {"decisions": ["D2"], "utilities": ["U2"]}})
    assert set(cidlib.relevance_graph(pd).edges) == {("D1", "D2"), ("D2", "D1")}
    assert cidlib.r_reachable(pd, "D1") == {"D2", "U1"}
