"""The quantitative layer: specs, errors, queries, expected utility and optimal policies.

Numbers are checked against hand calculations and against the brute force of
``tests/quant_oracle.py`` (every joint assignment, every pure policy).
"""

from __future__ import annotations

import importlib.util
import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import cidlib
from cidlib.exceptions import (
    ArgumentTypeError,
    InvalidQueryError,
    ParameterError,
    UnknownNodeError,
    UnsupportedDiagramError,
)
from tests import quant_oracle as oracle
from tests.diagrams import MULTI_DECISION, TAXI, chain
from tests.strategies import diagrams

# Only the exchange with pgmpy (TabularCPDs in and out, to_pgmpy) needs pgmpy installed.
needs_pgmpy = pytest.mark.skipif(importlib.util.find_spec("pgmpy") is None,
                                 reason="needs pgmpy: pip install '.[quant]'")

SDU = cidlib.CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"], utilities=["U"])
XY = cidlib.CID([("X", "Y")], decisions=[], utilities=[])


def sdu(**extra: object) -> cidlib.ParameterizedDiagram:
    specs: dict[str, object] = {"S": cidlib.uniform([-1, 1]), "D": [-1, 1],
                                "U": lambda S, D: S * D}
    specs.update(extra)
    return cidlib.parameterize(SDU, **specs)


# -- specs -------------------------------------------------------------------------------


def test_function_spec_tabulates_every_parent_assignment() -> None:
    pd = sdu()
    assert pd.domain("U") == (-1, 1)
    assert pd.parents_of("U") == ("D", "S")
    # axes (D, S, U): U = S * D
    expected = np.array([[[0, 1], [1, 0]], [[1, 0], [0, 1]]], dtype=float)
    np.testing.assert_array_equal(pd.table("U"), expected)


def test_function_returning_a_distribution() -> None:
    pd = cidlib.parameterize(XY, X=cidlib.bernoulli(0.25), Y=lambda X: {X: 0.75, 1 - X: 0.25})
    assert pd.distribution("Y", X=0) == {0: 0.75, 1: 0.25}
    assert pd.distribution("X") == {0: 0.75, 1: 0.25}


def test_mapping_specs_for_roots_and_single_parents() -> None:
    pd = cidlib.parameterize(XY, X={"a": 0.5, "b": 0.5}, Y={"a": 1, "b": {0: 0.5, 1: 0.5}})
    assert pd.domain("X") == ("a", "b")
    assert pd.distribution("Y", X="a") == {0: 0.0, 1: 1.0}
    assert pd.distribution("Y", X="b") == {0: 0.5, 1: 0.5}


def test_table_with_parent_order_and_noisy_copy() -> None:
    d = cidlib.CID([("A", "Y"), ("B", "Y"), ("A", "Z")], decisions=[], utilities=[])
    rows = {(a, b): a * 10 + b for a in (0, 1) for b in (0, 1)}
    pd = cidlib.parameterize(d, A=cidlib.uniform([0, 1]), B=cidlib.uniform([0, 1]),
                             Y=cidlib.table({(b, a): v for (a, b), v in rows.items()},
                                            parents=["B", "A"]),
                             Z=cidlib.noisy_copy("A", 0.75))
    assert pd.distribution("Y", A=1, B=0) == {0: 0.0, 1: 0.0, 10: 1.0, 11: 0.0}
    assert pd.distribution("Z", A=0) == {0: 0.75, 1: 0.25}


def test_deterministic_with_a_wider_domain_and_constants() -> None:
    pd = cidlib.parameterize(XY, X=cidlib.uniform([0, 1]),
                             Y=cidlib.deterministic(lambda X: X + 1, domain=[0, 1, 2]))
    assert pd.domain("Y") == (0, 1, 2)
    assert pd.distribution("Y", X=1) == {0: 0.0, 1: 0.0, 2: 1.0}
    constant = cidlib.parameterize(XY, X=cidlib.uniform([0, 1]), Y=lambda **_: "on")
    assert constant.domain("Y") == ("on",)


