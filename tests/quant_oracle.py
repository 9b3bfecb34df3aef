"""Brute force for the quantitative layer: sum over every joint assignment, try every policy.

Independent of cidlib's variable elimination and backward induction: it reads only the CPD
arrays (whose construction is tested separately) and multiplies them out.
"""

from __future__ import annotations

import itertools
import random
import warnings
from collections.abc import Hashable

import numpy as np

import cidlib
from cidlib.exceptions import UnsupportedDiagramError


def random_pd(diagram: cidlib.InfluenceDiagram, seed: int, *,
              positive: bool = True) -> cidlib.ParameterizedDiagram:
    """Binary chance nodes and decisions; each utility a random number per parent assignment.

    The public generator, ``cidlib.random_parameterization``. With ``positive`` every CPD
    entry is at least 0.05, so every context has positive probability; otherwise 30% of the
    rows are deterministic.
    """
    if positive:
        return cidlib.random_parameterization(diagram, seed=seed, min_probability=0.05)
    return cidlib.random_parameterization(diagram, seed=seed, deterministic=0.3)


def _joint(pd: cidlib.ParameterizedDiagram, rules: dict[Hashable, np.ndarray]):
    """Yield (assignment, probability) over all non-utility nodes."""
    d = pd.diagram
    nodes = sorted(d.nodes - d.utilities, key=str)
    for values in itertools.product(*(range(len(pd.domain(n))) for n in nodes)):
        at = dict(zip(nodes, values, strict=True))
        prob = 1.0
        for n in nodes:
            table = rules[n] if n in d.decisions else pd.table(n)
            prob *= table[(*(at[p] for p in pd.parents_of(n)), at[n])]
            if prob == 0:
                break
        yield at, prob


def expected_utility(pd: cidlib.ParameterizedDiagram, rules: dict[Hashable, np.ndarray],
                     utilities: frozenset[Hashable]) -> float:
    total = 0.0
    for at, prob in _joint(pd, rules):
        if prob:
            for u in utilities:
                row = pd.table(u)[tuple(at[p] for p in pd.parents_of(u))]
                total += prob * float(row @ np.asarray(pd.domain(u), dtype=float))
    return total


def marginal(pd: cidlib.ParameterizedDiagram, rules: dict[Hashable, np.ndarray],
             variables: list[Hashable], given: dict[Hashable, Hashable]) -> dict:
    out: dict[tuple, float] = {}
    for at, prob in _joint(pd, rules):
        if all(pd.domain(n)[at[n]] == v for n, v in given.items()):
            key = tuple(pd.domain(n)[at[n]] for n in variables)
            out[key] = out.get(key, 0.0) + prob
    total = sum(out.values())
    return {k: v / total for k, v in out.items()} if total > 0 else {}


def pure_policies(pd: cidlib.ParameterizedDiagram, decisions: list[Hashable]):
    """Every pure policy of ``decisions``, as rule arrays."""
    shapes = [(*(len(pd.domain(p)) for p in pd.parents_of(d)), len(pd.domain(d)))
              for d in decisions]
    per = [list(itertools.product(range(s[-1]), repeat=int(np.prod(s[:-1]))))
           for s in shapes]
    for pick in itertools.product(*per):
        yield {d: np.eye(s[-1])[list(c)].reshape(s)
               for d, s, c in zip(decisions, shapes, pick, strict=True)}


def meu(pd: cidlib.ParameterizedDiagram, agent: Hashable = 0) -> float:
    d = pd.diagram
    decisions = sorted(d.decisions_of(agent), key=str)
    return max(expected_utility(pd, rules, d.utilities_of(agent))
               for rules in pure_policies(pd, decisions))


def policy_count(pd: cidlib.ParameterizedDiagram) -> int:
    count = 1
    for dec in pd.diagram.decisions:
        contexts = int(np.prod([len(pd.domain(p)) for p in pd.parents_of(dec)]))
        count *= len(pd.domain(dec)) ** contexts
    return count


# -- soundness and completeness of the graph criteria ---------------------------------------


def random_diagram(rnd: random.Random, n: int, n_decisions: int) -> cidlib.InfluenceDiagram:
    """n nodes, ``n_decisions`` of them decisions, one or two utilities (the public generator)."""
    utilities = rnd.randint(1, 2) if n - n_decisions >= 3 else 1
    return cidlib.random_cid(n, decisions=n_decisions, utilities=utilities, density=0.45,
                             seed=rnd)


def graph_says(diagram: cidlib.InfluenceDiagram, kind: str, decision: Hashable,
               node: Hashable) -> bool | None:
    """The criterion's answer, or None where the question is undefined or undetermined."""
    d = diagram
    if kind == "voi" and (node == decision or node in d.utilities
                          or node in d.descendants(decision)):
        return None
    if (kind == "voc" and node in d.decisions) or (kind == "ri" and node not in d.chance):
        return None
    try:
        return bool({"voi": cidlib.admits_voi, "voc": cidlib.admits_voc,
                     "ri": cidlib.admits_ri, "ici": cidlib.admits_ici}[kind](d, decision, node))
    except UnsupportedDiagramError:  # multi-decision VoI where the link breaks solubility
        return None


