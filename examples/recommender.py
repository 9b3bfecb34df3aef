"""The content recommender and its fix (Everitt et al. 2021, Figs. 4a and 4b).

A recommender chooses posts P from a model M of its users' original opinions O. Rewarded for
clicks C, which depend on the users' influenced opinions I, it has an instrumental control
incentive on I: it gains by changing what its users think. Rewarding predicted clicks PC,
computed from the model of the original opinions, removes that incentive and keeps the
incentive to choose good posts.

Run: ``python examples/recommender.py``
"""

import cidlib

labels = {"O": "Original opinions", "M": "Model of opinions", "P": "Posts to show",
          "I": "Influenced opinions"}

clicks = cidlib.CID(
    [("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("I", "C"), ("P", "C")],
    decisions=["P"], utilities=["C"], labels={**labels, "C": "Clicks"},
)
predicted = cidlib.CID(
    [("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("M", "PC"), ("P", "PC")],
    decisions=["P"], utilities=["PC"], labels={**labels, "PC": "Predicted clicks"},
)

print("Rewarded for clicks")
print("===================")
print(cidlib.analyze(clicks))
print()
print(cidlib.admits_ici(clicks, "P", "I").explain())
print()
print("Rewarded for predicted clicks")
print("=============================")
print(cidlib.analyze(predicted))
print()
print(cidlib.admits_ici(predicted, "P", "I").explain())
print()
print("What the fix changes")
print("====================")
print(cidlib.compare(clicks, predicted))
