"""Response incentive (RI): must every optimal policy respond to ``X``.

Definition (Everitt et al. 2021, Def. 10). There is a response incentive on ``X`` when every
optimal policy makes the decision counterfactually depend on ``X``: some intervention on ``X``
changes the decision. It concerns nodes the agent does not choose; for a decision node the
answer is always no, and utilities, having no children, never have one.

Criterion (Thm 12): the graph admits a response incentive on ``X`` iff the minimal reduction
(the graph without nonrequisite information links) has a directed path ``X -> ... -> D``.
One reverse breadth-first search from ``D`` in the minimal reduction finds all of them; the
witness is that directed path. With several decisions this is a natural generalisation
evaluated on the minimal d-reduction, with no published completeness proof, and results are
marked ``generalised``.

This criterion also characterises counterfactual unfairness (Thm 14): all optimal policies
are counterfactually unfair with respect to a sensitive attribute ``A`` iff ``A`` has a
response incentive.

References
----------
.. [1] T. Everitt, R. Carey, E. Langlois, P. A. Ortega, S. Legg. "Agent Incentives: A Causal
   Perspective." AAAI 2021.
"""

from __future__ import annotations

from collections.abc import Hashable

from cidlib.core.diagram import InfluenceDiagram
from cidlib.core.search import Segment, Trail, reach
from cidlib.incentives.base import Incentive, IncentiveKind, Search, check_query
from cidlib.structure.reduction import reduced_adjacency
from cidlib.structure.separation import directed_path

__all__ = ["admits_ri", "ri_nodes"]


def ri_search(diagram: InfluenceDiagram, decision: Hashable) -> Search:
    """Chance-node ancestors of ``decision`` in the minimal reduction, with witnesses."""
    pa, _ = reduced_adjacency(diagram)
    pointers = reach(pa, [decision])
    chance = diagram.chance
    nodes = frozenset(v for v in pointers if v in chance)
    trail = Trail.of_pointers(pointers, forward=True)
    return Search.along(nodes, lambda v: (Segment(trail, v),),
                  generalised=len(diagram.decisions) > 1)


def _reason(diagram: InfluenceDiagram, decision: Hashable, node: Hashable) -> str:
    if node in diagram.decisions:
        return (f"{node} is a decision, and response incentives concern nodes the agent does "
                "not choose")
    if node in diagram.utilities:
        return f"{node} is a utility, and utilities have no children"
    if directed_path(diagram, node, decision) is None:
        return f"there is no directed path from {node} to {decision}"
    return (f"every directed path from {node} to {decision} uses a nonrequisite information "
            "link, so none is left in the minimal reduction")


def admits_ri(diagram: InfluenceDiagram, decision: Hashable, node: Hashable) -> Incentive:
    """Decide whether the graph admits a response incentive on ``node`` for ``decision``.

    Returns
    -------
    Incentive
        Truthy iff present; ``witness`` is a directed path ``node -> ... -> decision`` in the
        minimal reduction, every information link on it requisite.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("R", "HS"), ("HS", "E"), ("HS", "P"), ("E", "Gr"), ("Gr", "Ac"),
    ...                 ("Ge", "P"), ("P", "Ac")], decisions=["P"], utilities=["Ac"])
    >>> print(admits_ri(d, "P", "R").witness)
    R -> HS -> P
    >>> bool(admits_ri(d, "P", "Ge"))  # gender is not a requisite observation
    False
    """
    check_query(diagram, decision, node)
    return ri_search(diagram, decision).incentive(
        IncentiveKind.RI, decision, node, reason=_reason(diagram, decision, node)
    )


def ri_nodes(diagram: InfluenceDiagram, decision: Hashable) -> frozenset[Hashable]:
    """Return every node on which ``decision`` has a response incentive (one linear pass).

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("R", "HS"), ("HS", "E"), ("HS", "P"), ("E", "Gr"), ("Gr", "Ac"),
    ...                 ("Ge", "P"), ("P", "Ac")], decisions=["P"], utilities=["Ac"])
    >>> sorted(ri_nodes(d, "P"))
    ['HS', 'R']
    """
    check_query(diagram, decision)
    return ri_search(diagram, decision).nodes
