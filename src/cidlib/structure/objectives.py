"""Path-specific objectives: remove the incentive to control *delicate* variables.

Some variables an agent can influence should not be a means to its ends: a user's
preferences, a shutdown button, the parameters of its own reward. A *path-specific objective*
(Farquhar, Carey & Everitt 2022) rewards the agent only for the effect of its decision that
does not run through such a delicate variable ``Z``: along the paths through ``Z`` the
utility sees ``Z`` at the value it would take under a *default* (baseline) policy, the
nested counterfactual ``U_{pi, Z_{pi-bar}}``. In the graph of that objective there is no
directed path ``D -> ... -> Z -> ... -> U``, so by the criterion for instrumental control
incentives the agent has no instrumental control incentive on ``Z``; incentives on task
variables whose paths to utility avoid ``Z`` are kept. Side effects on ``Z`` remain possible;
they are just not incentivised.

:func:`path_specific_objective` builds that graph from a diagram.

References
----------
.. [1] S. Farquhar, R. Carey, T. Everitt. "Path-Specific Objectives for Safer Agent
   Incentives." AAAI 2022 (arXiv 2204.10018).
.. [2] T. Everitt, R. Carey, E. Langlois, P. A. Ortega, S. Legg. "Agent Incentives: A Causal
   Perspective." AAAI 2021, Thm. 18.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

from cidlib.core.checks import ensure_diagram, owner_utilities, require_decision
from cidlib.core.diagram import Edge, InfluenceDiagram, NodeKind
from cidlib.core.names import names_of, node_key
from cidlib.exceptions import (
    ArgumentTypeError,
    DiagramError,
    InvalidQueryError,
    UnsupportedDiagramError,
)

__all__ = ["path_specific_objective"]


def _default_name(node: Hashable, suffix: str) -> Hashable:
    return f"{node}{suffix}" if isinstance(node, str) else (node, suffix)


def _check_delicate(diagram: InfluenceDiagram, decision: Hashable,
                    delicate: Iterable[Hashable]) -> list[Hashable]:
    nodes: list[Hashable] = []
    for z in names_of(delicate, "delicate"):
        kind = diagram.kind(z)  # unknown names raise UnknownNodeError with a suggestion
        if kind is not NodeKind.CHANCE:
            what = "the decision itself" if z == decision else f"a {kind} node"
            raise InvalidQueryError(
                f"delicate node {z!r} is {what}; delicate nodes are chance nodes the agent "
                "should not influence as a means to its utility"
            )
        if z not in diagram.descendants(decision):
            raise InvalidQueryError(
                f"delicate node {z!r} is not a descendant of decision {decision!r}: the "
                "decision cannot influence it, so its value under the default policy is its "
                "actual value; drop it from delicate"
            )
        observers = sorted(diagram.children(z) & diagram.decisions, key=node_key)
        if observers:
            raise UnsupportedDiagramError(
                f"delicate node {z!r} is observed by decision {observers[0]!r}; a path-specific "
                "objective here keeps decisions observing the actual value, which this "
                "function does not model: remove the information link or the node from "
                "delicate"
            )
        if z not in nodes:
            nodes.append(z)
    if not nodes:
        raise InvalidQueryError(
            "delicate is empty; name at least one chance node the agent should not influence"
        )
    return nodes


def path_specific_objective(
    diagram: InfluenceDiagram,
    decision: Hashable,
    delicate: Iterable[Hashable],
    *,
    suffix: str = "_default",
) -> InfluenceDiagram:
    """Return the diagram of the path-specific objective that leaves ``delicate`` alone.

    The construction is a twin network for the default policy, restricted to what the
    delicate nodes need:

    1. The default action: a chance node ``D_default`` with the decision's parents (the
       default policy may use the decision's observations; a fixed action is a special case).
    2. For every node ``V`` on a directed path from the decision to a delicate node
       (delicate nodes included), a chance node ``V_default``: ``V`` under the default
       policy. Its parents are ``V``'s parents, each replaced by its ``_default`` copy when it
       has one (so ``Z_default`` keeps ``Z``'s parents that the decision does not influence).
    3. Every edge ``Z -> C`` from a delicate node ``Z`` to a node ``C`` that is (or leads to)
       a utility of the decision's owner now leaves ``Z_default`` instead: along every path
       through ``Z`` the objective sees ``Z`` under the default policy.

    Other edges, including ``Z``'s edges to nodes that do not lead to the owner's utilities,
    are kept, so the actual ``Z`` stays in the diagram (the agent may still affect it as a
    side effect). The result represents the agent's *objective*: in it no directed path runs
    from the decision through a delicate node to the owner's utilities, so the decision has no
    instrumental control incentive (and no value of control) on any delicate node, while
    incentives on nodes with a path to utility avoiding the delicate nodes are unchanged.

    Parameters
    ----------
    diagram : InfluenceDiagram
        Not modified.
    decision : node
        The decision whose objective is changed.
    delicate : iterable of nodes
        Chance nodes below ``decision`` that it should not control as a means to its ends.
    suffix : str
        Appended to a string node name to name its copy; other names ``n`` become
        ``(n, suffix)``.

    Returns
    -------
    InfluenceDiagram
        A new diagram with the copies (labelled "... (default policy)") and rerouted edges.

    Raises
    ------
    UnknownNodeError
        A name is not a node of the diagram.
    InvalidQueryError
        ``decision`` is not a decision; ``delicate`` is empty, or names a decision, a utility
        or a node the decision cannot influence.
    UnsupportedDiagramError
        A delicate node is observed by a decision.
    DiagramError
        A copy's name is already a node: choose another ``suffix``.

    Notes
    -----
    Where the paper leaves the graph to the reader, this function chooses:

    * The default policy is represented by its action ``D_default``, which may depend on what
      the decision observes; with a constant default policy it is simply uninformative.
    * Nodes between the decision and a delicate node are copied (a twin network) rather than
      dropped, so ``Z_default`` still depends on their other causes.
    * Only edges from delicate nodes towards the owner's utilities are rerouted; a delicate
      node observed by a decision is rejected (the decision would still see the actual value).
    * A delicate node the decision cannot influence is rejected: it needs no default copy.

    Examples
    --------
    The content recommender (Everitt et al. 2021, Fig. 4a) has an instrumental control
    incentive on its users' influenced opinions I. With I delicate, that incentive and the
    value of controlling I disappear; the incentive to choose good posts remains:

    >>> import cidlib
    >>> d = cidlib.CID([("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("I", "C"),
    ...                 ("P", "C")], decisions=["P"], utilities=["C"])
    >>> pso = cidlib.path_specific_objective(d, "P", delicate=["I"])
    >>> sorted(pso.parents("C")), sorted(pso.parents("I_default"))
    (['I_default', 'P'], ['O', 'P_default'])
    >>> bool(cidlib.admits_ici(pso, "P", "I")), bool(cidlib.admits_voc(pso, "P", "I"))
    (False, False)
    >>> sorted(cidlib.ici_nodes(pso, "P"))
    ['C', 'P']
    """
    d = ensure_diagram(diagram)
    require_decision(d, decision)
    if not isinstance(suffix, str) or not suffix:
        raise ArgumentTypeError(f"suffix must be a non-empty string, not {suffix!r}")
    zs = _check_delicate(d, decision, delicate)

    below = d.descendants(decision) | {decision}
    upstream = set(zs).union(*(d.ancestors(z) for z in zs))
    copies = {v: _default_name(v, suffix) for v in d.topological_order()
              if v in below and v in upstream}
    taken = sorted((n for n in copies.values() if n in d), key=node_key)
    if taken:
        raise DiagramError(
            f"node {taken[0]!r} is already in the diagram, so it cannot name a copy under the "
            "default policy; pass another suffix=..."
        )

    utilities = owner_utilities(d, decision)
    leads_to_utility = set(utilities).union(*(d.ancestors(u) for u in utilities))
    rerouted = {(z, c) for z in zs for c in d.children(z) if c in leads_to_utility}
    edges: list[Edge] = [e for e in d.edges if e not in rerouted]
    edges += [(copies[z], c) for z, c in rerouted]
    edges += [(copies.get(p, p), copy) for v, copy in copies.items() for p in d.parents(v)]

    labels = dict(d.labels)
    for v, copy in copies.items():
        labels[copy] = f"{d.labels.get(v, str(v))} (default policy)"
    special = d.decisions | d.utilities
    return InfluenceDiagram(
        nodes=[*d.topological_order(), *copies.values()],
        edges=edges,
        kinds={n: d.kind(n) for n in special},
        owners={n: a for n in special if (a := d.agent_of(n)) is not None},
        agents=d.agents,
        labels=labels,
        positions=d.positions,
    )