def quantity(pd: cidlib.ParameterizedDiagram, kind: str, decision: Hashable,
             node: Hashable) -> float:
    """Quantitative VoI, VoC, or the counterfactual RI or ICI (over every optimal policy).

    Raises UnsupportedDiagramError where VoI or VoC would only be a local optimum's.
    """
    if kind in ("voi", "voc"):
        with warnings.catch_warnings():
            warnings.simplefilter("error", cidlib.LocalOptimumWarning)
            try:
                if kind == "voi":
                    return cidlib.quantitative_voi(pd, decision, node)
                return cidlib.quantitative_voc(pd, decision, node)
            except cidlib.LocalOptimumWarning as warning:
                raise UnsupportedDiagramError(str(warning)) from None
    if kind == "ri":
        return cidlib.quantitative_ri(pd, decision, node).value
    return cidlib.quantitative_ici(pd, decision, node).value


def _structural_pd(diagram: cidlib.InfluenceDiagram, seed: int) -> cidlib.ParameterizedDiagram:
    if seed % 3 == 2:
        return cidlib.random_parameterization(diagram, seed=seed, mechanisms=True)
    return random_pd(diagram, seed)


def completeness(n_decisions: int, count: int, *, tries: int = 5, seed: int = 0,
                 kinds: tuple[str, ...] = ("voi", "voc", "ri", "ici")) -> dict:
    """Over ``count`` random diagrams, where a criterion says yes, how often one of ``tries``
    random parameterisations gives a positive value; and where it says no, any positive value.

    Returns ``{key: [yes, found, unsound]}``, keyed by kind, with ``-decision`` appended
    when the node is itself a decision. Utility nodes (trivial VoC and ICI) are left out;
    questions whose exhaustive search exceeds its size guard are counted under
    ``"skipped"``. Every third parameterisation gives the chance nodes explicit random
    structural equations instead of the canonical form.
    """
    rnd = random.Random(seed)
    stats: dict[str, list[int]] = {}
    for i in range(count):
        diagram = random_diagram(rnd, rnd.randint(2 + n_decisions, 6), n_decisions)
        for decision, node, kind in itertools.product(
            sorted(diagram.decisions), sorted(diagram.nodes - diagram.utilities), kinds,
        ):
            says = graph_says(diagram, kind, decision, node)
            if says is None:
                continue
            try:
                found = any(
                    quantity(_structural_pd(diagram, 1000 * i + t), kind, decision, node) > 1e-9
                    for t in range(tries if says else 1)
                )
            except UnsupportedDiagramError:  # exhaustive search past its size guard
                stats.setdefault("skipped", [0, 0, 0])[0] += 1
                continue
            row = stats.setdefault(kind + ("-decision" if node in diagram.decisions else ""),
                                   [0, 0, 0])
            if says:
                row[0] += 1
                row[1] += found
            elif found:
                row[2] += 1
    return stats


# -- structural models: every exogenous setting, enumerated --------------------------------


def _mechanisms(pd: cidlib.ParameterizedDiagram, rules: dict[Hashable, np.ndarray]):
    """Per node with an equation: its table and every noise value with its probability.

    A node given by ``cidlib.mechanism`` has its stated noise; any other node (and each
    decision, following ``rules``) ranges over response functions, one value per parent
    assignment, equal for assignments whose rows are equal, each distinct row drawn
    independently.
    """
    out = {}
    for n in pd.diagram.topological_order():
        table = rules.get(n) if n in pd.diagram.decisions else pd.tables.get(n)
        if table is None:
            continue
        if n in pd.noise:
            noise = pd.noise[n]
            out[n] = [(("given", e), float(p)) for e, p in enumerate(noise.probabilities)
                      if p > 0]
            continue
        rows = [tuple(row) for row in table.reshape(-1, table.shape[-1])]
        distinct = list(dict.fromkeys(rows))
        out[n] = [(("response", tuple(pick[distinct.index(r)] for r in rows)),
                   float(np.prod([distinct[c][x] for c, x in enumerate(pick)])))
                  for pick in itertools.product(*(np.flatnonzero(np.array(r) > 0)
                                                  for r in distinct))]
    return out


def settings(pd: cidlib.ParameterizedDiagram, rules: dict[Hashable, np.ndarray], limit: int):
    """Yield (setting, probability) over all exogenous settings; None if more than ``limit``."""
    mechanisms = _mechanisms(pd, rules)
    count = int(np.prod([len(v) for v in mechanisms.values()], dtype=float))
    if count > limit:
        return None
    nodes = list(mechanisms)
    return ((dict(zip(nodes, (e for e, _ in pick), strict=True)),
             float(np.prod([w for _, w in pick])))
            for pick in itertools.product(*(mechanisms[n] for n in nodes)))


