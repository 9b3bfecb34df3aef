"""Equilibria of a parameterised multi-agent influence diagram.

* :func:`pure_nash_equilibria` enumerates every profile of deterministic decision rules and
  keeps those from which no agent gains by changing its own rules (a Nash equilibrium).
* :func:`subgame_perfect_equilibria` solves the game by backward induction over the
  condensed relevance graph (Koller & Milch 2003; Hammond et al. 2021): each strongly
  connected component of decisions, taken after every component it relies on, is played
  as a small game. A single decision simply takes an optimal rule (every optimal rule
  gives another equilibrium); a larger component takes each of its pure Nash
  equilibria, or, when it has none and is a game between two agents with one decision
  each, each of its mixed equilibria (:func:`mixed_nash_equilibria`). The profiles that
  result are Nash equilibria in every subgame.
* :func:`mixed_nash_equilibria` finds the mixed equilibria of a game between two agents by
  support enumeration (Nisan et al. 2007, §3.4): for each pair of equally large supports,
  the indifference equations fix both mixtures, which are kept when they are
  probabilities and no pure strategy outside the support does better. This finds every
  equilibrium of a nondegenerate game; in a degenerate one (ties among payoffs) it may
  miss some whose supports differ in size.

A pure strategy is a deterministic rule for each decision, a function of what it observes;
the number of them grows as ``|domain| ** |contexts|``, so each function has a size guard
(``max_profiles``) and raises :class:`~cidlib.exceptions.UnsupportedDiagramError` past it.
Decisions outside the component being solved that it does not rely on are uniformly random
while it is solved: its optimal rules do not depend on them, and every context they can
produce keeps a positive probability. A single decision's context that chance makes
impossible, but that a subgame can still fix, is judged with the chance nodes the decision
does not rely on made uniformly random; a context that still has probability zero takes the
first value, as in :func:`~cidlib.optimal_policy`. Enumeration (:func:`pure_nash_equilibria`
and components of several decisions) reports every pure equilibrium, including those that
differ only in contexts of probability zero: they are different profiles.

References
----------
.. [1] D. Koller, B. Milch. "Multi-agent influence diagrams for representing and solving
   games." Games and Economic Behavior 45, 2003.
.. [2] L. Hammond, J. Fox, T. Everitt, A. Abate, M. Wooldridge. "Equilibrium Refinements for
   Multi-Agent Influence Diagrams: Theory and Practice." AAMAS 2021.
.. [3] B. von Stengel. "Equilibrium computation for two-player games in strategic and
   extensive form." In N. Nisan et al. (eds.), Algorithmic Game Theory, 2007.
"""

from __future__ import annotations

import itertools
import math
import types
from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np

from cidlib.core.diagram import NodeKind
from cidlib.core.names import node_key
from cidlib.exceptions import ArgumentTypeError, UnsupportedDiagramError
from cidlib.quant.model import ParameterizedDiagram, check_pd
from cidlib.quant.policy import Policy
from cidlib.quant.solve import decision_rule, evaluate, tie_tolerance
from cidlib.quant.specs import Array
from cidlib.structure.relevance import condensed_relevance_graph, r_reachable

__all__ = ["Equilibrium", "mixed_nash_equilibria", "pure_nash_equilibria",
           "subgame_perfect_equilibria"]

MAX_PROFILES = 10_000


@dataclass(frozen=True, eq=False)
class Equilibrium:
    """A policy profile in equilibrium, with each agent's expected utility.

    Attributes
    ----------
    policy : Policy
        A rule for every decision; mixed equilibria have stochastic rules.
    utilities : Mapping
        Each agent's expected utility under ``policy``.
    """

    policy: Policy
    utilities: Mapping[Hashable, float]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Equilibrium):
            return NotImplemented
        return self.policy == other.policy and dict(self.utilities) == dict(other.utilities)

    __hash__ = None  # type: ignore[assignment]

    def __str__(self) -> str:
        values = ", ".join(f"{a}: {u:.6g}" for a, u in self.utilities.items())
        return f"{self.policy}\nexpected utility: {values}"


