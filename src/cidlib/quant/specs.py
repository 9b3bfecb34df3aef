"""How a node's conditional distribution is described, and how a description becomes a table.

A *spec* says how a node depends on its parents. :func:`~cidlib.quant.parameterize` accepts,
for each node:

- a function of the parents, bound by argument name (``U=lambda S, D: S * D``), returning a
  value (a deterministic CPD) or a ``{value: probability}`` mapping (a stochastic one);
- a mapping: for a node without parents its distribution, ``{value: probability}``; for a
  node with one parent a row per parent value; with several parents use :func:`table`;
- one of the helpers :func:`uniform`, :func:`bernoulli`, :func:`noisy_copy`,
  :func:`deterministic`, :func:`table`, or :func:`mechanism` (a function of the parents
  and an explicit exogenous noise: a structural equation);
- a pgmpy ``TabularCPD``;
- for a decision, a list of its possible values (its domain);
- any other single value: a constant.

Every spec becomes an array of shape ``(|Pa_1|, ..., |Pa_k|, |X|)`` (parents in the order
:meth:`~cidlib.quant.ParameterizedDiagram.parents_of` gives) whose last axis sums to one.
"""

from __future__ import annotations

import inspect
import itertools
import keyword
import math
import numbers
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from cidlib.exceptions import ArgumentTypeError, ParameterError
from cidlib.quant.limits import check_size, table_size

__all__ = ["Noise", "Spec", "bernoulli", "deterministic", "mechanism", "noisy_copy", "table",
           "uniform"]

Domain = tuple[Hashable, ...]
Array = npt.NDArray[np.float64]
Indices = npt.NDArray[np.intp]
SUM_TOLERANCE = 1e-6  # how far a stated distribution may be from summing to one


@dataclass(frozen=True)
class Family:
    """What a spec needs to know to become a table: the node, its parents and their domains."""

    node: Hashable
    parents: tuple[Hashable, ...]
    parent_domains: tuple[Domain, ...]
    utility: bool = False
    domain: Domain | None = None  # forced (decision rules, interventions), else inferred
    what: str = "CPD"

    def combos(self) -> Iterable[tuple[Hashable, ...]]:
        """Every assignment of the parents, in table (C) order."""
        return itertools.product(*self.parent_domains)

    def context(self, combo: tuple[Hashable, ...]) -> str:
        """``A=1, B=0``, for error messages."""
        pairs = zip(self.parents, combo, strict=True)
        return ", ".join(f"{p}={v!r}" for p, v in pairs) or "no parents"


@dataclass(frozen=True, eq=False)
class Noise:
    """A node's explicit exogenous variable and structural equation.

    ``values`` are the noise values, ``probabilities`` their probabilities, and
    ``response`` (axes: the parents in table order, then the noise) the position in the
    node's domain of the value the equation gives.
    """

    values: Domain
    probabilities: Array
    response: Indices

    def __post_init__(self) -> None:
        self.probabilities.setflags(write=False)
        self.response.setflags(write=False)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Noise):
            return NotImplemented
        return (self.values == other.values
                and np.array_equal(self.probabilities, other.probabilities)
                and np.array_equal(self.response, other.response))

    __hash__ = None  # type: ignore[assignment]  # equal by value, but holds arrays


class Spec(ABC):
    """A description of a node's conditional distribution (see the module docstring)."""

    @abstractmethod
    def build(self, family: Family) -> tuple[Domain, Array]:
        """Return the node's domain and its table for ``family``."""

    def build_structural(self, family: Family) -> tuple[Domain, Array, Noise | None]:
        """Return the domain, the table and, for a structural equation, its :class:`Noise`."""
        domain, array = self.build(family)
        return domain, array, None


def tidy(value: float) -> float:
    """``value`` rounded to 15 significant digits, so that exact decimals show as such.

    0.4, not 0.39999999999999997: the rounding errors of floating point, a few units in the
    17th digit, are dropped; every difference a model expresses is far larger.
    """
    return float(f"{float(value):.15g}") + 0.0