@needs_pgmpy
def test_pgmpy_cpd_round_trip() -> None:
    pd = cidlib.parameterize(XY, X={0: 0.2, 1: 0.8}, Y=lambda X: {X: 0.9, 1 - X: 0.1})
    cpd = pd.cpd("Y")
    assert cpd.variables == ["Y", "X"]
    again = cidlib.parameterize(XY, X=pd.cpd("X"), Y=cpd)
    assert again == pd


@needs_pgmpy
def test_pgmpy_cpd_with_reordered_states() -> None:
    from pgmpy.factors.discrete import TabularCPD

    cpd = TabularCPD("Y", 2, [[0.9, 0.3], [0.1, 0.7]], evidence=["X"], evidence_card=[2],
                     state_names={"Y": ["lo", "hi"], "X": [1, 0]})
    pd = cidlib.parameterize(XY, X=cidlib.uniform([0, 1]), Y=cpd)
    assert pd.domain("Y") == ("lo", "hi")
    assert pd.distribution("Y", X=1) == {"lo": 0.9, "hi": pytest.approx(0.1)}
    assert pd.distribution("Y", X=0) == {"lo": pytest.approx(0.3), "hi": 0.7}


def test_nodes_without_specs_are_allowed_until_needed() -> None:
    pd = cidlib.parameterize(SDU, S=cidlib.uniform([0, 1]))
    assert set(pd.domains) == {"S"}
    with pytest.raises(ParameterError, match="'D' has no domain"):
        cidlib.meu(pd)


def test_specs_by_mapping_for_non_identifier_names() -> None:
    d = cidlib.CID([(1, "D"), ("D", "U"), (1, "U")], decisions=["D"], utilities=["U"])
    rows = {(dd, s): float(dd == s) for dd in (0, 1) for s in (0, 1)}
    pd = cidlib.parameterize(d, {1: cidlib.uniform([0, 1]),
                                 "U": cidlib.table(rows, parents=["D", 1])}, D=[0, 1])
    assert cidlib.meu(pd) == 1.0


# -- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("specs", "error", "match"),
    [
        ({"U": lambda S, D, X: 0}, ParameterError, "argument 'X' is not a parent of 'U'"),
        ({"U": lambda S: S}, ParameterError, "ignores parent 'D'"),
        ({"S": {-1: 0.5, 1: 0.6}}, ParameterError, "sum to 1.1, not 1"),
        ({"S": {-1: 1.5, 1: -0.5}}, ParameterError, "probability -0.5"),
        ({"S": [0, 1]}, ParameterError, "a list is a decision's domain"),
        ({"D": 3}, ArgumentTypeError, "domain of decision 'D' must be a list"),
        ({"D": [0, 0]}, ParameterError, "repeats 0"),
        ({"U": lambda S, D: "high"}, ParameterError, "utilities are finite numbers"),
        ({"U": lambda S, D: 1 / (S + 1)}, ParameterError, "ZeroDivisionError.*D=-1, S=-1"),
        ({"U": cidlib.table({(-1, -1): 1}, parents=["D", "S"])}, ParameterError,
         "no row for D=-1, S=1"),
        ({"U": cidlib.table({(1, 2): 0, (-1, -1): 1}, parents=["D", "S"])}, ParameterError,
         "row for D=1, S=2"),
        ({"U": {(1, 1): 1}}, ParameterError, "say which order"),
        ({"U": cidlib.table({}, parents=["S"])}, ParameterError, "keyed by 'S'"),
        ({"S": cidlib.deterministic(lambda: 5, domain=[0, 1])}, ParameterError,
         "gives 5 at no parents, outside its domain"),
        ({"S": cidlib.noisy_copy("D")}, ParameterError, "'D' is not a parent of 'S'"),
    ],
)
def test_bad_specs_get_clear_errors(specs: dict, error: type, match: str) -> None:
    base: dict[str, object] = {"S": cidlib.uniform([-1, 1]), "D": [-1, 1],
                               "U": lambda S, D: S * D}
    base.update(specs)
    with pytest.raises(error, match=match):
        cidlib.parameterize(SDU, **base)


