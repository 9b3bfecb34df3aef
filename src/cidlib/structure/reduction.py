"""Requisite observations and the minimal d-reduction.

An observation ``X`` of a decision ``D`` (an information link ``X -> D``) is *requisite* when
it can matter to the agent: ``X`` is d-connected to a utility of D's owner below D, given the
other parents of D and D itself. A nonrequisite observation can be ignored by some optimal
policy (Fagiuoli & Zaffalon 1998; Lauritzen & Nilsson 2001). One Bayes-ball pass from those
utilities, given ``Fa(D)``, finds every requisite observation of D at once: exactly the
parents of D the ball reaches (Shachter 1998).

The *minimal d-reduction* deletes nonrequisite information links until none is left.
Nonrequisiteness survives deletions, so the result is unique whatever the order. With one
decision one pass suffices; with several, deleting a link into one decision can make a link
into another nonrequisite, so passes repeat (in reverse topological order) until a fixpoint.
In a multi-agent diagram requisiteness is measured against the decision owner's utilities.

References
----------
.. [1] S. L. Lauritzen, D. Nilsson. "Representing and Solving Decision Problems with Limited
   Information." Management Science 47(9), 2001.
.. [2] T. Everitt et al. "Agent Incentives: A Causal Perspective." AAAI 2021, Def. 7 and 11.
.. [3] C. van Merwijk, R. Carey, T. Everitt. "A Complete Criterion for Value of Information
   in Soluble Influence Diagrams." AAAI 2022.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from cidlib.core.checks import ensure_diagram, owner_utilities, require_decision
from cidlib.core.diagram import InfluenceDiagram
from cidlib.core.names import node_key
from cidlib.core.paths import Path
from cidlib.core.search import Adjacency, Ball, bayes_ball, reach
from cidlib.exceptions import InvalidQueryError

__all__ = [
    "ObservationCheck",
    "check_observation",
    "minimal_reduction",
    "requisite_observations",
]

def utility_ball(
    pa: Adjacency, ch: Adjacency, decision: Hashable, utilities: frozenset[Hashable]
) -> tuple[dict[Hashable, Hashable | None], Ball]:
    """Bayes-ball from the ``utilities`` below ``decision``, given ``Fa(decision)``.

    Returns the reflexive descendants of ``decision`` (BFS pointers) and the ball, whose
    :meth:`~cidlib.graph.Ball.path` gives each reached node's active path to a utility.
    """
    below = reach(ch, [decision])
    targets = [u for u in utilities if u in below]
    family = {*pa[decision], decision}
    return below, bayes_ball(pa, ch, targets, family, reach(pa, family).keys())


def requisite_pass(
    pa: Adjacency, ch: Adjacency, decision: Hashable, utilities: frozenset[Hashable]
) -> tuple[frozenset[Hashable], Ball]:
    """Return the requisite parents of ``decision`` and the ball of :func:`utility_ball`.

    The requisite parents are exactly the parents the ball reaches, observed or not.
    """
    _, ball = utility_ball(pa, ch, decision, utilities)
    return frozenset(x for x in pa[decision] if ball.reached(x)), ball


def fixpoint(diagram: InfluenceDiagram, prune: Callable[[Hashable], bool]) -> None:
    """Call ``prune(decision)`` until no call deletes anything.

    ``prune`` deletes a decision's nonrequisite links and says whether it deleted any.
    Decisions go in reverse topological order. Deleting a decision's own nonrequisite links
    leaves its requisite set unchanged (intersection property), but may change another
    decision's, so a deletion marks every other decision for another check.
    """
    order = [n for n in reversed(diagram.topological_order()) if n in diagram.decisions]
    stale = set(order)
    while stale:
        for d in order:
            if d in stale:
                stale.discard(d)
                if prune(d):
                    stale.update(order)
                    stale.discard(d)


UtilityBall = tuple[dict[Hashable, Hashable | None], Ball]  # what utility_ball returns


def reduce_adjacency(
    diagram: InfluenceDiagram, parents: Adjacency, children: Adjacency,
    balls: dict[Hashable, UtilityBall] | None = None,
    first: dict[Hashable, UtilityBall] | None = None,
) -> tuple[Adjacency, Adjacency]:
    """Delete nonrequisite information links from copies of the adjacency, to a fixpoint.

    ``balls`` receives each decision's last :func:`utility_ball`, which is also its ball in
    the result (each decision is checked again after any deletion elsewhere, and deleting
    its own nonrequisite links changes neither what its ball reaches nor how). ``first``
    holds balls in the input adjacency: they are used, and the balls computed before the
    first deletion are added to them.
    """
    pa, ch = dict(parents), dict(children)
    deleted = False

    def prune(d: Hashable) -> bool:
        nonlocal deleted
        if first is not None and not deleted and d in first:
            below, ball = first[d]
        else:
            below, ball = utility_ball(pa, ch, d, owner_utilities(diagram, d))
            if first is not None and not deleted:
                first[d] = (below, ball)
        if balls is not None:
            balls[d] = (below, ball)
        kept = tuple(x for x in pa[d] if ball.reached(x))
        if len(kept) == len(pa[d]):
            return False
        requisite = set(kept)
        for x in pa[d]:
            if x not in requisite:
                ch[x] = tuple(c for c in ch[x] if c != d)
        pa[d] = kept
        deleted = True
        return True

    fixpoint(diagram, prune)
    return pa, ch


_CACHES: list[weakref.WeakKeyDictionary[InfluenceDiagram, Any]] = []


def diagram_cache() -> weakref.WeakKeyDictionary[InfluenceDiagram, Any]:
    """Return a new cache of results per diagram, emptied by :func:`clear_cache`."""
    cache: weakref.WeakKeyDictionary[InfluenceDiagram, Any] = weakref.WeakKeyDictionary()
    _CACHES.append(cache)
    return cache


def clear_cache() -> None:
    """Forget every cached reduction, ball and search (benchmarks time the first, uncached)."""
    for cache in _CACHES:
        cache.clear()


_REDUCED = diagram_cache()  # diagram -> (parents, children, {decision: ball}) of G*
_BALLS = diagram_cache()  # diagram -> {decision: ball in the diagram}


def _reduction(diagram: InfluenceDiagram) -> tuple[Adjacency, Adjacency,
                                                    dict[Hashable, UtilityBall]]:
    cached: tuple[Adjacency, Adjacency, dict[Hashable, UtilityBall]] | None = (
        _REDUCED.get(ensure_diagram(diagram)))
    if cached is None:  # the balls are kept for several decisions, where they are reused
        several = len(diagram.decisions) > 1
        balls: dict[Hashable, UtilityBall] = {}
        first = _BALLS.setdefault(diagram, {}) if several else None
        pa, ch = reduce_adjacency(diagram, diagram.pred, diagram.succ,
                                  balls if several else None, first)
        cached = _REDUCED[diagram] = (pa, ch, balls)
    return cached


def reduced_adjacency(diagram: InfluenceDiagram) -> tuple[Adjacency, Adjacency]:
    """Parents and children of the minimal d-reduction (cached per diagram; do not mutate)."""
    pa, ch, _ = _reduction(diagram)
    return pa, ch


def decision_ball(diagram: InfluenceDiagram, decision: Hashable, *,
                  reduced: bool = False) -> UtilityBall:
    """:func:`utility_ball` of ``decision`` in the diagram or its minimal d-reduction, cached.

    In the reduction, the ball is given the decision's family there; conditioning on the
    deleted parents as well changes nothing, since the ball does not reach them.
    """
    if reduced:
        pa, ch, balls = _reduction(diagram)
    else:
        pa, ch = diagram.pred, diagram.succ
        balls = _BALLS.setdefault(ensure_diagram(diagram), {})
    if decision not in balls:
        balls[decision] = utility_ball(pa, ch, decision, owner_utilities(diagram, decision))
    return balls[decision]


def requisite_observations(diagram: InfluenceDiagram, decision: Hashable) -> frozenset[Hashable]:
    """Return the requisite observations (parents) of ``decision``, in one linear pass.

    ``X`` in ``Pa(D)`` is requisite iff ``X`` is d-connected to a utility of D's owner that
    descends from D, given ``Fa(D) - {X}``.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("X", "Y"), ("Y", "U"), ("X", "D"), ("Y", "D"), ("D", "U")],
    ...                decisions=["D"], utilities=["U"])
    >>> sorted(requisite_observations(d, "D"))  # Y screens X off
    ['Y']
    """
    require_decision(diagram, decision)
    utilities = owner_utilities(diagram, decision)
    return requisite_pass(diagram.pred, diagram.succ, decision, utilities)[0]


def minimal_reduction(diagram: InfluenceDiagram) -> InfluenceDiagram:
    """Return the minimal d-reduction: ``diagram`` without its nonrequisite information links.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("Z1", "D1"), ("Z1", "D2"), ("Z2", "D2"), ("D1", "D2"), ("D2", "U")],
    ...                decisions=["D1", "D2"], utilities=["U"])
    >>> sorted(minimal_reduction(d).edges)
    [('D2', 'U')]
    """
    pa, _ = reduced_adjacency(diagram)
    removed = []
    for d in diagram.decisions:
        kept = set(pa[d])
        removed += [(x, d) for x in diagram.pred[d] if x not in kept]
    return diagram.remove_edges(removed) if removed else diagram


@dataclass(frozen=True)
class ObservationCheck:
    """Whether an observation is requisite, and why. Truthy iff requisite.

    Attributes
    ----------
    decision, observation
        The information link ``observation -> decision``.
    requisite : bool
        Whether the observation can matter to the decision's owner.
    witness : Path or None
        When requisite, an active path from the observation to a utility below the decision,
        given ``separator``.
    separator : frozenset
        The conditioning set ``Fa(decision) - {observation}`` of the test; when the
        observation is nonrequisite, this set separates it from every utility below the
        decision.
    utilities : frozenset
        The utilities of the decision's owner below the decision (the test's targets).
    """

    decision: Hashable
    observation: Hashable
    requisite: bool
    witness: Path | None
    separator: frozenset[Hashable]
    utilities: frozenset[Hashable]

    def __bool__(self) -> bool:
        return self.requisite

    def explain(self) -> str:
        """One sentence saying why the observation is or is not requisite."""
        given = ", ".join(str(n) for n in sorted(self.separator, key=node_key))
        if self.witness is not None:
            return (
                f"{self.observation} is a requisite observation of {self.decision}: "
                f"{self.witness} is active given {{{given}}}."
            )
        if not self.utilities:
            return (
                f"{self.observation} is not requisite for {self.decision}: no utility of "
                f"{self.decision}'s agent descends from {self.decision}."
            )
        targets = ", ".join(str(n) for n in sorted(self.utilities, key=node_key))
        return (
            f"{self.observation} is not requisite for {self.decision}: given {{{given}}} it is "
            f"d-separated from the utilities below {self.decision} ({targets})."
        )


def check_observation(
    diagram: InfluenceDiagram, decision: Hashable, observation: Hashable
) -> ObservationCheck:
    """Say whether ``observation -> decision`` is requisite, with a witness or a separator.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("X", "Y"), ("Y", "U"), ("X", "D"), ("Y", "D"), ("D", "U")],
    ...                decisions=["D"], utilities=["U"])
    >>> print(check_observation(d, "D", "X").explain())
    X is not requisite for D: given {D, Y} it is d-separated from the utilities below D (U).
    """
    require_decision(diagram, decision)
    diagram.require(observation)
    if observation not in diagram.parents(decision):
        raise InvalidQueryError(
            f"{observation!r} is not observed by {decision!r} (no edge {observation!r} -> "
            f"{decision!r}); requisiteness is about existing information links"
        )
    requisite, ball = requisite_pass(
        diagram.pred, diagram.succ, decision, owner_utilities(diagram, decision)
    )
    below = diagram.descendants(decision) & owner_utilities(diagram, decision)
    return ObservationCheck(
        decision=decision,
        observation=observation,
        requisite=observation in requisite,
        witness=ball.path(observation) if observation in requisite else None,
        separator=diagram.family(decision) - {observation},
        utilities=below,
    )