def is_nan(value: object) -> bool:
    """Whether ``value`` is a NaN (which equals nothing, not even itself)."""
    return isinstance(value, numbers.Number) and value != value  # noqa: PLR0124 -- NaN's test


def random_generator(seed: object) -> np.random.Generator:
    """Return numpy's generator for ``seed``, or a named error.

    ``seed`` is a non-negative int, a numpy Generator (used as is) or None (fresh entropy).
    """
    if seed is None or isinstance(seed, np.random.Generator):
        return np.random.default_rng(seed)
    accepted = "a non-negative int, a numpy Generator or None"
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise ArgumentTypeError(f"seed must be {accepted}, not {seed!r:.40}")
    if seed < 0:
        raise ParameterError(f"seed must be {accepted}, not {seed}")
    return np.random.default_rng(int(seed))


def check_domain(values: object, what: str) -> Domain:
    """Return ``values`` as a domain: a non-empty sequence of distinct hashables."""
    if isinstance(values, (str, bytes, Mapping, set, frozenset)) or not isinstance(
        values, Iterable
    ):
        raise ArgumentTypeError(
            f"{what} must be a list of values such as [0, 1] (ordered, so not a set or a "
            f"mapping), not {type(values).__name__}"
        )
    domain = tuple(values)
    if not domain:
        raise ParameterError(f"{what} is empty; give at least one value")
    unhashable = [v for v in domain if not isinstance(v, Hashable)]
    if unhashable:
        raise ParameterError(f"{what} contains the unhashable value {unhashable[0]!r}")
    if any(is_nan(v) for v in domain):
        raise ParameterError(
            f"{what} contains NaN, which equals no value (not even itself); use another value"
        )
    if len(set(domain)) != len(domain):
        repeated = sorted({repr(v) for v in domain if domain.count(v) > 1})
        raise ParameterError(f"{what} repeats {', '.join(repeated)}; list each value once")
    return domain


def tabulate(
    family: Family, rows: Callable[[tuple[Hashable, ...]], object], domain: Domain | None = None
) -> tuple[Domain, Array]:
    """Build the table from ``rows``, which maps a parent assignment to a value or distribution.

    The domain is ``family.domain`` or ``domain`` if given (a value outside it is an error),
    else the values met, sorted when they can be.
    """
    fixed = family.domain if family.domain is not None else domain
    rows_count = table_size(len(d) for d in family.parent_domains)
    what = (f"the {family.what} of {family.node!r} ({len(family.parents)} parents, "
            f"{rows_count:,} parent assignments")
    check_size(rows_count * max(1, len(fixed or ())), what + ")")
    met: set[Hashable] = set()  # the values met so far, when the domain is not fixed
    dists: list[dict[Hashable, float]] = []
    for combo in family.combos():
        out = rows(combo)
        dist = _distribution(family, combo, out)
        if fixed is not None:
            outside = [v for v in dist if v not in fixed]
            if outside:
                raise ParameterError(
                    f"{family.what} of {family.node!r} gives {outside[0]!r} at "
                    f"{family.context(combo)}, outside its domain {list(fixed)!r}"
                )
        elif not met.issuperset(dist):  # every new value adds a column: check as they come
            met.update(dist)
            check_size(rows_count * len(met), lambda: f"{what}, at least {len(met):,} values)")
        dists.append(dist)
    values = fixed if fixed is not None else _met(d for dist in dists for d in dist)
    if family.utility:
        _check_numbers(family, values)
    index = {v: i for i, v in enumerate(values)}
    array = np.zeros((len(dists), len(values)))
    for row, dist in enumerate(dists):
        for v, p in dist.items():
            array[row, index[v]] += p
    shape = (*(len(d) for d in family.parent_domains), len(values))
    return values, array.reshape(shape)


