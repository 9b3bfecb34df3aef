"""Decision rules and policies.

A *decision rule* gives a decision's distribution for each assignment of its parents; a
*policy* is a rule for each of some decisions. Both are immutable values. Build them with
:func:`policy` (functions of the parents, tables, constants), :func:`uniform_policy` or
:func:`random_policy`, or get an optimal one from :func:`~cidlib.optimal_policy`.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable, Iterator, Mapping
from typing import Any

import numpy as np

from cidlib.core.diagram import NodeKind
from cidlib.core.names import node_key
from cidlib.exceptions import (
    ArgumentTypeError,
    InvalidQueryError,
    ParameterError,
    UnknownNodeError,
)
from cidlib.quant.model import ParameterizedDiagram, check_pd, merge_specs, row_index
from cidlib.quant.specs import Array, Domain, Family, Spec, from_value

__all__ = ["DecisionRule", "Policy", "policy", "random_policy", "uniform_policy"]


class DecisionRule:
    """The distribution of a decision for each assignment of its parents.

    Attributes
    ----------
    decision : hashable
    parents : tuple
        In the order of the table's axes (sorted by ``str``).
    array : numpy.ndarray
        Read-only, shape ``(|Pa_1|, ..., |Pa_k|, |D|)``.
    """

    __slots__ = ("array", "decision", "domain", "parent_domains", "parents")

    decision: Hashable
    parents: tuple[Hashable, ...]
    parent_domains: tuple[Domain, ...]
    domain: Domain
    array: Array

    def __init__(
        self,
        decision: Hashable,
        parents: tuple[Hashable, ...],
        parent_domains: tuple[Domain, ...],
        domain: Domain,
        array: Array,
    ) -> None:
        array = np.array(array, dtype=float)
        array.setflags(write=False)
        for name, value in (("decision", decision), ("parents", parents),
                            ("parent_domains", parent_domains), ("domain", domain),
                            ("array", array)):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("DecisionRule is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (DecisionRule, (self.decision, self.parents, self.parent_domains, self.domain,
                               self.array))

    @property
    def is_deterministic(self) -> bool:
        """Whether every row puts all probability on one value."""
        return bool(np.all(np.isclose(self.array.max(axis=-1), 1.0)))

    def __call__(self, **parents: Hashable) -> dict[Hashable, float]:
        """Return the decision's distribution given the parents, by name."""
        index = row_index(self.parents, self.parent_domains, parents,
                          f"the rule for {self.decision!r}")
        return {v: float(x) for v, x in zip(self.domain, self.array[index], strict=True)}

    def as_dict(self) -> dict[tuple[Hashable, ...], Any]:
        """``{parent values: choice}``, the choice a value if deterministic, else a mapping.

        Examples
        --------
        >>> import cidlib
        >>> d = cidlib.CID([("S", "D"), ("D", "U"), ("S", "U")], decisions=["D"],
        ...                utilities=["U"])
        >>> pd = cidlib.parameterize(d, S=cidlib.uniform([0, 1]), D=[0, 1],
        ...                          U=lambda S, D: float(S == D))
        >>> cidlib.optimal_policy(pd)["D"].as_dict()
        {(0,): 0, (1,): 1}
        """
        out: dict[tuple[Hashable, ...], Any] = {}
        for combo in itertools.product(*self.parent_domains):
            where = zip(self.parent_domains, combo, strict=True)
            row = self.array[tuple(d.index(v) for d, v in where)]
            top = int(np.argmax(row))
            if np.isclose(row[top], 1.0):
                out[combo] = self.domain[top]
            else:
                out[combo] = {v: float(x) for v, x in zip(self.domain, row, strict=True) if x > 0}
        return out

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DecisionRule):
            return NotImplemented
        return (self.decision, self.parents, self.parent_domains, self.domain) == (
            other.decision, other.parents, other.parent_domains, other.domain
        ) and np.array_equal(self.array, other.array)

    __hash__ = None  # type: ignore[assignment]  # equal by value, but holds an array

    def __str__(self) -> str:
        rows = []
        for combo, choice in self.as_dict().items():
            context = ", ".join(f"{p}={v!r}" for p, v in zip(self.parents, combo, strict=True))
            rows.append(f"{context or '(always)'} -> {choice!r}")
        return f"{self.decision}: " + "; ".join(rows)

    def __repr__(self) -> str:
        return f"DecisionRule({str(self)!r:.100})"


