"""Structural models: exogenous noise, structural equations, sampling and counterfactuals.

The papers define incentives on *structural* causal influence models (Everitt et al. 2021,
Def. 4): every node ``V`` has its own exogenous variable ``E^V``, independent of the others,
and a deterministic structural equation ``V = f^V(Pa(V), E^V)``; a decision's rule is its
equation. A :class:`~cidlib.ParameterizedDiagram` is one, read this way:

- a node given by :func:`~cidlib.mechanism` has the noise and equation given;
- any other node has the **canonical form**: its noise is a *response function* ``r``, one
  value ``r(pa)`` for each assignment ``pa`` of its parents, and ``f^V(pa, r) = r(pa)``
  (Balke & Pearl 1994). Assignments with the same distribution ``P(V | pa)`` share one value;
  the distinct distributions draw their values independently. So a parent the node ignores
  (in some context) never changes it, and otherwise the coupling adds nothing the CPDs do not
  say: among the noise distributions that give these CPDs and keep equal distributions
  equal, it is the one of highest entropy. Interventional questions do not depend on this
  choice; counterfactual ones can, so give a :func:`~cidlib.mechanism` where the real
  coupling is known.

:func:`structural_model` shows these exogenous variables; :func:`sample` draws rows;
:func:`counterfactual` answers "had ``X`` been ``x``" questions by abduction, action and
prediction, computed exactly over the twin network (:mod:`cidlib.quant.worlds`).

References
----------
.. [1] T. Everitt, R. Carey, E. Langlois, P. A. Ortega, S. Legg. "Agent Incentives: A Causal
   Perspective." AAAI 2021.
.. [2] A. Balke, J. Pearl. "Counterfactual probabilities: computational methods, bounds and
   applications." UAI 1994.
.. [3] J. Pearl. "Causality." 2nd edition, 2009, §1.4 and §7.1.
"""

from __future__ import annotations

import importlib
import importlib.util
import itertools
import math
from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from cidlib.core.diagram import NodeKind
from cidlib.core.names import names_of, node_key
from cidlib.exceptions import (
    ArgumentTypeError,
    InvalidQueryError,
    MissingDependencyError,
    ParameterError,
)
from cidlib.quant import worlds
from cidlib.quant.limits import check_size
from cidlib.quant.model import ParameterizedDiagram, check_pd, position
from cidlib.quant.policy import Policy
from cidlib.quant.solve import rule_arrays
from cidlib.quant.specs import Array, random_generator, tidy

__all__ = ["StructuralModel", "counterfactual", "sample", "structural_model"]


