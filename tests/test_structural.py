"""Structural models: mechanisms with explicit noise, the structural view, sampling, and
counterfactuals checked against brute-force enumeration over exogenous settings.

The oracle (``tests/quant_oracle.py``) enumerates every exogenous setting from the CPD
arrays (response functions for canonical nodes, the stated noise for mechanisms), evaluates
the actual and the intervened world node by node, and sums; it shares no code with the twin
network of ``cidlib.quant.worlds``.
"""

from __future__ import annotations

import importlib.util
import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cidlib
from cidlib.exceptions import (
    ArgumentTypeError,
    InvalidQueryError,
    ParameterError,
    SizeLimitError,
)
from tests import quant_oracle as oracle
from tests.strategies import diagrams

XY = cidlib.CID([("X", "Y")], decisions=[], utilities=[])


def sensor(flip: float = 0.1) -> cidlib.ParameterizedDiagram:
    return cidlib.parameterize(XY, X=cidlib.uniform([0, 1]),
                               Y=cidlib.mechanism(lambda X, noise: X ^ noise,
                                                  noise={0: 1 - flip, 1: flip}))


# -- mechanisms ---------------------------------------------------------------------------------


def test_a_mechanism_gives_the_cpd_and_keeps_its_noise() -> None:
    pd = sensor(0.25)
    assert pd.distribution("Y", X=0) == {0: 0.75, 1: 0.25}
    noise = pd.noise["Y"]
    assert noise.values == (0, 1)
    np.testing.assert_array_equal(noise.probabilities, [0.75, 0.25])
    np.testing.assert_array_equal(noise.response, [[0, 1], [1, 0]])  # axes: X, noise
    assert "X" not in pd.noise  # the other nodes have the canonical form
    assert pickle.loads(pickle.dumps(pd)) == pd
    assert pd != cidlib.parameterize(XY, X=cidlib.uniform([0, 1]),
                                     Y=lambda X: {X: 0.75, 1 - X: 0.25})


def test_a_list_of_noise_values_is_uniform_and_do_replaces_the_mechanism() -> None:
    pd = cidlib.parameterize(XY, X=cidlib.uniform([0, 1]),
                             Y=cidlib.mechanism(lambda X, noise: (X + noise) % 3, [0, 1, 2]))
    assert pd.distribution("Y", X=1) == pytest.approx({0: 1 / 3, 1: 1 / 3, 2: 1 / 3})
    assert "Y" in pd.noise
    assert "Y" not in cidlib.do(pd, Y=2).noise
    kept = cidlib.do(pd, X=1)
    assert kept.noise["Y"] == pd.noise["Y"]


def test_mechanism_errors_name_the_node() -> None:
    with pytest.raises(ParameterError, match="returned a mapping"):
        cidlib.parameterize(XY, X=cidlib.uniform([0, 1]),
                            Y=cidlib.mechanism(lambda X, noise: {X: 1.0}, [0]))
    with pytest.raises(ParameterError, match="outside its domain"):
        cidlib.parameterize(XY, X=cidlib.uniform([0, 1]),
                            Y=cidlib.mechanism(lambda X, noise: 5, [0], domain=[0, 1]))
    with pytest.raises(ParameterError, match="no argument 'noise'"):
        cidlib.parameterize(XY, X=cidlib.uniform([0, 1]), Y=cidlib.mechanism(lambda X: X, [0]))
    with pytest.raises(ParameterError, match=r"sum to 0\.5"):
        cidlib.mechanism(lambda noise: noise, {0: 0.5})
    with pytest.raises(ParameterError, match="probability -1"):
        cidlib.mechanism(lambda noise: noise, {0: -1, 1: 2})
    with pytest.raises(ArgumentTypeError, match="needs a function"):
        cidlib.mechanism(3, [0])
    clash = cidlib.CID([("noise", "Y")], decisions=[], utilities=[])
    with pytest.raises(ParameterError, match="called 'noise'"):
        cidlib.parameterize(clash, noise=cidlib.uniform([0, 1]),
                            Y=cidlib.mechanism(lambda **pa: 0, [0]))


# -- the structural view ------------------------------------------------------------------------


def test_response_functions_of_a_canonical_node() -> None:
    pd = cidlib.parameterize(XY, X=cidlib.bernoulli(0.5), Y=lambda X: {X: 0.75, 1 - X: 0.25})
    scm = cidlib.structural_model(pd)
    noise = scm.noise("Y")  # (Y if X=0, Y if X=1), independent: 0.75 * 0.75 for the copy
    assert noise == {(0, 0): 0.1875, (0, 1): 0.5625, (1, 0): 0.0625, (1, 1): 0.1875}
    for x in (0, 1):  # they marginalise to the CPD
        for y in (0, 1):
            total = sum(p for r, p in noise.items() if r[x] == y)
            assert total == pytest.approx(pd.distribution("Y", X=x)[y])
    assert scm.is_canonical("Y")
    assert scm.value("Y", (0, 1), X=1) == 1
    assert scm.solve({"X": (1,), "Y": (1, 0)}) == {"X": 1, "Y": 0}
    assert scm.solve({"X": (1,), "Y": (1, 0)}, do={"X": 0}) == {"X": 0, "Y": 1}
    assert scm.nodes == ("X", "Y")
    assert repr(scm) == "StructuralModel(X: response function, Y: response function)"