def test_unknown_node_and_missing_parent_domain() -> None:
    with pytest.raises(UnknownNodeError, match="'Q' is not a node"):
        cidlib.parameterize(SDU, Q=1)
    with pytest.raises(ParameterError, match="needs the domain of its parent 'S'"):
        cidlib.parameterize(SDU, D=[0, 1], U=lambda S, D: 0)


@needs_pgmpy
def test_pgmpy_cpd_that_does_not_fit() -> None:
    from pgmpy.factors.discrete import TabularCPD

    wrong_states = TabularCPD("Y", 2, [[0.5, 0.5], [0.5, 0.5]], evidence=["X"],
                              evidence_card=[2], state_names={"Y": [0, 1], "X": [5, 6]})
    with pytest.raises(ParameterError, match="gives parent 'X' the states"):
        cidlib.parameterize(XY, X=cidlib.uniform([0, 1]), Y=wrong_states)
    with pytest.raises(ParameterError, match="is for variable 'Y'"):
        cidlib.parameterize(XY, X=wrong_states)


def test_helper_arguments_are_checked() -> None:
    with pytest.raises(ParameterError, match=r"probability in \[0, 1\]"):
        cidlib.bernoulli(1.5)
    with pytest.raises(ParameterError, match="is empty"):
        cidlib.uniform([])
    with pytest.raises(ArgumentTypeError, match="list of values"):
        cidlib.uniform("ab")


def test_parameterize_copies_its_inputs_and_tables_are_read_only() -> None:
    rows = {0: 0.5, 1: 0.5}
    pd = cidlib.parameterize(XY, X=rows, Y=lambda X: X)
    rows[0] = 0.9
    assert pd.distribution("X") == {0: 0.5, 1: 0.5}
    with pytest.raises(ValueError, match="read-only"):
        pd.table("X")[0] = 1.0
    with pytest.raises(AttributeError, match="immutable"):
        pd.diagram = SDU  # type: ignore[misc]


# -- queries and interventions -----------------------------------------------------------


def test_conditional_query_by_bayes_rule() -> None:
    pd = cidlib.parameterize(XY, X={0: 0.2, 1: 0.8}, Y=lambda X: {X: 0.9, 1 - X: 0.1})
    # P(X=1 | Y=1) = 0.8 * 0.9 / (0.8 * 0.9 + 0.2 * 0.1) = 0.72 / 0.74
    assert cidlib.query(pd, ["X"], given={"Y": 1})[1] == pytest.approx(0.72 / 0.74)


def test_hard_and_soft_interventions_leave_the_original_alone() -> None:
    pd = cidlib.parameterize(XY, X={0: 0.2, 1: 0.8}, Y=lambda X: {X: 0.9, 1 - X: 0.1})
    hard = cidlib.do(pd, X=0)
    assert cidlib.query(hard, ["Y"]) == {0: pytest.approx(0.9), 1: pytest.approx(0.1)}
    soft = cidlib.do(pd, Y=lambda X: 1 - X)
    assert cidlib.query(soft, ["Y"]) == {0: pytest.approx(0.8), 1: pytest.approx(0.2)}
    assert cidlib.query(pd, ["Y"])[1] == pytest.approx(0.8 * 0.9 + 0.2 * 0.1)
    # do() on Y does not change X: interventions are not observations
    assert cidlib.query(cidlib.do(pd, Y=0), ["X"]) == {0: pytest.approx(0.2),
                                                        1: pytest.approx(0.8)}