def world(pd: cidlib.ParameterizedDiagram, setting: dict, fixed: dict) -> dict:
    """Every node's value (position in its domain) in ``setting`` under ``fixed`` values."""
    values: dict[Hashable, int] = {}
    for n in pd.diagram.topological_order():
        if n in fixed:
            values[n] = fixed[n]
            continue
        if n not in setting:
            continue
        parents = pd.parents_of(n)
        at = tuple(values[p] for p in parents)
        kind, e = setting[n]
        if kind == "given":
            values[n] = int(pd.noise[n].response[(*at, e)])
        else:
            shape = tuple(len(pd.domain(p)) for p in parents)
            values[n] = int(e[int(np.ravel_multi_index(at, shape)) if shape else 0])
    return values


def counterfactual(pd, rules, variables, evidence, do, *, limit=200_000):
    """P(variables after do | evidence) by enumerating exogenous settings; None if too many."""
    found = settings(pd, rules, limit)
    if found is None:
        return None
    ev = {n: pd.domain(n).index(v) for n, v in evidence.items()}
    fixed = {n: pd.domain(n).index(v) for n, v in do.items()}
    out: dict[tuple, float] = {}
    total = 0.0
    for setting, weight in found:
        actual = world(pd, setting, {})
        if any(actual[n] != v for n, v in ev.items()):
            continue
        after = world(pd, setting, fixed)
        key = tuple(pd.domain(n)[after[n]] for n in variables)
        out[key] = out.get(key, 0.0) + weight
        total += weight
    return {k: v / total for k, v in out.items()} if total > 0 else {}


def _optimal(pd, decision, others, tolerance=1e-9):
    """Every optimal pure policy of ``decision``'s agent (brute force)."""
    agent = pd.diagram.agent_of(decision)
    own = sorted(pd.diagram.decisions_of(agent), key=str)
    scored = [(expected_utility(pd, {**others, **r}, pd.diagram.utilities_of(agent)), r)
              for r in pure_policies(pd, own)]
    best = max(v for v, _ in scored)
    return [r for v, r in scored if v >= best - tolerance - 1e-12 * abs(best)]


def quantitative_ri(pd, decision, node, others=None, limit=200_000):
    """min over optimal pure policies of max over x of P(D_x != D), by enumeration."""
    others = others or {}
    values = []
    for own in _optimal(pd, decision, others):
        rules = {**others, **own}
        found = list(settings(pd, rules, limit) or [])
        if not found:
            return None
        best = 0.0
        for x in range(len(pd.domain(node))):
            changed = sum(w for s, w in found
                          if world(pd, s, {})[decision] != world(pd, s, {node: x})[decision])
            best = max(best, changed)
        values.append(best)
    return min(values)


def quantitative_ici(pd, decision, node, others=None, limit=200_000):
    """max over contexts of min over optimal pure policies of max over d of
    |E[U_{X_d} | context] - E[U | context]|, by enumeration (0 where a policy makes the
    context impossible)."""
    others = others or {}
    agent = pd.diagram.agent_of(decision)
    utilities = sorted(pd.diagram.utilities_of(agent), key=str)
    parents = pd.parents_of(decision)

    def payoff(values, setting):
        total = 0.0
        for u in utilities:
            row = pd.table(u)[tuple(values[p] for p in pd.parents_of(u))]
            total += float(row @ np.asarray(pd.domain(u), dtype=float))
        return total

    per_policy = []
    for own in _optimal(pd, decision, others):
        rules = {**others, **own}
        found = list(settings(pd, rules, limit) or [])
        if not found:
            return None
        mass: dict[tuple, float] = {}
        actual_sum: dict[tuple, float] = {}
        moved_sum: dict[tuple, list[float]] = {}
        for s, w in found:
            actual = world(pd, s, {})
            c = tuple(actual[p] for p in parents)
            mass[c] = mass.get(c, 0.0) + w
            actual_sum[c] = actual_sum.get(c, 0.0) + w * payoff(actual, s)
            sums = moved_sum.setdefault(c, [0.0] * len(pd.domain(decision)))
            for d in range(len(pd.domain(decision))):
                x_d = world(pd, s, {decision: d})[node]
                after = world(pd, s, {node: x_d})
                sums[d] += w * payoff(after, s)
        per_policy.append({c: max(abs(m - actual_sum[c]) / mass[c] for m in moved_sum[c])
                           for c in mass if mass[c] > 1e-15})
    contexts = set().union(*per_policy)
    return max((min(p.get(c, 0.0) for p in per_policy) for c in contexts), default=0.0)
