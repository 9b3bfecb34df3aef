"""Introduced total variation: when an optimal predictor can be less fair than its labels.

Ashurst et al. (2022) study a supervised-learning diagram: a label ``Y``, a prediction ``Ŷ``
(the decision), a loss ``U`` (a utility below ``Ŷ``), features ``Pa(Ŷ)`` and a sensitive
attribute ``A``. The *total variation* of a variable ``V`` is ``E[V | A=a1] - E[V | A=a0]``;
the prediction *introduces* variation when ``|TV(Ŷ)| > |TV(Y)|``: the predictor is less fair
than the labels it was trained on.

Graphical conditions, each one or two Bayes-ball passes (O(|V| + |E|)):

* **any loss**: some parameterisation and loss give an optimal predictor positive introduced
  total variation iff some *requisite* feature ``W`` of ``Ŷ`` (see
  :func:`~cidlib.requisite_observations`) is d-connected to ``A`` given nothing;
* **P-admissible loss** (one whose optimal predictor is the conditional expectation, such as
  squared error): in addition ``A`` is not a feature, and ``A`` is d-connected to the loss
  given ``Fa(Ŷ)``. So making ``A`` a feature removes introduced variation under such losses.

The conditions are stated here as in the paper's accompanying PyCID notebook; the paper is
the authority on their exact scope.

References
----------
.. [1] C. Ashurst, R. Carey, S. Chiappa, T. Everitt. "Why Fair Labels Can Yield Unfair
   Predictions: Graphical Conditions for Introduced Unfairness." AAAI 2022.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from cidlib.core.checks import owner_utilities, require_decision
from cidlib.core.diagram import InfluenceDiagram, NodeKind
from cidlib.core.names import sort_nodes
from cidlib.core.paths import Path
from cidlib.core.search import bayes_ball, reach
from cidlib.exceptions import InvalidQueryError
from cidlib.structure.reduction import requisite_observations

__all__ = ["IntroducedVariation", "admits_itv"]


@dataclass(frozen=True)
class IntroducedVariation:
    """Whether the graph admits introduced total variation, and why. Truthy iff it does.

    Attributes
    ----------
    predictor, sensitive
        The decision ``Ŷ`` and the sensitive attribute ``A``.
    p_admissible : bool
        Whether the question was about P-admissible losses (e.g. squared error) only.
    witness : Path or None
        When admitted, a path from ``A`` to a requisite feature ``W`` of ``Ŷ`` that is active
        given nothing: how variation in ``A`` reaches what the predictor must use.
    loss_path : Path or None
        For P-admissible losses, when admitted, a path from ``A`` to the loss that is active
        given ``Fa(Ŷ)``.
    reason : str
        Why it is not admitted (empty when it is).
    """

    predictor: Hashable
    sensitive: Hashable
    p_admissible: bool
    witness: Path | None
    loss_path: Path | None = None
    reason: str = ""

    def __bool__(self) -> bool:
        return self.witness is not None

    def explain(self) -> str:
        """One sentence: the answer and its reason, with the witness."""
        loss = "a P-admissible loss" if self.p_admissible else "some loss"
        head = f"{self.predictor} can introduce total variation in {self.sensitive} under {loss}"
        if self.witness is None:
            return f"{head.replace(' can ', ' cannot ', 1)}: {self.reason}."
        why = (f", because {self.witness} carries {self.sensitive} into "
               f"{self.witness.end}, a requisite feature")
        if self.loss_path is not None:
            why += f", and {self.loss_path} reaches the loss given what {self.predictor} sees"
        return head + why + "."


def admits_itv(
    diagram: InfluenceDiagram, predictor: Hashable, sensitive: Hashable, *,
    p_admissible: bool = False,
) -> IntroducedVariation:
    """Decide whether an optimal ``predictor`` can introduce total variation in ``sensitive``.

    Parameters
    ----------
    diagram : InfluenceDiagram
    predictor : node
        The decision that predicts the label; its utilities below it are the loss.
    sensitive : node
        A chance node: the sensitive attribute.
    p_admissible : bool
        Ask about P-admissible losses (whose optimal predictor is the conditional
        expectation, such as squared error) instead of any loss.

    Returns
    -------
    IntroducedVariation
        Truthy iff some parameterisation admits it, with the path that shows it.

    Examples
    --------
    The hiring example of Ashurst et al. (2022): variation is possible under some loss, not
    under a P-admissible one.

    >>> import cidlib
    >>> hiring = cidlib.catalogue.hiring()
    >>> print(admits_itv(hiring, "Yh", "A").explain())  # doctest: +NORMALIZE_WHITESPACE
    Yh can introduce total variation in A under some loss, because A -> D carries A into D,
    a requisite feature.
    >>> answer = admits_itv(hiring, "Yh", "A", p_admissible=True)
    >>> print(answer.explain())  # doctest: +NORMALIZE_WHITESPACE
    Yh cannot introduce total variation in A under a P-admissible loss: given {D, Yh} A is
    d-separated from the loss (U).
    """
    require_decision(diagram, predictor)
    if diagram.kind(sensitive) is not NodeKind.CHANCE:
        raise InvalidQueryError(f"sensitive attribute {sensitive!r} must be a chance node")
    witness = _feature_path(diagram, predictor, sensitive)
    if witness is None:
        return IntroducedVariation(
            predictor, sensitive, p_admissible, None,
            reason=f"no requisite feature of {predictor} is d-connected to {sensitive}")
    if not p_admissible:
        return IntroducedVariation(predictor, sensitive, p_admissible, witness)
    if sensitive in diagram.pred[predictor]:
        return IntroducedVariation(
            predictor, sensitive, p_admissible, None,
            reason=f"{sensitive} is a feature of {predictor}, so the conditional expectation "
                   "already accounts for it")
    loss_path = _loss_path(diagram, predictor, sensitive)
    if loss_path is None:
        family = ", ".join(str(n) for n in sort_nodes({predictor, *diagram.pred[predictor]}))
        loss = ", ".join(str(u) for u in sort_nodes(_loss(diagram, predictor))) or "none"
        return IntroducedVariation(
            predictor, sensitive, p_admissible, None,
            reason=f"given {{{family}}} {sensitive} is d-separated from the loss ({loss})")
    return IntroducedVariation(predictor, sensitive, p_admissible, witness, loss_path)


def _loss(diagram: InfluenceDiagram, predictor: Hashable) -> frozenset[Hashable]:
    return owner_utilities(diagram, predictor) & diagram.descendants(predictor)


def _feature_path(diagram: InfluenceDiagram, predictor: Hashable,
                  sensitive: Hashable) -> Path | None:
    """Return an active path (given nothing) from ``A`` to the first requisite feature."""
    ball = bayes_ball(diagram.pred, diagram.succ, [sensitive], (), ())
    for feature in sort_nodes(requisite_observations(diagram, predictor)):
        if ball.reached(feature):
            return ball.path(feature).reversed()
    return None


def _loss_path(diagram: InfluenceDiagram, predictor: Hashable,
               sensitive: Hashable) -> Path | None:
    """Return a path from ``A`` to the loss that is active given ``Fa(Ŷ)``, or None."""
    family = {predictor, *diagram.pred[predictor]}
    ball = bayes_ball(diagram.pred, diagram.succ, [sensitive], family, reach(diagram.pred, family))
    for u in sort_nodes(_loss(diagram, predictor)):
        if ball.reached(u) and u not in family:
            return ball.path(u).reversed()
    return None