def test_query_errors() -> None:
    pd = cidlib.parameterize(XY, X={0: 1.0, 1: 0.0}, Y=lambda X: X)
    with pytest.raises(InvalidQueryError, match="probability zero"):
        cidlib.query(pd, ["Y"], given={"X": 1})
    with pytest.raises(InvalidQueryError, match="2 is not a value of 'X'"):
        cidlib.query(pd, ["Y"], given={"X": 2})
    with pytest.raises(InvalidQueryError, match="both queried and given"):
        cidlib.query(pd, ["X"], given={"X": 0})
    with pytest.raises(ArgumentTypeError, match="write \\['X'\\]"):
        cidlib.query(pd, "X")
    with pytest.raises(ParameterError, match="decision 'D', which has no rule"):
        cidlib.query(sdu(), ["U"])
    with pytest.raises(InvalidQueryError, match="is a decision"):
        cidlib.do(sdu(), D=1)
    with pytest.raises(InvalidQueryError, match="5 is not a value of 'X'"):
        cidlib.do(pd, X=5)
    with pytest.raises(ParameterError, match="outside its domain"):
        cidlib.do(pd, Y=lambda X: 7)


@given(diagrams(max_nodes=6), st.integers(0, 2**16), st.data())
def test_queries_match_brute_force(diagram, seed, data) -> None:
    pd = oracle.random_pd(diagram, seed, positive=False)
    policy = cidlib.random_policy(pd, seed=seed, mixed=True)
    rules = {d: r.array for d, r in policy.items()}
    nodes = sorted(diagram.nodes - diagram.utilities, key=str)
    target = data.draw(st.sampled_from(nodes))
    evidence_node = data.draw(st.sampled_from([None, *[n for n in nodes if n != target]]))
    given_ = {} if evidence_node is None else {evidence_node: data.draw(st.sampled_from([0, 1]))}
    expected = oracle.marginal(pd, rules, [target], given_)
    if not expected:
        with pytest.raises(InvalidQueryError, match="probability zero"):
            cidlib.query(pd, [target], given=given_, policy=policy)
        return
    got = cidlib.query(pd, [target], given=given_, policy=policy)
    for value, prob in got.items():
        assert prob == pytest.approx(expected.get((value,), 0.0), abs=1e-9)


# -- policies and expected utility -------------------------------------------------------


def test_policy_from_functions_tables_and_constants() -> None:
    pd = sdu()
    copy = cidlib.policy(pd, D=lambda S: S)
    assert copy["D"].as_dict() == {(-1,): -1, (1,): 1}
    assert cidlib.expected_utility(pd, copy) == 1.0
    assert cidlib.expected_utility(pd, cidlib.policy(pd, D=-1)) == 0.0
    mixed = cidlib.policy(pd, D={-1: {-1: 0.5, 1: 0.5}, 1: 1})
    assert cidlib.expected_utility(pd, mixed) == pytest.approx(0.5)
    assert not mixed["D"].is_deterministic
    assert mixed["D"](S=-1) == {-1: 0.5, 1: 0.5}
    with pytest.raises(ParameterError, match="outside its domain"):
        cidlib.policy(pd, D=lambda S: 2 * S)
    with pytest.raises(InvalidQueryError, match="chance node; a policy has rules for decisions"):
        cidlib.policy(pd, S=1)


def test_rule_made_for_another_diagram_is_refused() -> None:
    rule = cidlib.optimal_policy(sdu())["D"]
    other = sdu(D=[-1, 0, 1])
    with pytest.raises(ParameterError, match="was made for parents"):
        cidlib.expected_utility(other, cidlib.Policy([rule]))


def test_policies_combine_and_are_immutable() -> None:
    pd = sdu()
    a, b = cidlib.policy(pd, D=1), cidlib.policy(pd, D=-1)
    assert (a | b)["D"] == b["D"]
    with pytest.raises(AttributeError):
        a.extra = 1  # type: ignore[attr-defined]
    with pytest.raises(UnknownNodeError, match="no rule for 'X'"):
        a["X"]


@given(diagrams(max_nodes=6, max_decisions=2), st.integers(0, 2**16))
def test_expected_utility_matches_brute_force(diagram, seed) -> None:
    pd = oracle.random_pd(diagram, seed, positive=False)
    policy = cidlib.random_policy(pd, seed=seed, mixed=True)
    rules = {d: r.array for d, r in policy.items()}
    expected = oracle.expected_utility(pd, rules, diagram.utilities)
    assert cidlib.expected_utility(pd, policy) == pytest.approx(expected, abs=1e-9)


