"""Fail closed in the quantitative layer (issue 14's items), single policy updating, and what
a new user meets first (issue 17, part 8): names, printing, exact values.
"""

from __future__ import annotations

import math
import sys
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import cidlib
import cidlib.quant.limits
from cidlib.exceptions import (
    ArgumentTypeError,
    ParameterError,
    SizeLimitError,
    UnsupportedDiagramError,
)
from tests import quant_oracle as oracle
from tests.strategies import diagrams

# -- issue 14: sizes refused up front, overflow, NaN, Gambit labels ----------------------------


def test_meu_on_a_decision_with_30_binary_parents_raises_a_named_error_before_allocating() -> None:
    parents = [f"X{i}" for i in range(30)]
    d = cidlib.CID([*((p, "D") for p in parents), ("D", "U")], decisions=["D"],
                   utilities=["U"])
    pd = cidlib.parameterize(d, dict.fromkeys(parents, cidlib.uniform([0, 1])), D=[0, 1],
                             U=lambda D: float(D))  # noqa: PLW0108 -- names the parent
    with pytest.raises(SizeLimitError, match=r"solving decision 'D' needs a table over it and "
                       r"its 30 parents .* 2,147,483,648 entries") as caught:
        cidlib.meu(pd)
    assert isinstance(caught.value, MemoryError)
    assert (caught.value.size, caught.value.limit) == (2**31, cidlib.quant.limits.MAX_TABLE_ENTRIES)
    with pytest.raises(SizeLimitError, match="the rule of decision 'D'"):
        cidlib.uniform_policy(pd)


def test_a_chance_node_with_30_parents_is_refused_before_its_table_is_built() -> None:
    parents = [f"X{i}" for i in range(30)]
    d = cidlib.CID([(p, "Y") for p in parents], decisions=[], utilities=[])
    specs = dict.fromkeys(parents, cidlib.uniform([0, 1]))
    with pytest.raises(SizeLimitError, match=r"the CPD of 'Y' \(30 parents, 1,073,741,824 "):
        cidlib.parameterize(d, specs, Y=cidlib.uniform([0, 1]))


def test_the_size_limit_can_be_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    d = cidlib.CID([(f"X{i}", "Y") for i in range(4)], decisions=[], utilities=[])
    specs = {f"X{i}": cidlib.uniform([0, 1]) for i in range(4)}
    monkeypatch.setattr(cidlib.quant.limits, "MAX_TABLE_ENTRIES", 16)
    with pytest.raises(SizeLimitError, match="more than the limit of 16"):
        cidlib.parameterize(d, specs, Y=cidlib.uniform([0, 1]))  # 16 rows x 2 values
    monkeypatch.setattr(cidlib.quant.limits, "MAX_TABLE_ENTRIES", 32)
    assert cidlib.parameterize(d, specs, Y=cidlib.uniform([0, 1])).table("Y").size == 32


def test_elimination_refuses_a_large_intermediate_table(monkeypatch: pytest.MonkeyPatch) -> None:
    d = cidlib.CID([("A", "B"), ("A", "C"), ("B", "D"), ("C", "D")], decisions=[], utilities=[])
    pd = cidlib.random_parameterization(d, seed=0, domain_size=4)
    monkeypatch.setattr(cidlib.quant.limits, "MAX_TABLE_ENTRIES", 20)
    with pytest.raises(SizeLimitError, match="summing out"):
        cidlib.query(pd, ["D"])


def test_two_utilities_of_1e308_are_refused_not_inf() -> None:
    d = cidlib.CID([("D", "U1"), ("D", "U2")], decisions=["D"], utilities=["U1", "U2"])
    pd = cidlib.parameterize(d, D=[0, 1], U1=lambda D: 1e308, U2=lambda D: 1e308)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy overflow warning either
        with pytest.raises(ParameterError,
                           match=r"U1, U2 can add up to more than the largest float.*rescale"):
            cidlib.meu(pd)
    one = cidlib.parameterize(d, D=[0, 1], U1=lambda D: 1e307 * D, U2=lambda D: 0.0)
    assert cidlib.meu(one) == 1e307


