"""The content recommender and its fix (Everitt et al. 2021, Figs. 4a and 4b).

A recommender chooses posts P from a model M of its users' original opinions O. Rewarded for
clicks C, which depend on the users' influenced opinions I, it has an instrumental control
incentive on I: it gains by changing what its users think. Rewarding predicted clicks PC,
computed from the model of the original opinions, removes that incentive and keeps the
incentive to choose good posts.

Run: ``python examples/recommender.py [OUTPUT_DIR]`` (default ``out``). Prints both reports
and what the fix changes, writes the annotated before/after figure as PNG, SVG and PDF, and
the first design (its ICI witness highlighted) as a TikZ document.
"""

import sys
from pathlib import Path

import matplotlib

import cidlib
from cidlib.core.atomic import write_atomic

matplotlib.use("Agg")  # write files; no window

labels = {"O": "Original user opinions", "M": "Model of original opinions",
          "P": "Posts to show", "I": "Influenced user opinions"}
clicks = cidlib.CID(
    [("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("I", "C"), ("P", "C")],
    decisions=["P"], utilities=["C"], labels={**labels, "C": "Clicks"},
)
predicted = cidlib.CID(
    [("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("M", "PC"), ("P", "PC")],
    decisions=["P"], utilities=["PC"], labels={**labels, "PC": "Predicted clicks"},
)

for title, design in (("Rewarded for clicks", clicks),
                      ("Rewarded for predicted clicks", predicted)):
    print(title)
    print("=" * len(title))
    print(cidlib.analyze(design))
    print()
    print(cidlib.admits_ici(design, "P", "I").explain())
    print()
print("What the fix changes")
print("====================")
print(cidlib.compare(clicks, predicted))

out = Path(sys.argv[1] if len(sys.argv) > 1 else "out")
out.mkdir(parents=True, exist_ok=True)
figure = cidlib.draw_comparison(clicks, predicted, titles=("Rewarded for clicks",
                                                           "Rewarded for predicted clicks"))
for suffix in ("png", "svg", "pdf"):
    figure.savefig(out / f"recommender.{suffix}", dpi=150)
report = cidlib.analyze(clicks)
write_atomic(out / "recommender.tex",
             cidlib.to_tikz(clicks, report=report, highlight=report.filter(kind="ici", node="I")))
print()
print(f"Wrote {out / 'recommender.png'} (and .svg, .pdf, .tex)")
