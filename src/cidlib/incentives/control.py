"""Value of control (VoC) and instrumental control incentive (ICI).

**Value of control** (Everitt et al. 2021, Def. 15): would the agent gain if it could also
set ``X`` (by a soft intervention respecting the graph), optimising its policy jointly? It
concerns nodes the agent does not choose, so decisions never have it. Criterion (Thm 16):
``X`` admits VoC iff the minimal reduction has a directed path from ``X`` to *some* utility
(all utilities count, not only those below ``D``). A utility has VoC trivially, by the path
of length 0.

**Instrumental control incentive** (Def. 17): could the agent change its utility by
influencing ``X`` alone, with ``X`` set to what it would be under another decision? Criterion
(Thm 18): iff there is a directed path ``D -> ... -> X -> ... -> U`` to a utility ``U``.
``D`` itself and the utilities below it have one trivially. Nodes that do not descend from
``D`` never do, even when they have VoC: the recommender's original opinions have VoC but
no ICI.

Both are one breadth-first search (two for ICI) in the minimal reduction; for one decision
the ICI search never enters ``D`` so reduction does not change it. With several decisions
these are natural generalisations with no published completeness proof, marked
``generalised``.

References
----------
.. [1] T. Everitt, R. Carey, E. Langlois, P. A. Ortega, S. Legg. "Agent Incentives: A Causal
   Perspective." AAAI 2021.
.. [2] R. Carey, E. Langlois, T. Everitt, S. Legg. "The Incentives that Shape Behaviour."
   arXiv:2001.07118, 2020.
"""

from __future__ import annotations

from collections.abc import Hashable

from cidlib.core.diagram import InfluenceDiagram
from cidlib.core.search import Segment, Trail, reach
from cidlib.incentives.base import Incentive, IncentiveKind, Search, check_query
from cidlib.structure.reduction import reduced_adjacency

__all__ = ["admits_ici", "admits_voc", "ici_nodes", "voc_nodes"]

def voc_search(diagram: InfluenceDiagram, decision: Hashable) -> Search:
    """Non-decision ancestors (reflexive) of the utilities in the minimal reduction."""
    del decision  # one agent: every utility counts, whichever decision is asked about
    pa, _ = reduced_adjacency(diagram)
    pointers = reach(pa, diagram.utilities)
    decisions = diagram.decisions
    nodes = frozenset(v for v in pointers if v not in decisions)
    trail = Trail.of_pointers(pointers, forward=True)
    return Search.along(nodes, lambda v: (Segment(trail, v),),
                        generalised=len(decisions) > 1, trivial=diagram.utilities)


def ici_search(diagram: InfluenceDiagram, decision: Hashable) -> Search:
    """Nodes on a directed path from ``decision`` to a utility, in the minimal reduction."""
    pa, ch = reduced_adjacency(diagram)
    forward = reach(ch, [decision])
    backward = reach(pa, diagram.utilities)
    nodes = frozenset(v for v in forward if v in backward)
    # decision -> ... -> v read back along the forward search, then v -> ... -> a utility
    head = Trail.of_pointers(forward, forward=False)
    tail = Trail.of_pointers(backward, forward=True)
    return Search.along(nodes, lambda v: (Segment(head, v, reversed=True), Segment(tail, v)),
                        generalised=len(diagram.decisions) > 1,
                        trivial=diagram.utilities | {decision})


def _voc_reason(diagram: InfluenceDiagram, node: Hashable) -> str:
    if node in diagram.decisions:
        return (f"{node} is a decision, and value of control concerns nodes the agent does "
                "not choose")
    return f"the minimal reduction has no directed path from {node} to a utility"


def admits_voc(diagram: InfluenceDiagram, decision: Hashable, node: Hashable) -> Incentive:
    """Decide whether the graph admits positive value of control on ``node``.

    ``decision`` names the agent whose utilities count (one agent: all of them).

    Returns
    -------
    Incentive
        Truthy iff present; ``witness`` is a directed path ``node -> ... -> U`` to a utility
        in the minimal reduction; ``trivial`` when ``node`` is itself a utility.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("I", "C"),
    ...                 ("P", "C")], decisions=["P"], utilities=["C"])
    >>> print(admits_voc(d, "P", "O").witness)
    O -> I -> C
    """
    check_query(diagram, decision, node)
    return voc_search(diagram, decision).incentive(
        IncentiveKind.VOC, decision, node, reason=_voc_reason(diagram, node)
    )


def admits_ici(diagram: InfluenceDiagram, decision: Hashable, node: Hashable) -> Incentive:
    """Decide whether the graph admits an instrumental control incentive on ``node``.

    Returns
    -------
    Incentive
        Truthy iff present; ``witness`` is a directed path ``decision -> ... -> node -> ...
        -> U``; ``trivial`` when ``node`` is the decision itself or a utility.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("I", "C"),
    ...                 ("P", "C")], decisions=["P"], utilities=["C"])
    >>> print(admits_ici(d, "P", "I").witness)
    P -> I -> C
    >>> bool(admits_ici(d, "P", "O"))
    False
    """
    check_query(diagram, decision, node)
    return ici_search(diagram, decision).incentive(
        IncentiveKind.ICI, decision, node,
        reason=f"there is no directed path from {decision} through {node} to a utility",
    )


def voc_nodes(diagram: InfluenceDiagram, decision: Hashable) -> frozenset[Hashable]:
    """Return every node with (graphically admissible) value of control (one linear pass).

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("I", "C"),
    ...                 ("P", "C")], decisions=["P"], utilities=["C"])
    >>> sorted(voc_nodes(d, "P"))
    ['C', 'I', 'M', 'O']
    """
    check_query(diagram, decision)
    return voc_search(diagram, decision).nodes


def ici_nodes(diagram: InfluenceDiagram, decision: Hashable) -> frozenset[Hashable]:
    """Return every node with an instrumental control incentive for ``decision``.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("I", "C"),
    ...                 ("P", "C")], decisions=["P"], utilities=["C"])
    >>> sorted(ici_nodes(d, "P"))
    ['C', 'I', 'P']
    """
    check_query(diagram, decision)
    return ici_search(diagram, decision).nodes
