"""Optimal policies: cidlib's backward induction against pyAgrum's LIMID solver.

Builds each diagram twice with the same CPDs and utilities, checks that the maximum expected
utilities agree to 1e-9, and prints the median solve time of each (policy plus MEU, on an
already built model; pyAgrum: ShaferShenoyLIMIDInference + makeInference + MEU).

    python bench/bench_quant.py            # chain of 12 and 50 decisions, 20 random diagrams
    python bench/bench_quant.py --random 100

pyAgrum is a benchmark-only dependency (in the test extra), never a runtime one.
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from collections.abc import Callable, Hashable

import numpy as np

import cidlib

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import pyagrum as gum


def median_time(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def random_numbers(diagram: cidlib.InfluenceDiagram, rng: np.random.Generator) -> dict:
    """A random CPD per chance node (binary) and a random utility table per utility node."""
    numbers: dict[Hashable, dict[tuple, object]] = {}
    for node in diagram.topological_order():
        parents = sorted(diagram.parents(node), key=str)
        rows = {}
        for combo in np.ndindex(*(2,) * len(parents)):
            if node in diagram.utilities:
                rows[combo] = round(float(rng.normal()), 6)
            elif node in diagram.chance:
                p = float(rng.uniform(0.05, 0.95))
                rows[combo] = {0: 1 - p, 1: p}
        numbers[node] = rows
    return numbers


def to_cidlib(diagram: cidlib.InfluenceDiagram, numbers: dict) -> cidlib.ParameterizedDiagram:
    specs: dict[Hashable, object] = {}
    for node in diagram.nodes:
        if node in diagram.decisions:
            specs[node] = [0, 1]
            continue
        parents = sorted(diagram.parents(node), key=str)
        rows = numbers[node]
        specs[node] = cidlib.table(rows[()] if not parents else rows, parents=parents)
    return cidlib.parameterize(diagram, specs)


def to_pyagrum(diagram: cidlib.InfluenceDiagram, numbers: dict) -> gum.InfluenceDiagram:
    model = gum.InfluenceDiagram()
    for node in sorted(diagram.nodes, key=str):
        if node in diagram.decisions:
            model.addDecisionNode(gum.LabelizedVariable(str(node), "", 2))
        elif node in diagram.utilities:
            model.addUtilityNode(gum.LabelizedVariable(str(node), "", 1))
        else:
            model.addChanceNode(gum.LabelizedVariable(str(node), "", 2))
    for parent, child in sorted(diagram.edges, key=str):
        model.addArc(str(parent), str(child))
    for node in diagram.nodes:
        if node in diagram.decisions:
            continue
        parents = sorted(diagram.parents(node), key=str)
        for combo, row in numbers[node].items():
            where = {str(p): int(v) for p, v in zip(parents, combo, strict=True)}
            if node in diagram.utilities:
                model.utility(str(node))[where] = [row]
            else:
                model.cpt(str(node))[where] = [row[0], row[1]]
    return model


def pyagrum_meu(model: gum.InfluenceDiagram) -> float:
    engine = gum.ShaferShenoyLIMIDInference(model)
    engine.makeInference()
    return float(engine.MEU()["mean"])


def chain(n: int) -> cidlib.InfluenceDiagram:
    edges = []
    for i in range(n):
        if i:
            edges += [(f"X{i - 1}", f"X{i}"), (f"D{i - 1}", f"X{i}")]
        edges += [(f"X{i}", f"D{i}"), (f"X{i}", f"U{i}"), (f"D{i}", f"U{i}")]
    return cidlib.CID(edges, decisions=[f"D{i}" for i in range(n)],
                      utilities=[f"U{i}" for i in range(n)])


def random_diagram(rng: np.random.Generator) -> cidlib.InfluenceDiagram:
    """20-40 nodes, 2-5 decisions, about a quarter utilities, sufficient recall."""
    while True:
        size = int(rng.integers(20, 41))
        n_dec = int(rng.integers(2, 6))
        n_util = max(2, size // 4)
        names = [f"N{i}" for i in range(size - n_util)]
        decisions = sorted(rng.choice(names, size=n_dec, replace=False).tolist())
        edges = []
        for i, child in enumerate(names[1:], start=1):
            parents = rng.choice(names[:i], size=min(i, int(rng.integers(1, 3))), replace=False)
            edges.extend((str(p), child) for p in parents)
        utilities = [f"U{i}" for i in range(n_util)]
        for u in utilities:
            parents = rng.choice(names, size=int(rng.integers(1, 3)), replace=False)
            edges.extend((str(p), u) for p in parents)
        # make every decision matter
        edges.extend((d, str(rng.choice(utilities))) for d in decisions)
        diagram = cidlib.CID(sorted(set(edges)), decisions=decisions, utilities=utilities)
        if cidlib.has_sufficient_recall(diagram, 0):
            return diagram


def pyagrum_solvable(diagram: cidlib.InfluenceDiagram) -> bool:
    """pyAgrum's own solvability check, stricter than sufficient recall on some diagrams."""
    model = to_pyagrum(diagram, random_numbers(diagram, np.random.default_rng(0)))
    return bool(gum.ShaferShenoyLIMIDInference(model).isSolvable())


def compare(name: str, diagram: cidlib.InfluenceDiagram, rng: np.random.Generator,
            repeats: int) -> tuple[float, float]:
    numbers = random_numbers(diagram, rng)
    pd = to_cidlib(diagram, numbers)
    model = to_pyagrum(diagram, numbers)
    ours = cidlib.meu(pd)
    theirs = pyagrum_meu(model)
    if abs(ours - theirs) > 1e-9:
        raise SystemExit(f"{name}: MEU differs: cidlib {ours!r}, pyAgrum {theirs!r}")
    t_ours = median_time(lambda: cidlib.meu(pd), repeats)
    t_theirs = median_time(lambda: pyagrum_meu(model), repeats)
    return t_ours, t_theirs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--random", type=int, default=20, help="random diagrams to compare")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    rng = np.random.default_rng(2026)
    print(f"{'diagram':<28} {'cidlib s':>10} {'pyAgrum s':>10} {'ratio':>7}")
    for n in (12, 50):
        ours, theirs = compare(f"chain {n}", chain(n), rng, args.repeats)
        print(f"{f'chain, {n} decisions':<28} {ours:>10.4f} {theirs:>10.4f} "
              f"{ours / theirs:>7.1f}")
    ratios = []
    refused = 0
    for i in range(args.random):
        diagram = random_diagram(rng)
        while not pyagrum_solvable(diagram):
            refused += 1
            diagram = random_diagram(rng)
        ours, theirs = compare(f"random {i}", diagram, rng, max(3, args.repeats // 2))
        ratios.append(ours / theirs)
    if ratios:
        print(f"{f'random 20-40 nodes (x{len(ratios)})':<28} {'':>10} {'':>10} "
              f"{statistics.median(ratios):>7.1f}  (median ratio; max {max(ratios):.1f})")
    print(f"MEU equal to 1e-9 on every diagram; {refused} random diagrams with sufficient "
          "recall were skipped because pyAgrum calls them not solvable")


if __name__ == "__main__":
    main()