def _shape(pd: ParameterizedDiagram, decision: Hashable) -> tuple[int, ...]:
    return (*(len(pd.domain(p)) for p in pd.parents_of(decision)), len(pd.domain(decision)))


def _pure_rules(pd: ParameterizedDiagram, decision: Hashable) -> Iterator[Array]:
    """Yield every deterministic rule of ``decision``, as arrays, in domain order per context."""
    shape = _shape(pd, decision)
    contexts, size = math.prod(shape[:-1]), shape[-1]
    eye = np.eye(size)
    for choice in itertools.product(range(size), repeat=contexts):
        yield eye[list(choice)].reshape(shape)


def _count(pd: ParameterizedDiagram, decisions: Sequence[Hashable]) -> int:
    return math.prod(s[-1] ** math.prod(s[:-1]) for s in (_shape(pd, d) for d in decisions))


def _guard(pd: ParameterizedDiagram, decisions: Sequence[Hashable], limit: int) -> None:
    count = _count(pd, decisions)
    if count > limit:
        raise UnsupportedDiagramError(
            f"decisions {', '.join(map(str, decisions))} have {count} profiles of "
            f"deterministic rules, more than max_profiles={limit}; raise max_profiles, or "
            "shrink the domains or what the decisions observe"
        )


def _agents(pd: ParameterizedDiagram, decisions: Sequence[Hashable]) -> list[Hashable]:
    return sorted({pd.diagram.agent_of(d) for d in decisions}, key=node_key)


def _payoffs(
    pd: ParameterizedDiagram,
    decisions: Sequence[Hashable],
    agents: Sequence[Hashable],
    fixed: Mapping[Hashable, Array],
    uniform: frozenset[Hashable],
) -> tuple[list[list[Array]], Array]:
    """Return the normal form of ``decisions``: their pure rules and expected utilities.

    The array has one axis per decision (its pure rules) and a last axis per agent.
    """
    rules = [list(_pure_rules(pd, d)) for d in decisions]
    table = np.zeros((*(len(r) for r in rules), len(agents)))
    for index in itertools.product(*(range(len(r)) for r in rules)):
        chosen = {**fixed, **_profile(decisions, rules, index)}
        for a, agent in enumerate(agents):
            cell = (*index, a)
            table[cell] = float(evaluate(pd, chosen, pd.diagram.utilities_of(agent),
                                         uniform=uniform)[1])
    return rules, table


def _profile(
    decisions: Sequence[Hashable], rules: list[list[Array]], index: Sequence[int]
) -> dict[Hashable, Array]:
    """Return the rule arrays of the pure profile at ``index`` of the normal form."""
    return {d: rules[i][k] for i, (d, k) in enumerate(zip(decisions, index, strict=True))}


def _pure_equilibria(
    pd: ParameterizedDiagram, decisions: Sequence[Hashable], agents: Sequence[Hashable],
    table: Array,
) -> list[tuple[int, ...]]:
    """Return the pure profiles from which no agent gains by changing its decisions."""
    stable = np.ones(table.shape[:-1], dtype=bool)
    for a, agent in enumerate(agents):
        axes = tuple(i for i, d in enumerate(decisions) if pd.diagram.agent_of(d) == agent)
        value = table[..., a]
        best = value.max(axis=axes, keepdims=True)
        stable &= value >= best - tie_tolerance(best)
    return [tuple(int(i) for i in idx) for idx in zip(*np.nonzero(stable), strict=True)]


def _equilibrium(pd: ParameterizedDiagram, rules: Mapping[Hashable, Array]) -> Equilibrium:
    policy = Policy(decision_rule(pd, d, rules[d]) for d in sorted(rules, key=node_key))
    arrays = {d: r.array for d, r in policy.items()}
    utilities = {
        agent: float(evaluate(pd, arrays, pd.diagram.utilities_of(agent))[1])
        for agent in sorted(pd.diagram.agents, key=node_key)
    }
    return Equilibrium(policy, types.MappingProxyType(utilities))


def _check_limit(max_profiles: int) -> None:
    if isinstance(max_profiles, bool) or not isinstance(max_profiles, int) or max_profiles < 1:
        raise ArgumentTypeError(
            f"max_profiles must be a positive int, not {max_profiles!r:.40}")


