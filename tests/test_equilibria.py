"""Equilibria and the Gambit export, against the games' stated answers and brute force.

The oracle sums over every joint assignment and tries every pure deviation; for subgame
perfection it checks the definition: a Nash equilibrium in every subgame (from the
definition, tests/test_games.py's ``oracle_bases``) for every value of the nodes outside it.
"""

from __future__ import annotations

import itertools
import random
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cidlib
from cidlib import catalogue
from cidlib.exceptions import ArgumentTypeError, UnsupportedDiagramError
from tests.quant_oracle import pure_policies, random_pd
from tests.test_games import oracle_bases

TWO = {1: {"decisions": ["D1"], "utilities": ["U1"]},
       2: {"decisions": ["D2"], "utilities": ["U2"]}}


def normal_form(edges, domains, payoff1, payoff2):
    game = cidlib.MACID(edges, agents=TWO)
    return cidlib.parameterize(game, D1=domains[0], D2=domains[1],
                               U1=lambda D1, D2: payoff1[D1, D2],
                               U2=lambda D1, D2: payoff2[D1, D2])


SIMULTANEOUS = [("D1", "U1"), ("D1", "U2"), ("D2", "U1"), ("D2", "U2")]
YEARS = {("c", "c"): -1, ("c", "d"): -3, ("d", "c"): 0, ("d", "d"): -2}
PD = normal_form(SIMULTANEOUS, (["c", "d"], ["c", "d"]), YEARS,
                 {(a, b): YEARS[b, a] for a, b in YEARS})
# Taxi competition (Hammond et al. 2021; PyCID's payoffs): D1 then D2, e(xpensive)/c(heap).
FARES1 = {("e", "e"): 2, ("e", "c"): 5, ("c", "e"): 3, ("c", "c"): 1}
FARES2 = {("e", "e"): 2, ("e", "c"): 3, ("c", "e"): 5, ("c", "c"): 1}
TAXI = catalogue.taxi_competition()


def taxi(fares2=FARES2):
    return cidlib.parameterize(TAXI, D1=["e", "c"], D2=["e", "c"],
                               U1=lambda D1, D2: FARES1[D1, D2],
                               U2=lambda D1, D2: fares2[D1, D2])


def rule(e, decision):
    """A rule as {context: value} for deterministic rules."""
    return dict(e.policy[decision].as_dict().items())


# -- stated answers -------------------------------------------------------------------------


def test_prisoners_dilemma_has_one_pure_equilibrium_both_defect():
    (e,) = cidlib.pure_nash_equilibria(PD)
    assert rule(e, "D1") == {(): "d"}
    assert rule(e, "D2") == {(): "d"}
    assert dict(e.utilities) == {1: -2, 2: -2}
    assert cidlib.subgame_perfect_equilibria(PD) == (e,)


def test_taxi_has_three_pure_equilibria_and_one_subgame_perfect():
    # Hammond et al. (2021): three pure NE; the only SPE removes taxi 2's empty threat.
    nash = cidlib.pure_nash_equilibria(taxi())
    assert len(nash) == 3
    (spe,) = cidlib.subgame_perfect_equilibria(taxi())
    assert spe in nash
    assert rule(spe, "D1") == {(): "e"}
    assert rule(spe, "D2") == {("e",): "c", ("c",): "e"}
    assert dict(spe.utilities) == {1: 5, 2: 3}
    threat = [e for e in nash if rule(e, "D1") == {(): "c"}]
    assert [rule(e, "D2") for e in threat] == [{("e",): "e", ("c",): "e"}]


def test_modified_taxi_has_two_subgame_perfect_equilibria():
    # PyCID's modified taxi competition: taxi 2 is indifferent after D1=c; two SPNE.
    modified = dict(FARES2)
    modified["c", "c"] = 5
    spe = cidlib.subgame_perfect_equilibria(taxi(modified))
    assert len(spe) == 2
    assert {tuple(sorted(rule(e, "D2").items())) for e in spe} == {
        ((("c",), "e"), (("e",), "c")), ((("c",), "c"), (("e",), "c"))}
    assert all(rule(e, "D1") == {(): "e"} for e in spe)


