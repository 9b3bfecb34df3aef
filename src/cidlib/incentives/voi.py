"""Value of information (VoI): would the agent gain from observing ``X`` before deciding.

Definition (Everitt et al. 2021, Def. 8). ``X`` has positive VoI for ``D`` when the best
attainable expected utility with the link ``X -> D`` exceeds the best without it. It is
defined for nodes that could be observed: not ``D``, not a descendant of ``D`` (the link would
close a cycle) and not a utility (utilities have no children). Asking about those is an
:class:`~cidlib.exceptions.InvalidQueryError`, not a ``False``.

Criterion, one decision (Thm 9): the graph admits positive VoI on ``X`` iff ``X`` is
d-connected to a utility below ``D`` given ``Fa(D) - {X}``. One Bayes-ball pass from those
utilities, given ``Fa(D)``, answers it for every ``X`` at once: the parents it reaches are the
requisite observations, the other nodes it reaches are d-connected. The witness is the
ball's active path from ``X`` to a utility.

Criterion, several decisions of one agent (van Merwijk et al. 2022): in a *soluble* diagram
(no cycle of strategic reliance), ``X`` has VoI for ``D`` iff the link ``X -> D`` survives the
minimal d-reduction of the diagram with ``X -> D`` added. This is complete; the single-decision
test on the raw graph is not. The single-decision pass still bounds the answer from above
(reduction only removes active paths); its nodes are decided together by searches they share
(:mod:`cidlib.incentives.voi_batch`), and a witness is an active path in the reduction of the
diagram with the link, computed when asked for. A link the reduction deletes
never has value, soluble or not (Fagiuoli & Zaffalon 1998; Lauritzen & Nilsson 2001); when
the link survives but the diagram with it is not soluble, the criterion cannot decide and
cidlib says so rather than guess.

References
----------
.. [1] T. Everitt, R. Carey, E. Langlois, P. A. Ortega, S. Legg. "Agent Incentives: A Causal
   Perspective." AAAI 2021.
.. [2] C. van Merwijk, R. Carey, T. Everitt. "A Complete Criterion for Value of Information in
   Soluble Influence Diagrams." AAAI 2022.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable

from cidlib.core.checks import owner_utilities, require_observable
from cidlib.core.diagram import InfluenceDiagram
from cidlib.core.names import node_key, show_names
from cidlib.core.paths import Path
from cidlib.core.search import Adjacency, Segment, Trail
from cidlib.exceptions import UndeterminedError, UnsupportedDiagramError
from cidlib.incentives.base import Incentive, IncentiveKind, Search, check_query
from cidlib.incentives.voi_batch import decision_search, new_link_voi
from cidlib.structure.reduction import (
    decision_ball,
    reduce_adjacency,
    reduced_adjacency,
    requisite_pass,
    utility_ball,
)
from cidlib.structure.relevance import relevance_cycle

__all__ = ["admits_voi", "voi_nodes"]


def _candidates(diagram: InfluenceDiagram, decision: Hashable) -> Search:
    """Run the single-decision pass: exact for one decision, an upper bound for several."""
    below, ball = utility_ball(
        diagram.pred, diagram.succ, decision, owner_utilities(diagram, decision)
    )
    utilities = diagram.utilities
    nodes = frozenset(v for v in ball.nodes() if v not in below and v not in utilities)
    trail = ball.trail()
    return Search.along(nodes, lambda v: (ball.segment(trail, v),))


def _insoluble(decision: Hashable, cycle: list[Hashable], added: Hashable | None,
               ) -> UndeterminedError:
    """Return the error for a diagram not soluble (or not once ``added -> decision`` is in)."""
    context = "" if added is None else f" once {added} -> {decision} is added"
    text = " -> ".join(str(n) for n in cycle)
    return UndeterminedError(
        f"the diagram is not soluble{context}: its decisions rely on each other in the cycle "
        f"{text} (an edge D -> D' means D relies on D'); the complete VoI criterion for several "
        "decisions needs a soluble diagram, i.e. sufficient recall: let later decisions observe "
        "what earlier ones observed and chose"
    )


def _soluble_or_raise(
    diagram: InfluenceDiagram, decision: Hashable, pa: Adjacency, ch: Adjacency,
    added: Hashable | None,
) -> None:
    agent = diagram.agent_of(decision)
    cycle = relevance_cycle(diagram, agent, pa, ch)
    if cycle is None:
        return
    original = relevance_cycle(diagram, agent) if added is not None else None
    if original is not None:
        raise _insoluble(decision, original, None)
    raise _insoluble(decision, cycle, added)


def exact_voi(diagram: InfluenceDiagram, decision: Hashable, node: Hashable) -> Path | None:
    """Run the complete multi-decision test; return the witness if ``node -> decision`` survives.

    A link deleted by the reduction has no value in any diagram, soluble or not (deleting
    nonrequisite links never lowers the attainable value). Only a surviving link needs the
    soluble diagram that the completeness theorem assumes.
    """
    pa, ch = diagram.pred, diagram.succ
    added = node not in pa[decision]
    if added:
        pa = {**pa, decision: (*pa[decision], node)}
        ch = {**ch, node: (*ch[node], decision)}
        rpa, rch = reduce_adjacency(diagram, pa, ch)
    else:
        rpa, rch = reduced_adjacency(diagram)
    if node not in rpa[decision]:
        return None
    _soluble_or_raise(diagram, decision, pa, ch, node if added else None)
    _, ball = requisite_pass(rpa, rch, decision, owner_utilities(diagram, decision))
    return ball.path(node)


def voi_search(diagram: InfluenceDiagram, decision: Hashable) -> Search:
    """Every node with VoI for ``decision``, with witnesses (the diagram is checked already).

    Several decisions: the links from new observations are decided all at once
    (:mod:`cidlib.incentives.voi_batch`); existing observations by the minimal d-reduction
    of the diagram. Witnesses are computed when asked for.
    """
    if len(diagram.decisions) == 1:
        return _candidates(diagram, decision)
    search = decision_search(diagram, decision)
    observed = set(diagram.pred[decision])
    reached = search.ball.up.keys() | search.ball.down.keys()
    new = reached.difference(search.below, diagram.utilities, observed)
    answer = new_link_voi(diagram, decision, new)
    found, unknown = set(answer.found), set(answer.unknown)
    kept = observed.intersection(reduced_adjacency(diagram)[0][decision])
    original = relevance_cycle(diagram, diagram.agent_of(decision))
    (found if original is None else unknown).update(kept)
    why = ""
    if unknown:
        first = _first(unknown)
        if original is not None:
            why = str(_insoluble(decision, original, None))
        elif first in answer.cycles:
            why = str(_insoluble(decision, answer.cycles[first], first))
        else:
            try:
                exact_voi(diagram, decision, first)
            except UnsupportedDiagramError as err:
                why = str(err)
    # A node whose link the reduction G* keeps, or that keeps G*'s links requisite, has as
    # witness the path of the decision's ball in G*: it is active in the reduction of the
    # diagram with the link too (that reduction has all of G*'s links, and more links, or
    # observations of nodes the path avoids, keep a path active). Otherwise one reduction.
    in_reduction = answer.survived | kept
    ball = decision_ball(diagram, decision, reduced=True)[1]
    trail = ball.trail()

    def route(node: Hashable) -> tuple[Segment, ...]:
        if node in in_reduction:  # walks shared with every other such witness
            return (ball.segment(trail, node),)
        path = exact_voi(diagram, decision, node)
        assert path is not None, "asked for the witness of a node without VoI"
        return (Segment(Trail.of_path(path), 0),)

    return Search.along(frozenset(found), route, undetermined=frozenset(unknown),
                        why_undetermined=why)


def _first(nodes: Collection[Hashable]) -> Hashable:
    """Return the first of ``nodes`` in :func:`~cidlib.core.names.node_key` order, in O(n)."""
    text = min(map(str, nodes))
    return min((n for n in nodes if str(n) == text), key=node_key)


def _reason(diagram: InfluenceDiagram, decision: Hashable, node: Hashable) -> str:
    given = ", ".join(str(n) for n in sorted(diagram.family(decision) - {node}, key=node_key))
    if len(diagram.decisions) > 1:
        return ("the link would not survive the minimal d-reduction of the diagram with it "
                "added (van Merwijk et al. 2022)")
    return (f"it is d-separated from every utility below {decision} given the decision's "
            f"other observations and the decision ({{{given}}})")


def admits_voi(diagram: InfluenceDiagram, decision: Hashable, node: Hashable) -> Incentive:
    """Decide whether the graph admits positive value of information on ``node``.

    Parameters
    ----------
    diagram : InfluenceDiagram
        A diagram with one agent (use ``diagram.for_agent(a)`` for several).
    decision : node
        A decision node.
    node : node
        A node that is not ``decision``, not a descendant of it and not a utility.

    Returns
    -------
    Incentive
        Truthy iff present; ``witness`` is an active path from ``node`` to a utility below
        ``decision`` given the other parents of ``decision`` and ``decision`` itself.

    Raises
    ------
    InvalidQueryError
        When VoI is undefined for ``node`` (see the module docstring).
    UnsupportedDiagramError
        For several agents, or several decisions in a diagram that is not soluble.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("R", "HS"), ("HS", "E"), ("HS", "P"), ("E", "Gr"), ("Gr", "Ac"),
    ...                 ("Ge", "P"), ("P", "Ac")], decisions=["P"], utilities=["Ac"])
    >>> print(admits_voi(d, "P", "E").witness)
    E -> Gr -> Ac
    >>> bool(admits_voi(d, "P", "R"))  # high school screens race off
    False
    """
    check_query(diagram, decision, node)
    require_observable(diagram, decision, node)
    if len(diagram.decisions) == 1:
        search = _candidates(diagram, decision)
    else:
        path = exact_voi(diagram, decision, node)
        found = {} if path is None else {node: path}
        search = Search(frozenset(found), found.__getitem__)
    return search.incentive(IncentiveKind.VOI, decision, node,
                            reason=_reason(diagram, decision, node))


def voi_nodes(diagram: InfluenceDiagram, decision: Hashable) -> frozenset[Hashable]:
    """Return every node with (graphically admissible) value of information for ``decision``.

    One decision: one linear Bayes-ball pass. Several decisions: that pass bounds the answer,
    and its nodes are decided together by a few passes they share (docs/theory.md, "Several
    decisions"); when adding some node's link makes the diagram insoluble, the criterion
    cannot decide and this raises :class:`~cidlib.exceptions.UndeterminedError` (a kind of
    :class:`~cidlib.exceptions.UnsupportedDiagramError`) naming those nodes (:func:`analyze`
    reports them as undetermined instead).

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("R", "HS"), ("HS", "E"), ("HS", "P"), ("E", "Gr"), ("Gr", "Ac"),
    ...                 ("Ge", "P"), ("P", "Ac")], decisions=["P"], utilities=["Ac"])
    >>> sorted(voi_nodes(d, "P"))
    ['E', 'Gr', 'HS']
    """
    check_query(diagram, decision)
    search = voi_search(diagram, decision)
    if search.undetermined:
        first = _first(search.undetermined)
        raise UndeterminedError(
            f"value of information for {decision} is undetermined on "
            f"{show_names(search.undetermined)}; for {first}: {search.why_undetermined}"
        )
    return search.nodes