def pure_nash_equilibria(
    pd: ParameterizedDiagram, *, max_profiles: int = MAX_PROFILES
) -> tuple[Equilibrium, ...]:
    """Return every Nash equilibrium in deterministic decision rules.

    Parameters
    ----------
    pd : ParameterizedDiagram
        A diagram with a CPD for every chance and utility node and a domain per decision.
    max_profiles : int
        Size guard: the number of profiles of deterministic rules enumerated.

    Returns
    -------
    tuple of Equilibrium
        In the order of the profiles (each decision's rules in domain order).

    Raises
    ------
    UnsupportedDiagramError
        When there are more than ``max_profiles`` profiles.

    Examples
    --------
    The prisoner's dilemma has one pure equilibrium: both defect.

    >>> import cidlib
    >>> game = cidlib.MACID([("D1", "U1"), ("D2", "U1"), ("D1", "U2"), ("D2", "U2")],
    ...                     agents={1: {"decisions": ["D1"], "utilities": ["U1"]},
    ...                             2: {"decisions": ["D2"], "utilities": ["U2"]}})
    >>> years = {("c", "c"): -1, ("c", "d"): -3, ("d", "c"): 0, ("d", "d"): -2}
    >>> pd = cidlib.parameterize(game, D1=["c", "d"], D2=["c", "d"],
    ...                          U1=lambda D1, D2: years[D1, D2],
    ...                          U2=lambda D1, D2: years[D2, D1])
    >>> (e,) = cidlib.pure_nash_equilibria(pd)
    >>> print(e)
    D1: (always) -> 'd'
    D2: (always) -> 'd'
    expected utility: 1: -2, 2: -2
    """
    check_pd(pd)
    _check_limit(max_profiles)
    decisions = sorted(pd.diagram.decisions, key=node_key)
    if not decisions:  # nothing to choose: the empty profile is the equilibrium
        return (_equilibrium(pd, {}),)
    _guard(pd, decisions, max_profiles)
    agents = _agents(pd, decisions)
    rules, table = _payoffs(pd, decisions, agents, {}, frozenset())
    return tuple(
        _equilibrium(pd, _profile(decisions, rules, index))
        for index in _pure_equilibria(pd, decisions, agents, table)
    )


def _support_enumeration(a: Array, b: Array) -> list[tuple[Array, Array]]:
    """Mixed equilibria ``(x, y)`` of the bimatrix game (row payoffs ``a``, column ``b``)."""
    m, n = a.shape
    found: list[tuple[Array, Array]] = []
    tol = 1e-9 * max(1.0, float(np.abs(a).max(initial=0)), float(np.abs(b).max(initial=0)))
    for k in range(1, min(m, n) + 1):
        for rows in itertools.combinations(range(m), k):
            for cols in itertools.combinations(range(n), k):
                y = _indifferent(a[np.ix_(rows, cols)])
                x = _indifferent(b[np.ix_(rows, cols)].T)
                if x is None or y is None:
                    continue
                full_x, full_y = np.zeros(m), np.zeros(n)
                full_x[list(rows)], full_y[list(cols)] = x, y
                row_values, col_values = a @ full_y, full_x @ b
                if (row_values.max() <= row_values[list(rows)].min() + tol
                        and col_values.max() <= col_values[list(cols)].min() + tol
                        and not any(np.allclose(full_x, fx) and np.allclose(full_y, fy)
                                    for fx, fy in found)):
                    found.append((full_x, full_y))
    return found


def _indifferent(payoff: Array) -> Array | None:
    """Mixture over the columns of ``payoff`` making every row equally good, or None."""
    k = payoff.shape[0]
    system = np.zeros((k + 1, k + 1))
    system[:k, :k] = payoff
    system[:k, k] = -1.0
    system[k, :k] = 1.0
    rhs = np.zeros(k + 1)
    rhs[k] = 1.0
    try:
        solution = np.linalg.solve(system, rhs)
    except np.linalg.LinAlgError:
        return None
    mixture = solution[:k]
    if (mixture < -1e-12).any():
        return None
    mixture = np.clip(mixture, 0.0, None)
    normalised: Array = mixture / mixture.sum()
    return normalised


