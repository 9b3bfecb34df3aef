"""Response and instrumental control incentives measured by their counterfactual definitions.

On a structural model (see :mod:`cidlib.quant.structural`), Everitt et al. (2021) define:

- a **response incentive** on ``X`` (Def. 10): *every* optimal policy makes the decision
  counterfactually depend on ``X``: for some intervention ``do(X = x)`` and some setting of
  the noise, ``D_x != D``. :func:`quantitative_ri` measures it as

  ``min over optimal policies  max over x  P(D_x != D)``,

  the chance that the decision changes, for the optimal policy that changes least;
- an **instrumental control incentive** on ``X`` in the decision context ``pa`` (Def. 17):
  for every optimal policy there is a decision ``d`` with
  ``E[U_{X_d} | pa] != E[U | pa]``, where ``U`` is the sum of the agent's utilities and
  ``U_{X_d}`` a nested counterfactual: ``X`` takes the value it would have had under
  ``do(D = d)``, everything else (the decision included) follows the actual policy.
  :func:`quantitative_ici` measures it as

  ``max over contexts pa  min over optimal policies  max over d  |E[U_{X_d} | pa] - E[U | pa]|``,

  positive exactly when some context of positive probability has the incentive.

Both search the optimal **deterministic** policies: with one decision, every choice within
the tie tolerance of the best in each context (in a context of probability zero, which no
actual world reaches but an intervention can, every value: it is optimal too); with several
decisions of the agent, every pure policy whose expected utility is within the tolerance of
the maximum, an exhaustive search bounded by ``max_policies``. A stochastic optimal policy
never responds less: a response of probability zero needs each rule's choices to be certain
where the decision can change. For ICI, mixing tied actions whose effects have opposite
signs could cancel the difference in expectation; the value here is over deterministic
policies.

References
----------
.. [1] T. Everitt, R. Carey, E. Langlois, P. A. Ortega, S. Legg. "Agent Incentives: A Causal
   Perspective." AAAI 2021.
.. [2] R. Carey, E. Langlois, T. Everitt, S. Legg. "The Incentives that Shape Behaviour."
   arXiv:2001.07118, 2020.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from cidlib.core.checks import require_decision
from cidlib.core.diagram import NodeKind
from cidlib.core.names import node_key
from cidlib.exceptions import InvalidQueryError, UnsupportedDiagramError
from cidlib.quant import worlds
from cidlib.quant.model import ParameterizedDiagram, check_pd
from cidlib.quant.policy import Policy
from cidlib.quant.solve import (
    MAX_POLICIES,
    context_probabilities,
    decision_rule,
    evaluate,
    possible_contexts,
    pure_policies,
    pure_policy_count,
    rule_arrays,
    tie_tolerance,
)
from cidlib.quant.specs import Array, tidy

__all__ = ["QuantitativeIncentive", "quantitative_ici", "quantitative_ri"]

TOLERANCE = 1e-9  # a value at most this (relative to the utilities' scale for ICI) is zero


@dataclass(frozen=True, eq=False)
class QuantitativeIncentive:
    """A response or instrumental control incentive measured on a structural model.

    Truthy iff ``value`` is positive (above ``1e-9``, for ICI relative to the utilities'
    scale). When positive, the other fields describe a witness for ``policy``, the optimal
    policy with the least incentive: every other optimal policy has at least as much.

    Attributes
    ----------
    kind : str
        ``"ri"`` or ``"ici"``.
    decision, node
        The decision and the node the incentive is about.
    value : float
        RI: the probability that the decision changes (see the module docstring); ICI: the
        change in expected utility.
    policy : Policy
        An optimal policy attaining the value (the least responsive or controlling one).
    policies : int
        The number of optimal deterministic policies compared (for one decision, the
        combinations of tied choices that matter).
    intervention : mapping
        RI: ``{node: x}``; ICI: ``{decision: d}``, the decision whose effect on ``node`` is
        imposed.
    context : mapping
        The decision's parents in the actual world.
    counterfactual_context : mapping or None
        RI: the decision's parents after the intervention.
    actual, counterfactual
        RI: the decision's value, actual and after the intervention; ICI: the expected
        utility in ``context``, actual and with ``node`` as under ``intervention``.
    probability : float
        RI: the probability of this pair of actual and counterfactual contexts; ICI: the
        probability of ``context``.
    """

    kind: str
    decision: Hashable
    node: Hashable
    value: float
    policy: Policy
    policies: int
    intervention: Mapping[Hashable, Hashable] = field(default_factory=dict)
    context: Mapping[Hashable, Hashable] = field(default_factory=dict)
    counterfactual_context: Mapping[Hashable, Hashable] | None = None
    actual: object = None
    counterfactual: object = None
    probability: float = 0.0
    tolerance: float = TOLERANCE

    def __bool__(self) -> bool:
        return self.value > self.tolerance

    def explain(self) -> str:
        """One sentence: the value, and the setting that witnesses it.

        Examples
        --------
        >>> import cidlib
        >>> d = cidlib.CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"],
        ...                utilities=["U"])
        >>> pd = cidlib.parameterize(d, S=cidlib.uniform([-1, 1]), D=[-1, 1],
        ...                          U=lambda S, D: S * D)
        >>> print(cidlib.quantitative_ri(pd, "D", "S").explain())
        ... # doctest: +NORMALIZE_WHITESPACE
        D has a response incentive on S of 0.5: every optimal policy changes D with
        probability 0.5 under do(S=-1); e.g. where S=1, D=1 becomes -1 (probability 0.5).
        """
        if self.kind == "ri":
            if not self:
                return (f"{self.decision} has no response incentive on {self.node}: an optimal "
                        f"policy never changes {self.decision} under an intervention on "
                        f"{self.node}.")
            return (f"{self.decision} has a response incentive on {self.node} of "
                    f"{self.value:.6g}: every optimal policy changes {self.decision} with "
                    f"probability {self.value:.6g} under do({_pairs(self.intervention)}); e.g. "
                    f"{_where(self.context)}{self.decision}={self.actual!r} becomes "
                    f"{self.counterfactual!r} (probability {self.probability:.6g}).")
        if not self:
            return (f"{self.decision} has no instrumental control incentive on {self.node}: "
                    f"for an optimal policy, no decision's effect on {self.node} alone "
                    "changes the expected utility in any context.")
        (d, value), = self.intervention.items()
        return (f"{self.decision} has an instrumental control incentive on {self.node} of "
                f"{self.value:.6g}: {_where(self.context)}setting {self.node} to what it would "
                f"be under {d}={value!r} moves the expected utility from {self.actual:.6g} "
                f"to {self.counterfactual:.6g}, for every optimal policy.")

    def __repr__(self) -> str:
        return (f"QuantitativeIncentive({self.kind.upper()} of {self.decision!s} on "
                f"{self.node!s}: {self.value:.6g})")


def _pairs(values: Mapping[Hashable, Hashable]) -> str:
    return ", ".join(f"{n}={v!r}" for n, v in values.items())


def _where(context: Mapping[Hashable, Hashable]) -> str:
    return f"where {_pairs(context)}, " if context else ""


@dataclass
class _Candidates:
    """The optimal deterministic policies, grouped by the rules of the other decisions.

    Each group is ``(rules, choices)``: the rules of every decision but ``decision`` and the
    optimal choices of ``decision`` as a list per context (flat index) of allowed values;
    ``exhaustive`` groups list whole rules instead (one choice per context).
    """

    groups: list[tuple[dict[Hashable, Array], list[list[int]]]]
    probabilities: list[Array]  # per group: P(context) of the decision


def _own_and_fixed(
    pd: ParameterizedDiagram, decision: Hashable, policy: Policy | None
) -> tuple[Hashable, list[Hashable], dict[Hashable, Array]]:
    agent = pd.diagram.agent_of(decision)
    own = sorted(pd.diagram.decisions_of(agent), key=node_key)
    fixed = {d: r for d, r in rule_arrays(pd, policy).items() if d not in own}
    return agent, own, fixed


def _candidates(
    pd: ParameterizedDiagram, decision: Hashable, *, keep_impossible: bool,
    policy: Policy | None, max_policies: int,
) -> _Candidates:
    """Every optimal deterministic policy, as groups sharing the other decisions' rules.

    ``keep_impossible``: whether contexts of probability zero keep every value as an option
    (RI: an intervention can reach them) or only the first (ICI: they have no expectation).
    """
    agent, own, fixed = _own_and_fixed(pd, decision, policy)
    utilities = pd.diagram.utilities_of(agent)
    if own == [decision]:
        family = (*pd.parents_of(decision), decision)
        below = utilities & pd.diagram.descendants(decision)
        p, q = evaluate(pd, fixed, below, family, free=decision)
        rows, probs = q.reshape(-1, q.shape[-1]), p.reshape(-1, p.shape[-1])[:, 0]
        options = []
        for row, prob in zip(rows, probs, strict=True):
            if prob > 0:
                eu = row / prob
                best = eu.max()
                options.append([int(i) for i in np.flatnonzero(eu >= best - tie_tolerance(best))])
            else:
                options.append(list(range(len(row))) if keep_impossible else [0])
        return _Candidates([(fixed, options)], [p[..., 0] if p.ndim else p])
    count = pure_policy_count(pd, own)
    if count > max_policies:
        raise UnsupportedDiagramError(
            f"agent {agent!r} has several decisions ({', '.join(map(str, own))}): the optimal "
            f"policies are found by trying all {count} pure policies, more than "
            f"max_policies={max_policies}; raise max_policies"
        )
    scored = []
    for pick in pure_policies(pd, own):
        rules = {**fixed, **pick}
        scored.append((float(evaluate(pd, rules, utilities)[1]), rules))
    best = max(value for value, _ in scored)
    groups, probabilities = [], []
    for value, rules in scored:
        if value >= best - tie_tolerance(best):
            choice = np.argmax(rules[decision].reshape(-1, rules[decision].shape[-1]), axis=1)
            others = {d: r for d, r in rules.items() if d != decision}
            groups.append((others, [[int(c)] for c in choice]))
            probabilities.append(context_probabilities(pd, decision, rules))
    return _Candidates(groups, probabilities)


def _choices(options: list[list[int]], relevant: set[int], limit: int) -> Iterator[list[int]]:
    """Every combination of options over the ``relevant`` contexts (first option elsewhere)."""
    varying = sorted(c for c in relevant if len(options[c]) > 1)
    count = math.prod(len(options[c]) for c in varying)
    if count > limit:
        raise UnsupportedDiagramError(
            f"the optimal policies differ in {len(varying)} contexts that matter here, "
            f"{count} combinations, more than max_policies={limit}; raise max_policies"
        )
    base = [o[0] for o in options]
    for pick in itertools.product(*(options[c] for c in varying)):
        chosen = list(base)
        for c, value in zip(varying, pick, strict=True):
            chosen[c] = value
        yield chosen


def _flat(shape: tuple[int, ...], at: tuple[int, ...]) -> int:
    return int(np.ravel_multi_index(at, shape)) if shape else 0


def _context(pd: ParameterizedDiagram, decision: Hashable, flat: int) -> dict[Hashable, Hashable]:
    parents = pd.parents_of(decision)
    shape = tuple(len(pd.domain(p)) for p in parents)
    at = np.unravel_index(flat, shape) if shape else ()
    return {p: pd.domain(p)[int(i)] for p, i in zip(parents, at, strict=True)}


def _pairs_moved(
    pd: ParameterizedDiagram, rules: dict[Hashable, Array], decision: Hashable, node: Hashable,
    value: int,
) -> dict[tuple[int, int], float]:
    """``P(pa = c, pa_x = c')`` for the contexts ``c != c'`` an intervention moves between."""
    parents = pd.parents_of(decision)
    if not parents:
        return {}
    shape = tuple(len(pd.domain(p)) for p in parents)
    keep = [*((p, 0) for p in parents), *((p, 1) for p in parents)]
    axes, joint, _ = worlds.solve(pd, rules, [worlds.ACTUAL, worlds.World({node: value})], keep)
    k = len(parents)
    out: dict[tuple[int, int], float] = {}
    for at in zip(*np.nonzero(joint), strict=True):
        c = _flat(shape, tuple(int(at[a]) for a in axes[:k]))
        moved = _flat(shape, tuple(int(at[a]) for a in axes[k:]))
        if c != moved:
            out[(c, moved)] = out.get((c, moved), 0.0) + float(joint[at])
    return out


def _policy_of(
    pd: ParameterizedDiagram, decision: Hashable, rules: dict[Hashable, Array],
    choice: list[int], probabilities: Array,
) -> Policy:
    own = pd.diagram.decisions_of(pd.diagram.agent_of(decision))
    size = len(pd.domain(decision))
    shape = (*(len(pd.domain(p)) for p in pd.parents_of(decision)), size)
    array = np.eye(size)[choice].reshape(shape)
    full = {**rules, decision: array}
    return Policy(
        decision_rule(pd, d, full[d], probabilities > 0 if d == decision
                      else possible_contexts(pd, d, full))
        for d in sorted(own, key=node_key)
    )


def _check_node(pd: ParameterizedDiagram, decision: Hashable, node: Hashable, kind: str) -> None:
    check_pd(pd)
    require_decision(pd.diagram, decision)
    pd.diagram.require(node)
    pd.domain(node)
    if kind == "ri" and pd.diagram.kind(node) is NodeKind.DECISION:
        raise InvalidQueryError(
            f"a response incentive on {node!r} is undefined: it is a decision; responses are "
            "to nodes the agent does not choose"
        )


def quantitative_ri(
    pd: ParameterizedDiagram,
    decision: Hashable,
    node: Hashable,
    *,
    policy: Policy | None = None,
    max_policies: int = MAX_POLICIES,
) -> QuantitativeIncentive:
    """Measure the response incentive of ``decision`` on ``node``, by its definition.

    The value is ``min over optimal policies of max over x of P(D_x != D)``: how likely the
    decision is to change when ``node`` is set to ``x``, both worlds sharing the exogenous
    noise, for the optimal policy that changes least. Positive exactly when every optimal
    policy responds (Everitt et al. 2021, Def. 10); see the module docstring for which
    policies are searched.

    Parameters
    ----------
    pd : ParameterizedDiagram
        Read as a structural model (:mod:`cidlib.quant.structural`).
    decision : hashable
    node : hashable
        A chance or utility node (a utility, having no children, never has one).
    policy : Policy, optional
        The rules of other agents' decisions, which stay fixed.
    max_policies : int
        Size guard on the optimal policies compared.

    Returns
    -------
    QuantitativeIncentive
        Truthy iff positive; when positive, ``intervention``, ``context``,
        ``counterfactual_context``, ``actual`` and ``counterfactual`` give the most likely
        change under the least responsive optimal policy.

    Raises
    ------
    InvalidQueryError
        When ``node`` is a decision.
    UnsupportedDiagramError
        When more than ``max_policies`` optimal policies would have to be compared.

    Examples
    --------
    The agent sees ``S`` and matches it: setting ``S`` to -1 changes its choice wherever
    ``S`` was 1, half the time.

    >>> import cidlib
    >>> d = cidlib.CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"], utilities=["U"])
    >>> pd = cidlib.parameterize(d, S=cidlib.uniform([-1, 1]), D=[-1, 1],
    ...                          U=lambda S, D: S * D)
    >>> ri = cidlib.quantitative_ri(pd, "D", "S")
    >>> ri.value, dict(ri.intervention), dict(ri.context), ri.actual, ri.counterfactual
    (0.5, {'S': -1}, {'S': 1}, 1, -1)
    """
    _check_node(pd, decision, node, "ri")
    candidates = _candidates(pd, decision, keep_impossible=True, policy=policy,
                             max_policies=max_policies)
    best: tuple[float, list[int], int, int] | None = None  # value, choice, group, x
    moved_by: dict[int, list[dict[tuple[int, int], float]]] = {}
    compared = 0
    for g, (rules, options) in enumerate(candidates.groups):
        moved = [_pairs_moved(pd, rules, decision, node, x) for x in range(len(pd.domain(node)))]
        moved_by[g] = moved
        relevant = {c for pairs in moved for pair in pairs for c in pair}
        for choice in _choices(options, relevant, max_policies):
            compared += 1
            changes = [sum(m for (c, c2), m in pairs.items() if choice[c] != choice[c2])
                       for pairs in moved]
            x = int(np.argmax(changes)) if changes else 0
            value = changes[x] if changes else 0.0
            if best is None or value < best[0] - TOLERANCE:
                best = (value, choice, g, x)
    assert best is not None  # there is always an optimal policy
    value, choice, g, x = best
    rules = candidates.groups[g][0]
    chosen = _policy_of(pd, decision, rules, choice, candidates.probabilities[g])
    result = QuantitativeIncentive("ri", decision, node, tidy(value), chosen, compared)
    if not result:
        return result
    pairs = moved_by[g][x]
    (c, c_moved), mass = max(((pair, m) for pair, m in pairs.items()
                              if choice[pair[0]] != choice[pair[1]]), key=lambda item: item[1])
    domain = pd.domain(decision)
    return QuantitativeIncentive(
        "ri", decision, node, tidy(value), chosen, compared,
        intervention=MappingProxyType({node: pd.domain(node)[x]}),
        context=MappingProxyType(_context(pd, decision, c)),
        counterfactual_context=MappingProxyType(_context(pd, decision, c_moved)),
        actual=domain[choice[c]], counterfactual=domain[choice[c_moved]],
        probability=tidy(mass),
    )


def _differences(
    pd: ParameterizedDiagram, decision: Hashable, node: Hashable, rules: dict[Hashable, Array],
) -> tuple[Array, Array, Array]:
    """Per context of the decision: ``P(pa)``, ``E[U | pa]`` and ``E[U_{X_d} | pa]`` per d."""
    parents = pd.parents_of(decision)
    utilities = sorted(pd.diagram.utilities_of(pd.diagram.agent_of(decision)), key=node_key)
    p, q = evaluate(pd, rules, utilities, parents)
    p, q = p.reshape(-1), q.reshape(-1)
    keep = [(n, 0) for n in parents]  # distinct nodes of the actual world: axes in order
    moved = []
    for d in range(len(pd.domain(decision))):
        chain = [worlds.ACTUAL, worlds.World({decision: d}), worlds.World(copied={node: 1})]
        _, _, q2 = worlds.solve(pd, rules, chain, keep, utilities=[(u, 2) for u in utilities])
        moved.append(q2.reshape(-1))
    with np.errstate(divide="ignore", invalid="ignore"):
        actual = np.where(p > 0, q / np.where(p > 0, p, 1.0), 0.0)
        after = np.array([np.where(p > 0, m / np.where(p > 0, p, 1.0), 0.0) for m in moved])
    return p, actual, after


def quantitative_ici(
    pd: ParameterizedDiagram,
    decision: Hashable,
    node: Hashable,
    *,
    policy: Policy | None = None,
    max_policies: int = MAX_POLICIES,
) -> QuantitativeIncentive:
    """Measure the instrumental control incentive of ``decision`` on ``node``, by its definition.

    For each context ``pa`` of the decision (of positive probability), each optimal policy
    and each decision ``d``, compare the expected utility with ``node`` as it would have
    been under ``do(decision = d)``, everything else as it is, against the actual expected
    utility: ``|E[U_{X_d} | pa] - E[U | pa]|`` (a nested counterfactual; ``U`` the sum of the
    agent's utilities). The value is the largest, over contexts, of the smallest over optimal
    policies of the largest over ``d``: positive exactly when some context has the
    incentive of Everitt et al. (2021, Def. 17). See the module docstring for the policies
    searched.

    Parameters
    ----------
    pd : ParameterizedDiagram
        Read as a structural model (:mod:`cidlib.quant.structural`).
    decision, node : hashable
        ``node`` may be any node: the decision itself (its own effect) or a utility too.
    policy : Policy, optional
        The rules of other agents' decisions, which stay fixed.
    max_policies : int
        Size guard on the optimal policies compared.

    Returns
    -------
    QuantitativeIncentive
        Truthy iff positive; when positive, ``context``, ``intervention``, ``actual`` and
        ``counterfactual`` give the context and decision of the largest change.

    Examples
    --------
    The agent's choice matters to its utility only through ``X``: it chooses 1; had ``X``
    been what choosing 0 makes it, its utility would have been 0 rather than 1.

    >>> import cidlib
    >>> d = cidlib.CID([("D", "X"), ("X", "U")], decisions=["D"], utilities=["U"])
    >>> pd = cidlib.parameterize(d, D=[0, 1], X=lambda D: D, U=lambda X: float(X))
    >>> ici = cidlib.quantitative_ici(pd, "D", "X")
    >>> ici.value, dict(ici.intervention), ici.actual, ici.counterfactual
    (1.0, {'D': 0}, 1.0, 0.0)
    """
    _check_node(pd, decision, node, "ici")
    agent = pd.diagram.agent_of(decision)
    scale = sum(float(np.abs(np.asarray(pd.domain(u), dtype=float)).max())
                for u in pd.diagram.utilities_of(agent))
    tolerance = TOLERANCE + 1e-12 * scale
    candidates = _candidates(pd, decision, keep_impossible=False, policy=policy,
                             max_policies=max_policies)
    size = len(pd.domain(decision))
    shape = (*(len(pd.domain(p)) for p in pd.parents_of(decision)), size)
    compared = 0
    # per context: the least incentive over policies, with (gap, choice, group, d, actual, after)
    least: dict[int, tuple[float, int, int, int, float, float]] = {}
    for g, (rules, options) in enumerate(candidates.groups):
        choices = sorted({a for o in options for a in o})
        table = {}
        for a in choices:
            constant = np.eye(size)[np.full(math.prod(shape[:-1]), a)].reshape(shape)
            table[a] = _differences(pd, decision, node, {**rules, decision: constant})
        compared += math.prod(len(o) for o in options)
        for c, allowed in enumerate(options):
            if table[allowed[0]][0][c] <= 0:  # no expectation given an impossible context
                least[c] = (0.0, allowed[0], g, 0, 0.0, 0.0)
                continue
            for a in allowed:
                _, actual_eu, moved_eu = table[a]
                gaps = np.abs(moved_eu[:, c] - actual_eu[c])
                d = int(np.argmax(gaps))
                entry = (float(gaps[d]), a, g, d, float(actual_eu[c]), float(moved_eu[d, c]))
                if c not in least or entry[0] < least[c][0] - tolerance:
                    least[c] = entry
    c_best = max(least, key=lambda c: least[c][0]) if least else None
    g = least[c_best][2] if c_best is not None else 0
    rules, options = candidates.groups[g]
    choice = [least[c][1] if c in least and least[c][2] == g else o[0]
              for c, o in enumerate(options)]
    chosen = _policy_of(pd, decision, rules, choice, candidates.probabilities[g])
    if c_best is None or least[c_best][0] <= tolerance:
        value = 0.0 if c_best is None else least[c_best][0]
        return QuantitativeIncentive("ici", decision, node, tidy(value), chosen, compared,
                                     tolerance=tolerance)
    gap, _, _, d, actual, after = least[c_best]
    return QuantitativeIncentive(
        "ici", decision, node, tidy(gap), chosen, compared,
        intervention=MappingProxyType({decision: pd.domain(decision)[d]}),
        context=MappingProxyType(_context(pd, decision, c_best)),
        actual=tidy(actual), counterfactual=tidy(after),
        probability=tidy(float(candidates.probabilities[g].reshape(-1)[c_best])),
        tolerance=tolerance,
    )
