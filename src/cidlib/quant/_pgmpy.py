"""The one module that talks to pgmpy: TabularCPDs in and out, networks, and queries.

pgmpy is imported here, lazily and with its import-time deprecation warnings silenced (they
are pgmpy's own, about modules cidlib does not use).
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Mapping, Sequence
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np

from cidlib.exceptions import ParameterError

if TYPE_CHECKING:
    from cidlib.quant.model import ParameterizedDiagram
    from cidlib.quant.specs import Array, Family, Spec

__all__ = [
    "bayesian_network",
    "is_tabular_cpd",
    "spec_from_cpd",
    "tabular_cpd",
    "variable_elimination",
]


@cache
def _modules() -> tuple[ModuleType, ModuleType, ModuleType]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        import pgmpy.factors.discrete as factors
        from pgmpy import inference, models
    return factors, models, inference


def is_tabular_cpd(obj: object) -> bool:
    """Whether ``obj`` is a pgmpy ``TabularCPD``."""
    return isinstance(obj, _modules()[0].TabularCPD)


def _cpd(node: Hashable, array: Array, parents: Sequence[Hashable],
         states: Mapping[Hashable, Sequence[Hashable]]) -> Any:
    k = array.shape[-1]
    return _modules()[0].TabularCPD(
        node, k, np.asarray(array).reshape(-1, k).T,
        evidence=list(parents) or None,
        evidence_card=[array.shape[i] for i in range(len(parents))] or None,
        state_names={n: list(states[n]) for n in (node, *parents)},
    )


def tabular_cpd(pd: ParameterizedDiagram, node: Hashable) -> Any:
    """``pd``'s CPD of ``node`` as a pgmpy ``TabularCPD`` (state names are the domains)."""
    order = pd.parents_of(node)
    array = pd.table(node)
    return _cpd(node, array, order, {n: pd.domain(n) for n in (node, *order)})


def spec_from_cpd(cpd: Any, family: Family) -> Spec:
    """Turn a user's ``TabularCPD`` into a table spec for ``family``, checking that it fits."""
    from cidlib.quant.specs import _Table

    variable, *evidence = cpd.variables
    if variable != family.node:
        raise ParameterError(
            f"the TabularCPD given for {family.node!r} is for variable {variable!r}"
        )
    if set(evidence) != set(family.parents):
        raise ParameterError(
            f"the TabularCPD of {family.node!r} has evidence {evidence!r}, but the parents "
            f"are {list(family.parents)!r}"
        )
    names = cpd.state_names
    for p, domain in zip(family.parents, family.parent_domains, strict=True):
        if set(names[p]) != set(domain) or len(names[p]) != len(domain):
            raise ParameterError(
                f"the TabularCPD of {family.node!r} gives parent {p!r} the states "
                f"{list(names[p])!r}, but its domain is {list(domain)!r}"
            )
    values = np.asarray(cpd.get_values(), dtype=float)  # (card, prod(evidence cards))
    domain = tuple(names[variable])
    columns = np.ndindex(*(len(names[e]) for e in evidence))
    rows: dict[object, object] = {}
    for column, index in enumerate(columns):
        key = tuple(names[e][i] for e, i in zip(evidence, index, strict=True))
        rows[key if len(key) != 1 else key[0]] = dict(zip(domain, values[:, column], strict=True))
    if not evidence:
        return _Table(rows[()], (), domain)  # type: ignore[arg-type]
    return _Table(rows, tuple(evidence), domain)


def bayesian_network(
    pd: ParameterizedDiagram,
    rules: Mapping[Hashable, Array],
    nodes: Sequence[Hashable],
    *,
    names: Mapping[Hashable, Hashable] | None = None,
    state_names: bool = True,
) -> Any:
    """Build a pgmpy ``DiscreteBayesianNetwork`` over ``nodes`` (closed under parents).

    Decisions take their CPDs from ``rules``. ``names`` renames nodes; with
    ``state_names=False`` states are the indices ``0..k-1``.
    """
    rename = dict(names) if names is not None else {n: n for n in nodes}
    model = _modules()[1].DiscreteBayesianNetwork()
    model.add_nodes_from(rename[n] for n in nodes)
    model.add_edges_from((rename[p], rename[n]) for n in nodes for p in pd.parents_of(n))
    states = {
        rename[n]: pd.domain(n) if state_names else tuple(range(len(pd.domain(n))))
        for n in nodes
    }
    for n in nodes:
        array = rules[n] if n in rules else pd.table(n)
        model.add_cpds(_cpd(rename[n], array, [rename[p] for p in pd.parents_of(n)], states))
    return model


def variable_elimination(model: Any) -> Any:
    """Return pgmpy's ``VariableElimination`` on ``model``."""
    return _modules()[2].VariableElimination(model)