class StructuralModel:
    """The structural view of a parameterised diagram: an exogenous variable per node.

    Build one with :func:`structural_model`. Chance and utility nodes, and the decisions
    the policy has rules for, have a structural equation ``f^V(parents, noise)``.

    Attributes
    ----------
    pd : ParameterizedDiagram
    policy : Policy
        The decisions' rules (empty if none was given).
    """

    __slots__ = ("_tables", "pd", "policy")

    def __init__(self, pd: ParameterizedDiagram, policy: Policy | None = None) -> None:
        check_pd(pd)
        self.pd = pd
        self.policy = policy if policy is not None else Policy()
        rules = rule_arrays(pd, policy)
        self._tables = {n: rules.get(n) if pd.diagram.kind(n) is NodeKind.DECISION
                        else pd.tables.get(n) for n in pd.diagram.nodes}

    @property
    def nodes(self) -> tuple[Hashable, ...]:
        """The nodes with a structural equation, in topological order."""
        return tuple(n for n in self.pd.diagram.topological_order()
                     if self._tables[n] is not None)

    def is_canonical(self, node: Hashable) -> bool:
        """Whether ``node``'s noise is a response function (not given by a mechanism)."""
        self._table(node)
        return node not in self.pd.noise

    def _table(self, node: Hashable) -> Array:
        self.pd.diagram.require(node)
        table = self._tables[node]
        if table is None:
            if self.pd.diagram.kind(node) is NodeKind.DECISION:
                raise ParameterError(
                    f"decision {node!r} has no rule; give structural_model a policy with one"
                )
            raise ParameterError(f"{node!r} has no CPD; give it one in cidlib.parameterize")
        return table

    def noise(self, node: Hashable) -> dict[Hashable, float]:
        """Return the distribution of ``node``'s exogenous variable, ``{value: probability}``.

        For a canonical node each value is a response function: the tuple of the node's
        values in each assignment of its parents (in the order of ``itertools.product``
        over the parents' domains, parents in :meth:`ParameterizedDiagram.parents_of`
        order), equal where the assignments have the same distribution; only those of
        positive probability are listed.

        Raises
        ------
        SizeLimitError
            When there are too many response functions to list.
        """
        table = self._table(node)
        given = self.pd.noise.get(node)
        if given is not None:
            return {v: tidy(p) for v, p in zip(given.values, given.probabilities, strict=True)}
        domain = self.pd.domain(node)
        rows, classes = worlds.distributions(table)
        support = [np.flatnonzero(row) for row in rows]
        check_size(math.prod(len(s) for s in support),
                   f"the list of {node!r}'s response functions")
        out: dict[Hashable, float] = {}
        for pick in itertools.product(*support):
            weight = math.prod(float(rows[c, x]) for c, x in enumerate(pick))
            out[tuple(domain[pick[c]] for c in classes)] = tidy(weight)
        return out

    def value(self, node: Hashable, noise: Hashable, **parents: Hashable) -> Hashable:
        """Return ``f^node(parents, noise)``: the node's value, parents given by name."""
        table = self._table(node)
        order = self.pd.parents_of(node)
        names = sorted(str(p) for p in order)
        if sorted(parents) != names:
            raise InvalidQueryError(
                f"the equation of {node!r} needs exactly the parents {names}; got "
                f"{sorted(parents)}")
        at = tuple(position(self.pd.domain(p), parents[str(p)], p) for p in order)
        given = self.pd.noise.get(node)
        if given is not None:
            cell = (*at, position(given.values, noise, f"{node}'s noise"))
            return self.pd.domain(node)[int(given.response[cell])]
        row = int(np.ravel_multi_index(at, table.shape[:-1])) if order else 0
        if not isinstance(noise, tuple) or len(noise) != math.prod(table.shape[:-1]):
            raise InvalidQueryError(
                f"the noise of {node!r} is a response function: a tuple of "
                f"{math.prod(table.shape[:-1])} values of {node!r}, one per parent assignment"
            )
        value: Hashable = noise[row]
        return value

    def solve(
        self, setting: Mapping[Hashable, Hashable], *, do: Mapping[Hashable, Hashable] | None = None
    ) -> dict[Hashable, Hashable]:
        """Return every node's value in the exogenous ``setting``, after interventions ``do``.

        ``setting`` maps each node with an equation to its noise value; ``do`` fixes nodes
        to values. Deterministic: this is the model's answer for one unit.
        """
        fixed = dict(do or {})
        out: dict[Hashable, Hashable] = {}
        for node in self.nodes if not fixed else self.pd.diagram.topological_order():
            if node in fixed:
                out[node] = fixed[node]
                continue
            if node not in setting:
                raise InvalidQueryError(f"the setting gives no noise value for {node!r}")
            parents = {str(p): out[p] for p in self.pd.parents_of(node)}
            out[node] = self.value(node, setting[node], **parents)
        return out

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{n}: {'response function' if self.is_canonical(n) else 'given noise'}"
            for n in sorted(self.nodes, key=node_key))
        return f"StructuralModel({shown})"