def _mixed(
    pd: ParameterizedDiagram, decisions: Sequence[Hashable], agents: Sequence[Hashable],
    rules: list[list[Array]], table: Array,
) -> list[dict[Hashable, Array]]:
    """Return the mixed equilibria of two decisions of two agents, from their normal form."""
    if len(agents) != 2 or len(decisions) != 2:
        raise UnsupportedDiagramError(
            f"decisions {', '.join(map(str, decisions))} form a game without a pure "
            "equilibrium once every context a subgame can fix is counted (the chance nodes "
            "they do not rely on made uniform); mixed equilibria are supported for two "
            "agents with one decision each in such a game"
        )
    row = agents.index(pd.diagram.agent_of(decisions[0]))
    found: list[dict[Hashable, Array]] = []
    for mix in _support_enumeration(table[..., row], table[..., 1 - row]):
        profile = {d: np.tensordot(weights, np.stack(rules[i]), axes=1)
                   for i, (d, weights) in enumerate(zip(decisions, mix, strict=True))}
        # mixtures of different rules can give the same stochastic rules: report them once
        if not any(all(np.allclose(profile[d], other[d]) for d in decisions)
                   for other in found):
            found.append(profile)
    return found


def mixed_nash_equilibria(
    pd: ParameterizedDiagram, *, max_profiles: int = MAX_PROFILES
) -> tuple[Equilibrium, ...]:
    """Return the mixed Nash equilibria of a game of two agents with one decision each.

    Found by support enumeration over the agents' deterministic rules: every equilibrium of
    a nondegenerate game, pure ones included. A mixture of one decision's deterministic
    rules is a stochastic rule, so each equilibrium is an ordinary (behavioural) policy.
    When a decision observes something, its rules form a product over contexts and the
    game over rules is degenerate: equilibria whose two supports differ in size are then
    missed (on 20,000 small degenerate games in review, at least one was always found).

    Parameters
    ----------
    pd : ParameterizedDiagram
    max_profiles : int
        Size guard on the number of pairs of deterministic rules.

    Raises
    ------
    UnsupportedDiagramError
        When the diagram does not have exactly two decisions of two different agents, or
        more than ``max_profiles`` pairs of rules.

    Examples
    --------
    Matching pennies: each player mixes half and half.

    >>> import cidlib
    >>> game = cidlib.MACID([("D1", "U1"), ("D2", "U1"), ("D1", "U2"), ("D2", "U2")],
    ...                     agents={1: {"decisions": ["D1"], "utilities": ["U1"]},
    ...                             2: {"decisions": ["D2"], "utilities": ["U2"]}})
    >>> pd = cidlib.parameterize(game, D1=["H", "T"], D2=["H", "T"],
    ...                          U1=lambda D1, D2: 1 if D1 == D2 else -1,
    ...                          U2=lambda D1, D2: -1 if D1 == D2 else 1)
    >>> (e,) = cidlib.mixed_nash_equilibria(pd)
    >>> print(e)
    D1: (always) -> {'H': 0.5, 'T': 0.5}
    D2: (always) -> {'H': 0.5, 'T': 0.5}
    expected utility: 1: 0, 2: 0
    """
    check_pd(pd)
    _check_limit(max_profiles)
    decisions = sorted(pd.diagram.decisions, key=node_key)
    if len(decisions) != 2 or len(_agents(pd, decisions)) != 2:
        raise UnsupportedDiagramError(
            f"mixed equilibria need exactly two decisions of two agents; this diagram has "
            f"decisions {', '.join(map(str, decisions)) or 'none'}. For larger games use "
            "cidlib.subgame_perfect_equilibria, which uses them for each two-player component"
        )
    _guard(pd, decisions, max_profiles)
    agents = _agents(pd, decisions)
    rules, table = _payoffs(pd, decisions, agents, {}, frozenset())
    return tuple(_equilibrium(pd, profile)
                 for profile in _mixed(pd, decisions, agents, rules, table))