@given(diagrams(max_nodes=6, max_decisions=2), st.integers(0, 2**16))
def test_meu_matches_the_best_pure_policy(diagram, seed) -> None:
    pd = oracle.random_pd(diagram, seed, positive=False)
    assume(oracle.policy_count(pd) <= 4096)
    best = oracle.meu(pd)
    policy = cidlib.optimal_policy(pd)
    assert all(rule.is_deterministic for rule in policy.values())
    assert cidlib.expected_utility(pd, policy) == pytest.approx(best, abs=1e-9)
    assert cidlib.meu(pd) == pytest.approx(best, abs=1e-9)
    if cidlib.has_sufficient_recall(diagram, 0):
        exhaustive = cidlib.meu(pd, method="exhaustive", max_policies=4096)
        assert exhaustive == pytest.approx(best, abs=1e-9)


def test_chain_of_decisions_against_brute_force() -> None:
    pd = oracle.random_pd(chain(3), 7)
    assert cidlib.meu(pd) == pytest.approx(oracle.meu(pd), abs=1e-12)


def test_ties_pick_the_first_value_and_zero_probability_contexts_too() -> None:
    flat = sdu(U=lambda S, D: 0.0)
    assert cidlib.optimal_policy(flat)["D"].as_dict() == {(-1,): -1, (1,): -1}
    never = sdu(S={-1: 1.0, 1: 0.0}, U=lambda S, D: float(D == 1))
    # S=1 never happens: the rule there is the first value, -1, though D=1 pays off
    assert cidlib.optimal_policy(never)["D"].as_dict() == {(-1,): 1, (1,): -1}
    near = sdu(U=lambda S, D: 1.0 + (1e-12 if D == 1 else 0.0))
    assert cidlib.optimal_policy(near)["D"].as_dict() == {(-1,): -1, (1,): -1}


def test_without_sufficient_recall() -> None:
    # D2 forgets S, which D1 saw; U2 depends on S and D2: D2 relies on D1's rule
    d = cidlib.CID([("S", "D1"), ("D1", "D2"), ("S", "U2"), ("D2", "U2"), ("D1", "U1")],
                   decisions=["D1", "D2"], utilities=["U1", "U2"])
    assert not cidlib.has_sufficient_recall(d, 0)
    pd = oracle.random_pd(d, 3)
    with pytest.raises(UnsupportedDiagramError, match="lacks sufficient recall"):
        cidlib.optimal_policy(pd, method="backward")
    assert cidlib.meu(pd) == pytest.approx(oracle.meu(pd), abs=1e-12)
    with pytest.raises(UnsupportedDiagramError, match="more than max_policies=3"):
        cidlib.meu(pd, max_policies=3)
    with pytest.raises(ParameterError, match="method must be"):
        cidlib.meu(pd, method="fast")


def test_best_response_in_a_game() -> None:
    pd = cidlib.parameterize(
        TAXI, D1=["e", "c"], D2=["e", "c"],
        U1=lambda D1, D2: {"ee": 0, "ec": 5, "ce": 3, "cc": 2}[D1 + D2],
        U2=lambda D1, D2: {"ee": 0, "ec": 3, "ce": 5, "cc": 2}[D1 + D2],
    )
    with pytest.raises(ParameterError, match="say which with agent"):
        cidlib.meu(pd)
    with pytest.raises(ParameterError, match="decision 'D1' has no rule"):
        cidlib.optimal_policy(pd, agent=2)
    # D2 sees D1: the best response is the other spot
    reply = cidlib.optimal_policy(pd, agent=2, policy=cidlib.policy(pd, D1="e"))
    assert reply["D2"].as_dict() == {("e",): "c", ("c",): "e"}
    assert cidlib.meu(pd, agent=2, policy=cidlib.policy(pd, D1="e")) == 3.0
    # D1 knows D2 replies so: choosing c pays 3 < 5
    leader = cidlib.optimal_policy(pd, agent=1, policy=reply)
    assert leader["D1"].as_dict() == {(): "e"}
    assert cidlib.expected_utility(pd, leader | reply, agent=1) == 5.0


