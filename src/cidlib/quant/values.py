"""Quantitative incentives: what an observation or control is worth; does a policy respond.

These are the quantities whose sign the graphical criteria predict (Everitt et al. 2021):
:func:`quantitative_voi` is ``MEU(with X -> D) - MEU(without X -> D)``; :func:`quantitative_voc`
is ``max over policies and soft interventions on X of EU - MEU``; :func:`responds` says
whether a policy's decision changes when X is intervened on. None of them mutates its input.
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np

from cidlib.core.checks import require_decision, require_observable
from cidlib.core.diagram import NodeKind
from cidlib.exceptions import InvalidQueryError
from cidlib.quant.model import ParameterizedDiagram, check_pd, do
from cidlib.quant.policy import Policy
from cidlib.quant.query import query
from cidlib.quant.solve import MAX_POLICIES, meu, optimal_policy

__all__ = ["quantitative_voc", "quantitative_voi", "responds"]


def _agent_meu(pd: ParameterizedDiagram, decision: Hashable, policy: Policy | None,
               max_policies: int) -> float:
    return meu(pd, agent=pd.diagram.agent_of(decision), policy=policy,
               max_policies=max_policies)


def quantitative_voi(
    pd: ParameterizedDiagram,
    decision: Hashable,
    node: Hashable,
    *,
    policy: Policy | None = None,
    max_policies: int = MAX_POLICIES,
) -> float:
    """Return the value of information of ``node`` for ``decision``.

    ``MEU(G with node -> decision) - MEU(G without it)``, for the agent that owns
    ``decision`` (its other decisions re-optimised too; other agents follow ``policy``).
    Non-negative up to rounding.

    Raises
    ------
    InvalidQueryError
        When ``node`` is ``decision``, a descendant of it, or a utility.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"], utilities=["U"])
    >>> pd = cidlib.parameterize(d, S=cidlib.uniform([-1, 1]), D=[-1, 1],
    ...                          U=lambda S, D: S * D)
    >>> cidlib.quantitative_voi(pd, "D", "S")
    1.0
    """
    check_pd(pd)
    diagram = pd.diagram
    require_decision(diagram, decision)
    require_observable(diagram, decision, node)
    pd.domain(node)
    link = (node, decision)
    with_link = pd.with_diagram(diagram.add_edges([link]) if link not in diagram.edges
                                else diagram)
    without = pd.with_diagram(diagram.remove_edges([link]) if link in diagram.edges
                              else diagram)
    return _agent_meu(with_link, decision, policy, max_policies) - _agent_meu(
        without, decision, policy, max_policies
    )


def quantitative_voc(
    pd: ParameterizedDiagram,
    decision: Hashable,
    node: Hashable,
    *,
    policy: Policy | None = None,
    max_policies: int = MAX_POLICIES,
) -> float:
    """Return the value of control of ``node`` for the agent that owns ``decision``.

    The best expected utility when the agent also chooses ``node``'s mechanism (a soft
    intervention: any rule from ``node``'s parents to its domain, optimised jointly with the
    policy) minus the MEU. For a utility node the best mechanism is its largest value.

    Raises
    ------
    InvalidQueryError
        When ``node`` is a decision (value of control is about nodes the agent does not
        choose).

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"], utilities=["U"])
    >>> pd = cidlib.parameterize(d, S=cidlib.uniform([-1, 1]), D=[-1, 1],
    ...                          U=lambda S, D: S * D)
    >>> cidlib.quantitative_voc(pd, "D", "S")
    0.0
    >>> cidlib.quantitative_voc(pd, "D", "U")
    0.0
    """
    check_pd(pd)
    diagram = pd.diagram
    require_decision(diagram, decision)
    if diagram.kind(node) is NodeKind.DECISION:
        raise InvalidQueryError(
            f"value of control of {node!r} is undefined: it is a decision; VoC is about nodes "
            "the agent does not choose"
        )
    agent = diagram.agent_of(decision)
    if diagram.kind(node) is NodeKind.UTILITY:
        best = max(pd.domain(node))  # type: ignore[type-var]
        controlled = do(pd, {node: best})
    else:
        pd.domain(node)
        controlled = pd.with_diagram(diagram.with_kind(node, NodeKind.DECISION, agent=agent))
    return _agent_meu(controlled, decision, policy, max_policies) - _agent_meu(
        pd, decision, policy, max_policies
    )


def responds(
    pd: ParameterizedDiagram,
    decision: Hashable,
    node: Hashable,
    *,
    policy: Policy | None = None,
    tolerance: float = 1e-9,
) -> bool:
    """Whether ``decision`` responds to interventions on ``node`` under ``policy``.

    True when there are values ``x, x'`` of ``node`` and an assignment ``n`` of the
    decision's parents that ``node`` does not affect such that
    ``P(decision | n, do(node=x))`` and ``P(decision | n, do(node=x'))`` differ by more than
    ``tolerance``. By default the policy is :func:`~cidlib.optimal_policy` (for one agent;
    pass ``policy`` for several). A response incentive (every optimal policy responds) shows
    as a response of that policy; its choices in contexts of probability zero, where it takes
    the first value, can make it respond where another optimal policy would not.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"], utilities=["U"])
    >>> pd = cidlib.parameterize(d, S=cidlib.uniform([-1, 1]), D=[-1, 1],
    ...                          U=lambda S, D: S * D)
    >>> cidlib.responds(pd, "D", "S")
    True
    """
    check_pd(pd)
    diagram = pd.diagram
    require_decision(diagram, decision)
    if diagram.kind(node) is not NodeKind.CHANCE:
        raise InvalidQueryError(
            f"{node!r} is a {diagram.kind(node)} node; responses are to chance nodes"
        )
    if policy is None:
        policy = optimal_policy(pd, agent=diagram.agent_of(decision))
    unaffected = sorted(
        (diagram.parents(decision) - diagram.descendants(node)) - {node}, key=str
    )
    tables = []
    for value in pd.domain(node):
        answer = query(do(pd, {node: value}), [decision, *unaffected], policy=policy)
        tables.append(np.array(list(answer.values())))
    return any(float(np.abs(t - tables[0]).max()) > tolerance for t in tables[1:])