def _spread(pd: ParameterizedDiagram, decisions: Sequence[Hashable]) -> ParameterizedDiagram:
    """``pd`` with every chance node that no decision in ``decisions`` relies on uniform.

    Their optimal rules do not depend on those mechanisms (r-reachability is sound), but a
    context they made impossible, and that a subgame may still fix, now has a probability.
    """
    relied = frozenset().union(*(r_reachable(pd.diagram, d) for d in decisions))
    tables = {
        n: np.full(t.shape, 1.0 / t.shape[-1])
        if pd.diagram.kind(n) is NodeKind.CHANCE and n not in relied else t
        for n, t in pd.tables.items()
    }
    return ParameterizedDiagram(pd.diagram, dict(pd.domains), tables)


def _best_rules(
    pd: ParameterizedDiagram, decision: Hashable, fixed: Mapping[Hashable, Array],
    uniform: frozenset[Hashable], limit: int,
) -> list[Array]:
    """Return every optimal deterministic rule of one decision (ties kept).

    A context of probability zero is judged with the chance nodes the decision does not
    rely on made uniformly random; if it still has probability zero it takes the first value.
    """
    family = (*pd.parents_of(decision), decision)
    agent = pd.diagram.agent_of(decision)
    below = pd.diagram.utilities_of(agent) & pd.diagram.descendants(decision)
    p, q = evaluate(pd, fixed, below, family, uniform=uniform, free=decision)
    if not p.all():
        p2, q2 = evaluate(_spread(pd, [decision]), fixed, below, family, uniform=uniform,
                          free=decision)
        p, q = np.where(p > 0, p, p2), np.where(p > 0, q, q2)
    rows = q.reshape(-1, q.shape[-1])
    probs = p.reshape(-1, p.shape[-1])[:, 0]
    options: list[list[int]] = []
    for row, prob in zip(rows, probs, strict=True):
        if prob > 0:
            eu = row / prob
            best = eu.max()
            options.append([int(i) for i in np.flatnonzero(eu >= best - tie_tolerance(best))])
        else:
            options.append([0])
    count = math.prod(len(o) for o in options)
    if count > limit:
        raise UnsupportedDiagramError(
            f"{decision} has {count} optimal deterministic rules (ties), more than "
            f"max_profiles={limit}; raise max_profiles"
        )
    eye = np.eye(q.shape[-1])
    return [eye[list(choice)].reshape(q.shape) for choice in itertools.product(*options)]