def test_matching_pennies_has_only_a_mixed_equilibrium():
    pennies = normal_form(SIMULTANEOUS, (["H", "T"], ["H", "T"]),
                          {(a, b): 1 if a == b else -1 for a in "HT" for b in "HT"},
                          {(a, b): -1 if a == b else 1 for a in "HT" for b in "HT"})
    assert cidlib.pure_nash_equilibria(pennies) == ()
    (mixed,) = cidlib.mixed_nash_equilibria(pennies)
    for d in ("D1", "D2"):
        assert mixed.policy[d]() == pytest.approx({"H": 0.5, "T": 0.5})
    assert cidlib.subgame_perfect_equilibria(pennies) == (mixed,)


def test_battle_of_the_sexes_has_two_pure_and_one_mixed_equilibrium():
    # Row gets 3 at (O, O) and 2 at (F, F); column 2 and 3. Mixed: row plays O with 3/5,
    # column with 2/5.
    bos = normal_form(SIMULTANEOUS, (["O", "F"], ["O", "F"]),
                      {("O", "O"): 3, ("F", "F"): 2, ("O", "F"): 0, ("F", "O"): 0},
                      {("O", "O"): 2, ("F", "F"): 3, ("O", "F"): 0, ("F", "O"): 0})
    assert {(rule(e, "D1")[()], rule(e, "D2")[()])
            for e in cidlib.pure_nash_equilibria(bos)} == {("O", "O"), ("F", "F")}
    found = cidlib.mixed_nash_equilibria(bos)
    assert len(found) == 3
    (mixed,) = [e for e in found if not e.policy["D1"].is_deterministic]
    assert mixed.policy["D1"]()["O"] == pytest.approx(3 / 5)
    assert mixed.policy["D2"]()["O"] == pytest.approx(2 / 5)
    assert mixed.utilities[1] == pytest.approx(6 / 5)


def test_battle_of_the_sexes_has_three_subgame_perfect_equilibria_counting_the_mixed_one():
    bos = normal_form(SIMULTANEOUS, (["O", "F"], ["O", "F"]),
                      {("O", "O"): 3, ("F", "F"): 2, ("O", "F"): 0, ("F", "O"): 0},
                      {("O", "O"): 2, ("F", "F"): 3, ("O", "F"): 0, ("F", "O"): 0})
    pure = cidlib.subgame_perfect_equilibria(bos)
    assert len(pure) == 2
    found = cidlib.subgame_perfect_equilibria(bos, mixed=True)
    assert len(found) == 3
    assert all(e in found for e in pure)
    (mixed,) = [e for e in found if not e.policy["D1"].is_deterministic]
    assert mixed.policy["D1"]()["O"] == pytest.approx(3 / 5)
    assert mixed.policy["D2"]()["O"] == pytest.approx(2 / 5)
    # the sequential version: the follower's subgame has no mixed equilibrium to add
    assert cidlib.subgame_perfect_equilibria(taxi(), mixed=True) == (
        cidlib.subgame_perfect_equilibria(taxi()))


@settings(max_examples=40)
@given(st.integers(0, 10**6))
def test_in_a_simultaneous_game_mixed_spe_are_the_nash_equilibria(seed):
    """One subgame, the whole game: its subgame-perfect equilibria are its Nash equilibria."""
    rng = np.random.default_rng(seed)
    sizes = (2, int(rng.integers(2, 4)))
    pay = {(a, b): (int(rng.integers(-3, 4)), int(rng.integers(-3, 4)))
           for a in range(sizes[0]) for b in range(sizes[1])}
    game = normal_form(SIMULTANEOUS, (list(range(sizes[0])), list(range(sizes[1]))),
                       {k: v[0] for k, v in pay.items()}, {k: v[1] for k, v in pay.items()})
    found = cidlib.subgame_perfect_equilibria(game, mixed=True)
    expected = list(cidlib.pure_nash_equilibria(game))
    for e in cidlib.mixed_nash_equilibria(game):
        if _keys([e])[0] not in _keys(expected):
            expected.append(e)
    assert _keys(found) == _keys(expected)
    for e in found:
        assert is_subgame_perfect(game, {d: r.array for d, r in e.policy.items()})