def test_nan_domain_values_are_rejected() -> None:
    d = cidlib.CID([("X", "Y")], decisions=[], utilities=[])
    with pytest.raises(ParameterError, match=r"uniform.* contains NaN"):
        cidlib.uniform([0, math.nan])
    with pytest.raises(ParameterError, match="CPD of 'X' gives the value NaN"):
        cidlib.parameterize(d, X={math.nan: 1.0})
    with pytest.raises(ParameterError, match="CPD of 'Y' gives the value NaN at X=0"):
        cidlib.parameterize(d, X=cidlib.uniform([0, 1]), Y=lambda X: math.nan if X == 0 else X)
    sdu = cidlib.CID([("S", "D"), ("D", "U")], decisions=["D"], utilities=["U"])
    with pytest.raises(ParameterError, match="decision 'D' contains NaN"):
        cidlib.parameterize(sdu, S=cidlib.uniform([0, 1]), D=[0, float("nan")], U=0.0)


def test_to_efg_escapes_a_newline_inside_a_quoted_label() -> None:
    game = cidlib.MACID([("D1", "U1"), ("D1", "U2")],
                        agents={"first\nagent": {"decisions": ["D1"], "utilities": ["U1"]},
                                2: {"decisions": [], "utilities": ["U2"]}})
    pd = cidlib.parameterize(game, D1=["go\nleft", 'say "hi"'], U1=lambda D1: 1, U2=lambda D1: 0)
    text = cidlib.to_efg(pd, title="two\r\nlines")
    assert text.splitlines()[0] == 'EFG 2 R "two  lines" { "2" "first agent" }'
    assert "{ \"go left\" \"say 'hi'\" }" in text
    assert all(line.count('"') % 2 == 0 for line in text.splitlines())


def binary_parents_utility(k: int) -> cidlib.CID:
    """A utility with ``k`` binary chance parents and a decision D as parents."""
    return cidlib.CID([*((f"X{i}", "U") for i in range(k)), ("D", "U")], decisions=["D"],
                      utilities=["U"])


def binary_code(**values: int) -> int:
    """A different number for each assignment of the parents (their binary code)."""
    return sum(v << i for i, (_, v) in enumerate(sorted(values.items())))


def test_a_utility_with_as_many_values_as_rows_is_refused_before_its_table_is_built() -> None:
    # 12 binary parents and D: 8,192 rows; 8,192 distinct utilities make 67M entries
    d = binary_parents_utility(12)
    specs = {f"X{i}": cidlib.uniform([0, 1]) for i in range(12)}
    with pytest.raises(SizeLimitError, match=r"the CPD of 'U' \(13 parents, 8,192 parent "
                       r"assignments, at least 4,097 values\) would have 33,562,624 entries"):
        cidlib.parameterize(d, specs, D=[0, 1], U=binary_code)
    with pytest.raises(SizeLimitError, match=r"the CPD of 'U' \(8,192 parent assignments, "
                       r"8,192 values\) would have 67,108,864 entries"):
        cidlib.random_parameterization(d, seed=0)


def test_a_table_of_inferred_values_may_reach_the_limit_but_not_pass_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    d = binary_parents_utility(3)  # 16 rows; 16 distinct values: 256 entries
    specs = {f"X{i}": cidlib.uniform([0, 1]) for i in range(3)}
    chance = cidlib.CID([*((f"X{i}", "Y") for i in range(3)), ("D", "Y"), ("Y", "U")],
                        decisions=["D"], utilities=["U"])
    monkeypatch.setattr(cidlib.quant.limits, "MAX_TABLE_ENTRIES", 256)
    assert cidlib.parameterize(d, specs, D=[0, 1], U=binary_code).table("U").shape == (
        2, 2, 2, 2, 16)
    assert cidlib.random_parameterization(d, seed=0).table("U").shape == (2, 2, 2, 2, 16)
    assert cidlib.parameterize(chance, specs, D=[0, 1], Y=binary_code,
                               U=lambda Y: 0.0).table("Y").size == 256
    monkeypatch.setattr(cidlib.quant.limits, "MAX_TABLE_ENTRIES", 255)
    with pytest.raises(SizeLimitError, match=r"'U' .* 256 entries, more than the limit of 255"):
        cidlib.parameterize(d, specs, D=[0, 1], U=binary_code)
    with pytest.raises(SizeLimitError, match=r"'U' .* 256 entries, more than the limit of 255"):
        cidlib.random_parameterization(d, seed=0)
    with pytest.raises(SizeLimitError, match=r"the CPD of 'Y' .* at least 16 values"):
        cidlib.parameterize(chance, specs, D=[0, 1], Y=binary_code, U=lambda Y: 0.0)


