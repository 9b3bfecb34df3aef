"""Fairness: response incentives on a protected attribute, and introduced unfairness.

Two stories from the papers, with the diagrams of ``cidlib.catalogue``:

* Hiring (Ashurst et al. 2022): a predictor Yh of the label Y observes a feature D that
  depends on the sensitive attribute A. D is a requisite observation, so Yh has a response
  incentive on A (Everitt et al. 2021, Thm 12): every optimal policy responds to A, i.e. is
  counterfactually unfair (their Thm 14). Because a requisite feature is d-connected to A,
  some loss lets an optimal predictor introduce total variation; a P-admissible loss (such as
  squared error) does not. In the music-school example it does, unless A is itself a feature.
* Grade prediction (Everitt et al. 2021, Figs. 3a/3b): race R influences the high school HS
  the predictor observes, a response incentive on race. Not observing HS removes it.

Run: ``python examples/fairness.py [OUTPUT_DIR]`` (default ``out``). Prints the answers and
writes ``fairness.png`` (grade prediction before/after) and ``fairness_hiring.png``.
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


def itv(diagram: cidlib.InfluenceDiagram, *, p_admissible: bool) -> bool:
    """Ashurst et al.'s graphical condition for introduced total variation of Yh in A."""
    kind = "itv_p_admissible" if p_admissible else "itv"
    return catalogue.Claim(kind, "Yh", "A").evaluate(diagram)


hiring = catalogue.hiring()
title = "Hiring (Ashurst et al. 2022)"
print(title)
print("=" * len(title))
print(cidlib.analyze(hiring))
print()
ri = cidlib.admits_ri(hiring, "Yh", "A")
print(f"Response incentive on A: {yes(ri)}, {ri.witness}")
print(ri.explain())
requisite = sorted(cidlib.requisite_observations(hiring, "Yh"))
connected = [w for w in requisite if w in cidlib.d_connected(hiring, "A")]
print(f"Requisite features: {', '.join(requisite)}; d-connected to A: {', '.join(connected)}")
print(f"Introduced total variation possible under some loss: "
      f"{yes(itv(hiring, p_admissible=False))}")
print(f"Introduced total variation possible under a P-admissible loss: "
      f"{yes(itv(hiring, p_admissible=True))}")
for name, design in (("music school", catalogue.music_school()),
                     ("music school with A as a feature",
                      catalogue.music_school_with_sensitive_feature())):
    print(f"  {name}, P-admissible loss: {yes(itv(design, p_admissible=True))}")
print()

grade, no_hs = catalogue.grade_prediction(), catalogue.grade_prediction_without_high_school()
title = "Grade prediction (Everitt et al. 2021, Figs. 3a and 3b)"
print(title)
print("=" * len(title))
ri = cidlib.admits_ri(grade, "P", "R")
print(f"Grade prediction, response incentive on race R: {yes(ri)} ({ri.witness})")
print(f"Without HS -> P, response incentive on race R: {yes(cidlib.admits_ri(no_hs, 'P', 'R'))}"
      f"; value of information on R: {yes(cidlib.admits_voi(no_hs, 'P', 'R'))}")
print()
print("What not observing the high school changes")
print(cidlib.compare(grade, no_hs))

out = Path(sys.argv[1] if len(sys.argv) > 1 else "out")
out.mkdir(parents=True, exist_ok=True)
figure = cidlib.draw_comparison(grade, no_hs, titles=("Observes the high school",
                                                      "Does not observe it"))
figure.savefig(out / "fairness.png", dpi=150)
report = cidlib.analyze(hiring)
ax = cidlib.draw(hiring, report=report, highlight=report.filter(kind="ri", node="A"),
                 title="Hiring: response incentive on A")
ax.figure.savefig(out / "fairness_hiring.png", dpi=150)
print()
print(f"Wrote {out / 'fairness.png'} and {out / 'fairness_hiring.png'}")
