"""A diagram with numbers: domains and conditional probability tables.

:func:`parameterize` attaches a CPD to each chance and utility node and a domain to each
decision; the result, a :class:`ParameterizedDiagram`, is immutable. :func:`do` returns a
new one with some CPDs replaced (hard or soft interventions).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np

from cidlib.core.checks import ensure_diagram
from cidlib.core.diagram import InfluenceDiagram, NodeKind
from cidlib.core.names import node_key
from cidlib.exceptions import ArgumentTypeError, InvalidQueryError, ParameterError
from cidlib.quant import interop
from cidlib.quant.specs import (
    Array,
    Domain,
    Family,
    Noise,
    Spec,
    check_domain,
    from_value,
    tabulate,
    tidy,
)

__all__ = ["ParameterizedDiagram", "do", "parameterize"]


class ParameterizedDiagram:
    """An influence diagram with a domain for every node it can and a CPD per chance/utility node.

    Build one with :func:`parameterize`. Nodes may be left without a spec; a query that needs
    one of them raises :class:`~cidlib.exceptions.ParameterError` naming it.

    Attributes
    ----------
    diagram : InfluenceDiagram
        The graph.
    domains : mapping
        The possible values of each node that has them (read-only).

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"], utilities=["U"])
    >>> pd = cidlib.parameterize(d, S=cidlib.uniform([-1, 1]), D=[-1, 1],
    ...                          U=lambda S, D: S * D)
    >>> pd
    ParameterizedDiagram(D: [-1, 1], S: [-1, 1], U: [-1, 1])
    >>> cidlib.meu(pd)
    1.0
    """

    __slots__ = ("_diagram", "_domains", "_noise", "_tables")

    def __init__(
        self,
        diagram: InfluenceDiagram,
        domains: Mapping[Hashable, Domain],
        tables: Mapping[Hashable, Array],
        noise: Mapping[Hashable, Noise] | None = None,
    ) -> None:
        # Internal: use parameterize(). Tables are frozen here so that no caller can change them.
        for array in tables.values():
            array.setflags(write=False)
        object.__setattr__(self, "_diagram", diagram)
        object.__setattr__(self, "_domains", MappingProxyType(dict(domains)))
        object.__setattr__(self, "_tables", MappingProxyType(dict(tables)))
        kept = {n: e for n, e in (noise or {}).items() if n in tables}
        object.__setattr__(self, "_noise", MappingProxyType(kept))

    _diagram: InfluenceDiagram
    _domains: Mapping[Hashable, Domain]
    _tables: Mapping[Hashable, Array]
    _noise: Mapping[Hashable, Noise]

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("ParameterizedDiagram is immutable; use cidlib.do or parameterize")

    def __reduce__(self) -> tuple[Any, ...]:
        return (ParameterizedDiagram, (self._diagram, dict(self._domains), dict(self._tables),
                                       dict(self._noise)))

    @property
    def diagram(self) -> InfluenceDiagram:
        """The underlying graph."""
        return self._diagram

    @property
    def domains(self) -> Mapping[Hashable, Domain]:
        """The possible values of each node that has them."""
        return self._domains

    @property
    def tables(self) -> Mapping[Hashable, Array]:
        """The read-only CPD array of each node that has one (see :meth:`table`)."""
        return self._tables

    @property
    def noise(self) -> Mapping[Hashable, Noise]:
        """The explicit exogenous noise of each node given by :func:`~cidlib.mechanism`.

        The other nodes have the canonical structural form (see
        :func:`~cidlib.structural_model`).
        """
        return self._noise

    def domain(self, node: Hashable) -> Domain:
        """Return the possible values of ``node``.

        Raises
        ------
        ParameterError
            If ``node`` has no spec yet.
        """
        self._diagram.require(node)
        if node not in self._domains:
            kind = self._diagram.kind(node)
            how = "a list of its values" if kind is NodeKind.DECISION else "a CPD"
            raise ParameterError(
                f"{node!r} has no domain: give the {kind} node {how} in cidlib.parameterize"
            )
        return self._domains[node]

    def parents_of(self, node: Hashable) -> tuple[Hashable, ...]:
        """Return the parents of ``node`` in the order of its table's axes (sorted by ``str``)."""
        return tuple(sorted(self._diagram.parents(node), key=node_key))

    def table(self, node: Hashable) -> Array:
        """Return the read-only CPD array of a chance or utility node.

        Its axes are the parents (in :meth:`parents_of` order) and then the node itself,
        indexed by position in each domain.
        """
        self._diagram.require(node)
        if node not in self._tables:
            if self._diagram.kind(node) is NodeKind.DECISION:
                raise ParameterError(
                    f"{node!r} is a decision: its distribution comes from a policy, not a CPD"
                )
            raise ParameterError(
                f"{node!r} has no CPD; give one in cidlib.parameterize(..., {node}=...)"
            )
        return self._tables[node]

    def distribution(self, node: Hashable, **parents: Hashable) -> dict[Hashable, float]:
        """Return ``P(node | parents)`` as ``{value: probability}``, parents given by name.

        Examples
        --------
        >>> import cidlib
        >>> d = cidlib.CID([("X", "Y")], decisions=[], utilities=[])
        >>> pd = cidlib.parameterize(d, X=cidlib.uniform([0, 1]),
        ...                          Y=lambda X: {X: 0.9, 1 - X: 0.1})
        >>> pd.distribution("Y", X=0)
        {0: 0.9, 1: 0.1}
        """
        order = self.parents_of(node)
        row = self.table(node)[row_index(order, [self.domain(p) for p in order], parents,
                                         f"P({node} | ...)")]
        return {v: tidy(x) for v, x in zip(self.domain(node), row, strict=True)}

    def cpd(self, node: Hashable) -> Any:
        """Return the CPD of a chance or utility node as a pgmpy ``TabularCPD``.

        The evidence is in :meth:`parents_of` order and the state names are the domains.
        """
        order = self.parents_of(node)
        states = {n: self.domain(n) for n in (node, *order)}
        return interop.tabular_cpd(node, self.table(node), order, states)

    def with_diagram(self, diagram: InfluenceDiagram) -> ParameterizedDiagram:
        """Return the same numbers on another graph over the same nodes.

        Every CPD must still fit: a node whose parents changed must be a decision (whose rule
        comes from a policy) or lose its CPD.
        """
        tables = {}
        for node, array in self._tables.items():
            if node not in diagram or diagram.kind(node) is NodeKind.DECISION:
                continue
            if diagram.parents(node) != self._diagram.parents(node):
                raise ParameterError(
                    f"{node!r} has other parents in the new diagram, so its CPD no longer fits"
                )
            tables[node] = array
        domains = {n: v for n, v in self._domains.items() if n in diagram}
        return ParameterizedDiagram(diagram, domains, tables, self._noise)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ParameterizedDiagram):
            return NotImplemented
        return (
            self._diagram == other.diagram
            and dict(self._domains) == dict(other.domains)
            and self._tables.keys() == other.tables.keys()
            and all(np.array_equal(a, other.tables[n]) for n, a in self._tables.items())
            and dict(self._noise) == dict(other.noise)
        )

    __hash__ = None  # type: ignore[assignment]  # equal by value, but holds arrays

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{n}: {_show_domain(self._domains[n])}" for n in sorted(self._domains, key=node_key)
        )
        return f"ParameterizedDiagram({shown})"


