"""Expected utility, optimal policies and the maximum expected utility.

:func:`optimal_policy` solves one agent's decisions by backward induction when the agent has
sufficient recall: decisions are solved in reverse topological order of the relevance graph
(a decision after every decision it relies on), each with a single elimination pass that
gives, for every assignment of the decision's family, the probability and the expected
utility mass of the agent's utilities below it. Decisions not yet solved are uniformly random
meanwhile; a decision does not rely on them, so its optimal rule does not depend on them.

Ties are broken deterministically: in each context the rule picks the first value, in
domain order, whose expected utility is within ``1e-9`` of the best (plus ``1e-12`` of the
best's size, for rounding: a real gain of 1e-4 on top of 1e6 still counts). In a context
of probability zero every value is optimal and the rule picks the first value.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Iterable, Mapping

import networkx as nx
import numpy as np

from cidlib.core.diagram import InfluenceDiagram, NodeKind
from cidlib.core.names import node_key
from cidlib.core.search import reach
from cidlib.exceptions import ArgumentTypeError, ParameterError, UnsupportedDiagramError
from cidlib.quant.eliminate import Factor, contract
from cidlib.quant.model import ParameterizedDiagram, check_pd
from cidlib.quant.policy import DecisionRule, Policy, check_rule
from cidlib.quant.specs import Array
from cidlib.structure.relevance import relevance_cycle, relevance_graph

__all__ = ["expected_utility", "meu", "optimal_policy"]

TIE_TOLERANCE = 1e-9


def tie_tolerance(best: float) -> float:
    """How far below ``best`` an expected utility still counts as a tie."""
    return TIE_TOLERANCE + 1e-12 * abs(best)


MAX_POLICIES = 10_000  # exhaustive search size guard (pure policies)


def resolve_agent(diagram: InfluenceDiagram, agent: Hashable | None) -> Hashable:
    """Return the agent meant: ``agent`` if given, else the only one."""
    if agent is None:
        if len(diagram.agents) != 1:
            raise ParameterError(
                f"the diagram has agents {sorted(diagram.agents, key=node_key)}; say which "
                "with agent=..."
            )
        return next(iter(diagram.agents))
    return diagram.require_agent(agent)


def evaluate(
    pd: ParameterizedDiagram,
    rules: Mapping[Hashable, Array],
    utilities: Iterable[Hashable],
    keep: tuple[Hashable, ...] = (),
    *,
    uniform: Iterable[Hashable] = (),
    free: Hashable | None = None,
) -> tuple[Array, Array]:
    """Return ``(p, q)`` over ``keep``: the probability and expected-utility mass.

    ``rules`` gives rule arrays for decisions; decisions in ``uniform`` are uniformly random;
    the decision ``free`` has no factor (it is set by intervention: the caller keeps it).
    Only ancestors of ``keep`` and ``utilities`` take part.
    """
    diagram = pd.diagram
    utilities = list(utilities)
    needed = reach(diagram.pred, [*keep, *utilities])
    nodes = sorted(needed, key=node_key)
    index = {n: i for i, n in enumerate(nodes)}
    uniform = set(uniform)
    sizes = [len(pd.domain(n)) for n in nodes]
    factors = []
    for n in nodes:
        axes = (*(index[p] for p in pd.parents_of(n)), index[n])
        kind = diagram.kind(n)
        if kind is NodeKind.DECISION:
            if n in rules:
                factors.append(Factor(axes, rules[n]))
            elif n in uniform:
                factors.append(Factor((index[n],), np.full(sizes[index[n]], 1 / sizes[index[n]])))
            elif n != free:
                raise ParameterError(
                    f"decision {n!r} has no rule; pass a policy with a rule for it "
                    "(e.g. cidlib.uniform_policy(pd) | cidlib.policy(pd, ...))"
                )
        elif kind is NodeKind.UTILITY and n not in keep:
            values = np.asarray(pd.domain(n), dtype=float)
            factors.append(Factor(axes[:-1], None, pd.table(n) @ values))
        else:
            factors.append(Factor(axes, pd.table(n)))
    return contract(sizes, factors, [index[k] for k in keep])


def rule_arrays(pd: ParameterizedDiagram, policy: Policy | None) -> dict[Hashable, Array]:
    if policy is None:
        return {}
    if not isinstance(policy, Policy):
        raise ArgumentTypeError(
            f"policy must be a cidlib Policy (from cidlib.policy, uniform_policy or "
            f"optimal_policy), not {type(policy).__name__}"
        )
    for rule in policy.values():
        check_rule(pd, rule)
    return {d: rule.array for d, rule in policy.items()}


def expected_utility(
    pd: ParameterizedDiagram, policy: Policy, *, agent: Hashable | None = None
) -> float:
    """Return an agent's expected utility (the sum of its utilities) under ``policy``.

    Parameters
    ----------
    pd : ParameterizedDiagram
    policy : Policy
        A rule for every decision that affects the agent's utilities.
    agent : hashable, optional
        Needed when the diagram has several agents.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"], utilities=["U"])
    >>> pd = cidlib.parameterize(d, S=cidlib.uniform([-1, 1]), D=[-1, 1],
    ...                          U=lambda S, D: S * D)
    >>> cidlib.expected_utility(pd, cidlib.policy(pd, D=lambda S: S))
    1.0
    """
    check_pd(pd)
    who = resolve_agent(pd.diagram, agent)
    _, q = evaluate(pd, rule_arrays(pd, policy), pd.diagram.utilities_of(who))
    return float(q)


def _best(p: Array, q: Array) -> Array:
    """Deterministic rule from ``p`` (per context) and ``q`` (per context and value)."""
    rows = q.reshape(-1, q.shape[-1])
    probs = p.reshape(-1, p.shape[-1])[:, 0]
    choice = np.zeros(len(rows), dtype=int)
    for i, (row, prob) in enumerate(zip(rows, probs, strict=True)):
        if prob > 0:
            eu = row / prob
            best = eu.max()
            choice[i] = int(np.argmax(eu >= best - tie_tolerance(best)))
    return np.eye(q.shape[-1])[choice].reshape(q.shape)


def _others(
    pd: ParameterizedDiagram, agent: Hashable, policy: Policy | None
) -> dict[Hashable, Array]:
    """Rules of the other agents' decisions, which ``policy`` must give."""
    mine = pd.diagram.decisions_of(agent)
    if policy is not None and isinstance(policy, Policy):
        policy = Policy(rule for d, rule in policy.items() if d not in mine)
    return rule_arrays(pd, policy)


