"""Response and instrumental control incentives by their counterfactual definitions.

Checked by hand, against brute force (``tests/quant_oracle.py``: every optimal pure policy
found by trying all of them, every exogenous setting enumerated), and against the graphical
criteria: where a criterion says "no", the quantitative value is zero on random structural
parameterisations (soundness); where it says "yes", most random ones realise it.
"""

from __future__ import annotations

import math
import random

import pytest

import cidlib
from cidlib.exceptions import InvalidQueryError, UnsupportedDiagramError
from tests import quant_oracle as oracle

SDU = cidlib.CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"], utilities=["U"])


def sdu() -> cidlib.ParameterizedDiagram:
    return cidlib.parameterize(SDU, S=cidlib.uniform([-1, 1]), D=[-1, 1], U=lambda S, D: S * D)


def test_response_incentive_by_hand() -> None:
    ri = cidlib.quantitative_ri(sdu(), "D", "S")
    # D copies S: setting S to -1 changes D where S was 1, half the time (and vice versa)
    assert ri.value == 0.5
    assert ri
    assert (dict(ri.intervention), dict(ri.context), dict(ri.counterfactual_context)) == (
        {"S": -1}, {"S": 1}, {"S": -1})
    assert (ri.actual, ri.counterfactual, ri.probability) == (1, -1, 0.5)
    assert ri.policies == 1
    assert ri.policy == cidlib.optimal_policy(sdu())
    assert not cidlib.quantitative_ri(sdu(), "D", "U")  # utilities have no children
    with pytest.raises(InvalidQueryError, match="it is a decision"):
        cidlib.quantitative_ri(sdu(), "D", "D")


def test_every_optimal_policy_counts_even_in_contexts_of_probability_zero() -> None:
    """X is always 0, and the agent wants D = 1. The solver's policy takes the first value,
    0, where X = 1 (which never happens), so it responds to do(X = 1); another optimal policy
    takes 1 there and does not: no response incentive."""
    d = cidlib.CID([("X", "D"), ("D", "U")], decisions=["D"], utilities=["U"])
    pd = cidlib.parameterize(d, X={0: 1.0, 1: 0.0}, D=[0, 1],
                             U=lambda D: float(D))  # noqa: PLW0108 -- names the parent
    assert cidlib.responds(pd, "D", "X")
    ri = cidlib.quantitative_ri(pd, "D", "X")
    assert ri.value == 0.0
    assert not ri
    assert ri.policies == 2
    assert ri.policy["D"].as_dict() == {(0,): 1, (1,): 1}
    assert "never changes D" in ri.explain()


def test_responses_are_counterfactual_not_interventional() -> None:
    """O is X flipped by fair noise, so do(X = x) leaves the distribution of O, and of D,
    unchanged; yet in every setting flipping X flips O and the decision, which copies O."""
    d = cidlib.CID([("X", "O"), ("O", "D"), ("O", "U"), ("D", "U")], decisions=["D"],
                   utilities=["U"])
    pd = cidlib.parameterize(d, X=cidlib.uniform([0, 1]),
                             O=cidlib.mechanism(lambda X, noise: X ^ noise, [0, 1]),
                             D=[0, 1], U=lambda O, D: float(O == D))
    best = cidlib.optimal_policy(pd)
    assert cidlib.query(cidlib.do(pd, X=0), ["D"], policy=best) == cidlib.query(
        cidlib.do(pd, X=1), ["D"], policy=best)
    assert cidlib.responds(pd, "D", "X")
    assert cidlib.quantitative_ri(pd, "D", "X").value == 0.5


def test_instrumental_control_incentive_by_hand() -> None:
    d = cidlib.CID([("D", "X"), ("X", "U"), ("D", "U")], decisions=["D"], utilities=["U"])
    # U = X + D / 10: the agent picks 1; had X been as under D = 0, U would lose 1
    pd = cidlib.parameterize(d, D=[0, 1], X=lambda D: D, U=lambda X, D: X + D / 10)
    ici = cidlib.quantitative_ici(pd, "D", "X")
    assert ici.value == 1.0
    assert dict(ici.intervention) == {"D": 0}
    assert (ici.actual, ici.counterfactual) == (1.1, 0.1)
    assert dict(ici.context) == {}
    assert ici.probability == 1.0
    assert "moves the expected utility from 1.1 to 0.1" in ici.explain()
    # on the decision itself: the effect of choosing otherwise, 1.1 -> 0
    assert cidlib.quantitative_ici(pd, "D", "D").value == 1.1
    # no incentive on a node the decision cannot change
    e = cidlib.CID([("E", "D"), ("E", "U"), ("D", "U")], decisions=["D"], utilities=["U"])
    pe = cidlib.parameterize(e, E=cidlib.uniform([0, 1]), D=[0, 1], U=lambda E, D: E + D)
    none = cidlib.quantitative_ici(pe, "D", "E")
    assert none.value == 0.0
    assert not none
    assert "no instrumental control" in none.explain()


