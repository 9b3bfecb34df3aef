"""Variable elimination with expected-utility potentials.

Each factor is a pair ``(p, q)``: a probability potential and an expected-utility mass.
A CPD is ``(P, 0)``, a utility's expected value given its parents is ``(1, u)``. Pairs
multiply like dual numbers, ``(p1, q1)(p2, q2) = (p1 p2, p1 q2 + q1 p2)``, and are summed
componentwise, so one elimination pass yields, for every assignment ``k`` of the kept
variables, ``p(k) = sum P`` and ``q(k) = sum P * (u_1 + ... + u_m)`` with no division. The
elimination order is greedy, smallest new factor first (weighted min-degree).

This is the engine behind expected utilities and policy optimisation; pgmpy's
``VariableElimination`` has no utility potentials, and one pgmpy query per utility and
decision context would cost a query where this costs one pass.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

from cidlib.quant.limits import check_size, names, table_size
from cidlib.quant.specs import Array

__all__: list[str] = []  # internal: the engine behind cidlib.quant.solve


@dataclass(frozen=True)
class Factor:
    """A potential over ``variables`` (ints); ``p`` None means 1, ``q`` None means 0."""

    variables: tuple[int, ...]
    p: Array | None
    q: Array | None = None


def _align(variables: tuple[int, ...], array: Array, target: Sequence[int]) -> Array:
    """View ``array`` (axes ``variables``) with axes ``target``, size 1 where absent."""
    order = sorted(range(len(variables)), key=lambda i: target.index(variables[i]))
    moved = np.transpose(array, order) if order != list(range(len(order))) else array
    present = {variables[i] for i in order}
    it = iter(moved.shape)
    return moved.reshape([next(it) if v in present else 1 for v in target])


def _multiply(factors: Sequence[Factor], target: Sequence[int]) -> tuple[Array, Array | None]:
    """Return the pair product of ``factors``, over the axes ``target`` (broadcast, not summed)."""
    p: Array | None = None
    q: Array | None = None
    for f in factors:
        fp = None if f.p is None else _align(f.variables, f.p, target)
        fq = None if f.q is None else _align(f.variables, f.q, target)
        if fq is not None:
            fq_term = fq if p is None else p * fq
            q = fq_term if q is None else q * (1.0 if fp is None else fp) + fq_term
        elif q is not None and fp is not None:
            q = q * fp
        if fp is not None:
            p = fp if p is None else p * fp
    return (np.ones((1,) * len(target)) if p is None else p), q


def _order(sizes: Sequence[int], factors: Sequence[Factor], keep: set[int]) -> list[int]:
    """Greedy elimination order: always the variable whose new factor is smallest."""
    neighbours: dict[int, set[int]] = {}
    for f in factors:
        for v in f.variables:
            neighbours.setdefault(v, set()).update(f.variables)
    for v, ns in neighbours.items():
        ns.discard(v)

    def cost(v: int) -> int:
        return math.prod(sizes[u] for u in neighbours[v])

    current = {v: cost(v) for v in neighbours if v not in keep}
    heap = [(c, v) for v, c in current.items()]
    heapq.heapify(heap)
    order = []
    while heap:
        c, v = heapq.heappop(heap)
        if current.get(v) != c:
            continue
        del current[v]
        order.append(v)
        ns = neighbours.pop(v)
        for u in ns:
            neighbours[u].discard(v)
            neighbours[u].update(ns - {u})
        for u in ns:
            if u in current:
                current[u] = cost(u)
                heapq.heappush(heap, (current[u], u))
    return order


def _summing(label: Callable[[int], str], v: int, rest: list[int]) -> str:
    """Describe the table that summing out ``v`` needs, for a size error."""
    return (f"summing out {label(v)} needs a table over {len(rest) + 1} variables "
            f"({names(label(u) for u in (v, *rest))}), which")


def contract(
    sizes: Sequence[int], factors: Sequence[Factor], keep: Sequence[int],
    labels: Sequence[str] | None = None,
) -> tuple[Array, Array]:
    """Sum out every variable but ``keep``; return ``(p, q)`` with axes ``keep``.

    The caller gives every summed variable a probability factor (its CPD); a variable that
    appears in no factor is not summed at all. Every table is sized before it is built:
    one past :data:`cidlib.quant.limits.MAX_TABLE_ENTRIES` raises
    :class:`~cidlib.exceptions.SizeLimitError`, naming its variables by ``labels``.

    Examples
    --------
    >>> import numpy as np
    >>> coin = Factor((0,), np.array([0.25, 0.75]))      # P(X)
    >>> gain = Factor((0,), None, np.array([4.0, 0.0]))  # utility 4 when X = 0
    >>> p, q = contract([2], [coin, gain], [])
    >>> float(p), float(q)
    (1.0, 1.0)
    """
    keep_set = set(keep)
    pool: dict[int, Factor] = dict(enumerate(factors))
    holding: dict[int, set[int]] = {}
    for i, f in pool.items():
        for v in f.variables:
            holding.setdefault(v, set()).add(i)
    fresh = len(pool)
    def label(v: int) -> str:
        return labels[v] if labels is not None else f"variable {v}"

    for v in _order(sizes, factors, keep_set):
        ids = holding.pop(v, set())
        group = [pool.pop(i) for i in ids]
        rest = sorted({u for f in group for u in f.variables} - {v})
        check_size(table_size(sizes[u] for u in (*rest, v)),
                   partial(_summing, label, v, rest))
        p, q = _multiply(group, [*rest, v])
        new = Factor(tuple(rest), p.sum(axis=-1), None if q is None else q.sum(axis=-1))
        for u in rest:
            holding[u] -= ids
            holding[u].add(fresh)
        pool[fresh] = new
        fresh += 1
    target = list(keep)
    check_size(table_size(sizes[v] for v in target),
               lambda: f"the table over {names(label(v) for v in target)}")
    p, q = _multiply(list(pool.values()), target)
    shape = tuple(sizes[v] for v in target)
    p_full = np.broadcast_to(p, shape).copy()
    q_full = np.zeros(shape) if q is None else np.broadcast_to(q, shape).copy()
    return p_full, q_full