def _backward(pd: ParameterizedDiagram, agent: Hashable, fixed: dict[Hashable, Array]) -> Policy:
    view = pd.diagram.for_agent(agent)
    graph = relevance_graph(view)
    order = list(nx.lexicographical_topological_sort(graph, key=node_key))
    utilities = view.utilities
    rules: dict[Hashable, Array] = dict(fixed)
    solved = []
    pending = set(order)
    for decision in reversed(order):
        pending.discard(decision)
        family = (*pd.parents_of(decision), decision)
        below = utilities & pd.diagram.descendants(decision)
        p, q = evaluate(pd, rules, below, family, uniform=pending, free=decision)
        rules[decision] = _best(p, q)
        solved.append(decision)
    return Policy(decision_rule(pd, d, rules[d]) for d in solved)


def decision_rule(pd: ParameterizedDiagram, decision: Hashable, array: Array) -> DecisionRule:
    order = pd.parents_of(decision)
    return DecisionRule(decision, order, tuple(pd.domain(p) for p in order),
                        pd.domain(decision), array)


def _exhaustive(
    pd: ParameterizedDiagram, agent: Hashable, fixed: dict[Hashable, Array], limit: int
) -> Policy:
    decisions = sorted(pd.diagram.decisions_of(agent), key=node_key)
    shapes = [(*(len(pd.domain(p)) for p in pd.parents_of(d)), len(pd.domain(d)))
              for d in decisions]
    contexts = [math.prod(s[:-1]) for s in shapes]
    count = math.prod(s[-1] ** c for s, c in zip(shapes, contexts, strict=True))
    if count > limit:
        cycle = relevance_cycle(pd.diagram, agent)
        why = (
            f"agent {agent!r} lacks sufficient recall ({' relies on '.join(map(str, cycle))}), "
            "so its optimal policy needs a search over"
            if cycle else "the exhaustive search covers"
        )
        hint = ", or add information links to restore sufficient recall" if cycle else ""
        raise UnsupportedDiagramError(
            f"{why} all {count} pure policies, more than max_policies={limit}; raise "
            f"max_policies{hint}"
        )
    utilities = pd.diagram.utilities_of(agent)
    best_value, best_rules = -math.inf, dict(fixed)
    first = True
    choices = [
        itertools.product(range(s[-1]), repeat=c)
        for s, c in zip(shapes, contexts, strict=True)
    ]
    for pick in itertools.product(*(list(c) for c in choices)):
        rules = dict(fixed)
        for d, shape, chosen in zip(decisions, shapes, pick, strict=True):
            rules[d] = np.eye(shape[-1])[list(chosen)].reshape(shape)
        value = float(evaluate(pd, rules, utilities)[1])
        if first or value > best_value + tie_tolerance(best_value):
            best_value, best_rules, first = value, rules, False
    return Policy(decision_rule(pd, d, best_rules[d]) for d in decisions)