def test_to_efg_writes_a_game_tree_deeper_than_pythons_recursion_limit() -> None:
    n = 2 * sys.getrecursionlimit()  # D, then a chain of n chance nodes of one value each
    chain = [("D", "C0"), *((f"C{i}", f"C{i + 1}") for i in range(n - 1))]
    d = cidlib.CID([*chain, (f"C{n - 1}", "U"), ("D", "U")], decisions=["D"], utilities=["U"])
    specs = {f"C{i}": cidlib.deterministic(lambda **_: 0) for i in range(n)}
    pd = cidlib.parameterize(d, specs, D=[0, 1], U=lambda D, **_: D)
    path = ", ".join(f"C{i}=0" for i in range(n))
    assert cidlib.to_efg(pd).splitlines()[3:] == [
        'p "D" 1 1 "D" { "0" "1" } 0',
        *(f'c "C{i}" {i + 1} "" {{ "0" 1 }} 0' for i in range(n)),
        f't "" 1 "D=0, {path}" {{ 0 }}',
        *(f'c "C{i}" {n + i + 1} "" {{ "0" 1 }} 0' for i in range(n)),
        f't "" 2 "D=1, {path}" {{ 1 }}',
    ]
    with pytest.raises(UnsupportedDiagramError, match=r"at least 1,001 nodes, more than "
                       r"max_nodes=1000"):
        cidlib.to_efg(pd, max_nodes=1000)


@pytest.mark.parametrize("seed", [True, [1, 2], 1.5, "1", np.bool_(True)])
def test_a_seed_of_the_wrong_type_is_refused(seed: object) -> None:
    d = cidlib.CID([("S", "D"), ("D", "U")], decisions=["D"], utilities=["U"])
    pd = cidlib.parameterize(d, S=cidlib.uniform([0, 1]), D=[0, 1], U=lambda D: D)
    message = r"seed must be a non-negative int, a numpy Generator or None, not "
    with pytest.raises(ArgumentTypeError, match=message):
        cidlib.random_parameterization(d, seed=seed)
    with pytest.raises(ArgumentTypeError, match=message):
        cidlib.random_policy(pd, seed=seed)
    with pytest.raises(ArgumentTypeError, match=message):
        cidlib.sample(pd, 1, seed=seed, policy=cidlib.uniform_policy(pd))


def test_a_negative_seed_is_refused_and_the_accepted_seeds_still_work() -> None:
    d = cidlib.CID([("S", "D"), ("D", "U")], decisions=["D"], utilities=["U"])
    pd = cidlib.parameterize(d, S=cidlib.uniform([0, 1]), D=[0, 1], U=lambda D: D)
    message = r"seed must be a non-negative int, a numpy Generator or None, not -1"
    with pytest.raises(ParameterError, match=message):
        cidlib.random_parameterization(d, seed=-1)
    with pytest.raises(ParameterError, match=message):
        cidlib.random_policy(pd, seed=-1)
    with pytest.raises(ParameterError, match=message):
        cidlib.sample(pd, 1, seed=-1, policy=cidlib.uniform_policy(pd))
    first = cidlib.random_parameterization(d, seed=0)
    assert cidlib.random_parameterization(d, seed=np.int64(0)) == first
    assert cidlib.random_parameterization(d, seed=np.random.default_rng(0)) == first
    assert cidlib.random_parameterization(d, seed=None).domain("S") == (0, 1)
    assert cidlib.random_policy(pd, seed=2**70) == cidlib.random_policy(pd, seed=2**70)


# -- part 8: names that are not identifiers, printing, exact values ---------------------------


