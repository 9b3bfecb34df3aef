"""Time reading large diagram files (text format and JSON) against json.loads.

Random diagrams of 10^3, 10^4 and 10^5 nodes (about 3 edges per node, one decision) are
written and read back. For each size: the file sizes, the median time (of 3 repeats,
``time.perf_counter``) of ``json.loads`` on the JSON file's text (the baseline: parsing
alone, no checking), of reading the JSON file and the ``.cid`` file with
``read_diagram``, their ratios to the baseline, and ``analyze()`` for scale.
Run: ``python bench/bench_files.py`` (no options).
"""

from __future__ import annotations

import json
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
    print(f"{'nodes':>8} {'MiB .cid':>9} {'MiB .json':>10} {'json.loads':>11} "
          f"{'read .json':>11} {'ratio':>6} {'read .cid':>10} {'ratio':>6} {'analyze':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (1_000, 10_000, 100_000):
            d = random_diagram(n, 1)
            text, js = Path(tmp, "d.cid"), Path(tmp, "d.json")
            write_diagram(d, text)
            write_diagram(d, js)
            assert read_diagram(text) == d
            assert read_diagram(js) == d
            content = js.read_text(encoding="utf-8")
            base = median(lambda c=content: json.loads(c))
            read_json = median(lambda p=js: read_diagram(p))
            read_text = median(lambda p=text: read_diagram(p))
            analysis = median(lambda d=d: (reduction.clear_cache(), cidlib.analyze(d)))
            print(f"{n:>8} {text.stat().st_size / 2**20:>9.1f} {js.stat().st_size / 2**20:>10.1f} "
                  f"{base:>11.3f} {read_json:>11.3f} {read_json / base:>6.1f} "
                  f"{read_text:>10.3f} {read_text / base:>6.1f} {analysis:>8.3f}")


if __name__ == "__main__":
    main()
