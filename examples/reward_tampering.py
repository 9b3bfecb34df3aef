"""Reward tampering and two fixes (Everitt et al. 2021; Farquhar et al. 2022).

An agent's action A1 changes the next state S2, whose reward R2 is computed by reward
parameters ThetaR2 the action can also change: an instrumental control incentive on ThetaR2
(A1 -> ThetaR2 -> R2), i.e. an incentive to tamper with its reward function. Two fixes:

* current-RF optimisation: the next state is evaluated with the current parameters ThetaR1,
  so ThetaR2 no longer leads to the objective;
* a path-specific objective with ThetaR2 delicate: the reward sees ThetaR2 as it would be
  under a default policy.

Either way the tampering incentive disappears and the incentive to reach good states stays.

Run: ``python examples/reward_tampering.py [OUTPUT_DIR]`` (default ``out``). Prints the
reports and writes ``reward_tampering.png`` (before/after current-RF) and
``reward_tampering_pso.png``.
"""

import sys
from pathlib import Path

import matplotlib

import cidlib
from cidlib import catalogue

matplotlib.use("Agg")  # write files; no window


def yes(flag: object) -> str:
    """Say whether a result holds."""
    return "yes" if flag else "no"


tampering = catalogue.reward_tampering()
current = catalogue.reward_tampering_current_rf()
pso = cidlib.path_specific_objective(tampering, "A1", delicate=["ThetaR2"])

for title, design in (("Optimising the future reward function", tampering),
                      ("Current-RF optimisation", current),
                      ("Path-specific objective (ThetaR2 delicate)", pso)):
    print(title)
    print("=" * len(title))
    print(cidlib.analyze(design))
    print()
print(cidlib.admits_ici(tampering, "A1", "ThetaR2").explain())
print()
print(f"Current-RF optimisation: ICI on ThetaR2: {yes(cidlib.admits_ici(current, 'A1', 'ThetaR2'))}"
      f"; VoC on ThetaR2: {yes(cidlib.admits_voc(current, 'A1', 'ThetaR2'))}")
print(f"Path-specific objective: ICI on ThetaR2: {yes(cidlib.admits_ici(pso, 'A1', 'ThetaR2'))}"
      f"; ICI on S2: {yes(cidlib.admits_ici(pso, 'A1', 'S2'))}")
print()
print("What current-RF optimisation changes")
print(cidlib.compare(tampering, current))

out = Path(sys.argv[1] if len(sys.argv) > 1 else "out")
out.mkdir(parents=True, exist_ok=True)
figure = cidlib.draw_comparison(tampering, current, titles=("Future reward function",
                                                            "Current reward function"))
figure.savefig(out / "reward_tampering.png", dpi=150)
figure = cidlib.draw_comparison(tampering, pso, titles=("Future reward function",
                                                        "Path-specific objective"))
figure.savefig(out / "reward_tampering_pso.png", dpi=150)
print()
print(f"Wrote {out / 'reward_tampering.png'} and {out / 'reward_tampering_pso.png'}")