def subgame_perfect_equilibria(
    pd: ParameterizedDiagram, *, mixed: bool = False, max_profiles: int = MAX_PROFILES
) -> tuple[Equilibrium, ...]:
    """Return the subgame-perfect equilibria found by backward induction.

    The strongly connected components of the relevance graph are solved in reverse
    topological order of the condensed relevance graph, each given the rules already chosen
    for the components it relies on. Every optimal rule of a single decision, and every
    pure equilibrium of a larger component, starts its own branch; a two-player component
    without a pure equilibrium takes its mixed equilibria (:func:`mixed_nash_equilibria`).
    With ``mixed=True`` every component of two agents with one decision each takes its
    mixed equilibria as well as its pure ones, so that the equilibria in which some subgame
    is played in mixed strategies are found too (battle of the sexes: two pure and one
    mixed). Mixtures of a single decision's tied optimal rules (infinitely many) and mixed
    equilibria of larger components are not listed.
    A component is solved with the chance nodes it does not rely on made uniformly random,
    so that it also plays well in the contexts chance rules out but a subgame can fix (its
    equilibria are otherwise the same); "without a pure equilibrium" is meant in that sense.

    Parameters
    ----------
    pd : ParameterizedDiagram
    mixed : bool
        Also list the mixed equilibria of two-player components that have pure ones.
    max_profiles : int
        Size guard: per component, the profiles of deterministic rules enumerated (or a
        single decision's optimal rules), and the number of equilibria returned.

    Raises
    ------
    UnsupportedDiagramError
        When a component has no pure equilibrium and is not a game of two agents with one
        decision each, or a size guard is exceeded.

    Examples
    --------
    Taxi competition (Hammond et al. 2021): taxi 1 parks first, taxi 2 sees where. Of the
    three pure Nash equilibria, only the one without taxi 2's empty threat is subgame
    perfect.

    >>> import cidlib
    >>> taxi = cidlib.catalogue.taxi_competition()  # D1 -> D2; both move, both paid
    >>> fares1 = {("e", "e"): 2, ("e", "c"): 5, ("c", "e"): 3, ("c", "c"): 1}
    >>> fares2 = {("e", "e"): 2, ("e", "c"): 3, ("c", "e"): 5, ("c", "c"): 1}
    >>> pd = cidlib.parameterize(taxi, D1=["e", "c"], D2=["e", "c"],
    ...                          U1=lambda D1, D2: fares1[D1, D2],
    ...                          U2=lambda D1, D2: fares2[D1, D2])
    >>> len(cidlib.pure_nash_equilibria(pd))
    3
    >>> (spe,) = cidlib.subgame_perfect_equilibria(pd)
    >>> print(spe)
    D1: (always) -> 'e'
    D2: D1='e' -> 'c'; D1='c' -> 'e'
    expected utility: 1: 5, 2: 3

    Battle of the sexes, a simultaneous game: two pure equilibria and a mixed one.

    >>> sexes = cidlib.MACID([("D1", "U1"), ("D2", "U1"), ("D1", "U2"), ("D2", "U2")],
    ...                      agents={1: {"decisions": ["D1"], "utilities": ["U1"]},
    ...                              2: {"decisions": ["D2"], "utilities": ["U2"]}})
    >>> pay = {("o", "o"): (3, 2), ("f", "f"): (2, 3), ("o", "f"): (0, 0), ("f", "o"): (0, 0)}
    >>> pd = cidlib.parameterize(sexes, D1=["o", "f"], D2=["o", "f"],
    ...                          U1=lambda D1, D2: pay[D1, D2][0],
    ...                          U2=lambda D1, D2: pay[D1, D2][1])
    >>> len(cidlib.subgame_perfect_equilibria(pd)), len(
    ...     cidlib.subgame_perfect_equilibria(pd, mixed=True))
    (2, 3)
    """
    check_pd(pd)
    _check_limit(max_profiles)
    condensed = condensed_relevance_graph(pd.diagram)
    order = list(reversed(list(nx.lexicographical_topological_sort(
        condensed, key=lambda c: sorted(map(node_key, c))))))
    relied = {c: frozenset().union(*nx.descendants(condensed, c)) for c in order}
    profiles: list[dict[Hashable, Array]] = [{}]
    for component in order:
        decisions = sorted(component, key=node_key)
        uniform = pd.diagram.decisions - component - relied[component]
        grown: list[dict[Hashable, Array]] = []
        for solved in profiles:
            fixed = {d: solved[d] for d in relied[component]}
            for choice in _solve_component(pd, decisions, fixed, uniform, max_profiles,
                                           mixed=bool(mixed)):
                grown.append({**solved, **choice})
                if len(grown) > max_profiles:
                    raise UnsupportedDiagramError(
                        f"more than max_profiles={max_profiles} subgame-perfect equilibria; "
                        "raise max_profiles"
                    )
        profiles = grown
    return tuple(_equilibrium(pd, rules) for rules in profiles)


def _solve_component(
    pd: ParameterizedDiagram, decisions: Sequence[Hashable], fixed: Mapping[Hashable, Array],
    uniform: frozenset[Hashable], limit: int, *, mixed: bool = False,
) -> list[dict[Hashable, Array]]:
    if len(decisions) == 1:
        (decision,) = decisions
        return [{decision: r} for r in _best_rules(pd, decision, fixed, uniform, limit)]
    _guard(pd, decisions, limit)
    spread = _spread(pd, decisions)  # the same equilibria, fewer contexts of probability 0
    agents = _agents(pd, decisions)
    rules, table = _payoffs(spread, decisions, agents, fixed, uniform)
    pure = [_profile(decisions, rules, index)
            for index in _pure_equilibria(pd, decisions, agents, table)]
    if pure and not (mixed and len(decisions) == 2 and len(agents) == 2):
        return pure
    found = list(pure)
    for profile in _mixed(pd, decisions, agents, rules, table):
        if not any(all(np.allclose(profile[d], other[d]) for d in decisions) for other in found):
            found.append(profile)
    return found
