"""Time and size of report output, 10^3 to 10^5 nodes: does it grow like the diagram?

For two shapes, a chain (every witness runs the length of the diagram: the worst case for
output) and the random diagrams of bench_criteria.py, at each size: the median time of
``str(report)``, ``report.to_json()`` and ``cidlib analyze FILE`` (text, run in-process to
a null stream), iterating every incentive and reading each witness's length, the output
sizes, and the peak memory of ``to_json`` (tracemalloc). The last lines give the growth
exponent of each column (the slope of log(value) against log(nodes); 1 is linear, 2
quadratic) beside a plain networkx BFS for scale.

Run: ``python bench/bench_reports.py [--max N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import math
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import networkx as nx

import cidlib
from bench_criteria import random_diagram
from cidlib import cli
from cidlib.io.files import write_diagram


def chain(n: int) -> cidlib.InfluenceDiagram:
    """X0 -> X1 -> ... -> D -> U, and X0 -> U: every witness is as long as the chain."""
    edges = [(f"X{i}", f"X{i + 1}") for i in range(n - 3)]
    return cidlib.CID([*edges, (f"X{n - 3}", "D"), ("D", "U"), ("X0", "U")],
                      decisions=["D"], utilities=["U"])


def median(f: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def slope(sizes: list[int], values: list[float]) -> float:
    xs = [math.log(s) for s in sizes]
    ys = [math.log(max(v, 1e-9)) for v in values]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs)


def measure(d: cidlib.InfluenceDiagram, repeat: int, folder: Path) -> dict[str, float]:
    report = cidlib.analyze(d)
    path = folder / "design.json"
    write_diagram(d, path)
    row: dict[str, float] = {}
    row["bfs"] = median(lambda: nx.descendants(nx.DiGraph(list(d.edges)), next(iter(d))),
                        repeat)
    row["str"] = median(lambda: str(report), repeat)
    row["json"] = median(report.to_json, repeat)
    row["iterate"] = median(lambda: sum(i.witness.length for i in report  # type: ignore[union-attr]
                                        ), repeat)

    def run_cli() -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            cli.main(["analyze", str(path)])

    row["cli"] = median(run_cli, repeat)
    row["str MB"] = len(str(report)) / 1e6
    row["json MB"] = len(report.to_json()) / 1e6
    tracemalloc.start()
    report.to_json()
    row["json peak MB"] = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [n for n in (1_000, 3_000, 10_000, 30_000, 100_000) if n <= args.max]
    columns = ["bfs", "str", "json", "iterate", "cli", "str MB", "json MB", "json peak MB"]
    with tempfile.TemporaryDirectory() as tmp:
        for name, build in (("chain", chain), ("random", lambda n: random_diagram(n, 1))):
            print(f"\n{name} diagrams (times in seconds, medians of {args.repeat})")
            print(f"{'nodes':>8} " + " ".join(f"{c:>13}" for c in columns))
            rows = []
            for n in sizes:
                row = measure(build(n), args.repeat, Path(tmp))
                rows.append(row)
                print(f"{n:>8} " + " ".join(f"{row[c]:>13.4f}" for c in columns), flush=True)
            if len(sizes) > 1:
                print(f"{'exponent':>8} " + " ".join(
                    f"{slope(sizes, [r[c] for r in rows]):>13.2f}" for c in columns))


if __name__ == "__main__":
    main()