def test_parents_that_are_not_identifiers_reach_a_function_through_kwargs() -> None:
    d = cidlib.CID([("age group", "risk"), ("class", "risk")], decisions=[], utilities=[])
    pd = cidlib.parameterize(d, {"age group": cidlib.uniform(["young", "old"]),
                                 "class": cidlib.uniform([1, 2]),
                                 "risk": lambda **p: int(p["age group"] == "old") + p["class"]})
    assert pd.distribution("risk", **{"age group": "old", "class": 2}) == {
        1: 0.0, 2: 0.0, 3: 1.0}
    with pytest.raises(ParameterError, match=r"only \*\*kwargs can receive it: e\.g\. lambda "
                       r"\*\*parents: parents\['age group'\]"):
        cidlib.parameterize(d, {"age group": cidlib.uniform(["young"]),
                                "class": cidlib.uniform([1]), "risk": lambda: 0})
    numbered = cidlib.CID([(1, "Y")], decisions=[], utilities=[])
    with pytest.raises(ParameterError, match=r"not a string.*use cidlib\.table"):
        cidlib.parameterize(numbered, {1: cidlib.uniform([0, 1]), "Y": lambda **p: 0})


def test_print_policy_is_a_compact_table_without_impossible_contexts() -> None:
    d = cidlib.CID([("A", "D"), ("B", "D"), ("C", "D"), ("D", "U"), ("A", "U")],
                   decisions=["D"], utilities=["U"])
    pd = cidlib.parameterize(d, A=cidlib.uniform(["low", "medium", "high"]),
                             B={0: 1.0, 1: 0.0}, C=cidlib.uniform([0, 1]),
                             D=["wait", "act"], U=lambda A, D: float((A == "high") == (D == "act")))
    text = str(cidlib.optimal_policy(pd))
    assert text.splitlines() == [
        "D: (6 contexts of probability 0 not shown)",
        "  A        | B | C | D",
        "  ---------+---+---+-------",
        "  'low'    | 0 | 0 | 'wait'",
        "  'low'    | 0 | 1 | 'wait'",
        "  'medium' | 0 | 0 | 'wait'",
        "  'medium' | 0 | 1 | 'wait'",
        "  'high'   | 0 | 0 | 'act'",
        "  'high'   | 0 | 1 | 'act'",
    ]
    short = cidlib.parameterize(d, A=cidlib.uniform(["low", "high"]), B={0: 1.0, 1: 0.0},
                                C={0: 1.0, 1: 0.0}, D=[0, 1], U=lambda A, D: float(D))
    assert str(cidlib.optimal_policy(short)) == (
        "D: A='low', B=0, C=0 -> 1; A='high', B=0, C=0 -> 1 (6 contexts of probability 0 not "
        "shown)")
    made = cidlib.policy(short, D=1)  # made by hand: no probabilities known, all shown
    assert len(str(made).splitlines()) == 11


def test_repr_never_cuts_a_value() -> None:
    d = cidlib.CID([], nodes=["X", "Y"], decisions=[], utilities=[])
    pd = cidlib.parameterize(d, X=cidlib.uniform(list(range(100))),
                             Y=cidlib.uniform(["a" * 60, "b"]))
    assert repr(pd) == ("ParameterizedDiagram(X: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, ... "
                        f"(100 values)], Y: ['{'a' * 60}', ... (2 values)])")


def test_exact_values_are_shown_as_such() -> None:
    d = cidlib.CID([("X", "Y")], decisions=[], utilities=[])
    pd = cidlib.parameterize(d, X={0: 0.1, 1: 0.2, 2: 0.7}, Y=lambda X: {0: 0.4, 1: 0.6})
    assert cidlib.query(pd, ["X"], given={"Y": 0}) == {0: 0.1, 1: 0.2, 2: 0.7}
    assert cidlib.query(pd, ["X"], given={"Y": 1})[1] == 0.2
    sdu = cidlib.CID([("S", "D"), ("D", "U"), ("S", "U")], decisions=["D"], utilities=["U"])
    game = cidlib.parameterize(sdu, S={0: 0.7, 1: 0.3}, D=[0, 1],
                               U=lambda S, D: 0.1 * (S == D) + 0.2 * D)
    assert cidlib.meu(game) == 0.23  # 0.7 * 0.2 + 0.3 * 0.3 (float: 0.22999999999999998)
    mixed = cidlib.policy(game, D={0: {0: 0.7, 1: 0.3}, 1: 1})
    assert str(mixed["D"]) == "D: S=0 -> {0: 0.7, 1: 0.3}; S=1 -> 1"