def test_ties_take_the_least_incentive() -> None:
    """U = X D - D + 1 with X = D: both actions give 1. After D = 0 the utility ignores X (no
    incentive); after D = 1, X as under D = 0 would lose 1. The least controlling optimal
    policy chooses 0, so there is no instrumental control incentive."""
    d = cidlib.CID([("D", "X"), ("X", "U"), ("D", "U")], decisions=["D"], utilities=["U"])
    pd = cidlib.parameterize(d, D=[0, 1], X=lambda D: D, U=lambda X, D: float(X * D - D + 1))
    assert cidlib.meu(pd) == 1.0
    ici = cidlib.quantitative_ici(pd, "D", "X")
    assert ici.value == 0.0
    assert ici.policies == 2
    assert ici.policy["D"].as_dict() == {(): 0}
    forced = cidlib.parameterize(d, D=[0, 1], X=lambda D: D,  # now only D = 1 is optimal
                                 U=lambda X, D: float(X * D - D + 1) + D / 10)
    assert cidlib.quantitative_ici(forced, "D", "X").value == 1.0


def test_the_size_guard_on_optimal_policies() -> None:
    d = cidlib.CID([("X", "D1"), ("D1", "U"), ("D2", "U")], decisions=["D1", "D2"],
                   utilities=["U"])
    pd = cidlib.parameterize(d, X=cidlib.uniform([0, 1]), D1=list(range(5)),
                             D2=list(range(5)), U=lambda D1, D2: 0.0)
    with pytest.raises(UnsupportedDiagramError, match="all 125 pure policies"):
        cidlib.quantitative_ri(pd, "D1", "X", max_policies=10)
    with pytest.raises(UnsupportedDiagramError, match="max_policies=10"):
        cidlib.quantitative_ici(pd, "D1", "D2", max_policies=10)
    # one decision: every value is optimal in both contexts, 25 combinations matter
    single = cidlib.parameterize(d.remove_edges([("D2", "U")]).with_kind(
        "D2", cidlib.NodeKind.CHANCE), X=cidlib.uniform([0, 1]), D1=list(range(5)),
        D2=cidlib.uniform([0]), U=lambda D1: 0.0)
    with pytest.raises(UnsupportedDiagramError, match="25 combinations"):
        cidlib.quantitative_ri(single, "D1", "X", max_policies=10)
    assert cidlib.quantitative_ri(single, "D1", "X").value == 0.0


def _cases(count: int, seed: int):
    """Random small diagrams (one or two decisions) with random structural numbers."""
    rnd = random.Random(seed)
    for i in range(count):
        decisions = 1 if i % 4 else 2
        diagram = cidlib.random_cid(rnd.randint(3 + decisions, 5), decisions=decisions,
                                    utilities=rnd.randint(1, 2), density=0.5, seed=rnd)
        pd = cidlib.random_parameterization(diagram, seed=i, deterministic=0.3,
                                            mechanisms=i % 3 == 0, utility_range=(-2, 2))
        yield diagram, pd


def test_values_match_brute_force() -> None:
    compared = positive = 0
    for diagram, pd in _cases(60, seed=1):
        decision = sorted(diagram.decisions)[0]
        for node in sorted(diagram.nodes):
            kinds = ["ici"] if node in diagram.decisions else ["ri", "ici"]
            for kind in kinds:
                ours = getattr(cidlib, f"quantitative_{kind}")(pd, decision, node)
                brute = getattr(oracle, f"quantitative_{kind}")(pd, decision, node, limit=5000)
                if brute is None:
                    continue
                compared += 1
                positive += bool(ours)
                assert math.isclose(ours.value, brute, abs_tol=1e-9), (kind, node, ours, brute)
    assert compared > 300, compared
    assert positive > 60, positive


def test_witnesses_are_real() -> None:
    """The reported change happens: the pair of contexts has the stated probability under
    the reported policy, and the expected utilities are the counterfactual ones."""
    for diagram, pd in _cases(30, seed=2):
        decision = sorted(diagram.decisions)[0]
        for node in sorted(diagram.nodes - diagram.decisions):
            ri = cidlib.quantitative_ri(pd, decision, node)
            if ri:
                assert ri.actual != ri.counterfactual
                assert ri.probability > 0
                assert ri.value >= ri.probability - 1e-12
                assert ri.policy[decision](**{str(k): v for k, v in ri.context.items()}) == {
                    v: float(v == ri.actual) for v in pd.domain(decision)}
                assert cidlib.responds(pd, decision, node, policy=ri.policy)
            ici = cidlib.quantitative_ici(pd, decision, node)
            if ici:
                assert abs(ici.actual - ici.counterfactual) == pytest.approx(ici.value)
                assert ici.probability > 0


def test_no_value_where_the_graph_says_no() -> None:
    """Soundness of the graphical criteria for the counterfactual definitions (one decision:
    Everitt et al. 2021, Thms 12 and 18; two: the generalisations on the minimal d-reduction).
    """
    checked = 0
    for diagram, pd in _cases(120, seed=3):
        for decision in sorted(diagram.decisions):
            for node in sorted(diagram.nodes):
                if node not in diagram.decisions and not cidlib.admits_ri(diagram, decision, node):
                    assert cidlib.quantitative_ri(pd, decision, node).value <= 1e-9
                    checked += 1
                if not cidlib.admits_ici(diagram, decision, node):
                    assert cidlib.quantitative_ici(pd, decision, node).value <= 1e-9
                    checked += 1
    assert checked > 500


def test_most_yes_answers_are_realised() -> None:
    """Completeness in practice; bench/bench_soundness.py measures the shares."""
    stats = oracle.completeness(1, 100, seed=5, kinds=("ri", "ici"))
    for kind in ("ri", "ici"):
        yes, found, unsound = stats[kind]
        assert unsound == 0
        assert found >= 0.6 * yes, (kind, stats)