def _distribution(
    family: Family, combo: tuple[Hashable, ...], out: object
) -> dict[Hashable, float]:
    if not isinstance(out, Mapping):
        _check_value(family, combo, out)
        return {out: 1.0}
    dist: dict[Hashable, float] = {}
    for v, p in out.items():
        _check_value(family, combo, v)
        if not isinstance(p, numbers.Real) or not math.isfinite(p) or p < -1e-12:
            raise ParameterError(
                f"{family.what} of {family.node!r} gives probability {p!r} to {v!r} at "
                f"{family.context(combo)}; probabilities are numbers in [0, 1]"
            )
        dist[v] = max(float(p), 0.0)
    total = sum(dist.values())
    if abs(total - 1.0) > SUM_TOLERANCE:
        raise ParameterError(
            f"{family.what} of {family.node!r} at {family.context(combo)}: probabilities sum "
            f"to {total:.6g}, not 1"
        )
    return {v: p / total for v, p in dist.items()}


def _check_value(family: Family, combo: tuple[Hashable, ...], value: object) -> None:
    try:
        hash(value)
    except TypeError:
        raise ParameterError(
            f"{family.what} of {family.node!r} gives the unhashable {value!r} at "
            f"{family.context(combo)}; return a value or a {{value: probability}} mapping"
        ) from None
    if is_nan(value):
        raise ParameterError(
            f"{family.what} of {family.node!r} gives the value NaN at {family.context(combo)}; "
            "NaN equals no value (not even itself), so it cannot be one"
        )


def _met(values: Iterable[Hashable]) -> Domain:
    seen = tuple(dict.fromkeys(values))
    try:
        return tuple(sorted(seen))  # type: ignore[type-var]
    except TypeError:
        return seen


def _check_numbers(family: Family, values: Domain) -> None:
    for v in values:
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(v):
            raise ParameterError(
                f"utility {family.node!r} takes the value {v!r}; utilities are finite numbers"
            )


# -- the helpers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Uniform(Spec):
    values: Domain

    def build(self, family: Family) -> tuple[Domain, Array]:
        p = 1.0 / len(self.values)
        return tabulate(family, lambda _: dict.fromkeys(self.values, p), self.values)


def uniform(values: Iterable[Hashable]) -> Spec:
    """Describe a node uniformly distributed over ``values``, whatever its parents.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"], utilities=["U"])
    >>> pd = cidlib.parameterize(d, S=cidlib.uniform([-1, 1]), D=[-1, 1],
    ...                          U=lambda S, D: S * D)
    >>> pd.distribution("S")
    {-1: 0.5, 1: 0.5}
    """
    return _Uniform(check_domain(values, "uniform()'s values"))


@dataclass(frozen=True)
class _Bernoulli(Spec):
    p: float

    def build(self, family: Family) -> tuple[Domain, Array]:
        return tabulate(family, lambda _: {0: 1.0 - self.p, 1: self.p}, (0, 1))


def bernoulli(p: float) -> Spec:
    """Describe a node that is 1 with probability ``p`` and 0 otherwise, whatever its parents.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([], nodes=["X"], decisions=[], utilities=[])
    >>> pd = cidlib.parameterize(d, X=cidlib.bernoulli(0.25))
    >>> pd.distribution("X")
    {0: 0.75, 1: 0.25}
    """
    if isinstance(p, bool) or not isinstance(p, numbers.Real) or not 0.0 <= p <= 1.0:
        raise ParameterError(f"bernoulli(p) needs a probability in [0, 1], got {p!r}")
    return _Bernoulli(float(p))


@dataclass(frozen=True)
class _NoisyCopy(Spec):
    parent: Hashable
    p: float

    def build(self, family: Family) -> tuple[Domain, Array]:
        if self.parent not in family.parents:
            raise ParameterError(
                f"noisy_copy({self.parent!r}) for {family.node!r}: {self.parent!r} is not a "
                f"parent of {family.node!r} (parents: {_names(family.parents)})"
            )
        at = family.parents.index(self.parent)
        values = family.parent_domains[at]
        other = (1.0 - self.p) / (len(values) - 1) if len(values) > 1 else 0.0

        def row(combo: tuple[Hashable, ...]) -> dict[Hashable, float]:
            return {v: self.p if v == combo[at] else other for v in values}

        return tabulate(family, row, values)