def test_job_market_signalling_equilibria_match_brute_force():
    # Watson's job-market signalling payoffs (as distributed with Gambit, spence.efg):
    # ability High 1/3, Low 2/3; the worker chooses E(ducation) or N; the firm, seeing
    # only that, hires as M(anager) or C(lerk).
    worker = {("H", "E", "M"): 6, ("H", "E", "C"): 0, ("H", "N", "M"): 10,
              ("H", "N", "C"): 4, ("L", "E", "M"): 3, ("L", "E", "C"): -3,
              ("L", "N", "M"): 10, ("L", "N", "C"): 4}
    firm = {("H", "M"): 10, ("H", "C"): 4, ("L", "M"): 0, ("L", "C"): 4}
    pd = cidlib.parameterize(catalogue.job_market(), A={"H": 1 / 3, "L": 2 / 3},
                             E=["E", "N"], W=["M", "C"],
                             UW=lambda A, E, W: worker[A, E, W],
                             UF=lambda A, W: firm[A, W])
    found = cidlib.pure_nash_equilibria(pd)
    assert _keys(found) == _keys(brute_force_nash(pd))
    # Separating: the high type educates and becomes a manager, the low type does not.
    # By hand: the high type gets 6 > 4 from E, the low type 3 < 4, and the firm, reading E
    # as high and N as low, prefers M (10 > 4) and C (4 > 0).
    separating = [e for e in found if rule(e, "E") == {("H",): "E", ("L",): "N"}]
    assert [rule(e, "W") for e in separating] == [{("E",): "M", ("N",): "C"}]
    assert cidlib.subgame_perfect_equilibria(pd) == found  # the whole game is one component


# -- brute force ----------------------------------------------------------------------------


def joint_eu(pd, rules, utilities, fixed=None):
    """Expected utility by summing over all assignments, ``fixed`` nodes set by do()."""
    fixed = fixed or {}
    d = pd.diagram
    nodes = sorted(d.nodes - d.utilities, key=str)
    total = 0.0
    for values in itertools.product(*(range(len(pd.domain(n))) for n in nodes)):
        at = dict(zip(nodes, values, strict=True))
        prob = 1.0
        for n in nodes:
            if n in fixed:
                prob *= float(at[n] == fixed[n])
            else:
                table = rules[n] if n in d.decisions else pd.table(n)
                prob *= table[(*(at[p] for p in pd.parents_of(n)), at[n])]
            if prob == 0:
                break
        if prob:
            for u in utilities:
                row = pd.table(u)[tuple(at[p] for p in pd.parents_of(u))]
                total += prob * float(row @ np.asarray(pd.domain(u), dtype=float))
    return total


def is_nash(pd, rules, decisions, fixed=None):
    """No agent with a decision in ``decisions`` gains by a pure change of those."""
    d = pd.diagram
    for agent in {d.agent_of(x) for x in decisions}:
        own = sorted(d.decisions_of(agent) & set(decisions), key=str)
        utilities = d.utilities_of(agent)
        value = joint_eu(pd, rules, utilities, fixed)
        for change in pure_policies(pd, own):
            better = joint_eu(pd, {**rules, **change}, utilities, fixed)
            if better > value + 1e-9 * max(1.0, abs(value)):
                return False
    return True


def brute_force_nash(pd):
    decisions = sorted(pd.diagram.decisions, key=str)
    return [rules for rules in pure_policies(pd, decisions) if is_nash(pd, rules, decisions)]


def _keys(found):
    """Comparable form of a list of profiles (Equilibrium objects or rule dicts)."""
    out = []
    for item in found:
        rules = ({d: r.array for d, r in item.policy.items()}
                 if isinstance(item, cidlib.Equilibrium) else item)
        out.append(tuple(sorted((d, tuple(np.round(a, 9).ravel())) for d, a in rules.items())))
    return sorted(out)


def is_subgame_perfect(pd, rules):
    d = pd.diagram
    for base in oracle_bases(d):
        inside = sorted(base & d.decisions, key=str)
        boundary = sorted({p for v in base for p in d.parents(v)} - base, key=str)
        for values in itertools.product(*(range(len(pd.domain(b))) for b in boundary)):
            if not is_nash(pd, rules, inside, dict(zip(boundary, values, strict=True))):
                return False
    return True


