"""Quantitative incentives: what an observation or control is worth; does a policy respond.

These are the quantities whose sign the graphical criteria predict (Everitt et al. 2021):
:func:`quantitative_voi` is ``MEU(with X -> D) - MEU(without X -> D)``; :func:`quantitative_voc`
is ``max over policies and soft interventions on X of EU - MEU``; :func:`responds` says
whether a policy's decision would have been different had X been set otherwise (a
counterfactual, on the structural reading of :mod:`cidlib.quant.structural`). The response
and instrumental control *incentives*, over every optimal policy, are
:func:`~cidlib.quantitative_ri` and :func:`~cidlib.quantitative_ici`. None of them mutates
its input.

When the agent lacks sufficient recall and the exhaustive search would exceed
``max_policies``, VoI and VoC compare the expected utilities of single policy updating's
local optima instead, with a :class:`~cidlib.quant.LocalOptimumWarning`.
"""

from __future__ import annotations

from collections.abc import Hashable

from cidlib.core.checks import require_decision, require_observable
from cidlib.core.diagram import NodeKind
from cidlib.exceptions import ArgumentTypeError, InvalidQueryError
from cidlib.quant import worlds
from cidlib.quant.model import ParameterizedDiagram, check_pd, do
from cidlib.quant.policy import Policy
from cidlib.quant.solve import MAX_POLICIES, meu_or_local, optimal_policy, rule_arrays
from cidlib.quant.specs import Array, tidy

__all__ = ["quantitative_voc", "quantitative_voi", "responds"]


def _agent_meu(pd: ParameterizedDiagram, decision: Hashable, policy: Policy | None, *,
               method: str, max_policies: int, what: str) -> float:
    return meu_or_local(pd, pd.diagram.agent_of(decision), policy, method=method,
                        max_policies=max_policies, what=what)


def quantitative_voi(
    pd: ParameterizedDiagram,
    decision: Hashable,
    node: Hashable,
    *,
    policy: Policy | None = None,
    method: str = "auto",
    max_policies: int = MAX_POLICIES,
) -> float:
    """Return the value of information of ``node`` for ``decision``.

    ``MEU(G with node -> decision) - MEU(G without it)``, for the agent that owns
    ``decision`` (its other decisions re-optimised too; other agents follow ``policy``).
    Non-negative up to rounding. ``method`` and ``max_policies`` are as in
    :func:`~cidlib.optimal_policy`; under ``"auto"``, past ``max_policies`` without
    sufficient recall, single policy updating is used with a ``LocalOptimumWarning``.

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
    what = f"value of information of {node!r} for {decision!r}"
    gain = _agent_meu(with_link, decision, policy, method=method, max_policies=max_policies,
                      what=what)
    return tidy(gain - _agent_meu(without, decision, policy, method=method,
                                  max_policies=max_policies, what=what))


def quantitative_voc(
    pd: ParameterizedDiagram,
    decision: Hashable,
    node: Hashable,
    *,
    policy: Policy | None = None,
    method: str = "auto",
    max_policies: int = MAX_POLICIES,
) -> float:
    """Return the value of control of ``node`` for the agent that owns ``decision``.

    The best expected utility when the agent also chooses ``node``'s mechanism (a soft
    intervention: any rule from ``node``'s parents to its domain, optimised jointly with the
    policy) minus the MEU. For a utility node the best mechanism is its largest value.
    ``method`` and ``max_policies`` are as in :func:`quantitative_voi`.

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
    what = f"value of control of {node!r}"
    gain = _agent_meu(controlled, decision, policy, method=method, max_policies=max_policies,
                      what=what)
    return tidy(gain - _agent_meu(pd, decision, policy, method=method,
                                  max_policies=max_policies, what=what))


def responds(
    pd: ParameterizedDiagram,
    decision: Hashable,
    node: Hashable,
    *,
    policy: Policy | None = None,
    tolerance: float = 1e-9,
) -> bool:
    """Whether ``decision`` would have been different, under ``policy``, had ``node`` been set.

    True when for some value ``x`` of ``node`` the counterfactual decision differs from the
    actual one with probability above ``tolerance``: ``P(D_x != D) > tolerance``, both
    worlds sharing the exogenous noise (Everitt et al. 2021, Def. 10, for one policy). By
    default the policy is :func:`~cidlib.optimal_policy` (for one agent; pass ``policy``
    for several). A response *incentive* asks this of every optimal policy: see
    :func:`~cidlib.quantitative_ri`, which also says how likely the change is.

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
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)):
        raise ArgumentTypeError(f"tolerance must be a number, not {tolerance!r:.40}")
    if policy is None:
        policy = optimal_policy(pd, agent=diagram.agent_of(decision))
    rules = rule_arrays(pd, policy)
    return any(change_probability(pd, rules, decision, node, x) > tolerance
               for x in range(len(pd.domain(node))))


def change_probability(
    pd: ParameterizedDiagram, rules: dict[Hashable, Array], decision: Hashable,
    node: Hashable, value: int,
) -> float:
    """``P(D_x != D)`` under ``rules``, for the value at position ``value`` of ``node``."""
    axes, p, _ = worlds.solve(pd, rules, [worlds.ACTUAL, worlds.World({node: value})],
                              [(decision, 0), (decision, 1)])
    if axes[0] == axes[1]:  # the intervention cannot reach the decision
        return 0.0
    return float(p.sum() - p.trace())