# -- part 7: single policy updating ------------------------------------------------------------


def medical() -> cidlib.ParameterizedDiagram:
    """Order a test (D1) from three symptoms, then treat (D2) from the result and a fourth
    symptom, without remembering what D1 saw: no sufficient recall, 2**24 pure policies."""
    d = cidlib.CID([("Dz", "S1"), ("Dz", "S2"), ("Dz", "S3"), ("Dz", "S4"), ("S1", "D1"),
                    ("S2", "D1"), ("S3", "D1"), ("D1", "R"), ("Dz", "R"), ("R", "D2"),
                    ("S4", "D2"), ("D1", "Cost"), ("D2", "Health"), ("Dz", "Health")],
                   decisions=["D1", "D2"], utilities=["Cost", "Health"])
    return cidlib.parameterize(
        d, Dz=cidlib.bernoulli(0.3),
        S1=cidlib.noisy_copy("Dz", 0.8), S2=cidlib.noisy_copy("Dz", 0.7),
        S3=cidlib.noisy_copy("Dz", 0.6), S4=cidlib.noisy_copy("Dz", 0.75),
        D1=["skip", "test"], D2=["wait", "treat", "refer"],
        R=lambda D1, Dz: "none" if D1 == "skip" else {Dz: 0.9, 1 - Dz: 0.1},
        Cost=lambda D1: -1.0 if D1 == "test" else 0.0,
        Health=lambda D2, Dz: {("wait", 0): 10, ("wait", 1): 0, ("treat", 0): 7,
                               ("treat", 1): 9, ("refer", 0): 8, ("refer", 1): 6}[D2, Dz])


def test_quantitative_voc_on_a_two_decision_medical_model_uses_spu_with_a_warning() -> None:
    pd = medical()
    assert not cidlib.has_sufficient_recall(pd.diagram, 0)
    with pytest.raises(UnsupportedDiagramError, match="use method='spu'"):
        cidlib.optimal_policy(pd)
    with pytest.warns(cidlib.LocalOptimumWarning, match="value of control of 'Dz'"):
        voc = cidlib.quantitative_voc(pd, "D2", "Dz")
    assert 0 < voc < 10
    with pytest.warns(cidlib.LocalOptimumWarning):
        voi = cidlib.quantitative_voi(pd, "D2", "Dz")
    assert voi > 0  # seeing the disease beats any test
    best = cidlib.optimal_policy(pd, method="spu")
    assert best.local_optimum
    assert "(a local optimum" in str(best)
    assert repr(best) == "Policy('D1', 'D2', local optimum)"
    assert cidlib.quantitative_voc(pd, "D2", "Dz", method="spu") == voc  # asked: no warning


@settings(max_examples=60, deadline=None)
@given(diagrams(min_nodes=4, max_nodes=6, max_decisions=2), st.integers(0, 2**16))
def test_single_policy_updating_reaches_a_local_optimum(diagram, seed) -> None:
    assume(len(diagram.decisions) == 2 and oracle.policy_count(
        cidlib.random_parameterization(diagram)) <= 4096)
    pd = oracle.random_pd(diagram, seed, positive=seed % 2 == 0)
    found = cidlib.optimal_policy(pd, method="spu")
    assert found.local_optimum
    assert set(found) == diagram.decisions
    rules = {d: r.array for d, r in found.items()}
    value = oracle.expected_utility(pd, rules, diagram.utilities)
    assert value <= oracle.meu(pd) + 1e-9
    assert cidlib.meu(pd, method="spu") == pytest.approx(value, abs=1e-9)
    for d in sorted(diagram.decisions):  # no single decision can do better
        for other in oracle.pure_policies(pd, [d]):
            better = oracle.expected_utility(pd, {**rules, **other}, diagram.utilities)
            assert better <= value + 1e-9, (d, better, value)
    if cidlib.has_sufficient_recall(diagram, 0):  # backward order: the optimum
        assert value == pytest.approx(oracle.meu(pd), abs=1e-9)
    np.testing.assert_array_equal(found[sorted(diagram.decisions)[0]].array.sum(axis=-1), 1.0)
