"""How often random parameterisations realise what the graph criteria say.

For random diagrams of 3-6 nodes (``cidlib.random_cid``) with one and with two decisions:
where VoI, VoC, RI or ICI is said to be present, the fraction where one of five random
parameterisations (``cidlib.random_parameterization``, every third with explicit random
structural equations) gives a positive value; where it is said to be absent, the number of
positive values found (must be 0). RI and ICI are the counterfactual quantities of
``cidlib.quantitative_ri`` and ``cidlib.quantitative_ici``, over every optimal policy.

    python bench/bench_soundness.py --count 300
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.quant_oracle import completeness  # the tests' own procedure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300, help="random diagrams per row")
    parser.add_argument("--tries", type=int, default=5)
    parser.add_argument("--kinds", default="voi,voc,ri,ici")
    args = parser.parse_args()
    kinds = tuple(args.kinds.split(","))
    print(f"{'decisions':>9} {'criterion':<14} {'says yes':>8} {'found':>6} {'fraction':>8} "
          f"{'unsound':>7}")
    for decisions in (1, 2):
        start = time.perf_counter()
        stats = completeness(decisions, args.count, tries=args.tries, seed=100 + decisions,
                             kinds=kinds)
        for key, (yes, found, unsound) in sorted(stats.items()):
            share = f"{found / yes:.2f}" if yes else "-"
            print(f"{decisions:>9} {key:<14} {yes:>8} {found:>6} {share:>8} {unsound:>7}")
        print(f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