def random_game(seed, n=6, *, positive=True):
    """Two or three decisions of two agents; with ``positive=False`` some CPD rows are
    deterministic, so some contexts have probability zero."""
    rnd = random.Random(seed)
    while True:
        names = [f"N{i}" for i in range(n)]
        kinds = [rnd.choice("cdu") for _ in names]
        decisions = [v for v, k in zip(names, kinds, strict=True) if k == "d"][:3]
        utilities = [v for v, k in zip(names, kinds, strict=True) if k == "u"]
        if len(decisions) < 2 or not utilities:
            continue
        edges = [(names[i], names[j]) for j in range(n) for i in range(j)
                 if names[i] not in utilities and rnd.random() < 0.45]
        owner = {v: rnd.randint(1, 2) for v in decisions + utilities}
        owner[decisions[0]], owner[decisions[1]] = 1, 2
        agents = {a: {"decisions": [v for v in decisions if owner[v] == a],
                      "utilities": [v for v in utilities if owner[v] == a]} for a in (1, 2)}
        game = cidlib.MACID(edges, agents=agents, nodes=names)
        if max(len(game.parents(x)) for x in decisions) <= 2:
            return random_pd(game, seed, positive=positive)


@settings(max_examples=40)
@given(st.integers(0, 10**6))
def test_pure_nash_equilibria_are_exactly_the_brute_force_ones(seed):
    pd = random_game(seed)
    assert _keys(cidlib.pure_nash_equilibria(pd)) == _keys(brute_force_nash(pd))


@settings(max_examples=30)
@given(st.integers(0, 10**6))
def test_backward_induction_gives_subgame_perfect_equilibria(seed):
    pd = random_game(seed, n=5, positive=seed % 2 == 0)
    refusal = "(no error, and no equilibrium)"
    try:
        found = cidlib.subgame_perfect_equilibria(pd)
    except UnsupportedDiagramError as error:  # a cyclic component without a pure NE
        refusal = str(error)
        found = ()
    if not found:
        assert "without a pure equilibrium" in refusal
        return
    for e in found:
        rules = {d: r.array for d, r in e.policy.items()}
        assert is_subgame_perfect(pd, rules)
        for agent, value in e.utilities.items():
            assert value == pytest.approx(joint_eu(pd, rules, pd.diagram.utilities_of(agent)))


@settings(max_examples=40)
@given(st.integers(0, 10**6))
def test_mixed_equilibria_of_random_bimatrix_games_are_equilibria(seed):
    rng = np.random.default_rng(seed)
    a, b = rng.integers(-5, 6, (3, 3)), rng.integers(-5, 6, (3, 3))
    pd = normal_form(SIMULTANEOUS, ([0, 1, 2], [0, 1, 2]),
                     {(i, j): int(a[i, j]) for i in range(3) for j in range(3)},
                     {(i, j): int(b[i, j]) for i in range(3) for j in range(3)})
    found = cidlib.mixed_nash_equilibria(pd)
    assert found  # every finite game has one; generic integer games are found by supports
    for e in found:
        rules = {d: r.array for d, r in e.policy.items()}
        assert is_nash(pd, rules, ["D1", "D2"])
    pure = set(_keys(cidlib.pure_nash_equilibria(pd)))
    assert pure <= set(_keys(found))


# -- errors ---------------------------------------------------------------------------------


def test_size_guards_and_argument_errors():
    with pytest.raises(UnsupportedDiagramError, match="max_profiles=3"):
        cidlib.pure_nash_equilibria(taxi(), max_profiles=3)
    with pytest.raises(ArgumentTypeError, match="max_profiles"):
        cidlib.subgame_perfect_equilibria(taxi(), max_profiles="10")
    with pytest.raises(UnsupportedDiagramError, match="two decisions of two agents"):
        cidlib.mixed_nash_equilibria(cidlib.parameterize(
            cidlib.CID([("D", "U")], decisions=["D"], utilities=["U"]), D=[0, 1],
            U=lambda D: D))
    with pytest.raises(UnsupportedDiagramError, match="max_nodes=2"):
        cidlib.to_efg(taxi(), max_nodes=2)
    with pytest.raises(TypeError, match="ParameterizedDiagram"):
        cidlib.pure_nash_equilibria(TAXI)


