"""Time the first use of cidlib from a cold interpreter, against importing networkx.

Each line is a fresh ``python -c`` (median of ``--repeat`` runs, wall time of the whole
process): the bare interpreter, ``import networkx`` (the baseline: cidlib's one required
graph dependency), ``import cidlib``, analysing the recommender, and the quantitative first
use: ``parameterize`` then ``meu`` on the recommender with the probabilities of
``examples/recommender_probabilities.py``. The last script also checks that pgmpy was not
imported (the quantitative layer runs on numpy).

Run: ``python bench/bench_startup.py [--repeat R]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

QUANT = """
import sys, cidlib
d = cidlib.CID([("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("I", "C"), ("P", "C")],
               decisions=["P"], utilities=["C"])
pd = cidlib.parameterize(
    d, O=cidlib.uniform([-1, 1]), M=cidlib.noisy_copy("O", 0.9), P=[-1, 0, 1],
    I=lambda O, P: {O: 0.4, 2 * O: 0.6} if P == O else {O: 1.0},
    C=lambda I, P: {1: 0.6 if P == 0 else 0.5 if P == I else 0.1,
                    0: 0.4 if P == 0 else 0.5 if P == I else 0.9})
assert abs(cidlib.meu(pd)) > 0
assert "pgmpy" not in sys.modules, "the quantitative layer imported pgmpy"
"""

SCRIPTS = {
    "python -c pass": "pass",
    "import networkx": "import networkx",
    "import cidlib": "import cidlib",
    "analyze the recommender": (
        "import cidlib; cidlib.analyze(cidlib.CID([('O', 'M'), ('M', 'P'), ('O', 'I'), "
        "('P', 'I'), ('I', 'C'), ('P', 'C')], decisions=['P'], utilities=['C']))"
    ),
    "parameterize -> meu": QUANT,
}


def cold(code: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    took = {name: cold(code, args.repeat) for name, code in SCRIPTS.items()}
    base = took["import networkx"]
    print(f"{'cold python -c':<26} {'median':>8} {'/ import networkx':>18}")
    for name, seconds in took.items():
        print(f"{name:<26} {seconds:>7.3f}s {seconds / base:>18.2f}")


if __name__ == "__main__":
    main()
