"""Expected utility, optimal policies and the maximum expected utility.

:func:`optimal_policy` solves one agent's decisions by backward induction when the agent has
sufficient recall: decisions are solved in reverse topological order of the relevance graph
(a decision after every decision it relies on), each with a single elimination pass that
gives, for every assignment of the decision's family, the probability and the expected
utility mass of the agent's utilities below it. Decisions not yet solved are uniformly random
meanwhile; a decision does not rely on them, so its optimal rule does not depend on them.

Without sufficient recall, ``method="spu"`` runs *single policy updating* (Lauritzen &
Nilsson 2001): starting from uniformly random rules, each decision in turn (in reverse
topological order) takes a best response to the others' current rules, keeping its choice
unless another is better beyond the tie tolerance, until a sweep changes nothing. Each change
raises the expected utility, so it ends, at a *local* optimum (no single decision can do
better), marked as such (:attr:`Policy.local_optimum`). With sufficient recall the first
sweep follows the relevance graph, as backward induction does, and reaches the optimum.

Ties are broken deterministically: in each context the rule picks the first value, in
domain order, whose expected utility is within ``1e-9`` of the best (plus ``1e-12`` of the
best's size, for rounding: a real gain of 1e-4 on top of 1e6 still counts). In a context
of probability zero every value is optimal and the rule picks the first value.

References
----------
.. [1] S. L. Lauritzen, D. Nilsson. "Representing and Solving Decision Problems with Limited
   Information." Management Science 47(9), 2001.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Hashable, Iterable, Mapping

import networkx as nx
import numpy as np
import numpy.typing as npt

from cidlib.core.diagram import InfluenceDiagram, NodeKind
from cidlib.core.names import node_key
from cidlib.core.search import reach
from cidlib.exceptions import ArgumentTypeError, ParameterError, UnsupportedDiagramError
from cidlib.quant.eliminate import Factor, contract
from cidlib.quant.limits import check_size, names, table_size
from cidlib.quant.model import ParameterizedDiagram, check_pd
from cidlib.quant.policy import DecisionRule, Policy, check_rule
from cidlib.quant.specs import Array, tidy
from cidlib.structure.relevance import relevance_cycle, relevance_graph

__all__ = ["LocalOptimumWarning", "expected_utility", "meu", "optimal_policy"]

METHODS = ("auto", "backward", "exhaustive", "spu")
MAX_SWEEPS = 1_000  # single policy updating stops here (each sweep strictly gains)


class LocalOptimumWarning(UserWarning):
    """A value was computed from a locally optimal policy (single policy updating).

    Issued by :func:`~cidlib.quantitative_voi` and :func:`~cidlib.quantitative_voc` when
    the agent lacks sufficient recall and the exhaustive search would exceed
    ``max_policies``: the maximum expected utilities they compare may then be below the true
    ones.
    """

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
    _check_range(pd, utilities)
    check_size(table_size(sizes[index[n]] for n in keep), lambda: (
        f"solving decision {free!r} needs a table over it and its {len(keep) - 1} parents "
        f"({names(keep)}), which" if free is not None else f"the table of {names(keep)}"))
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
    return contract(sizes, factors, [index[k] for k in keep], [str(n) for n in nodes])


def _check_range(pd: ParameterizedDiagram, utilities: list[Hashable]) -> None:
    """Refuse utilities whose sum could overflow a float (inf, with numpy's warnings)."""
    largest = [float(np.abs(np.asarray(pd.domain(u), dtype=float)).max()) for u in utilities]
    total = sum(largest)  # inf when it overflows
    top = float(np.finfo(float).max)
    if not total <= top / 2:
        size = (f"{total:.3g}, close to" if math.isfinite(total) else "more than")
        raise ParameterError(
            f"the utilities {names(sorted(utilities, key=node_key))} can add up to {size} the "
            f"largest float ({top:.3g}): too large to compute with; rescale them (dividing "
            "every utility by one constant changes no optimal policy)"
        )


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
    return tidy(float(q))


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


def _improve(current: Array, p: Array, q: Array) -> Array:
    """Return ``current`` changed only where another value is better beyond the tolerance.

    A stochastic row (the uniform start) takes the best value, as in :func:`_best`.
    """
    rows = q.reshape(-1, q.shape[-1])
    probs = p.reshape(-1, p.shape[-1])[:, 0]
    now = current.reshape(-1, current.shape[-1])
    choice = np.argmax(now, axis=1)
    for i, (row, prob) in enumerate(zip(rows, probs, strict=True)):
        if prob > 0:
            eu = row / prob
            best = eu.max()
            if now[i, choice[i]] < 1.0 or eu[choice[i]] < best - tie_tolerance(best):
                choice[i] = int(np.argmax(eu >= best - tie_tolerance(best)))
    rule: Array = np.eye(q.shape[-1])[choice].reshape(q.shape)
    return rule


def _others(
    pd: ParameterizedDiagram, agent: Hashable, policy: Policy | None
) -> dict[Hashable, Array]:
    """Rules of the other agents' decisions, which ``policy`` must give."""
    mine = pd.diagram.decisions_of(agent)
    if policy is not None and isinstance(policy, Policy):
        policy = Policy(rule for d, rule in policy.items() if d not in mine)
    return rule_arrays(pd, policy)


def context_probabilities(
    pd: ParameterizedDiagram, decision: Hashable, rules: Mapping[Hashable, Array]
) -> Array:
    """``P(parents of decision = each assignment)`` under ``rules``, axes the parents."""
    parents = pd.parents_of(decision)
    if not parents:
        return np.ones(())
    p, _ = evaluate(pd, rules, (), parents, uniform=pd.diagram.decisions - rules.keys())
    return p


def possible_contexts(
    pd: ParameterizedDiagram, decision: Hashable, rules: Mapping[Hashable, Array]
) -> npt.NDArray[np.bool_] | None:
    """Which assignments of the decision's parents have positive probability under ``rules``.

    None when every one has: no parent is a decision and every chance node at or above the
    parents has a CPD without zeros, which saves the elimination pass.
    """
    parents = pd.parents_of(decision)
    if not parents:
        return None
    diagram = pd.diagram
    above = reach(diagram.pred, parents)
    if not any(p in diagram.decisions for p in parents) and all(
        n in pd.tables and bool(np.all(pd.tables[n] > 0))
        for n in above if diagram.kind(n) is NodeKind.CHANCE
    ):
        return None
    possible: npt.NDArray[np.bool_] = context_probabilities(pd, decision, rules) > 0
    return possible


def _policy(
    pd: ParameterizedDiagram, decisions: Iterable[Hashable], rules: Mapping[Hashable, Array],
    *, local_optimum: bool = False,
) -> Policy:
    """Return the policy of ``decisions``; each rule knows its contexts of probability 0."""
    return Policy(
        (decision_rule(pd, d, rules[d], possible_contexts(pd, d, rules)) for d in decisions),
        local_optimum=local_optimum,
    )


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
    return _policy(pd, solved, rules)


def decision_rule(
    pd: ParameterizedDiagram, decision: Hashable, array: Array,
    possible: npt.NDArray[np.bool_] | None = None,
) -> DecisionRule:
    order = pd.parents_of(decision)
    return DecisionRule(decision, order, tuple(pd.domain(p) for p in order),
                        pd.domain(decision), array, possible)


def pure_policy_count(pd: ParameterizedDiagram, decisions: Iterable[Hashable]) -> int:
    """Return the number of deterministic policies of ``decisions``."""
    count = 1
    for d in decisions:
        contexts = math.prod(len(pd.domain(p)) for p in pd.parents_of(d))
        count *= len(pd.domain(d)) ** contexts
    return count


def pure_policies(
    pd: ParameterizedDiagram, decisions: list[Hashable]
) -> Iterable[dict[Hashable, Array]]:
    """Every deterministic policy of ``decisions``, as rule arrays (count them first)."""
    shapes = [(*(len(pd.domain(p)) for p in pd.parents_of(d)), len(pd.domain(d)))
              for d in decisions]
    choices = [list(itertools.product(range(s[-1]), repeat=math.prod(s[:-1]))) for s in shapes]
    for pick in itertools.product(*choices):
        yield {d: np.eye(shape[-1])[list(chosen)].reshape(shape)
               for d, shape, chosen in zip(decisions, shapes, pick, strict=True)}


def _too_many(pd: ParameterizedDiagram, agent: Hashable, count: int, limit: int) -> str:
    cycle = relevance_cycle(pd.diagram, agent)
    why = (
        f"agent {agent!r} lacks sufficient recall ({' relies on '.join(map(str, cycle))}), "
        "so its optimal policy needs a search over"
        if cycle else "the exhaustive search covers"
    )
    hint = (", add information links to restore sufficient recall, or use method='spu' "
            "for a local optimum") if cycle else ""
    return (f"{why} all {count} pure policies, more than max_policies={limit}; raise "
            f"max_policies{hint}")


def _exhaustive(
    pd: ParameterizedDiagram, agent: Hashable, fixed: dict[Hashable, Array], limit: int
) -> Policy:
    decisions = sorted(pd.diagram.decisions_of(agent), key=node_key)
    count = pure_policy_count(pd, decisions)
    if count > limit:
        raise UnsupportedDiagramError(_too_many(pd, agent, count, limit))
    utilities = pd.diagram.utilities_of(agent)
    best_value, best_rules = -math.inf, dict(fixed)
    first = True
    for pick in pure_policies(pd, decisions):
        rules = {**fixed, **pick}
        value = float(evaluate(pd, rules, utilities)[1])
        if first or value > best_value + tie_tolerance(best_value):
            best_value, best_rules, first = value, rules, False
    return _policy(pd, decisions, best_rules)


def _spu(pd: ParameterizedDiagram, agent: Hashable, fixed: dict[Hashable, Array]) -> Policy:
    """Single policy updating from uniform rules: best responses until a sweep changes nothing."""
    view = pd.diagram.for_agent(agent)
    graph = relevance_graph(view)
    if nx.is_directed_acyclic_graph(graph):  # then the first sweep is backward induction
        order = list(reversed(list(nx.lexicographical_topological_sort(graph, key=node_key))))
    else:
        order = [n for n in reversed(pd.diagram.topological_order()) if n in view.decisions]
    rules: dict[Hashable, Array] = dict(fixed)
    for d in order:
        shape = (*(len(pd.domain(p)) for p in pd.parents_of(d)), len(pd.domain(d)))
        check_size(table_size(shape), f"the rule of decision {d!r}")
        rules[d] = np.full(shape, 1.0 / shape[-1])
    for _ in range(MAX_SWEEPS):
        changed = False
        for d in order:
            family = (*pd.parents_of(d), d)
            below = view.utilities & pd.diagram.descendants(d)
            p, q = evaluate(pd, {k: r for k, r in rules.items() if k != d}, below, family,
                            free=d)
            better = _improve(rules[d], p, q)
            if not np.array_equal(better, rules[d]):
                rules[d], changed = better, True
        if not changed:
            return _policy(pd, order, rules, local_optimum=True)
    raise UnsupportedDiagramError(  # pragma: no cover -- each sweep gains more than 1e-9
        f"single policy updating did not settle in {MAX_SWEEPS} sweeps"
    )


def resolve_method(
    pd: ParameterizedDiagram, agent: Hashable, method: str, max_policies: int
) -> str:
    """Return the method ``optimal_policy`` runs for ``method``: backward, exhaustive or spu."""
    if isinstance(max_policies, bool) or not isinstance(max_policies, int):
        raise ArgumentTypeError(f"max_policies must be an int, not {max_policies!r:.40}")
    if method not in METHODS:
        raise ParameterError(
            f"method must be one of {', '.join(repr(m) for m in METHODS)}, not {method!r}"
        )
    cycle = relevance_cycle(pd.diagram, agent)
    if method == "backward" and cycle is not None:
        raise UnsupportedDiagramError(
            f"agent {agent!r} lacks sufficient recall ({' relies on '.join(map(str, cycle))}); "
            "backward induction needs it. Use method='exhaustive', method='spu' (a local "
            "optimum) or add information links"
        )
    if method == "auto":
        return "backward" if cycle is None else "exhaustive"
    return method


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
    method : {"auto", "backward", "exhaustive", "spu"}
        ``"backward"``: backward induction over the relevance graph, one elimination pass per
        decision; needs sufficient recall. ``"exhaustive"``: try every pure policy (exact for
        one agent, whose expected utility is maximised by a pure policy). ``"spu"``: single
        policy updating (Lauritzen & Nilsson 2001), a *local* optimum, for diagrams without
        sufficient recall that are too large to search; the result has
        ``local_optimum=True``. ``"auto"`` takes backward induction when the agent has
        sufficient recall, else the exhaustive search.
    max_policies : int
        Size guard of the exhaustive search.

    Returns
    -------
    Policy
        Each rule knows which of its contexts have probability zero under the policy
        (``print`` leaves them out).

    Raises
    ------
    UnsupportedDiagramError
        When the agent lacks sufficient recall and there are more than ``max_policies`` pure
        policies (or ``method="backward"``).
    ParameterError
        When a node the decisions' utilities depend on has no CPD, or another agent's decision
        has no rule in ``policy``.
    SizeLimitError
        When a decision's table (it and its parents) would be too large to build.

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
    >>> cidlib.optimal_policy(pd, method="spu").local_optimum
    True
    """
    check_pd(pd)
    who = resolve_agent(pd.diagram, agent)
    fixed = _others(pd, who, policy)
    chosen = resolve_method(pd, who, method, max_policies)
    if chosen == "spu":
        return _spu(pd, who, fixed)
    if chosen == "exhaustive":
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

    Takes the same arguments as :func:`optimal_policy` (with ``method="spu"``, the expected
    utility of a local optimum).

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


def meu_or_local(
    pd: ParameterizedDiagram, agent: Hashable, policy: Policy | None, *, method: str,
    max_policies: int, what: str,
) -> float:
    """:func:`meu`, falling back to single policy updating (with a warning) under ``auto``.

    The fallback happens when the agent lacks sufficient recall and the exhaustive search
    would exceed ``max_policies``; ``what`` names the quantity in the warning.
    """
    chosen = resolve_method(pd, agent, method, max_policies)
    if method == "auto" and chosen == "exhaustive":
        count = pure_policy_count(pd, pd.diagram.decisions_of(agent))
        if count > max_policies:
            warnings.warn(
                f"{what}: {_too_many(pd, agent, count, max_policies)}; using single policy "
                "updating instead, whose local optimum may fall short of the maximum",
                LocalOptimumWarning, stacklevel=3,
            )
            chosen = "spu"
    return meu(pd, agent=agent, policy=policy, method=chosen, max_policies=max_policies)
