"""Time reading and analysing large diagram files (text format and JSON).

Random diagrams of 10^3, 10^4 and 10^5 nodes (about 3 edges per node, one decision) are
written and read back; each figure is the median of 3 repeats (``time.perf_counter``).
Run: ``python bench/bench_files.py`` (no options).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import cidlib
from bench_criteria import random_diagram
from cidlib.io.files import read_diagram, write_diagram
from cidlib.structure import reduction


def median(f: Callable[[], object], repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    import argparse

    argparse.ArgumentParser(description=__doc__).parse_args()
    print(f"{'nodes':>8} {'MiB .cid':>9} {'read .cid':>10} {'read .json':>11} {'analyze':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (1_000, 10_000, 100_000):
            d = random_diagram(n, 1)
            text, js = Path(tmp, "d.cid"), Path(tmp, "d.json")
            write_diagram(d, text)
            write_diagram(d, js)
            assert read_diagram(text) == d
            size = text.stat().st_size / 2**20
            print(f"{n:>8} {size:>9.1f} {median(lambda p=text: read_diagram(p)):>10.3f} "
                  f"{median(lambda p=js: read_diagram(p)):>11.3f} "
                  f"{median(lambda d=d: (reduction.clear_cache(), cidlib.analyze(d))):>8.3f}")


if __name__ == "__main__":
    main()
