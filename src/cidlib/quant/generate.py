"""Random numbers for a diagram: the parameterisations the tests and benchmarks draw."""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np

from cidlib.core.checks import ensure_diagram
from cidlib.core.diagram import InfluenceDiagram, NodeKind
from cidlib.exceptions import ArgumentTypeError, ParameterError
from cidlib.quant.limits import check_size, table_size
from cidlib.quant.model import ParameterizedDiagram
from cidlib.quant.specs import Array, Domain, Noise, random_generator

__all__ = ["random_parameterization"]


def _probability(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ParameterError(f"{name} must be a probability in [0, 1], not {value!r:.40}")
    return float(value)


def random_parameterization(
    diagram: InfluenceDiagram,
    *,
    seed: int | np.random.Generator | None = None,
    domain_size: int = 2,
    deterministic: float = 0.0,
    min_probability: float = 0.0,
    utility_range: tuple[float, float] = (-3.0, 3.0),
    mechanisms: bool = False,
) -> ParameterizedDiagram:
    """Draw random numbers for every node of ``diagram``.

    Chance nodes and decisions take the values ``0, ..., domain_size - 1``. Each row of a
    chance node's CPD (one per assignment of its parents) is drawn uniformly from the
    probability simplex, then floored at ``min_probability``; with probability
    ``deterministic`` it is instead certain of one value, drawn uniformly. Each utility takes,
    for each assignment of its parents, a number drawn uniformly from ``utility_range``.

    Parameters
    ----------
    diagram : InfluenceDiagram
    seed : int or numpy Generator, optional
        The same seed gives the same numbers.
    domain_size : int
        Values per chance node and decision (at least 1).
    deterministic : float
        The share of CPD rows that are certain of one value.
    min_probability : float
        The least probability of each value in a row that is not certain (at most
        ``1 / domain_size``): positive, every context has positive probability.
    utility_range : (float, float)
        Where utilities are drawn from.
    mechanisms : bool
        Give each chance node an explicit structural equation instead (a uniform noise with
        ``domain_size + 1`` values and a random value for each parent assignment and noise
        value), as with :func:`~cidlib.mechanism`; counterfactuals then use it rather than
        the canonical form.

    Returns
    -------
    ParameterizedDiagram

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"], utilities=["U"])
    >>> pd = cidlib.random_parameterization(d, seed=1)
    >>> pd.domain("S"), pd.domain("D"), len(pd.domain("U"))
    ((0, 1), (0, 1), 4)
    >>> pd == cidlib.random_parameterization(d, seed=1)
    True
    """
    ensure_diagram(diagram)
    if isinstance(domain_size, bool) or not isinstance(domain_size, int) or domain_size < 1:
        raise ArgumentTypeError(f"domain_size must be a positive int, not {domain_size!r:.40}")
    share = _probability(deterministic, "deterministic")
    floor = _probability(min_probability, "min_probability")
    if floor * domain_size > 1 + 1e-12:
        raise ParameterError(
            f"min_probability={floor} is more than 1/domain_size = {1 / domain_size:.6g}"
        )
    low, high = (float(v) for v in utility_range)
    if not low <= high:
        raise ParameterError(f"utility_range must be (low, high) with low <= high, not "
                             f"{utility_range!r}")
    rng = random_generator(seed)
    values: Domain = tuple(range(domain_size))
    domains: dict[Hashable, Domain] = {}
    tables: dict[Hashable, Array] = {}
    noise: dict[Hashable, Noise] = {}
    pd_order = ParameterizedDiagram(diagram, {}, {})  # for the parents' table order only
    for node in diagram.topological_order():
        kind = diagram.kind(node)
        if kind is NodeKind.DECISION:
            domains[node] = values
            continue
        parents = pd_order.parents_of(node)
        shape = tuple(len(domains[p]) for p in parents)
        rows = table_size(shape)
        check_size(rows * domain_size, f"the CPD of {node!r}")
        if kind is NodeKind.UTILITY:
            drawn, position = np.unique(rng.uniform(low, high, size=rows), return_inverse=True)
            check_size(rows * len(drawn), f"the CPD of {node!r} ({rows:,} parent assignments, "
                                          f"{len(drawn):,} values)")
            array = np.zeros((rows, len(drawn)))
            array[np.arange(rows), position] = 1.0
            domains[node] = tuple(float(v) for v in drawn)
            tables[node] = array.reshape(*shape, len(drawn))
        elif mechanisms:
            size = domain_size + 1
            response = rng.integers(domain_size, size=(rows, size))
            array = np.zeros((rows, domain_size))
            for e in range(size):
                array[np.arange(rows), response[:, e]] += 1.0 / size
            domains[node], tables[node] = values, array.reshape(*shape, domain_size)
            noise[node] = Noise(tuple(range(size)), np.full(size, 1.0 / size),
                                response.reshape(*shape, size).astype(np.intp))
        else:
            array = rng.dirichlet(np.ones(domain_size), size=rows)
            array = floor + (1.0 - floor * domain_size) * array
            certain = rng.random(rows) < share
            array[certain] = np.eye(domain_size)[rng.integers(domain_size,
                                                              size=int(certain.sum()))]
            domains[node], tables[node] = values, array.reshape(*shape, domain_size)
    return ParameterizedDiagram(diagram, domains, tables, noise)