def noisy_copy(parent: Hashable, p: float = 0.9) -> Spec:
    """Describe a node that copies ``parent`` with probability ``p``, else another value.

    The other values share ``1 - p`` equally; the node's domain is the parent's. Other
    parents of the node are ignored.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("X", "Y")], decisions=[], utilities=[])
    >>> pd = cidlib.parameterize(d, X=cidlib.uniform([0, 1]), Y=cidlib.noisy_copy("X", 0.75))
    >>> pd.distribution("Y", X=1)
    {0: 0.25, 1: 0.75}
    """
    if isinstance(p, bool) or not isinstance(p, numbers.Real) or not 0.0 <= p <= 1.0:
        raise ParameterError(f"noisy_copy(p=...) needs a probability in [0, 1], got {p!r}")
    return _NoisyCopy(parent, float(p))


@dataclass(frozen=True)
class _Function(Spec):
    function: Callable[..., object]
    domain: Domain | None = None
    deterministic: bool = False

    def build(self, family: Family) -> tuple[Domain, Array]:
        call = bind(self.function, family)

        def row(combo: tuple[Hashable, ...]) -> object:
            out = call(combo)
            if self.deterministic and isinstance(out, Mapping):
                raise ParameterError(
                    f"deterministic {family.what} of {family.node!r} returned a mapping at "
                    f"{family.context(combo)}; return a single value"
                )
            return out

        return tabulate(family, row, self.domain)


def deterministic(
    function: Callable[..., object], domain: Iterable[Hashable] | None = None
) -> Spec:
    """Describe a node that is a function of its parents (bound by argument name).

    Parameters
    ----------
    function : callable
        Takes the parents as keyword arguments (``**kwargs`` collects any it does not name)
        and returns the node's value.
    domain : list, optional
        The node's possible values; by default the values ``function`` returns, sorted.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("X", "Y")], decisions=[], utilities=[])
    >>> pd = cidlib.parameterize(d, X=cidlib.uniform([0, 1]),
    ...                          Y=cidlib.deterministic(lambda X: 1 - X, domain=[0, 1, 2]))
    >>> pd.domain("Y"), pd.distribution("Y", X=0)
    ((0, 1, 2), {0: 0.0, 1: 1.0, 2: 0.0})
    """
    if not callable(function):
        raise ArgumentTypeError(f"deterministic() needs a function, not {function!r:.40}")
    fixed = None if domain is None else check_domain(domain, "deterministic()'s domain")
    return _Function(function, fixed, deterministic=True)


@dataclass(frozen=True)
class _Mechanism(Spec):
    function: Callable[..., object]
    noise: Domain
    weights: tuple[float, ...]
    domain: Domain | None = None

    def build(self, family: Family) -> tuple[Domain, Array]:
        domain, array, _ = self.build_structural(family)
        return domain, array

    def build_structural(self, family: Family) -> tuple[Domain, Array, Noise | None]:
        call = bind(self.function, family, ("noise",))
        fixed = family.domain if family.domain is not None else self.domain
        rows = table_size(len(d) for d in family.parent_domains)
        check_size(rows * len(self.noise),
                   f"the structural equation of {family.node!r} ({rows:,} parent assignments "
                   f"times {len(self.noise):,} noise values)")
        outs: list[list[Hashable]] = []
        for combo in family.combos():
            row: list[Hashable] = []
            for e in self.noise:
                out = call(combo, noise=e)
                where = f"{family.context(combo)}, noise={e!r}"
                if isinstance(out, Mapping):
                    raise ParameterError(
                        f"the structural equation of {family.node!r} returned a mapping at "
                        f"{where}; it returns one value: the randomness is in the noise"
                    )
                _check_value(family, combo, out)
                if fixed is not None and out not in fixed:
                    raise ParameterError(
                        f"the structural equation of {family.node!r} gives {out!r} at {where}, "
                        f"outside its domain {list(fixed)!r}"
                    )
                row.append(out)
            outs.append(row)
        values = fixed if fixed is not None else _met(v for row in outs for v in row)
        if family.utility:
            _check_numbers(family, values)
        index = {v: i for i, v in enumerate(values)}
        shape = tuple(len(d) for d in family.parent_domains)
        response = np.array([[index[v] for v in row] for row in outs], dtype=np.intp)
        weights = np.array(self.weights)
        array = np.zeros((rows, len(values)))
        for e, weight in enumerate(weights):
            array[np.arange(rows), response[:, e]] += weight
        noise = Noise(self.noise, weights, response.reshape(*shape, len(self.noise)))
        return values, array.reshape(*shape, len(values)), noise