def _show_domain(domain: Domain, width: int = 40) -> str:
    """Return ``[a, b, c]``, or ``[a, b, ... (100 values)]`` past ``width``: whole values."""
    parts: list[str] = []
    used = 0
    for value in domain:
        text = repr(value)
        if parts and used + len(text) > width:
            return f"[{', '.join(parts)}, ... ({len(domain):,} values)]"
        parts.append(text)
        used += len(text) + 2
    return f"[{', '.join(parts)}]"


def row_index(
    order: Sequence[Hashable], domains: Sequence[Domain], given: Mapping[str, Hashable],
    what: str,
) -> tuple[int, ...]:
    """Positions of the parent values ``given`` by name, checked, in table order."""
    names = sorted(str(p) for p in order)
    if sorted(given) != names:
        raise InvalidQueryError(f"{what} needs exactly the parents {names}; got {sorted(given)}")
    return tuple(
        position(d, given[str(p)], p) for p, d in zip(order, domains, strict=True)
    )


def position(domain: Domain, value: Hashable, node: Hashable) -> int:
    try:
        return domain.index(value)
    except ValueError:
        raise InvalidQueryError(
            f"{value!r} is not a value of {node!r}; its domain is {list(domain)!r}"
        ) from None


def parameterize(
    diagram: InfluenceDiagram, specs: Mapping[Hashable, object] | None = None, /, **more: object
) -> ParameterizedDiagram:
    """Attach domains and CPDs to a diagram.

    Parameters
    ----------
    diagram : InfluenceDiagram
        The graph.
    specs : mapping, optional
        ``{node: spec}``, for node names that are not Python identifiers.
    **more
        ``node=spec`` for each node. For a decision, the spec is its domain (a list). For a
        chance or utility node, see :mod:`cidlib.quant.specs`: a function of the parents by
        argument name, a mapping, a helper such as :func:`~cidlib.uniform`, a pgmpy
        ``TabularCPD``, or a constant. Utilities take numbers.

    Returns
    -------
    ParameterizedDiagram

    Raises
    ------
    ParameterError
        Naming the node, for a spec that does not fit: probabilities that do not sum to one,
        an argument that is not a parent, a value outside a fixed domain, a parent without a
        domain, and so on.
    UnknownNodeError
        For a spec given to a name that is not a node.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"], utilities=["U"])
    >>> pd = cidlib.parameterize(d, S=cidlib.uniform([-1, 1]), D=[-1, 1],
    ...                          U=lambda S, D: S * D)
    >>> pd.distribution("U", S=1, D=-1)
    {-1: 1.0, 1: 0.0}
    """
    ensure_diagram(diagram)
    given = merge_specs(specs, more)
    for node in given:
        diagram.require(node)
    return _build(diagram, given, {}, {})


