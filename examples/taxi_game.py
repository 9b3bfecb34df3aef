"""Several agents: the taxi competition of Hammond et al. (AAMAS 2021).

Two taxis choose where to wait: the expensive hotel (e) or the cheap one (c). Taxi 1 chooses
first; taxi 2 sees where taxi 1 went. The game has three pure Nash equilibria, but one rests
on an empty threat by taxi 2; backward induction over the relevance graph keeps only the
subgame-perfect one. Prints the analysis, writes the figure to out/taxi_game.png and the
game tree to out/taxi_game.efg (Gambit's format, also read by OpenSpiel).

Run from the repository root: ``python examples/taxi_game.py [output folder]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from matplotlib.figure import Figure

import cidlib
from cidlib import catalogue
from cidlib.core.atomic import write_atomic

OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("out")

taxi = catalogue.taxi_competition()
# Fares from PyCID's transcription of the example: (D1, D2) -> fare.
fare1 = {("e", "e"): 2, ("e", "c"): 5, ("c", "e"): 3, ("c", "c"): 1}
fare2 = {("e", "e"): 2, ("e", "c"): 3, ("c", "e"): 5, ("c", "c"): 1}
game = cidlib.parameterize(taxi, D1=["e", "c"], D2=["e", "c"],
                           U1=lambda D1, D2: fare1[D1, D2], U2=lambda D1, D2: fare2[D1, D2])

print("Taxi competition (Hammond et al. 2021)")
print("======================================")
for d1, d2 in [("D1", "D2"), ("D2", "D1")]:
    print(cidlib.relies_on(taxi, d1, d2).explain())
print("Subgames:", "; ".join("{" + ", ".join(sorted(s)) + "}" for s in cidlib.subgames(taxi)))
print("Reasoning patterns (Pfeffer & Gal 2007):")
for decision in sorted(taxi.decisions):
    patterns = cidlib.reasoning_patterns(taxi, decision)
    print(f"  {decision}:", "; ".join(
        f"{p.pattern} through {p.other}" if p.other else str(p.pattern) for p in patterns)
        or "none")

nash = cidlib.pure_nash_equilibria(game)
print(f"\n{len(nash)} pure Nash equilibria:")
for e in nash:
    print("  " + str(e).replace("\n", "\n  "))
spe = cidlib.subgame_perfect_equilibria(game)
print(f"\n{len(spe)} subgame-perfect equilibrium:")
for e in spe:
    print("  " + str(e).replace("\n", "\n  "))

OUT.mkdir(exist_ok=True)
write_atomic(OUT / "taxi_game.efg", cidlib.to_efg(game, title="Taxi competition"))
fig = Figure(figsize=(9, 3.6))
left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.5, 1]})
cidlib.draw(taxi, ax=left)
left.set_title("Taxi competition")
cidlib.draw_relevance_graph(taxi, ax=right)
fig.savefig(OUT / "taxi_game.png", dpi=150, bbox_inches="tight")
print(f"\nWrote {OUT / 'taxi_game.png'} and {OUT / 'taxi_game.efg'}")