def test_the_structural_view_of_mechanisms_and_decisions() -> None:
    pd = sensor()
    scm = cidlib.structural_model(pd)
    assert not scm.is_canonical("Y")
    assert scm.noise("Y") == {0: 0.9, 1: 0.1}
    assert scm.value("Y", 1, X=1) == 0
    sdu = cidlib.CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"], utilities=["U"])
    game = cidlib.parameterize(sdu, S=cidlib.uniform([-1, 1]), D=[-1, 1], U=lambda S, D: S * D)
    with pytest.raises(ParameterError, match="decision 'D' has no rule"):
        cidlib.structural_model(game).noise("D")
    view = cidlib.structural_model(game, cidlib.policy(game, D=lambda S: S))
    assert view.noise("D") == {(-1, 1): 1.0}
    assert view.noise("U") == {(1, -1, -1, 1): 1.0}  # contexts (D, S) in product order
    assert view.solve({"S": (1,), "D": (-1, 1), "U": (1, -1, -1, 1)}) == {
        "S": 1, "D": 1, "U": 1}
    with pytest.raises(InvalidQueryError, match="exactly the parents"):
        view.value("D", (-1, 1), X=1)
    with pytest.raises(InvalidQueryError, match="a tuple of 2 values"):
        view.value("D", 0, S=1)


def test_listing_too_many_response_functions_is_refused() -> None:
    many = cidlib.CID([(f"P{i}", "Y") for i in range(12)], decisions=[], utilities=[])
    specs = {f"P{i}": cidlib.uniform([0, 1]) for i in range(12)}
    def chance(**bits: int) -> dict[int, float]:  # a different distribution per assignment
        share = (sum(b << i for i, b in enumerate(bits.values())) + 1) / 4097
        return {0: share, 1: 1 - share}

    pd = cidlib.parameterize(many, specs, Y=chance)
    with pytest.raises(SizeLimitError, match="response functions"):
        cidlib.structural_model(pd).noise("Y")  # 2 ** 4096 of them


# -- sampling -----------------------------------------------------------------------------------


def test_samples_follow_the_joint_distribution() -> None:
    d = cidlib.CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"], utilities=["U"])
    pd = cidlib.random_parameterization(d, seed=4, domain_size=3)
    policy = cidlib.random_policy(pd, seed=1, mixed=True)
    rows = cidlib.sample(pd, 20_000, policy=policy, seed=7, frame=False)
    assert len(rows) == 20_000
    assert set(rows[0]) == {"S", "D", "U"}
    joint = cidlib.query(pd, ["S", "D"], policy=policy)
    for key, p in joint.items():
        share = sum(1 for r in rows if (r["S"], r["D"]) == key) / len(rows)
        assert abs(share - p) < 0.015, (key, share, p)
    assert cidlib.sample(pd, 5, policy=policy, seed=3, frame=False) == cidlib.sample(
        pd, 5, policy=policy, seed=3, frame=False)
    assert cidlib.sample(pd, 0, policy=policy, frame=False) == []


@pytest.mark.skipif(importlib.util.find_spec("pandas") is None, reason="needs pandas")
def test_samples_as_a_data_frame() -> None:
    pd = sensor()
    frame = cidlib.sample(pd, 10, seed=0)
    assert list(frame.columns) == ["X", "Y"]
    assert len(frame) == 10
    assert frame.to_dict("records") == cidlib.sample(pd, 10, seed=0, frame=False)


def test_sampling_errors() -> None:
    d = cidlib.CID([("S", "D"), ("D", "U")], decisions=["D"], utilities=["U"])
    pd = cidlib.parameterize(d, S=cidlib.uniform([0, 1]), D=[0, 1], U=lambda D: D)
    with pytest.raises(ParameterError, match="decision 'D' has no rule"):
        cidlib.sample(pd, 3)
    with pytest.raises(ArgumentTypeError, match="n must be"):
        cidlib.sample(pd, -1)
    with pytest.raises(ArgumentTypeError, match="seed must be"):
        cidlib.sample(pd, 1, seed="x", policy=cidlib.uniform_policy(pd))


# -- counterfactuals ----------------------------------------------------------------------------


