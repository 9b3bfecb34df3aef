"""Time the incentive criteria on random diagrams of 10^2 to 10^5 nodes.

For each size: the median (of several repeats, ``time.perf_counter``) of each node-set
function, of the full ``analyze()``, of one plain networkx BFS (``nx.descendants``) on the
same graph for scale, and the peak memory ``analyze()`` allocates (tracemalloc). Caches are
cleared before every repeat. Run: ``python bench/bench_criteria.py [--decisions K] [--max N]``.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable

import networkx as nx

import cidlib
from cidlib.structure import reduction


def random_diagram(n: int, decisions: int, seed: int = 0) -> cidlib.InfluenceDiagram:
    """Return a random diagram of about n nodes and 3n edges.

    Each node has about 3 parents drawn from the 50 nodes before it; ``decisions`` decisions
    are spread through the order with perfect recall; one utility sink per 20 nodes.
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
    # Perfect recall: each decision also observes what earlier decisions observed and chose,
    # which makes the diagram soluble (the multi-decision VoI criterion requires it).
    recall = [(x, later) for i, earlier in enumerate(dec) for later in dec[i + 1:]
              for x in d.family(earlier)]
    return d.add_edges(recall)


def voi_nodes(d: cidlib.InfluenceDiagram, decision: object) -> object:
    """``cidlib.voi_nodes``, counting an undetermined answer (it raises) as done."""
    try:
        return cidlib.voi_nodes(d, decision)
    except cidlib.exceptions.UnsupportedDiagramError:
        return None


def median_time(f: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        reduction.clear_cache()
        gc.collect()
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--decisions", type=int, default=3)
    parser.add_argument("--max", type=int, default=100_000)
    parser.add_argument("--voi-max", type=int, default=None,
                        help="largest size at which to time voi_nodes/analyze (default: --max)")
    args = parser.parse_args()
    sizes = [s for s in (100, 1_000, 10_000, 100_000) if s <= args.max]
    funcs = {"voi_nodes": voi_nodes, "ri_nodes": cidlib.ri_nodes,
             "voc_nodes": cidlib.voc_nodes, "ici_nodes": cidlib.ici_nodes}
    print(f"decisions per diagram: {args.decisions}; times are medians in seconds")
    header = ["nodes", "edges", "build", "nx BFS", *funcs, "analyze", "analyze/dec",
              "peak MiB"]
    print(" ".join(f"{h:>10}" for h in header))
    for n in sizes:
        repeats = 5 if n <= 10_000 else 3
        t0 = time.perf_counter()
        d = random_diagram(n, args.decisions)
        build = time.perf_counter() - t0
        g = nx.DiGraph(list(d.edges))
        bfs = median_time(lambda g=g: nx.descendants(g, "X0"), repeats)
        row = [n, len(d.edges), build, bfs]
        heavy = args.voi_max is None or n <= args.voi_max
        for name, f in funcs.items():
            if name == "voi_nodes" and not heavy:
                row.append(float("nan"))
                continue
            row.append(median_time(lambda f=f, d=d: [f(d, x) for x in d.decisions],
                                   repeats) / len(d.decisions))
        if heavy:
            row.append(median_time(lambda d=d: cidlib.analyze(d), repeats))
            row.append(row[-1] / len(d.decisions))
            reduction.clear_cache()
            tracemalloc.start()
            cidlib.analyze(d)
            row.append(tracemalloc.get_traced_memory()[1] / 2**20)
            tracemalloc.stop()
        else:
            row.extend([float("nan")] * 3)
        print(" ".join(f"{v:>10}" if isinstance(v, int) else f"{v:>10.4f}" for v in row))


if __name__ == "__main__":
    main()
