"""Brute force for the quantitative layer: sum over every joint assignment, try every policy.

Independent of cidlib's variable elimination and backward induction: it reads only the CPD
arrays (whose construction is tested separately) and multiplies them out.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Hashable

import numpy as np

import cidlib
from cidlib.exceptions import UnsupportedDiagramError


def random_pd(diagram: cidlib.InfluenceDiagram, seed: int, *,
              positive: bool = True) -> cidlib.ParameterizedDiagram:
    """Binary chance nodes and decisions; each utility a random number per parent assignment.

    With ``positive`` every CPD entry is at least 0.05, so every context has positive
    probability; otherwise some rows are deterministic.
    """
    rng = np.random.default_rng(seed)
    specs: dict[Hashable, object] = {}
    for node in sorted(diagram.nodes, key=str):  # a fixed order: the same numbers every run
        parents = sorted(diagram.parents(node), key=str)
        if node in diagram.decisions:
            specs[node] = [0, 1]
            continue
        rows: dict[tuple[int, ...], object] = {}
        for combo in itertools.product((0, 1), repeat=len(parents)):
            if node in diagram.utilities:
                rows[combo] = int(rng.integers(-3, 4)) + float(rng.normal()) / 10
            elif positive or rng.random() < 0.7:
                p = float(rng.uniform(0.05, 0.95))
                rows[combo] = {0: 1 - p, 1: p}
            else:
                v = int(rng.integers(0, 2))
                rows[combo] = {v: 1.0, 1 - v: 0.0}
        if not parents:
            specs[node] = rows[()] if node in diagram.utilities else cidlib.table(rows[()])
        else:
            specs[node] = cidlib.table(rows, parents=parents)
    return cidlib.parameterize(diagram, specs)


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
    """n nodes N0..N(n-1) in topological order, ``n_decisions`` of them decisions."""
    names = [f"N{i}" for i in range(n)]
    kinds = [rnd.choice("ccu") for _ in names]
    for i in rnd.sample(range(n - 1), n_decisions):
        kinds[i] = "d"
    if "u" not in kinds:
        kinds[-1] = "u"
    edges = [(names[i], names[j]) for j in range(n) for i in range(j)
             if kinds[i] != "u" and rnd.random() < 0.45]
    return cidlib.CID(edges, decisions=[v for v, k in zip(names, kinds, strict=True) if k == "d"],
                      utilities=[v for v, k in zip(names, kinds, strict=True) if k == "u"],
                      nodes=names)


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
                     "ri": cidlib.admits_ri}[kind](d, decision, node))
    except UnsupportedDiagramError:  # multi-decision VoI where the link breaks solubility
        return None


def quantity(pd: cidlib.ParameterizedDiagram, kind: str, decision: Hashable,
             node: Hashable) -> float:
    """Quantitative VoI or VoC, or 1.0/0.0 for whether the optimal policy responds."""
    if kind == "voi":
        return cidlib.quantitative_voi(pd, decision, node)
    if kind == "voc":
        return cidlib.quantitative_voc(pd, decision, node)
    return float(cidlib.responds(pd, decision, node))


def completeness(n_decisions: int, count: int, *, tries: int = 5, seed: int = 0) -> dict:
    """Over ``count`` random diagrams, where a criterion says yes, how often one of ``tries``
    random parameterisations gives a positive value; and where it says no, any positive value.

    Returns ``{key: [yes, found, unsound]}``, keyed by kind, with ``-decision`` appended
    when the node is itself a decision. Utility nodes (trivial VoC) are left out; questions
    whose exhaustive search exceeds its size guard are counted under ``"skipped"``.
    """
    rnd = random.Random(seed)
    stats: dict[str, list[int]] = {}
    for i in range(count):
        diagram = random_diagram(rnd, rnd.randint(3, 6), n_decisions)
        for decision, node, kind in itertools.product(
            sorted(diagram.decisions), sorted(diagram.nodes - diagram.utilities),
            ("voi", "voc", "ri"),
        ):
            says = graph_says(diagram, kind, decision, node)
            if says is None:
                continue
            try:
                found = any(
                    quantity(random_pd(diagram, 1000 * i + t), kind, decision, node) > 1e-9
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