def optimal_policy(
    pd: ParameterizedDiagram,
    *,
    agent: Hashable | None = None,
    policy: Policy | None = None,
    method: str = "auto",
    max_policies: int = MAX_POLICIES,
) -> Policy:
    """Return an optimal (deterministic) policy for one agent's decisions.

    Parameters
    ----------
    pd : ParameterizedDiagram
    agent : hashable, optional
        Needed when the diagram has several agents.
    policy : Policy, optional
        Rules of the other agents' decisions, which stay fixed: the result is then a best
        response to them.
    method : {"auto", "backward", "exhaustive"}
        ``"backward"``: backward induction over the relevance graph, one elimination pass per
        decision; needs sufficient recall. ``"exhaustive"``: try every pure policy (exact for
        one agent, whose expected utility is maximised by a pure policy). ``"auto"`` takes
        backward induction when the agent has sufficient recall, else the exhaustive search.
    max_policies : int
        Size guard of the exhaustive search.

    Raises
    ------
    UnsupportedDiagramError
        When the agent lacks sufficient recall and there are more than ``max_policies`` pure
        policies (or ``method="backward"``).
    ParameterError
        When a node the decisions' utilities depend on has no CPD, or another agent's decision
        has no rule in ``policy``.

    Notes
    -----
    Ties are broken by domain order (the first value within ``1e-9`` of the best); in
    a context of probability zero the rule picks the first value.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"], utilities=["U"])
    >>> pd = cidlib.parameterize(d, S=cidlib.uniform([-1, 1]), D=[-1, 1],
    ...                          U=lambda S, D: S * D)
    >>> print(cidlib.optimal_policy(pd))
    D: S=-1 -> -1; S=1 -> 1
    """
    check_pd(pd)
    who = resolve_agent(pd.diagram, agent)
    fixed = _others(pd, who, policy)
    if isinstance(max_policies, bool) or not isinstance(max_policies, int):
        raise ArgumentTypeError(f"max_policies must be an int, not {max_policies!r:.40}")
    if method not in ("auto", "backward", "exhaustive"):
        raise ParameterError(
            f"method must be 'auto', 'backward' or 'exhaustive', not {method!r}"
        )
    recall = relevance_cycle(pd.diagram, who) is None
    if method == "backward" and not recall:
        cycle = relevance_cycle(pd.diagram, who) or []
        raise UnsupportedDiagramError(
            f"agent {who!r} lacks sufficient recall ({' relies on '.join(map(str, cycle))}); "
            "backward induction needs it. Use method='exhaustive' or add information links"
        )
    if method == "exhaustive" or not recall:
        return _exhaustive(pd, who, fixed, max_policies)
    return _backward(pd, who, fixed)


def meu(
    pd: ParameterizedDiagram,
    *,
    agent: Hashable | None = None,
    policy: Policy | None = None,
    method: str = "auto",
    max_policies: int = MAX_POLICIES,
) -> float:
    """Return the maximum expected utility: the expected utility of :func:`optimal_policy`.

    Takes the same arguments as :func:`optimal_policy`.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"], utilities=["U"])
    >>> pd = cidlib.parameterize(d, S=cidlib.uniform([-1, 1]), D=[-1, 1],
    ...                          U=lambda S, D: S * D)
    >>> cidlib.meu(pd)
    1.0
    """
    best = optimal_policy(pd, agent=agent, policy=policy, method=method,
                          max_policies=max_policies)
    others = policy if policy is not None else Policy()
    return expected_utility(pd, others | best, agent=agent)