def structural_model(pd: ParameterizedDiagram, policy: Policy | None = None) -> StructuralModel:
    """Return the structural view of ``pd``: each node's exogenous noise and equation.

    Parameters
    ----------
    pd : ParameterizedDiagram
    policy : Policy, optional
        Rules for the decisions, which then have equations too (a stochastic rule in
        canonical form, like a CPD).

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("X", "Y")], decisions=[], utilities=[])
    >>> pd = cidlib.parameterize(d, X=cidlib.bernoulli(0.5), Y=lambda X: {X: 0.75, 1 - X: 0.25})
    >>> scm = cidlib.structural_model(pd)
    >>> scm.noise("Y")  # response functions (Y when X=0, Y when X=1)
    {(0, 0): 0.1875, (0, 1): 0.5625, (1, 0): 0.0625, (1, 1): 0.1875}
    >>> scm.solve({"X": (1,), "Y": (0, 1)})
    {'X': 1, 'Y': 1}
    >>> scm.solve({"X": (1,), "Y": (0, 1)}, do={"X": 0})
    {'X': 0, 'Y': 0}
    """
    return StructuralModel(pd, policy)


def sample(
    pd: ParameterizedDiagram,
    n: int,
    *,
    policy: Policy | None = None,
    seed: int | np.random.Generator | None = None,
    frame: bool | None = None,
) -> Any:
    """Draw ``n`` rows from the joint distribution of every node (decisions by ``policy``).

    Parameters
    ----------
    pd : ParameterizedDiagram
    n : int
        The number of rows.
    policy : Policy, optional
        Rules for the decisions; needed when the diagram has decisions.
    seed : int or numpy Generator, optional
    frame : bool, optional
        True: a pandas ``DataFrame`` (pandas must be installed); False: a list of
        ``{node: value}`` records; None (default): a DataFrame if pandas is installed,
        else records. A frame is much faster to build for large samples.

    Raises
    ------
    ParameterError
        For a node without a CPD, or a decision without a rule.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"], utilities=["U"])
    >>> pd = cidlib.parameterize(d, S=cidlib.uniform([-1, 1]), D=[-1, 1],
    ...                          U=lambda S, D: S * D)
    >>> rows = cidlib.sample(pd, 3, policy=cidlib.policy(pd, D=lambda S: S), seed=0,
    ...                      frame=False)
    >>> [row["U"] for row in rows]
    [1, 1, 1]
    """
    check_pd(pd)
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ArgumentTypeError(f"n must be a non-negative int, not {n!r:.40}")
    rng = random_generator(seed)
    rules = rule_arrays(pd, policy)
    order = pd.diagram.topological_order()
    check_size(n * len(order), f"a sample of {n:,} rows of {len(order):,} nodes")
    drawn: dict[Hashable, np.ndarray] = {}
    for node in order:
        if pd.diagram.kind(node) is NodeKind.DECISION:
            if node not in rules:
                raise ParameterError(
                    f"decision {node!r} has no rule; pass policy=... (e.g. "
                    "cidlib.optimal_policy(pd) or cidlib.uniform_policy(pd))"
                )
            table = rules[node]
        else:
            table = pd.table(node)
        parents = pd.parents_of(node)
        rows = table.reshape(-1, table.shape[-1])
        at = (np.ravel_multi_index(tuple(drawn[p] for p in parents), table.shape[:-1])
              if parents else np.zeros(n, dtype=np.intp))
        cumulative = np.cumsum(rows, axis=1)[at]
        u = rng.random(n)[:, None] * cumulative[:, -1:]
        drawn[node] = np.minimum((u >= cumulative).sum(axis=1), rows.shape[1] - 1)
    columns = {node: _values_array(pd.domain(node))[drawn[node]] for node in order}
    if frame is None:
        frame = importlib.util.find_spec("pandas") is not None
    if not frame:
        lists = [columns[node].tolist() for node in order]
        return [dict(zip(order, values, strict=True)) for values in zip(*lists, strict=True)]
    try:
        pandas = importlib.import_module("pandas")
    except ImportError as err:
        raise MissingDependencyError(
            "frame=True needs pandas, which is not installed; pip install pandas, or pass "
            "frame=False for plain records"
        ) from err
    return pandas.DataFrame(columns, columns=list(order))


def _values_array(domain: tuple[Hashable, ...]) -> npt.NDArray[Any]:
    """Return the domain as a numpy array, of Python objects unless that changes nothing.

    Typed when every value is an int, every one a float or every one a string.
    """
    kinds = {type(v) for v in domain}
    if len(kinds) == 1 and kinds <= {int, float, str}:
        return np.asarray(domain)
    out = np.empty(len(domain), dtype=object)
    out[:] = list(domain)
    return out


