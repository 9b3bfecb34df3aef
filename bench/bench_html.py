"""The interactive page: its size, the time to write it, and its time to interactive.

For the seeded random diagrams of the gallery and the tests (about 1.8 edges per node, one
decision, the last sixth utilities) of 15 to 480 nodes, and a chain whose witnesses all run
its length (the worst case for the witnesses' total length): the median time of
``cidlib.to_html`` (analysis, layout, SVG and data), the page's size in KiB, and, in
Debian's Chromium driven by Playwright, the median time from the start of navigation to
the moment the page's script has finished setting up (the ``data-ready-ms`` the page
records), opened from a file as a reader opens it. The last lines give growth exponents
(slope of log(value) against log(nodes)). The acceptance bar: the 60-node page under
1 MB and interactive within a second.

Run: ``python bench/bench_html.py [--repeat R]`` (needs chromium on PATH and playwright).
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import cidlib
from bench_reports import slope

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.diagrams import random_cid

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chain(n: int) -> cidlib.InfluenceDiagram:
    names = [f"X{i}" for i in range(n - 2)]
    return cidlib.CID([("D", names[0]), *itertools.pairwise(names), (names[-1], "U")],
                      decisions=["D"], utilities=["U"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("no chromium on PATH: apt-get install chromium")
    folder = Path(tempfile.mkdtemp())
    sizes = [15, 30, 60, 120, 240, 480]
    rows: dict[str, list[tuple[int, float, float, float]]] = {"random": [], "chain": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
        for shape, build in (("random", lambda n: random_cid(n, n)), ("chain", chain)):
            for n in sizes:
                d = build(n)
                times = []
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    page = cidlib.to_html(d)
                    times.append(time.perf_counter() - start)
                path = folder / f"{shape}{n}.html"
                path.write_text(page, encoding="utf-8")
                ready = []
                for _ in range(args.repeat):
                    tab = browser.new_page()
                    tab.goto(path.as_uri())
                    tab.wait_for_selector(".cidlib-view[data-ready=true]")
                    ready.append(float(tab.get_attribute(".cidlib-view", "data-ready-ms")))
                    tab.close()
                row = (n, statistics.median(times), len(page.encode()) / 1024,
                       statistics.median(ready))
                rows[shape].append(row)
                print(f"{shape:>6} {n:4d} nodes {len(d.edges):4d} edges: to_html "
                      f"{row[1] * 1e3:7.1f} ms, page {row[2]:7.1f} KiB, interactive after "
                      f"{row[3]:6.0f} ms", flush=True)
        browser.close()
    for shape, found in rows.items():
        ns = [r[0] for r in found]
        print(f"{shape}: growth exponents: to_html {slope(ns, [r[1] for r in found]):.2f}, "
              f"size {slope(ns, [r[2] for r in found]):.2f}, "
              f"interactive {slope(ns, [r[3] for r in found]):.2f}")


if __name__ == "__main__":
    main()