def test_inputs_are_not_mutated() -> None:
    pd = oracle.random_pd(MULTI_DECISION, 1)
    before = {n: pd.table(n).copy() for n in pd.diagram.nodes - pd.diagram.decisions}
    cidlib.meu(pd)
    cidlib.quantitative_voi(pd, "D2", "D1")
    cidlib.quantitative_voc(pd, "D2", "S")
    assert all(np.array_equal(pd.table(n), t) for n, t in before.items())
    assert pd.diagram == MULTI_DECISION


# -- quantitative incentives, by hand ----------------------------------------------------


def test_value_of_information_by_hand() -> None:
    pd = sdu()
    assert cidlib.quantitative_voi(pd, "D", "S") == 1.0  # 1 with S observed, 0 without
    blind = SDU.remove_edges([("S", "D")])
    assert cidlib.quantitative_voi(pd.with_diagram(blind), "D", "S") == 1.0
    with pytest.raises(InvalidQueryError, match=r"descendant|utility"):
        cidlib.quantitative_voi(pd, "D", "U")


def test_value_of_control_by_hand() -> None:
    # S ~ uniform{-1, 1}, observed; controlling S cannot beat |S * D| = 1
    assert cidlib.quantitative_voc(sdu(), "D", "S") == 0.0
    # unobserved S: MEU 0; setting S to 1 then D = 1 gives 1
    blind = sdu().with_diagram(SDU.remove_edges([("S", "D")]))
    assert cidlib.quantitative_voc(blind, "D", "S") == 1.0
    # controlling the utility itself: its best value 1 against the MEU 0
    assert cidlib.quantitative_voc(blind, "D", "U") == 1.0
    with pytest.raises(InvalidQueryError, match="it is a decision"):
        cidlib.quantitative_voc(blind, "D", "D")


def test_response_by_hand() -> None:
    assert cidlib.responds(sdu(), "D", "S")
    d = cidlib.CID([("S", "D"), ("D", "U"), ("N", "D")], decisions=["D"], utilities=["U"])
    pd = cidlib.parameterize(d, S=cidlib.uniform([0, 1]), N=cidlib.uniform([0, 1]),
                             D=[0, 1], U=lambda D: D + 0.0)
    assert not cidlib.responds(pd, "D", "S")  # the best action ignores what D sees
    respond_anyway = cidlib.policy(pd, D=lambda S, N: S)
    assert cidlib.responds(pd, "D", "S", policy=respond_anyway)
    with pytest.raises(InvalidQueryError, match="responses are to chance nodes"):
        cidlib.responds(pd, "D", "U")


@needs_pgmpy
def test_to_pgmpy_network_agrees_with_expected_utility() -> None:
    pd = oracle.random_pd(MULTI_DECISION, 5)
    policy = cidlib.optimal_policy(pd)
    with warnings.catch_warnings():  # pgmpy's own deprecation notices, on import
        warnings.simplefilter("ignore", FutureWarning)
        from pgmpy.inference import VariableElimination

    model = cidlib.quant.to_pgmpy(pd, policy)
    engine = VariableElimination(model)
    total = 0.0
    for u in pd.diagram.utilities:
        marginal = engine.query([u], show_progress=False)
        total += sum(p * v for p, v in zip(marginal.values, marginal.state_names[u],
                                           strict=True))
    assert math.isclose(total, cidlib.expected_utility(pd, policy), abs_tol=1e-9)