def test_three_agent_cycle_without_pure_equilibrium_is_refused_clearly():
    # Each agent wants to match the next one's coin: a cycle of three with no pure NE.
    agents = {i: {"decisions": [f"D{i}"], "utilities": [f"U{i}"]} for i in (1, 2, 3)}
    edges = [(f"D{i}", f"U{i}") for i in (1, 2, 3)] + [("D2", "U1"), ("D3", "U2"), ("D1", "U3")]
    g = cidlib.MACID(edges, agents=agents)
    pd = cidlib.parameterize(g, D1=[0, 1], D2=[0, 1], D3=[0, 1],
                             U1=lambda D1, D2: float(D1 == D2),
                             U2=lambda D2, D3: float(D2 == D3),
                             U3=lambda D1, D3: float(D3 != D1))
    assert cidlib.pure_nash_equilibria(pd) == ()
    with pytest.raises(UnsupportedDiagramError, match="D1, D2, D3"):
        cidlib.subgame_perfect_equilibria(pd)


# -- Gambit export, read back by OpenSpiel --------------------------------------------------


def test_efg_of_the_prisoners_dilemma_is_gambits_layout():
    lines = cidlib.to_efg(PD, title="PD").splitlines()
    assert lines[0] == 'EFG 2 R "PD" { "1" "2" }'
    assert [line.split()[0] for line in lines[3:]] == ["p", "p", "t", "t", "p", "t", "t"]
    # both D2 nodes share one information set: D2 does not see D1
    assert lines[4].split()[2:4] == lines[7].split()[2:4] == ["2", "1"]
    assert lines[5].endswith("{ -1, -1 }")
    assert lines[6].endswith("{ -3, 0 }")


def _openspiel_value(game, strategy):
    """Expected returns of an OpenSpiel game when players follow ``strategy(state)``."""
    def value(state):
        if state.is_terminal():
            return np.array(state.returns())
        if state.is_chance_node():
            return sum(p * value(state.child(a)) for a, p in state.chance_outcomes())
        probs = strategy(state)
        return sum(p * value(state.child(a)) for a, p in probs.items() if p)
    return value(game.new_initial_state())


def _follow(pd, policy):
    """An OpenSpiel strategy playing ``policy``, read from the information-set labels."""
    def written(value):  # as the export writes a value: quotes and backslashes replaced
        return str(value).replace('"', "'").replace("\\", "/")

    def strategy(state):
        label = state.information_state_string().split("-", 3)[3]
        decision, _, seen = label.partition(": ")
        rule = policy[decision]
        parents = dict(part.split("=", 1) for part in seen.split(", ")) if seen else {}
        values = {p: next(v for v in pd.domain(p) if written(v) == parents[p])
                  for p in rule.parents}
        dist = rule(**values)
        return {i: dist.get(v, 0.0) for i, v in enumerate(pd.domain(decision))}
    return strategy


@settings(max_examples=25)
@given(st.integers(0, 10**6))
def test_openspiel_reads_the_export_with_the_same_payoffs(seed):
    pyspiel = pytest.importorskip("pyspiel")
    pd = random_game(seed)
    game = pyspiel.load_efg_game(cidlib.to_efg(pd, title=f"random {seed}"))
    agents = sorted(pd.diagram.agents, key=str)
    assert game.num_players() == len(agents)
    for profile in (cidlib.uniform_policy(pd),
                    *(e.policy for e in cidlib.pure_nash_equilibria(pd))):
        values = _openspiel_value(game, _follow(pd, profile))
        expected = [cidlib.expected_utility(pd, profile, agent=a) for a in agents]
        assert values == pytest.approx(expected, abs=1e-6)


def test_openspiel_agrees_on_taxi_equilibrium_payoffs():
    pyspiel = pytest.importorskip("pyspiel")
    game = pyspiel.load_efg_game(cidlib.to_efg(taxi()))
    (spe,) = cidlib.subgame_perfect_equilibria(taxi())
    assert list(_openspiel_value(game, _follow(taxi(), spe.policy))) == [5, 3]