def merge_specs(
    specs: Mapping[Hashable, object] | None, more: Mapping[str, object]
) -> dict[Any, Any]:
    """Merge the ``{node: spec}`` mapping and the keyword specs, refusing a node given twice."""
    if specs is not None and not isinstance(specs, Mapping):
        raise ArgumentTypeError(
            f"specs must be a mapping {{node: spec}}, not {type(specs).__name__}"
        )
    given: dict[Hashable, object] = dict(specs or {})
    for name, spec in more.items():
        if name in given:
            raise ParameterError(f"{name!r} is given a spec twice")
        given[name] = spec
    return given


def _build(
    diagram: InfluenceDiagram,
    given: Mapping[Hashable, object],
    domains: dict[Hashable, Domain],
    tables: dict[Hashable, Array],
    noise: dict[Hashable, Noise] | None = None,
    *,
    keep_domains: bool = False,
) -> ParameterizedDiagram:
    """Tabulate ``given`` in topological order on top of existing ``domains`` and ``tables``."""
    noise = {} if noise is None else noise
    for node in diagram.topological_order():
        if node not in given:
            continue
        spec = given[node]
        kind = diagram.kind(node)
        if kind is NodeKind.DECISION:
            domains[node] = check_domain(spec, f"the domain of decision {node!r}")
            continue
        order = tuple(sorted(diagram.parents(node), key=node_key))
        for p in order:
            if p not in domains:
                raise ParameterError(
                    f"the CPD of {node!r} needs the domain of its parent {p!r}; "
                    f"give {p!r} a spec too"
                )
        family = Family(
            node, order, tuple(domains[p] for p in order), utility=kind is NodeKind.UTILITY,
            domain=domains.get(node) if keep_domains else None,
        )
        if interop.is_tabular_cpd(spec):
            spec = interop.spec_from_cpd(spec, family)
        domains[node], tables[node], structural = from_value(spec, family).build_structural(
            family)
        if structural is None:
            noise.pop(node, None)
        else:
            noise[node] = structural
    return ParameterizedDiagram(diagram, domains, tables, noise)


def constant(pd: ParameterizedDiagram, node: Hashable, value: Hashable) -> Spec:
    """Return a spec fixing ``node`` to ``value`` (a hard intervention), checked in its domain."""
    position(pd.domain(node), value, node)
    return _Constant(value)


class _Constant(Spec):
    def __init__(self, value: Hashable) -> None:
        self.value = value

    def build(self, family: Family) -> tuple[Domain, Array]:
        return tabulate(family, lambda _: self.value)


def check_pd(pd: object) -> None:
    if not isinstance(pd, ParameterizedDiagram):
        raise ArgumentTypeError(
            f"expected a ParameterizedDiagram (from cidlib.parameterize), not {type(pd).__name__}"
        )


def do(
    pd: ParameterizedDiagram, interventions: Mapping[Hashable, object] | None = None, /,
    **more: object,
) -> ParameterizedDiagram:
    """Return ``pd`` with the CPDs of some nodes replaced: hard or soft interventions.

    A plain value (``X=1``) is a hard intervention ``do(X=1)``. A spec (a function of X's
    parents, a distribution, a :func:`~cidlib.table`) is a soft intervention: a new
    mechanism for X with the same parents. X keeps its domain, so the new values must lie in
    it. The graph is unchanged. Decisions are set through a policy, not here.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("X", "Y")], decisions=[], utilities=[])
    >>> pd = cidlib.parameterize(d, X=cidlib.uniform([0, 1]), Y=lambda X: X)
    >>> cidlib.query(cidlib.do(pd, X=1), ["Y"])
    {0: 0.0, 1: 1.0}
    >>> cidlib.query(cidlib.do(pd, X={0: 0.75, 1: 0.25}), ["Y"])
    {0: 0.75, 1: 0.25}
    """
    check_pd(pd)
    given = merge_specs(interventions, more)
    diagram = pd.diagram
    specs: dict[Hashable, object] = {}
    for node, spec in given.items():
        diagram.require(node)
        if diagram.kind(node) is NodeKind.DECISION:
            raise InvalidQueryError(
                f"{node!r} is a decision: fix it with a policy (cidlib.policy(pd, {node}=...)) "
                "rather than do()"
            )
        domain = pd.domain(node)
        plain = not callable(spec) and not isinstance(spec, (Spec, Mapping))
        plain = plain and not interop.is_tabular_cpd(spec)
        if plain and isinstance(spec, Iterable) and not isinstance(spec, (str, tuple)):
            raise ParameterError(
                f"do({node}=...) got a list; give a value of {node!r} (one of {list(domain)!r})"
                " or a distribution"
            )
        specs[node] = constant(pd, node, spec) if plain else spec
    return _build(diagram, specs, dict(pd.domains), dict(pd.tables), dict(pd.noise),
                  keep_domains=True)