def test_recommender_example_matches_the_hand_calculation() -> None:
    """examples/recommender_probabilities.py, by hand.

    Clicks design, P = M: O's side is right 90% of the time; then partisan posts polarise
    with p 0.6 (clicks 0.95) or not (0.5): 0.6 * 0.95 + 0.4 * 0.5 = 0.77; a wrong side gets
    0.1. Clicks 0.9 * 0.77 + 0.1 * 0.1 = 0.703, polarised 0.9 * 0.6 = 0.54. Controlling I
    (making the user extreme on the posts' side) gives 0.95: VoC 0.95 - 0.703 = 0.247.
    Fix: balanced posts, clicks 0.6, nobody polarised, VoC 0.
    """
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).parents[1] / "examples" / "recommender_probabilities.py"
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         check=True).stdout
    rows = {line[:30].strip(): line[30:].split() for line in out.splitlines()[1:3]}
    assert rows["rewarded for clicks"] == ["0.703", "0.540", "0.247"]
    assert rows["rewarded for predicted clicks"] == ["0.600", "0.000", "0.000"]
    assert "P: M=-1 -> 0; M=1 -> 0" in out
    # response incentives: M changes with O with probability 0.9^2 + 0.1^2 = 0.82, for half
    # the users; ICI: where M = -1, moderate users shown left posts click 0.9*0.5 + 0.1*0.1
    incentives = {line[:30].strip(): line[30:].split() for line in out.splitlines()[-2:]}
    assert incentives["rewarded for clicks"] == ["0.410", "0.500", "0.243"]
    assert incentives["rewarded for predicted clicks"] == ["0.000", "0.000", "0.000"]


def test_arguments_of_the_wrong_type() -> None:
    pd = sdu()
    with pytest.raises(ArgumentTypeError, match="given must be a mapping"):
        cidlib.query(pd, ["S"], given=["S"])
    with pytest.raises(ArgumentTypeError, match="policy must be a cidlib Policy"):
        cidlib.expected_utility(pd, {"D": 1})
    with pytest.raises(ArgumentTypeError, match="ParameterizedDiagram"):
        cidlib.meu(SDU)


def test_a_query_names_the_missing_cpd() -> None:
    pd = cidlib.parameterize(XY, X=cidlib.uniform([0, 1]))
    with pytest.raises(ParameterError, match="'Y' has no domain: give the chance node a CPD"):
        cidlib.query(pd, ["Y"])
    assert cidlib.query(pd, ["X"]) == {0: 0.5, 1: 0.5}


def test_values_pickle_and_copy() -> None:
    import copy
    import pickle

    pd = sdu()
    best = cidlib.optimal_policy(pd)
    for value in (pd, best, best["D"], pd.diagram):
        assert pickle.loads(pickle.dumps(value)) == value
        assert copy.deepcopy(value) == value
    assert copy.copy(pd).table("U") is not None


def test_review_findings_stay_fixed() -> None:
    pd = sdu()
    # the agent's own rules in policy= are ignored, as in meu()
    assert cidlib.quantitative_voi(pd, "D", "S", policy=cidlib.optimal_policy(pd)) == 1.0
    with pytest.raises(InvalidQueryError, match="listed twice"):
        cidlib.query(pd, ["S", "S"])
    with pytest.raises(UnsupportedDiagramError, match=r"^the exhaustive search covers all 4"):
        cidlib.optimal_policy(pd, method="exhaustive", max_policies=3)
    with pytest.raises(ArgumentTypeError, match="max_policies must be an int"):
        cidlib.optimal_policy(pd, max_policies="a")
    with pytest.raises(ArgumentTypeError, match="seed must be"):
        cidlib.random_policy(pd, seed="x")
    with pytest.raises(ArgumentTypeError, match="not a set"):
        sdu(D={-1, 1})
    with pytest.raises(ArgumentTypeError, match="not a set or a mapping"):
        sdu(D={-1: 0.5, 1: 0.5})
    # a real gain of 2e-4 on top of a large constant is not a tie
    offset = sdu(U=lambda S, D: 1e6 + 1e-4 * S * D)
    assert cidlib.optimal_policy(offset)["D"].as_dict() == {(-1,): -1, (1,): 1}