def test_counterfactuals_by_hand() -> None:
    # the sensor flipped (Y != X): had X been 1, Y would be 0, since the flip stays
    assert cidlib.counterfactual(sensor(), ["Y"], evidence={"X": 0, "Y": 1}, do={"X": 1}) == {
        0: 1.0, 1: 0.0}
    # canonical noisy copy: the copy at X=1 is drawn afresh (0.9), whatever happened at X=0
    copy = cidlib.parameterize(XY, X=cidlib.uniform([0, 1]), Y=cidlib.noisy_copy("X", 0.9))
    assert cidlib.counterfactual(copy, ["Y"], evidence={"X": 0, "Y": 1}, do={"X": 1}) == {
        0: 0.1, 1: 0.9}
    # without evidence, a counterfactual is an interventional query
    assert cidlib.counterfactual(copy, ["Y"], do={"X": 1}) == cidlib.query(
        cidlib.do(copy, X=1), ["Y"])
    # nothing set: the evidence itself
    assert cidlib.counterfactual(copy, ["X"], evidence={"Y": 1}) == cidlib.query(
        copy, ["X"], given={"Y": 1}) == {0: 0.1, 1: 0.9}


def test_a_parent_the_node_ignores_never_changes_it() -> None:
    """Contexts with the same distribution share one draw of the canonical noise."""
    fair = cidlib.parameterize(XY, X=cidlib.uniform([0, 1]), Y=lambda X: {0: 0.5, 1: 0.5})
    assert cidlib.counterfactual(fair, ["Y"], evidence={"Y": 1}, do={"X": 1}) == {0: 0.0, 1: 1.0}
    assert cidlib.structural_model(fair).noise("Y") == {(0, 0): 0.5, (1, 1): 0.5}
    d = cidlib.CID([("X", "Z"), ("W", "Z"), ("Z", "Y")], decisions=[], utilities=[])
    partly = cidlib.parameterize(d, X=cidlib.uniform([0, 1]), W=cidlib.uniform([0, 1]),
                                 Z=lambda X, W: {X: 0.8, 1 - X: 0.2} if W else {0: 0.5, 1: 0.5},
                                 Y=lambda Z: Z)
    # where W = 0, Z ignores X; where W = 1 a fresh draw at the new X copies it with 0.8
    assert cidlib.counterfactual(partly, ["Y"], evidence={"W": 0, "X": 0, "Y": 1},
                                 do={"X": 1}) == {0: 0.0, 1: 1.0}
    assert cidlib.counterfactual(partly, ["Y"], evidence={"W": 1, "X": 0, "Y": 0},
                                 do={"X": 1}) == {0: 0.2, 1: 0.8}


def test_counterfactual_of_a_decision() -> None:
    d = cidlib.CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"], utilities=["U"])
    pd = cidlib.parameterize(d, S=cidlib.uniform([-1, 1]), D=[-1, 1], U=lambda S, D: S * D)
    best = cidlib.optimal_policy(pd)
    # the agent earned 1; had it chosen -1, it would have earned -1 where S=1
    assert cidlib.counterfactual(pd, ["U"], evidence={"U": 1, "S": 1}, do={"D": -1},
                                 policy=best) == {-1: 1.0, 1: 0.0}


def test_counterfactual_errors() -> None:
    pd = sensor()
    with pytest.raises(InvalidQueryError, match="probability zero"):
        cidlib.counterfactual(cidlib.do(pd, X=0), ["Y"], evidence={"X": 1}, do={"X": 0})
    with pytest.raises(InvalidQueryError, match="not a value of 'X'"):
        cidlib.counterfactual(pd, ["Y"], do={"X": 7})
    with pytest.raises(InvalidQueryError, match="at least one variable"):
        cidlib.counterfactual(pd, [])
    with pytest.raises(InvalidQueryError, match="listed twice"):
        cidlib.counterfactual(pd, ["Y", "Y"])
    with pytest.raises(ArgumentTypeError, match="evidence must be a mapping"):
        cidlib.counterfactual(pd, ["Y"], evidence=["X"])
    with pytest.raises(KeyError):
        cidlib.counterfactual(pd, ["Z"])


@settings(max_examples=120, deadline=None)
@given(diagrams(max_nodes=5, max_decisions=1), st.integers(0, 2**16), st.booleans(),
       st.data())
def test_counterfactuals_match_enumeration_over_exogenous_settings(diagram, seed, mechanisms,
                                                                   data) -> None:
    pd = cidlib.random_parameterization(diagram, seed=seed, deterministic=0.3,
                                        mechanisms=mechanisms)
    policy = cidlib.random_policy(pd, seed=seed, mixed=seed % 2 == 0)
    rules = {d: r.array for d, r in policy.items()}
    nodes = sorted(diagram.nodes)
    target = data.draw(st.sampled_from(nodes))
    set_node = data.draw(st.sampled_from(nodes))
    seen = data.draw(st.sampled_from(nodes))
    value = data.draw(st.sampled_from(pd.domain(set_node)))
    marginal = cidlib.query(pd, [seen], policy=policy)
    observed = max(marginal, key=marginal.get)
    expected = oracle.counterfactual(pd, rules, [target], {seen: observed}, {set_node: value},
                                     limit=30_000)
    if expected is None:
        return  # too many exogenous settings to enumerate
    found = cidlib.counterfactual(pd, [target], evidence={seen: observed},
                                  do={set_node: value}, policy=policy)
    for v, p in found.items():
        assert math.isclose(p, expected.get((v,), 0.0), abs_tol=1e-9), (v, found, expected)