def _values(pd: ParameterizedDiagram, given: object, what: str) -> dict[Hashable, int]:
    if given is None:
        return {}
    if not isinstance(given, Mapping):
        raise ArgumentTypeError(f"{what} must be a mapping {{node: value}}, not {given!r:.40}")
    out = {}
    for node, value in given.items():
        pd.diagram.require(node)
        out[node] = position(pd.domain(node), value, node)
    return out


def counterfactual(
    pd: ParameterizedDiagram,
    variables: Any,
    *,
    evidence: Mapping[Hashable, Hashable] | None = None,
    do: Mapping[Hashable, Hashable] | None = None,
    policy: Policy | None = None,
) -> dict[Any, float]:
    """Return ``P(variables_do | evidence)``: what would have been, given what was observed.

    Abduction, action, prediction: the exogenous noise is conditioned on ``evidence`` in
    the actual world; ``do`` sets nodes in a world that keeps that noise; ``variables`` are
    read there. Computed exactly on the twin network (actual and intervened copies of
    every descendant of ``do``), by variable elimination.

    Parameters
    ----------
    pd : ParameterizedDiagram
        Its structural reading (see :mod:`cidlib.quant.structural`): nodes given by
        :func:`~cidlib.mechanism` keep their noise, the others have the canonical
        response-function form.
    variables : list of nodes
        Read in the world after ``do``.
    evidence : mapping, optional
        Observed values in the actual world, ``{node: value}``.
    do : mapping, optional
        Hard interventions ``{node: value}``; a decision may be set too.
    policy : Policy, optional
        Rules for the decisions the query depends on (decisions follow their rules in both
        worlds, with the same noise).

    Returns
    -------
    dict
        As :func:`~cidlib.query`: ``{value: probability}`` for one variable, tuples of values
        for several.

    Raises
    ------
    InvalidQueryError
        For evidence of probability zero or a value outside a domain.

    Examples
    --------
    A coin ``X`` is copied to ``Y`` with probability 0.9. Seeing ``X = 0, Y = 0``, had ``X``
    been 1, ``Y`` would have been 1 unless the copying failed (independently for each value
    of ``X`` in the canonical form):

    >>> import cidlib
    >>> d = cidlib.CID([("X", "Y")], decisions=[], utilities=[])
    >>> pd = cidlib.parameterize(d, X=cidlib.uniform([0, 1]), Y=cidlib.noisy_copy("X", 0.9))
    >>> cidlib.counterfactual(pd, ["Y"], evidence={"X": 0, "Y": 0}, do={"X": 1})
    {0: 0.1, 1: 0.9}
    """
    check_pd(pd)
    wanted = names_of(variables, "variables")
    if not wanted:
        raise InvalidQueryError("counterfactual() needs at least one variable")
    repeated = [n for n in wanted if wanted.count(n) > 1]
    if repeated:
        raise InvalidQueryError(f"{repeated[0]!r} is listed twice in the query's variables")
    for node in wanted:
        pd.diagram.require(node)
    seen = _values(pd, evidence, "evidence")
    fixed = _values(pd, do, "do")
    rules = rule_arrays(pd, policy)
    keep = [(n, 1) for n in wanted]
    _, p, _ = worlds.solve(pd, rules, [worlds.ACTUAL, worlds.World(fixed)], keep,
                              evidence={(n, 0): v for n, v in seen.items()})
    total = float(p.sum())
    if total <= 0:
        shown = ", ".join(f"{n}={v!r}" for n, v in (evidence or {}).items())
        raise InvalidQueryError(f"the evidence {shown} has probability zero")
    values = p / total  # one axis per wanted node: distinct nodes of one world differ
    domains = [pd.domain(n) for n in wanted]
    out: dict[Any, float] = {}
    for at in np.ndindex(*values.shape):
        key = tuple(d[i] for d, i in zip(domains, at, strict=True))
        out[key[0] if len(key) == 1 else key] = tidy(float(values[at]))
    return out
