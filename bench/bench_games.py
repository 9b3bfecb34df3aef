"""Time the multi-agent functions on Koller & Milch's road game with n plots.

``road(n)`` has 6n nodes, 2n decisions of 2n agents, and exactly n subgames (plots i..n for
each i), although its decisions have 2^(2n) subsets. For each n: the median of several
repeats (``time.perf_counter``, caches cleared before each) of one plain networkx BFS
(``nx.descendants`` from the first site) as the baseline, of the relevance graph, its
condensation, the subgames and the effective decisions (reasoning patterns); then, between
successive sizes, the growth exponent of each time (``log(t2 / t1) / log(n2 / n1)``: 1 is
linear, 2 quadratic) and the subgames' time as a multiple of the BFS and of the relevance
graph. Last, the subgame-perfect equilibria and the pure Nash equilibria of a chain of k
leaders and followers (each agent sees the previous move), where enumeration grows as
2^(2k-1). Run: ``python bench/bench_games.py [--max N]``.
"""

from __future__ import annotations

import argparse
import itertools
import math
import statistics
import time
from collections.abc import Callable

import networkx as nx

import cidlib
from cidlib import catalogue
from cidlib.structure import reduction


def median_time(fn: Callable[[], object], repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        reduction.clear_cache()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def leader_chain(k: int) -> cidlib.ParameterizedDiagram:
    """k agents move in turn, each seeing the previous move; agent i is paid 1 for matching
    the previous move and 2 if the next agent picks the other value (binary moves)."""
    edges = [(f"D{i}", f"D{i + 1}") for i in range(1, k)]
    edges += [(f"D{i}", f"U{i}") for i in range(1, k + 1)]
    edges += [(f"D{i + 1}", f"U{i}") for i in range(1, k)]
    edges += [(f"D{i - 1}", f"U{i}") for i in range(2, k + 1)]
    game = cidlib.MACID(edges, agents={i: {"decisions": [f"D{i}"], "utilities": [f"U{i}"]}
                                       for i in range(1, k + 1)})
    specs: dict[str, object] = {f"D{i}": [0, 1] for i in range(1, k + 1)}
    for i in range(1, k + 1):
        parents = sorted(game.parents(f"U{i}"))
        rows = {}
        for v in itertools.product((0, 1), repeat=len(parents)):
            at = dict(zip(parents, v, strict=True))
            me = at[f"D{i}"]
            rows[v] = float(at.get(f"D{i - 1}", me) == me) + 2.0 * (at.get(f"D{i + 1}", me) != me)
        specs[f"U{i}"] = cidlib.table(rows, parents=parents)
    return cidlib.parameterize(game, specs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max", type=int, default=160, help="largest number of plots")
    args = parser.parse_args()
    funcs: dict[str, Callable[[cidlib.InfluenceDiagram], object]] = {
        "relevance": cidlib.relevance_graph, "condensed": cidlib.condensed_relevance_graph,
        "subgames": cidlib.subgames, "patterns": cidlib.effective_decisions}
    names = ["nx BFS", *funcs]
    print(f"{'plots':>6} {'nodes':>6} {'#sub':>5} " + " ".join(f"{h:>10}" for h in names))
    rows = []
    n = 10
    while n <= args.max:
        d = catalogue.road(n)
        g = nx.DiGraph(list(d.edges))
        row = {"nodes": len(d.nodes), "nx BFS": median_time(lambda g=g: nx.descendants(g, "S1W"))}
        row.update({name: median_time(lambda f=f, d=d: f(d), 3) for name, f in funcs.items()})
        rows.append(row)
        print(f"{n:>6} {len(d.nodes):>6} {len(cidlib.subgames(d)):>5} "
              + " ".join(f"{row[h]:>9.4f}s" for h in names))
        n *= 2
    print("\ngrowth exponent between successive sizes; subgames / BFS and / relevance graph")
    print(f"{'nodes':>6} " + " ".join(f"{h:>10}" for h in [*names, "sub/BFS", "sub/rel"]))
    for small, large in itertools.pairwise(rows):
        scale = math.log(large["nodes"] / small["nodes"])
        exps = [math.log(large[h] / small[h]) / scale for h in names]
        ratios = [large["subgames"] / large["nx BFS"], large["subgames"] / large["relevance"]]
        print(f"{large['nodes']:>6.0f} " + " ".join(f"{v:>10.2f}" for v in exps + ratios))
    print(f"\n{'agents':>6} {'SPE':>10} {'#SPE':>5} {'pure NE':>10} {'#NE':>6}")
    for k in (2, 3, 4, 8, 16, 32):
        pd = leader_chain(k)
        spe = cidlib.subgame_perfect_equilibria(pd)
        spe_time = median_time(lambda pd=pd: cidlib.subgame_perfect_equilibria(pd), 3)
        if k <= 4:
            ne = cidlib.pure_nash_equilibria(pd, max_profiles=10**6)
            ne_text = (f"{median_time(lambda pd=pd: cidlib.pure_nash_equilibria(pd), 1):>9.3f}s"
                       f" {len(ne):>6}")
        else:
            ne_text = f"{'-':>10} {'-':>6}"
        print(f"{k:>6} {spe_time:>9.4f}s {len(spe):>5} {ne_text}")


if __name__ == "__main__":
    main()