def test_a_context_chance_rules_out_is_still_played_well_in_its_subgame():
    # X is always 0, D sees X and wants to match it. {D, U} is a subgame (D does not rely
    # on X's mechanism), so for X fixed to 1 from outside, D must choose 1 there too.
    g = cidlib.CID([("X", "D"), ("X", "U"), ("D", "U")], decisions=["D"], utilities=["U"])
    pd = cidlib.parameterize(g, X=cidlib.table({0: 1.0, 1: 0.0}), D=[0, 1],
                             U=lambda X, D: float(X == D))
    (spe,) = cidlib.subgame_perfect_equilibria(pd)
    assert spe.policy["D"].as_dict() == {(0,): 0, (1,): 1}
    assert is_subgame_perfect(pd, {"D": spe.policy["D"].array})
    first_value = cidlib.policy(pd, D=lambda X: 0)
    assert not is_subgame_perfect(pd, {"D": first_value["D"].array})


def test_equal_mixed_equilibria_are_reported_once():
    # Matching pennies where both players also see an irrelevant coin X: mixtures of
    # different rules give the same stochastic rules, one equilibrium.
    g = cidlib.MACID([*SIMULTANEOUS, ("X", "D1"), ("X", "D2")], agents=TWO)
    pd = cidlib.parameterize(g, X=cidlib.uniform([0, 1]), D1=["H", "T"], D2=["H", "T"],
                             U1=lambda D1, D2: 1 if D1 == D2 else -1,
                             U2=lambda D1, D2: -1 if D1 == D2 else 1)
    (e,) = cidlib.mixed_nash_equilibria(pd)
    assert e.policy["D1"](X=1) == pytest.approx({"H": 0.5, "T": 0.5})


def test_a_game_without_decisions_has_the_empty_equilibrium():
    pd = cidlib.parameterize(cidlib.MACID([("X", "U")], agents={1: {"utilities": ["U"]}}),
                             X=cidlib.uniform([0, 1]), U=lambda X: 2 * X)
    for found in (cidlib.pure_nash_equilibria(pd), cidlib.subgame_perfect_equilibria(pd)):
        (e,) = found
        assert len(e.policy) == 0
        assert dict(e.utilities) == {1: 1.0}


def test_size_guards_must_be_positive():
    with pytest.raises(ArgumentTypeError, match="positive"):
        cidlib.pure_nash_equilibria(taxi(), max_profiles=-1)
    with pytest.raises(ArgumentTypeError, match="positive"):
        cidlib.to_efg(taxi(), max_nodes=0)
    with pytest.raises(ArgumentTypeError, match="title"):
        cidlib.to_efg(taxi(), title=None)


def test_efg_probabilities_are_exact_fractions_that_sum_to_one():
    from fractions import Fraction
    g = cidlib.MACID([("X", "D1"), ("D1", "U1"), ("X", "U1"), ("D1", "U2"), ("D2", "U2"),
                      ("D2", "U1")], agents=TWO)
    odd = {'say "a"': 0.2936511238, "b\\c": 0.4417263891, "c": 0.5 - 0.2353775129,
           "d": 1e-12}
    odd["c"] = 1 - sum(v for k, v in odd.items() if k != "c")
    pd = cidlib.parameterize(g, X=odd, D1=[0, 1], D2=[0, 1],
                             U1=lambda X, D1, D2: float(D1 == D2) + (X == "c"),
                             U2=lambda D1, D2: float(D1 != D2))
    text = cidlib.to_efg(pd, title='quoted "title"')
    chance = next(line for line in text.splitlines() if line.startswith("c "))
    moves = re.findall(r'"([^"]*)" ([0-9/]+)', chance.split("{")[1])
    assert {label for label, _ in moves} == {"say 'a'", "b/c", "c"}
    probs = [Fraction(p) for _, p in moves]
    assert sum(probs) == 1
    assert len(probs) == 3  # the outcome of probability 1e-12 rounds to zero: left out
    assert all(p.denominator <= 10**9 for p in probs)
    pyspiel = pytest.importorskip("pyspiel")
    game = pyspiel.load_efg_game(text)
    values = _openspiel_value(game, _follow(pd, cidlib.uniform_policy(pd)))
    expected = [cidlib.expected_utility(pd, cidlib.uniform_policy(pd), agent=a) for a in (1, 2)]
    assert values == pytest.approx(expected, abs=1e-8)
