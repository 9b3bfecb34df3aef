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
import numpy.typing as npt

from cidlib.core.diagram import NodeKind
from cidlib.core.names import node_key
from cidlib.exceptions import (
    ArgumentTypeError,
    InvalidQueryError,
    ParameterError,
    UnknownNodeError,
)
from cidlib.quant.limits import check_size, table_size
from cidlib.quant.model import ParameterizedDiagram, check_pd, merge_specs, row_index
from cidlib.quant.specs import Array, Domain, Family, Spec, from_value, random_generator, tidy

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
    possible_contexts : numpy.ndarray or None
        For a rule from :func:`~cidlib.optimal_policy`, whether each assignment of the
        parents has positive probability under the policy it belongs to (booleans, shape
        ``(|Pa_1|, ..., |Pa_k|)``); printing leaves out the others. None when every context
        is possible or when it is not known.
    """

    __slots__ = ("array", "decision", "domain", "parent_domains", "parents",
                 "possible_contexts")

    decision: Hashable
    parents: tuple[Hashable, ...]
    parent_domains: tuple[Domain, ...]
    domain: Domain
    array: Array
    possible_contexts: npt.NDArray[np.bool_] | None

    def __init__(  # noqa: PLR0917 -- positional like the rule's fields, as before
        self,
        decision: Hashable,
        parents: tuple[Hashable, ...],
        parent_domains: tuple[Domain, ...],
        domain: Domain,
        array: Array,
        possible_contexts: npt.ArrayLike | None = None,
    ) -> None:
        array = np.array(array, dtype=float)
        array.setflags(write=False)
        possible = None
        if possible_contexts is not None:
            possible = np.array(possible_contexts, dtype=bool)
            possible.setflags(write=False)
        for name, value in (("decision", decision), ("parents", parents),
                            ("parent_domains", parent_domains), ("domain", domain),
                            ("array", array), ("possible_contexts", possible)):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("DecisionRule is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (DecisionRule, (self.decision, self.parents, self.parent_domains, self.domain,
                               self.array, self.possible_contexts))

    @property
    def is_deterministic(self) -> bool:
        """Whether every row puts all probability on one value."""
        return bool(np.all(np.isclose(self.array.max(axis=-1), 1.0)))

    def __call__(self, **parents: Hashable) -> dict[Hashable, float]:
        """Return the decision's distribution given the parents, by name."""
        index = row_index(self.parents, self.parent_domains, parents,
                          f"the rule for {self.decision!r}")
        return {v: tidy(x) for v, x in zip(self.domain, self.array[index], strict=True)}

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
                out[combo] = {v: tidy(x) for v, x in zip(self.domain, row, strict=True) if x > 0}
        return out

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DecisionRule):
            return NotImplemented
        return (self.decision, self.parents, self.parent_domains, self.domain) == (
            other.decision, other.parents, other.parent_domains, other.domain
        ) and np.array_equal(self.array, other.array)

    __hash__ = None  # type: ignore[assignment]  # equal by value, but holds an array

    def _context(self, combo: tuple[Hashable, ...]) -> str:
        pairs = zip(self.parents, combo, strict=True)
        return ", ".join(f"{p}={v!r}" for p, v in pairs) or "(always)"

    def _shown(self) -> tuple[list[tuple[tuple[Hashable, ...], Any]], int]:
        """Return the (context, choice) pairs to print, and the count of those left out."""
        possible = (None if self.possible_contexts is None
                    else self.possible_contexts.reshape(-1))
        rows = []
        for i, (combo, choice) in enumerate(self.as_dict().items()):
            if possible is None or possible[i]:
                rows.append((combo, choice))
        return rows, len(self.as_dict()) - len(rows)

    def __str__(self) -> str:
        """One line, ``D: S=0 -> 1; S=1 -> 0``, or a table when that line would be long.

        Contexts of probability zero under the policy (when known) are left out.
        """
        rows, hidden = self._shown()
        note = (f" ({hidden} context{'s' if hidden > 1 else ''} of probability 0 not shown)"
                if hidden else "")
        line = "; ".join(f"{self._context(combo)} -> {choice!r}" for combo, choice in rows)
        if len(line) <= _LINE:
            return f"{self.decision}: {line or '(no context of positive probability)'}{note}"
        header = [*map(str, self.parents), str(self.decision)]
        cells = [[*map(repr, combo), repr(choice)] for combo, choice in rows]
        widths = [max(len(r[i]) for r in [header, *cells]) for i in range(len(header))]

        def show(row: list[str]) -> str:
            cells = " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True))
            return f"  {cells}".rstrip()

        return "\n".join([f"{self.decision}:{note}", show(header),
                          "  " + "-+-".join("-" * w for w in widths), *map(show, cells)])

    def __repr__(self) -> str:
        return f"DecisionRule({str(self).splitlines()[0]!r:.100})"


_LINE = 100  # a rule longer than this on one line prints as a table


class Policy(Mapping[Hashable, DecisionRule]):
    """An immutable mapping from decisions to their :class:`DecisionRule`.

    ``p | q`` combines two policies, ``q``'s rules winning. ``local_optimum`` is True for
    a policy from single policy updating (``optimal_policy(..., method="spu")``): no single
    decision can do better, but the policy need not be optimal.

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

    __slots__ = ("_rules", "local_optimum")

    local_optimum: bool

    def __init__(
        self, rules: Mapping[Hashable, DecisionRule] | Iterable[DecisionRule] = (), *,
        local_optimum: bool = False,
    ) -> None:
        items = rules.values() if isinstance(rules, Mapping) else rules
        checked: dict[Hashable, DecisionRule] = {}
        for rule in items:
            if not isinstance(rule, DecisionRule):
                raise ArgumentTypeError(f"a Policy holds DecisionRules, not {rule!r:.40}")
            checked[rule.decision] = rule
        object.__setattr__(self, "_rules", dict(sorted(checked.items(),
                                                       key=lambda kv: node_key(kv[0]))))
        object.__setattr__(self, "local_optimum", bool(local_optimum))

    _rules: dict[Hashable, DecisionRule]

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Policy is immutable; combine policies with |")

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore, (list(self._rules.values()), self.local_optimum))

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
        rules = [str(rule) for rule in self._rules.values()]
        if self.local_optimum:
            rules.append("(a local optimum, from single policy updating)")
        return "\n".join(rules)

    def __repr__(self) -> str:
        local = ", local optimum" if self.local_optimum else ""
        return f"Policy({', '.join(repr(d) for d in self._rules)}{local})"


def _restore(rules: list[DecisionRule], local_optimum: bool) -> Policy:
    return Policy(rules, local_optimum=local_optimum)


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
        check_size(table_size(shape), f"the rule of decision {d!r}")
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
    rng = random_generator(seed)
    rules = []
    for d in _decisions(pd, decisions):
        family = _family(pd, d)
        k = len(pd.domain(d))
        rows = table_size(len(v) for v in family.parent_domains)
        check_size(rows * k, f"the rule of decision {d!r}")
        if mixed:
            array = rng.dirichlet(np.ones(k), size=rows)
        else:
            array = np.eye(k)[rng.integers(k, size=rows)]
        shape = (*(len(v) for v in family.parent_domains), k)
        rules.append(DecisionRule(d, family.parents, family.parent_domains, pd.domain(d),
                                  array.reshape(shape)))
    return Policy(rules)