def mechanism(
    function: Callable[..., object],
    noise: Mapping[Hashable, float] | Iterable[Hashable],
    domain: Iterable[Hashable] | None = None,
) -> Spec:
    """Describe a node by a structural equation: a function of its parents and its own noise.

    The node's value is ``function(**parents, noise=e)`` for an exogenous noise value ``e``
    drawn from ``noise``, independently of every other node's noise. Its CPD follows, and
    counterfactual queries (:func:`~cidlib.counterfactual`, :func:`~cidlib.quantitative_ri`,
    :func:`~cidlib.quantitative_ici`) use the equation itself: the node keeps its noise value
    across the worlds compared. A node given any other spec has the canonical structural
    form instead (see :func:`~cidlib.structural_model`).

    Parameters
    ----------
    function : callable
        Takes the parents by name (``**kwargs`` collects any it does not name) and the
        argument ``noise``; returns the node's value.
    noise : mapping or list
        The distribution of the noise, ``{value: probability}``, or a list of equally likely
        values.
    domain : list, optional
        The node's possible values; by default the values ``function`` returns, sorted.

    Examples
    --------
    A sensor that reports X but flips it with probability 0.1:

    >>> import cidlib
    >>> d = cidlib.CID([("X", "Y")], decisions=[], utilities=[])
    >>> pd = cidlib.parameterize(d, X=cidlib.uniform([0, 1]),
    ...                          Y=cidlib.mechanism(lambda X, noise: X ^ noise,
    ...                                             noise={0: 0.9, 1: 0.1}))
    >>> pd.distribution("Y", X=1)
    {0: 0.1, 1: 0.9}
    >>> cidlib.counterfactual(pd, ["Y"], evidence={"X": 0, "Y": 1}, do={"X": 1})
    {0: 1.0, 1: 0.0}
    """
    if not callable(function):
        raise ArgumentTypeError(f"mechanism() needs a function, not {function!r:.40}")
    if isinstance(noise, Mapping):
        weights: dict[Hashable, float] = {}
        for value, p in noise.items():
            if isinstance(p, bool) or not isinstance(p, numbers.Real) or not math.isfinite(p) or (
                    p < 0):
                raise ParameterError(
                    f"mechanism(): the noise value {value!r} has probability {p!r}; "
                    "probabilities are numbers in [0, 1]"
                )
            weights[value] = float(p)
        values = check_domain(list(weights), "mechanism()'s noise")
        total = sum(weights.values())
        if abs(total - 1.0) > SUM_TOLERANCE:
            raise ParameterError(f"mechanism()'s noise probabilities sum to {total:.6g}, not 1")
        kept = tuple(v for v in values if weights[v] > 0)
        chosen = tuple(weights[v] / total for v in kept)
    else:
        kept = check_domain(noise, "mechanism()'s noise")
        chosen = (1.0 / len(kept),) * len(kept)
    fixed = None if domain is None else check_domain(domain, "mechanism()'s domain")
    return _Mechanism(function, kept, chosen, fixed)


