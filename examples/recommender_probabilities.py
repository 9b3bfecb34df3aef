"""The content recommender with probabilities: how much the optimal policy shifts opinions.

The graphs are those of ``examples/recommender.py``. Here users start moderate, on the left
(-1) or the right (+1). The recommender shows posts P from one side or balanced ones (0),
chosen from a 90%-accurate model M of the user's side. Partisan posts for a user's own side
push a moderate user to the extreme (+-2) with probability 0.6. A moderate user clicks
balanced posts most (0.6, against 0.5 for posts of their side); an extreme user clicks posts
of their side with probability 0.95.

Rewarded for clicks, the optimal policy shows partisan posts and polarises its users;
rewarded for clicks predicted from the model of the *original* opinions, it shows balanced
posts and leaves opinions alone. The value of controlling the users' opinions falls to zero,
and so do the response incentives on the opinions and the model and the instrumental control
incentive on the influenced opinions, measured by their counterfactual definitions
(docs/howto/recommender-counterfactuals.md explains the numbers).

Run: ``python examples/recommender_probabilities.py`` (numpy only; pgmpy is not needed).
"""

import cidlib


def click_chance(opinion: int, post: int) -> float:
    """Probability that a user with ``opinion`` clicks ``post``."""
    if post == 0:
        return 0.6 if abs(opinion) == 1 else 0.3
    if (post > 0) == (opinion > 0):
        return 0.5 if abs(opinion) == 1 else 0.95
    return 0.1


def influence(O: int, P: int) -> dict[int, float]:
    """Partisan posts for the user's own side polarise them with probability 0.6."""
    return {O: 0.4, 2 * O: 0.6} if P == O else {O: 1.0}


edges = [("O", "M"), ("M", "P"), ("O", "I"), ("P", "I")]
clicks = cidlib.CID([*edges, ("I", "C"), ("P", "C")], decisions=["P"], utilities=["C"])
predicted = cidlib.CID([*edges, ("M", "PC"), ("P", "PC")], decisions=["P"], utilities=["PC"])

common = {
    "O": cidlib.uniform([-1, 1]),
    "M": cidlib.noisy_copy("O", 0.9),
    "P": [-1, 0, 1],
    "I": influence,
}
actual = cidlib.parameterize(
    clicks, common, C=lambda I, P: {1: click_chance(I, P), 0: 1 - click_chance(I, P)}
)
model = cidlib.parameterize(predicted, common, PC=lambda M, P: click_chance(M, P))  # noqa: PLW0108 -- the lambda names the parents

rows = []
for title, pd in (("rewarded for clicks", actual), ("rewarded for predicted clicks", model)):
    policy = cidlib.optimal_policy(pd)
    opinions = cidlib.query(actual, ["I"], policy=policy)
    rows.append((
        title,
        str(policy),
        cidlib.expected_utility(actual, policy),  # actual clicks, whatever the reward
        opinions[-2] + opinions[2],
        cidlib.quantitative_voc(pd, "P", "I"),
    ))

width = max(len(r[0]) for r in rows)
print(f"{'design':<{width}}  {'expected clicks':>15}  {'users polarised':>15}  {'VoC of I':>8}")
for title, _, expected_clicks, polarised, voc in rows:
    print(f"{title:<{width}}  {expected_clicks:>15.3f}  {polarised:>15.3f}  {voc:>8.3f}")
print()
for title, policy, *_ in rows:
    print(f"optimal policy, {title}: {policy}")
print()
print(f"{'counterfactual incentives':<{width}}  {'RI on O':>7}  {'RI on M':>7}  {'ICI on I':>8}")
for title, pd in (("rewarded for clicks", actual), ("rewarded for predicted clicks", model)):
    ri_o = cidlib.quantitative_ri(pd, "P", "O").value
    ri_m = cidlib.quantitative_ri(pd, "P", "M").value
    ici_i = cidlib.quantitative_ici(pd, "P", "I").value
    print(f"{title:<{width}}  {ri_o:>7.3f}  {ri_m:>7.3f}  {ici_i:>8.3f}")
