"""Time the multi-agent functions on Koller & Milch's road game with n plots.

``road(n)`` has 6n nodes, 2n decisions of 2n agents, and exactly n subgames (plots i..n for
each i), although its decisions have 2^(2n) subsets. For each n: the median of several
repeats (``time.perf_counter``) of the relevance graph, its condensation, the subgames, the
effective decisions (reasoning patterns), and the
subgame-perfect equilibria and the pure Nash equilibria of a chain of k leaders and
followers (each agent sees the previous move), where enumeration grows as 2^(2k-1).
Run: ``python bench/bench_games.py [--max N]``.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
from collections.abc import Callable

import cidlib
from cidlib import catalogue


def median_time(fn: Callable[[], object], repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
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
    parser.add_argument("--max", type=int, default=80, help="largest number of plots")
    args = parser.parse_args()
    print(f"{'plots':>6} {'nodes':>6} {'relevance':>10} {'condensed':>10} {'subgames':>10} "
          f"{'#':>4} {'patterns':>10}")
    n = 5
    while n <= args.max:
        d = catalogue.road(n)
        subgames = cidlib.subgames(d)
        print(f"{n:>6} {len(d.nodes):>6} "
              f"{median_time(lambda d=d: cidlib.relevance_graph(d)):>9.4f}s "
              f"{median_time(lambda d=d: cidlib.condensed_relevance_graph(d)):>9.4f}s "
              f"{median_time(lambda d=d: cidlib.subgames(d), 3):>9.4f}s {len(subgames):>4} "
              f"{median_time(lambda d=d: cidlib.effective_decisions(d), 3):>9.4f}s")
        n *= 2
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
