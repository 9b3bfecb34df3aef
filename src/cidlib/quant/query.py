"""Probability queries (marginals and conditionals), and the export to pgmpy.

:func:`query` runs on cidlib's own variable elimination (:mod:`cidlib.quant.eliminate`), so it
needs numpy only; :func:`to_pgmpy` hands the model to pgmpy for anything else pgmpy does.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np

from cidlib.core.diagram import NodeKind
from cidlib.core.names import names_of, node_key
from cidlib.core.search import reach
from cidlib.exceptions import ArgumentTypeError, InvalidQueryError, ParameterError
from cidlib.quant import interop
from cidlib.quant.model import ParameterizedDiagram, check_pd, position
from cidlib.quant.policy import Policy
from cidlib.quant.solve import evaluate, rule_arrays
from cidlib.quant.specs import tidy

__all__ = ["query", "to_pgmpy"]


def query(
    pd: ParameterizedDiagram,
    variables: Any,
    *,
    given: Mapping[Hashable, Hashable] | None = None,
    policy: Policy | None = None,
) -> dict[Any, float]:
    """Return the joint distribution of ``variables``, conditional on ``given``.

    Parameters
    ----------
    pd : ParameterizedDiagram
        Use :func:`~cidlib.do` on it first for an interventional query.
    variables : list of nodes
    given : mapping, optional
        Observed values ``{node: value}``.
    policy : Policy, optional
        Rules for the decisions the query depends on.

    Returns
    -------
    dict
        ``{value: probability}`` for one variable, ``{(v1, v2, ...): probability}`` for
        several, in domain order.

    Raises
    ------
    InvalidQueryError
        For evidence of probability zero, a value outside a domain, or a variable that is
        also given.
    ParameterError
        For a node without a CPD, or a decision without a rule, that the query depends on.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("X", "Y")], decisions=[], utilities=[])
    >>> pd = cidlib.parameterize(d, X=cidlib.uniform([0, 1]),
    ...                          Y=lambda X: {X: 0.75, 1 - X: 0.25})
    >>> cidlib.query(pd, ["X"], given={"Y": 1})
    {0: 0.25, 1: 0.75}
    >>> cidlib.query(pd, ["X", "Y"])
    {(0, 0): 0.375, (0, 1): 0.125, (1, 0): 0.125, (1, 1): 0.375}
    """
    check_pd(pd)
    wanted = names_of(variables, "variables")
    if not wanted:
        raise InvalidQueryError("query() needs at least one variable")
    if not isinstance(given, (Mapping, type(None))):
        raise ArgumentTypeError(f"given must be a mapping {{node: value}}, not {given!r:.40}")
    evidence = dict(given or {})
    for n in [*wanted, *evidence]:
        pd.diagram.require(n)
    repeated = [n for n in wanted if wanted.count(n) > 1]
    if repeated:
        raise InvalidQueryError(f"{repeated[0]!r} is listed twice in the query's variables")
    both = [n for n in wanted if n in evidence]
    if both:
        raise InvalidQueryError(f"{both[0]!r} is both queried and given")
    index = {n: position(pd.domain(n), v, n) for n, v in evidence.items()}
    rules = rule_arrays(pd, policy)
    for n in sorted(reach(pd.diagram.pred, [*wanted, *evidence]), key=node_key):
        if pd.diagram.kind(n) is NodeKind.DECISION and n not in rules:
            raise ParameterError(
                f"the query depends on decision {n!r}, which has no rule; pass "
                "policy=... (e.g. cidlib.uniform_policy(pd) or cidlib.optimal_policy(pd))"
            )
    p, _ = evaluate(pd, rules, (), (*evidence, *wanted))
    joint = p[tuple(index[n] for n in evidence)]  # P(evidence, wanted), over the wanted axes
    total = float(joint.sum())
    if total <= 0:
        shown = ", ".join(f"{n}={v!r}" for n, v in evidence.items())
        raise InvalidQueryError(f"the evidence {shown} has probability zero")
    values = joint / total
    domains = [pd.domain(n) for n in wanted]
    out: dict[Any, float] = {}
    for at in np.ndindex(*values.shape):
        key = tuple(d[i] for d, i in zip(domains, at, strict=True))
        out[key[0] if len(key) == 1 else key] = tidy(float(values[at]))
    return out


def to_pgmpy(pd: ParameterizedDiagram, policy: Policy | None = None) -> Any:
    """Return the diagram as a pgmpy ``DiscreteBayesianNetwork``, decisions following ``policy``.

    Utilities become chance nodes whose states are their values. Every decision needs a
    rule in ``policy`` and every other node a CPD.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"], utilities=["U"])
    >>> pd = cidlib.parameterize(d, S=cidlib.uniform([-1, 1]), D=[-1, 1],
    ...                          U=lambda S, D: S * D)
    >>> model = cidlib.quant.to_pgmpy(pd, cidlib.uniform_policy(pd))
    >>> sorted(model.nodes()), model.check_model()
    (['D', 'S', 'U'], True)
    """
    check_pd(pd)
    rules = rule_arrays(pd, policy)
    nodes = sorted(pd.diagram.nodes, key=node_key)
    missing = [n for n in nodes if pd.diagram.kind(n) is NodeKind.DECISION and n not in rules]
    if missing:
        raise ParameterError(
            f"decision {missing[0]!r} has no rule; pass a policy with a rule for every decision"
        )
    families = {n: (pd.parents_of(n), rules[n] if n in rules else pd.table(n)) for n in nodes}
    return interop.bayesian_network(families, {n: pd.domain(n) for n in nodes})