def _nameable(parent: Hashable) -> bool:
    """Whether a function can take ``parent`` as a named argument (not only in ``**kwargs``)."""
    return isinstance(parent, str) and parent.isidentifier() and not keyword.iskeyword(parent)


def bind(
    function: Callable[..., object], family: Family, extra: tuple[str, ...] = ()
) -> Callable[..., Any]:
    """Return ``(combo, **extra) -> function(**parents, **extra)``, after checking the arguments.

    Parents are passed by name. A parent whose name is not a Python identifier (``"age
    group"``, ``"class"``) reaches the function only through ``**kwargs``. ``extra`` names
    further arguments the caller passes (a structural equation's ``noise``).
    """
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        raise ParameterError(
            f"cannot read the arguments of {family.node!r}'s function {function!r:.40}; "
            "use a def or lambda whose arguments are the parents"
        ) from None
    params = signature.parameters.values()
    takes_rest = any(p.kind is p.VAR_KEYWORD for p in params)
    named = {p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    clash = [e for e in extra if e in family.parents]
    if clash:
        raise ParameterError(
            f"{family.what} of {family.node!r}: a parent is called {clash[0]!r}, the name of "
            f"the argument that receives the exogenous noise; rename the node, or use "
            f"cidlib.table"
        )
    for p in params:
        if p.kind in (p.POSITIONAL_ONLY, p.VAR_POSITIONAL) or (
            p.name not in family.parents and p.name not in extra
            and p.kind is not p.VAR_KEYWORD and p.default is p.empty
        ):
            raise ParameterError(
                f"{family.what} of {family.node!r}: the function's argument {p.name!r} is not "
                f"a parent of {family.node!r} (parents: {_names(family.parents)}); arguments "
                "are bound to parents by name"
            )
    for parent in family.parents:
        if not isinstance(parent, str):
            raise ParameterError(
                f"{family.what} of {family.node!r}: parent {parent!r} is not a string, so no "
                "function argument can receive it; use cidlib.table instead"
            )
        if not _nameable(parent) and not takes_rest:
            raise ParameterError(
                f"{family.what} of {family.node!r}: parent {parent!r} is not a Python "
                "identifier, so only **kwargs can receive it: e.g. lambda **parents: "
                f"parents[{parent!r}]"
            )
        if _nameable(parent) and parent not in named and not takes_rest:
            raise ParameterError(
                f"{family.what} of {family.node!r}: the function ignores parent {parent!r}; "
                f"add an argument {parent} (or **_ to ignore parents on purpose)"
            )
    for name in extra:
        if name not in named and not takes_rest:
            raise ParameterError(
                f"{family.what} of {family.node!r}: the function has no argument {name!r}, "
                f"which receives the exogenous noise; add one"
            )

    def call(combo: tuple[Hashable, ...], **more: Hashable) -> object:
        arguments: dict[str, Any] = dict(zip(family.parents, combo, strict=True))  # type: ignore[arg-type]
        arguments.update(more)
        try:
            return function(**arguments)
        except Exception as err:
            where = family.context(combo) + "".join(f", {k}={v!r}" for k, v in more.items())
            raise ParameterError(
                f"{family.what} of {family.node!r} raised {type(err).__name__}: {err} at "
                f"{where}"
            ) from err

    return call


@dataclass(frozen=True)
class TableSpec(Spec):
    rows: Mapping[Any, object]
    parents: tuple[Hashable, ...] | None
    domain: Domain | None = None

    def build(self, family: Family) -> tuple[Domain, Array]:
        order = family.parents if self.parents is None else self.parents
        if self.parents is None and len(order) > 1:
            raise ParameterError(
                f"{family.what} of {family.node!r}: {family.node!r} has parents "
                f"{_names(order)}; say which order the table's keys use with "
                f"cidlib.table(rows, parents=[...])"
            )
        if set(order) != set(family.parents) or len(order) != len(family.parents):
            raise ParameterError(
                f"{family.what} of {family.node!r}: the table is keyed by {_names(order)} but "
                f"the parents are {_names(family.parents)}"
            )
        if not order:
            return tabulate(family, lambda _: self.rows, self.domain)
        rows = {_key(k, len(order)): v for k, v in self.rows.items()}
        domains = dict(zip(family.parents, family.parent_domains, strict=True))
        combos = set(itertools.product(*(domains[p] for p in order)))
        extra = [k for k in rows if k not in combos]
        if extra:
            raise ParameterError(
                f"{family.what} of {family.node!r}: the table has a row for "
                f"{_show(order, extra[0])}, which is not in the parents' domains"
            )

        def row(combo: tuple[Hashable, ...]) -> object:
            key = tuple(combo[family.parents.index(p)] for p in order)
            if key not in rows:
                raise ParameterError(
                    f"{family.what} of {family.node!r}: the table has no row for "
                    f"{_show(order, key)}; give a row for every assignment of the parents"
                )
            return rows[key]

        return tabulate(family, row, self.domain)


def _key(key: object, width: int) -> tuple[Hashable, ...]:
    if width == 1 and not (isinstance(key, tuple) and len(key) == 1):
        return (key,)
    if not isinstance(key, tuple) or len(key) != width:
        raise ParameterError(f"table key {key!r} is not a tuple of {width} parent values")
    return key


def table(rows: Mapping[Any, object], parents: Sequence[Hashable] | None = None) -> Spec:
    """Describe a CPD row by row: parent values -> the node's value or distribution.

    Parameters
    ----------
    rows : mapping
        For a node without parents, its distribution ``{value: probability}``. Otherwise
        ``{parent values: row}``, where a row is a value (deterministic) or a distribution.
        Keys are tuples ordered as ``parents`` (a single value for one parent).
    parents : list, optional
        The order of the parent values in the keys; needed when there are several parents.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("A", "Y"), ("B", "Y")], decisions=[], utilities=[])
    >>> pd = cidlib.parameterize(d, A=cidlib.uniform([0, 1]), B=cidlib.uniform([0, 1]),
    ...     Y=cidlib.table({(0, 0): 0, (0, 1): 1, (1, 0): 1, (1, 1): {0: 0.5, 1: 0.5}},
    ...                    parents=["A", "B"]))
    >>> pd.distribution("Y", A=1, B=1)
    {0: 0.5, 1: 0.5}
    """
    if not isinstance(rows, Mapping):
        raise ArgumentTypeError(f"table() needs a mapping of rows, not {type(rows).__name__}")
    order = None if parents is None else tuple(parents)
    return TableSpec(dict(rows), order)


def from_value(spec: object, family: Family) -> Spec:
    """Turn whatever a user passed for a chance or utility node into a :class:`Spec`."""
    if isinstance(spec, Spec):
        return spec
    if callable(spec):
        return _Function(spec)
    if isinstance(spec, Mapping):
        return TableSpec(dict(spec), None)
    if isinstance(spec, (list, range, np.ndarray)) or (
        isinstance(spec, tuple) and family.domain is None
    ):
        raise ParameterError(
            f"{family.node!r} is a {'utility' if family.utility else 'chance'} node, but its "
            f"spec is a list; a list is a decision's domain. For a uniform distribution use "
            f"cidlib.uniform({list(spec)!r})"
        )
    try:
        hash(spec)
    except TypeError:
        raise ArgumentTypeError(
            f"cannot use {type(spec).__name__} {spec!r:.40} as the CPD of {family.node!r}"
        ) from None
    return _Function(lambda **_: spec)


def _names(nodes: Iterable[Hashable]) -> str:
    return ", ".join(repr(n) for n in nodes) or "none"


def _show(order: tuple[Hashable, ...], key: tuple[Hashable, ...]) -> str:
    return ", ".join(f"{p}={v!r}" for p, v in zip(order, key, strict=True))
