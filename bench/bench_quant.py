"""Optimal policies: cidlib's backward induction against pyAgrum's LIMID solver.

Builds each diagram twice with the same CPDs and utilities, checks that the maximum expected
utilities agree to 1e-9, and prints the median solve time of each (policy plus MEU, on an
already built model; pyAgrum: ShaferShenoyLIMIDInference + makeInference + MEU).

Then times the structural layer (no baseline library computes these): with one decision
between two chains of ``k`` nodes, a counterfactual query across both chains and the
counterfactual response and instrumental control incentives; on a chain of ``k``
decisions, single policy updating against backward induction, and sampling 10^5 rows. The
growth exponent is the slope of log time against log k.

    python bench/bench_quant.py            # chain of 12 and 50 decisions, 20 random diagrams
    python bench/bench_quant.py --random 100

pyAgrum is a benchmark-only dependency (in the test extra), never a runtime one.
"""

from __future__ import annotations

import argparse
import itertools
import math
import statistics
import time
import warnings
from collections.abc import Callable

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


def random_numbers(diagram: cidlib.InfluenceDiagram,
                   rng: np.random.Generator) -> cidlib.ParameterizedDiagram:
    """Binary chance nodes and decisions with random CPDs (every entry at least 0.05) and a
    random utility per parent assignment: ``cidlib.random_parameterization``."""
    return cidlib.random_parameterization(diagram, seed=rng, min_probability=0.05)


def to_pyagrum(pd: cidlib.ParameterizedDiagram) -> gum.InfluenceDiagram:
    """The same model in pyAgrum: the CPD arrays, and each utility's expected value."""
    diagram = pd.diagram
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
    for node in diagram.nodes - diagram.decisions:
        parents = pd.parents_of(node)
        table = pd.table(node)
        for combo in np.ndindex(*table.shape[:-1]):
            where = {str(p): int(v) for p, v in zip(parents, combo, strict=True)}
            if node in diagram.utilities:
                value = float(table[combo] @ np.asarray(pd.domain(node), dtype=float))
                model.utility(str(node))[where] = [value]
            else:
                model.cpt(str(node))[where] = [float(x) for x in table[combo]]
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
    """20-40 nodes, 2-5 decisions, about a quarter utilities, sufficient recall.

    Its own generator (not ``cidlib.random_cid``): one or two parents per node, every
    utility with a parent, and diagrams without sufficient recall drawn again rather than
    given more information links, as in the published comparison.
    """
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
    model = to_pyagrum(random_numbers(diagram, np.random.default_rng(0)))
    return bool(gum.ShaferShenoyLIMIDInference(model).isSolvable())


def compare(name: str, diagram: cidlib.InfluenceDiagram, rng: np.random.Generator,
            repeats: int) -> tuple[float, float]:
    pd = random_numbers(diagram, rng)
    model = to_pyagrum(pd)
    ours = cidlib.meu(pd)
    theirs = pyagrum_meu(model)
    if abs(ours - theirs) > 1e-9:
        raise SystemExit(f"{name}: MEU differs: cidlib {ours!r}, pyAgrum {theirs!r}")
    t_ours = median_time(lambda: cidlib.meu(pd), repeats)
    t_theirs = median_time(lambda: pyagrum_meu(model), repeats)
    return t_ours, t_theirs


def one_decision(k: int) -> cidlib.InfluenceDiagram:
    """X0 -> ... -> X(k-1) -> D -> Y0 -> ... -> Y(k-1) -> U, and X(k-1) -> U."""
    xs, ys = [f"X{i}" for i in range(k)], [f"Y{i}" for i in range(k)]
    edges = [*itertools.pairwise(xs), (xs[-1], "D"), ("D", ys[0]), *itertools.pairwise(ys),
             (ys[-1], "U"), (xs[-1], "U")]
    return cidlib.CID(edges, decisions=["D"], utilities=["U"])


def structural_layer(repeats: int) -> None:
    """Median times of the structural layer's computations, growing with k."""
    rng = np.random.default_rng(7)
    sizes = (4, 8, 16, 32)
    rows: dict[str, list[float]] = {}
    for k in sizes:
        single = random_numbers(one_decision(k), rng)
        best = cidlib.optimal_policy(single)
        several = random_numbers(chain(k), rng)
        best_chain = cidlib.optimal_policy(several)
        jobs = {
            "counterfactual Y_last | X0 do(D)": lambda pd=single, best=best, k=k: (
                cidlib.counterfactual(pd, [f"Y{k - 1}"], evidence={"X0": 1}, do={"D": 0},
                                      policy=best)),
            "quantitative_ri(D, X0)": lambda pd=single: cidlib.quantitative_ri(pd, "D", "X0"),
            "quantitative_ici(D, Y0)": lambda pd=single: cidlib.quantitative_ici(pd, "D", "Y0"),
            "chain: optimal_policy backward": lambda pd=several: cidlib.optimal_policy(pd),
            "chain: optimal_policy spu": lambda pd=several: cidlib.optimal_policy(
                pd, method="spu"),
            "chain: sample 10^5 rows (frame)": lambda pd=several, best=best_chain: (
                cidlib.sample(pd, 100_000, policy=best, seed=0, frame=True)),
        }
        for name, job in jobs.items():
            rows.setdefault(name, []).append(median_time(job, repeats))
    print()
    print("structural layer: one decision between two chains of k nodes, or a chain of k "
          "decisions")
    print(f"{'':<36}" + "".join(f"{f'k={k}':>10}" for k in sizes) + f"{'exponent':>10}")
    for name, times in rows.items():
        slope = (math.log(times[-1]) - math.log(times[0])) / (math.log(sizes[-1])
                                                               - math.log(sizes[0]))
        print(f"{name:<36}" + "".join(f"{t:>10.4f}" for t in times) + f"{slope:>10.2f}")


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
    structural_layer(max(3, args.repeats // 2))


if __name__ == "__main__":
    main()
