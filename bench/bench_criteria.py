"""Time the incentive criteria on random diagrams of 10^2 to 10^5 nodes.

For each size: the median (of several repeats, ``time.perf_counter``) of one plain networkx
BFS (``nx.descendants`` from the first node, which reaches almost the whole graph) as the
baseline; of each node-set function, per decision; of value of information for every node
and every decision (``voi_nodes`` for each decision, the multi-decision criterion when there
are several); and of the full ``analyze()``; then the peak memory (tracemalloc) of those last
two. Caches are cleared before every repeat. A second table gives, between successive sizes,
the growth exponent of each time (``log(t2 / t1) / log(n2 / n1)``: 1 is linear) and the time
as a multiple of the BFS. Run::

    python bench/bench_criteria.py [--decisions K] [--no-recall] [--max N] [--voi-max N]
"""

from __future__ import annotations

import argparse
import gc
import itertools
import math
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable

import networkx as nx

import cidlib
from cidlib.structure import reduction


def random_diagram(n: int, decisions: int, seed: int = 0,
                   recall: bool = True) -> cidlib.InfluenceDiagram:
    """Return a random diagram of about n nodes and 3n edges.

    Each node has about 3 parents drawn from the 50 nodes before it; ``decisions`` decisions
    are spread through the order, with perfect recall if ``recall``; one utility sink per 20
    nodes.
    """
    rnd = random.Random(seed)
    chance = n - max(1, n // 20)
    edges = []
    for j in range(1, chance):
        edges.extend((f"X{i}", f"X{j}") for i in rnd.sample(range(max(0, j - 50), j), min(3, j)))
    utilities = []
    for k in range(n - chance):
        u = f"U{k}"
        utilities.append(u)
        lo = rnd.randrange(chance)
        edges.extend((f"X{i}", u) for i in rnd.sample(range(lo, min(chance, lo + 50)),
                                                       min(3, chance - lo)))
    step = chance // (decisions + 1)
    dec = [f"X{step * (k + 1)}" for k in range(decisions)]
    d = cidlib.CID(edges, decisions=dec, utilities=utilities,
                   nodes=[f"X{i}" for i in range(chance)])
    if not recall:
        return d
    # Perfect recall: each decision also observes what earlier decisions observed and chose,
    # which makes the diagram soluble.
    recalled = [(x, later) for i, earlier in enumerate(dec) for later in dec[i + 1:]
                for x in d.family(earlier)]
    return d.add_edges(recalled)


def voi_nodes(d: cidlib.InfluenceDiagram, decision: object) -> object:
    """``cidlib.voi_nodes``, counting an undetermined answer (it raises) as done."""
    try:
        return cidlib.voi_nodes(d, decision)
    except cidlib.exceptions.UnsupportedDiagramError:
        return None


def voi_all(d: cidlib.InfluenceDiagram) -> object:
    """Value of information of every node for every decision."""
    return [voi_nodes(d, x) for x in d.decisions]


def median_time(f: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        reduction.clear_cache()
        gc.collect()
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def peak_mib(f: Callable[[], object]) -> float:
    reduction.clear_cache()
    gc.collect()
    tracemalloc.start()
    f()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--decisions", type=int, default=3)
    parser.add_argument("--no-recall", action="store_true",
                        help="decisions do not observe earlier decisions and observations")
    parser.add_argument("--max", type=int, default=100_000)
    parser.add_argument("--voi-max", type=int, default=None,
                        help="largest size at which to time VoI and analyze (default: --max)")
    args = parser.parse_args()
    sizes = [s for s in (100, 1_000, 10_000, 100_000) if s <= args.max]
    funcs = {"voi_nodes": voi_nodes, "ri_nodes": cidlib.ri_nodes,
             "voc_nodes": cidlib.voc_nodes, "ici_nodes": cidlib.ici_nodes}
    print(f"decisions per diagram: {args.decisions}, "
          f"{'without' if args.no_recall else 'with'} perfect recall; "
          "times are medians in seconds, per decision for the node-set functions")
    header = ["nodes", "edges", "nx BFS", *funcs, "VoI all", "analyze", "VoI MiB", "an. MiB"]
    print(" ".join(f"{h:>10}" for h in header))
    rows = []
    for n in sizes:
        repeats = 5 if n <= 10_000 else 3
        d = random_diagram(n, args.decisions, recall=not args.no_recall)
        g = nx.DiGraph(list(d.edges))
        row: dict[str, float] = {"nodes": n, "edges": len(d.edges),
                                 "nx BFS": median_time(lambda g=g: nx.descendants(g, "X0"),
                                                       repeats)}
        heavy = args.voi_max is None or n <= args.voi_max
        for name, f in funcs.items():
            row[name] = (median_time(lambda f=f, d=d: [f(d, x) for x in d.decisions], repeats)
                         / len(d.decisions) if heavy or name != "voi_nodes" else math.nan)
        if heavy:
            row["VoI all"] = median_time(lambda d=d: voi_all(d), repeats)
            row["analyze"] = median_time(lambda d=d: cidlib.analyze(d), repeats)
            row["VoI MiB"] = peak_mib(lambda d=d: voi_all(d))
            row["an. MiB"] = peak_mib(lambda d=d: cidlib.analyze(d))
        rows.append(row)
        print(" ".join(f"{row.get(h, math.nan):>10.0f}" if h in ("nodes", "edges")
                       else f"{row.get(h, math.nan):>10.4f}" for h in header))
    timed = ["nx BFS", *funcs, "VoI all", "analyze"]
    print("\ngrowth exponent between successive sizes (1 = linear), and time / nx BFS")
    print(" ".join(f"{h:>10}" for h in ["nodes", *timed, "VoI/BFS", "an./BFS"]))
    for small, large in itertools.pairwise(rows):
        scale = math.log(large["nodes"] / small["nodes"])
        exps = [math.log(large[h] / small[h]) / scale if large.get(h, math.nan) > 0
                and small.get(h, math.nan) > 0 else math.nan for h in timed]
        ratios = [large.get(h, math.nan) / large["nx BFS"] for h in ("VoI all", "analyze")]
        print(f"{large['nodes']:>10.0f} " + " ".join(f"{v:>10.2f}" for v in exps + ratios))


if __name__ == "__main__":
    main()