class Policy(Mapping[Hashable, DecisionRule]):
    """An immutable mapping from decisions to their :class:`DecisionRule`.

    ``p | q`` combines two policies, ``q``'s rules winning.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D"), ("D", "U"), ("S", "U")], decisions=["D"], utilities=["U"])
    >>> pd = cidlib.parameterize(d, S=cidlib.uniform([0, 1]), D=[0, 1],
    ...                          U=lambda S, D: float(S == D))
    >>> p = cidlib.policy(pd, D=lambda S: 1 - S)
    >>> print(p)
    D: S=0 -> 1; S=1 -> 0
    >>> cidlib.expected_utility(pd, p)
    0.0
    """

    __slots__ = ("_rules",)

    def __init__(
        self, rules: Mapping[Hashable, DecisionRule] | Iterable[DecisionRule] = ()
    ) -> None:
        items = rules.values() if isinstance(rules, Mapping) else rules
        checked: dict[Hashable, DecisionRule] = {}
        for rule in items:
            if not isinstance(rule, DecisionRule):
                raise ArgumentTypeError(f"a Policy holds DecisionRules, not {rule!r:.40}")
            checked[rule.decision] = rule
        object.__setattr__(self, "_rules", dict(sorted(checked.items(),
                                                       key=lambda kv: node_key(kv[0]))))

    _rules: dict[Hashable, DecisionRule]

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Policy is immutable; combine policies with |")

    def __reduce__(self) -> tuple[Any, ...]:
        return (Policy, (list(self._rules.values()),))

    def __getitem__(self, decision: Hashable) -> DecisionRule:
        try:
            return self._rules[decision]
        except KeyError:
            raise UnknownNodeError(
                f"the policy has no rule for {decision!r}; it has rules for "
                f"{', '.join(repr(d) for d in self._rules) or 'nothing'}"
            ) from None

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._rules)

    def __len__(self) -> int:
        return len(self._rules)

    def __or__(self, other: object) -> Policy:
        if not isinstance(other, Policy):
            return NotImplemented
        return Policy({**self._rules, **other._rules})

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Policy):
            return NotImplemented
        return self._rules == other._rules

    __hash__ = None  # type: ignore[assignment]

    def __str__(self) -> str:
        return "\n".join(str(rule) for rule in self._rules.values())

    def __repr__(self) -> str:
        return f"Policy({', '.join(repr(d) for d in self._rules)})"


def _family(pd: ParameterizedDiagram, decision: Hashable) -> Family:
    if pd.diagram.kind(decision) is not NodeKind.DECISION:
        raise InvalidQueryError(
            f"{decision!r} is a {pd.diagram.kind(decision)} node; a policy has rules for "
            "decisions only"
        )
    order = pd.parents_of(decision)
    return Family(decision, order, tuple(pd.domain(p) for p in order),
                  domain=pd.domain(decision), what="rule")


def rule_from(pd: ParameterizedDiagram, decision: Hashable, spec: object) -> DecisionRule:
    """Tabulate ``spec`` (function, table, constant, or a DecisionRule) as ``decision``'s rule."""
    family = _family(pd, decision)
    if isinstance(spec, DecisionRule):
        check_rule(pd, spec)
        return spec
    if isinstance(spec, (list, range)):
        raise ParameterError(
            f"rule for {decision!r}: a list is ambiguous; give a function of the parents, a "
            "table, or a value"
        )
    built: Spec = from_value(spec, family)
    _, array = built.build(family)
    return DecisionRule(decision, family.parents, family.parent_domains, pd.domain(decision),
                        array)


def check_rule(pd: ParameterizedDiagram, rule: DecisionRule) -> None:
    """Raise unless ``rule`` fits its decision's parents and domains in ``pd``."""
    family = _family(pd, rule.decision)
    if (rule.parents, rule.parent_domains, rule.domain) != (
        family.parents, family.parent_domains, family.domain
    ):
        raise ParameterError(
            f"the rule for {rule.decision!r} was made for parents {list(rule.parents)!r} and "
            f"domain {list(rule.domain)!r}, but here {rule.decision!r} has parents "
            f"{list(family.parents)!r} and domain {list(family.domain or ())!r}"
        )


