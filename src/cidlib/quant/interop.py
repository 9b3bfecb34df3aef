"""The one module that talks to pgmpy: TabularCPDs in and out, and Bayesian networks.

pgmpy is optional (``pip install 'cidlib[quant]'``): everything else in the quantitative layer
runs on numpy. It is imported here, only when a TabularCPD is converted or a network built,
with its import-time deprecation warnings silenced (they are pgmpy's own, about modules
cidlib does not use). Without it, those calls raise
:class:`~cidlib.exceptions.MissingDependencyError` with the install command.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Hashable, Mapping, Sequence
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np

from cidlib.exceptions import MissingDependencyError, ParameterError
from cidlib.quant.specs import TableSpec

if TYPE_CHECKING:
    from cidlib.quant.specs import Array, Family, Spec

__all__: list[str] = []  # internal: ParameterizedDiagram.cpd and cidlib.quant.to_pgmpy use it


@cache
def _modules() -> tuple[ModuleType, ModuleType]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            import pgmpy.factors.discrete as factors
            from pgmpy import models
    except ImportError as err:
        raise MissingDependencyError(
            "this needs pgmpy, which is not installed; install it with "
            "pip install 'cidlib[quant]'"
        ) from err
    return factors, models


def is_tabular_cpd(obj: object) -> bool:
    """Whether ``obj`` is a pgmpy ``TabularCPD``; never imports pgmpy (unloaded, none exist)."""
    if "pgmpy.factors.discrete" not in sys.modules:
        return False
    return isinstance(obj, _modules()[0].TabularCPD)


def tabular_cpd(node: Hashable, array: Array, parents: Sequence[Hashable],
                states: Mapping[Hashable, Sequence[Hashable]]) -> Any:
    """Return a pgmpy ``TabularCPD`` of ``node`` from its table (axes: ``parents``, then it)."""
    k = array.shape[-1]
    return _modules()[0].TabularCPD(
        node, k, np.asarray(array).reshape(-1, k).T,
        evidence=list(parents) or None,
        evidence_card=[array.shape[i] for i in range(len(parents))] or None,
        state_names={n: list(states[n]) for n in (node, *parents)},
    )


def spec_from_cpd(cpd: Any, family: Family) -> Spec:
    """Turn a user's ``TabularCPD`` into a table spec for ``family``, checking that it fits."""
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
        return TableSpec(rows[()], (), domain)  # type: ignore[arg-type]
    return TableSpec(rows, tuple(evidence), domain)


def bayesian_network(
    families: Mapping[Hashable, tuple[Sequence[Hashable], Array]],
    states: Mapping[Hashable, Sequence[Hashable]],
) -> Any:
    """Build a pgmpy ``DiscreteBayesianNetwork`` from ``{node: (parents, table)}``."""
    model = _modules()[1].DiscreteBayesianNetwork()
    model.add_nodes_from(families)
    model.add_edges_from((p, n) for n, (parents, _) in families.items() for p in parents)
    for n, (parents, array) in families.items():
        model.add_cpds(tabular_cpd(n, array, parents, states))
    return model