def policy(
    pd: ParameterizedDiagram, rules: Mapping[Hashable, object] | None = None, /, **more: object
) -> Policy:
    """Build a policy from a spec per decision.

    Each spec is a function of the decision's parents (by argument name) returning a value or
    a ``{value: probability}`` mapping, a table (as for CPDs), a constant, or a
    :class:`DecisionRule`.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D"), ("D", "U"), ("S", "U")], decisions=["D"], utilities=["U"])
    >>> pd = cidlib.parameterize(d, S=cidlib.uniform([0, 1]), D=[0, 1],
    ...                          U=lambda S, D: float(S == D))
    >>> print(cidlib.policy(pd, D={0: {0: 0.5, 1: 0.5}, 1: 1}))
    D: S=0 -> {0: 0.5, 1: 0.5}; S=1 -> 1
    """
    check_pd(pd)
    given = merge_specs(rules, more)
    for decision in given:
        pd.diagram.require(decision)
    return Policy([rule_from(pd, d, spec) for d, spec in given.items()])


def _decisions(pd: ParameterizedDiagram, decisions: Iterable[Hashable] | None) -> list[Hashable]:
    check_pd(pd)
    if decisions is None:
        return sorted(pd.diagram.decisions, key=node_key)
    if isinstance(decisions, (str, bytes)):
        raise ArgumentTypeError(f"decisions must be a list of names, not the string {decisions!r}")
    chosen = list(decisions)
    for d in chosen:
        pd.diagram.require(d)
    return chosen


def uniform_policy(pd: ParameterizedDiagram, decisions: Iterable[Hashable] | None = None) -> Policy:
    """Every decision (or those listed) uniformly random, whatever it observes.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D"), ("D", "U"), ("S", "U")], decisions=["D"], utilities=["U"])
    >>> pd = cidlib.parameterize(d, S=cidlib.uniform([0, 1]), D=[0, 1],
    ...                          U=lambda S, D: float(S == D))
    >>> cidlib.expected_utility(pd, cidlib.uniform_policy(pd))
    0.5
    """
    rules = []
    for d in _decisions(pd, decisions):
        family = _family(pd, d)
        shape = (*(len(v) for v in family.parent_domains), len(pd.domain(d)))
        rules.append(DecisionRule(d, family.parents, family.parent_domains, pd.domain(d),
                                  np.full(shape, 1.0 / shape[-1])))
    return Policy(rules)


def random_policy(
    pd: ParameterizedDiagram,
    decisions: Iterable[Hashable] | None = None,
    *,
    seed: int | np.random.Generator | None = None,
    mixed: bool = False,
) -> Policy:
    """Draw a random policy: a uniformly drawn value per context.

    With ``mixed=True`` each context gets a distribution drawn uniformly from the simplex.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D"), ("D", "U"), ("S", "U")], decisions=["D"], utilities=["U"])
    >>> pd = cidlib.parameterize(d, S=cidlib.uniform([0, 1]), D=[0, 1],
    ...                          U=lambda S, D: float(S == D))
    >>> cidlib.random_policy(pd, seed=1) == cidlib.random_policy(pd, seed=1)
    True
    """
    try:
        rng = np.random.default_rng(seed)
    except TypeError:
        raise ArgumentTypeError(
            f"seed must be an int, a numpy Generator or None, not {seed!r:.40}"
        ) from None
    rules = []
    for d in _decisions(pd, decisions):
        family = _family(pd, d)
        k = len(pd.domain(d))
        rows = int(np.prod([len(v) for v in family.parent_domains], dtype=np.int64))
        if mixed:
            array = rng.dirichlet(np.ones(k), size=rows)
        else:
            array = np.eye(k)[rng.integers(k, size=rows)]
        shape = (*(len(v) for v in family.parent_domains), k)
        rules.append(DecisionRule(d, family.parents, family.parent_domains, pd.domain(d),
                                  array.reshape(shape)))
    return Policy(rules)
