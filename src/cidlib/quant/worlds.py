"""Several worlds that share their noise: the twin network behind every counterfactual.

A counterfactual compares worlds that differ by interventions but share every exogenous
noise value: the actual world and, say, the world where ``X`` had been set to ``x``. Each
world has its own copy of each node; a copy whose parents are the same variables as another
world's copy *is* that copy (same noise, same parents, same value), so only the descendants
of an intervention are duplicated (Balke & Pearl's twin network, merged).

Copies of one node that differ must still share its noise. A node given by a structural
equation (:func:`~cidlib.mechanism`) has an explicit noise variable, shared by its copies.
Any other node has the *canonical* form of :mod:`cidlib.quant.structural`: its noise is a
response function, one value per distinct conditional distribution of the node, drawn
independently with that distribution. Copies of such a node whose parent contexts have the
same distribution take the same value; otherwise they are independent. That coupling is one
factor over the copies, built here without listing response functions.
Decisions follow their rules the same way (a deterministic rule is its own structural
equation).

The factors then go to the variable elimination of :mod:`cidlib.quant.eliminate`. A world
may also *copy* a node from an earlier world (nested counterfactuals: ``X`` set to the value
it would have taken under ``do(D = d)``).

References
----------
.. [1] A. Balke, J. Pearl. "Probabilistic evaluation of counterfactual queries." AAAI 1994.
.. [2] J. Pearl. "Causality." 2nd edition, 2009, §7.1 (twin networks, response functions).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from cidlib.core.diagram import NodeKind
from cidlib.core.names import node_key
from cidlib.exceptions import ParameterError
from cidlib.quant.eliminate import Factor, contract
from cidlib.quant.limits import check_size, names, table_size
from cidlib.quant.model import ParameterizedDiagram
from cidlib.quant.specs import Array, Indices

__all__: list[str] = []  # internal: the engine behind counterfactual queries

Copy = tuple[Hashable, int]  # (node, world)


@dataclass(frozen=True)
class World:
    """Interventions defining one world: values fixed, or values copied from earlier worlds.

    ``fixed`` maps a node to the position of its value in its domain; ``copied`` maps a
    node to the (earlier) world whose value of it this world takes.
    """

    fixed: Mapping[Hashable, int] = field(default_factory=dict)
    copied: Mapping[Hashable, int] = field(default_factory=dict)


ACTUAL = World()


@dataclass
class Network:
    """The variables and factors of several worlds (a twin network, merged)."""

    sizes: list[int] = field(default_factory=list)
    labels: list[Copy] = field(default_factory=list)
    factors: list[Factor] = field(default_factory=list)
    var: dict[Copy, int] = field(default_factory=dict)

    def new(self, label: Copy, size: int) -> int:
        self.sizes.append(size)
        self.labels.append(label)
        return len(self.sizes) - 1


def is_deterministic(table: Array) -> bool:
    """Whether every row of ``table`` puts all probability on one value."""
    return bool(np.all((table == 0.0) | (table == 1.0)))


def distributions(table: Array) -> tuple[Array, Indices]:
    """Return the distinct rows of ``table`` (first met first) and each context's row."""
    rows = table.reshape(-1, table.shape[-1])
    _, first, classes = np.unique(rows, axis=0, return_index=True, return_inverse=True)
    order = np.argsort(first)
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rows[np.sort(first)], rank[classes.reshape(-1)]


def coupling(table: Array, sizes: Sequence[int], contexts: Sequence[Indices]) -> Array:
    """Return the joint of ``k`` copies of a canonical node, given each copy's context.

    ``contexts[i]`` gives copy ``i``'s parent context (a row of ``table`` flattened to
    ``(contexts, values)``) for every assignment of the parent variables, an array of shape
    ``sizes``. The result, of shape ``(*sizes, K, ..., K)``, is the product over the distinct
    distributions met of their probabilities, with copies whose contexts have the same
    distribution equal.
    """
    k = len(contexts)
    values = table.shape[-1]
    rows, classes = distributions(table)
    contexts = [classes[c] for c in contexts]
    grid = tuple(sizes)
    out = np.ones(grid + (1,) * k)
    for i in range(k):
        first = np.full(grid, i)
        for j in range(i - 1, -1, -1):
            first = np.where(contexts[j] == contexts[i], j, first)
        at = (1,) * i + (values,) + (1,) * (k - i - 1)
        term = np.where((first == i).reshape(grid + (1,) * k),
                        rows[contexts[i]].reshape(grid + at), 0.0)
        for j in range(i):
            same = np.eye(values).reshape((1,) * len(grid) + tuple(
                values if a in (j, i) else 1 for a in range(k)))
            term = term + np.where((first == j).reshape(grid + (1,) * k), same, 0.0)
        out = out * term
    return out


def _node_factors(
    pd: ParameterizedDiagram, node: Hashable, table: Array,
    copies: list[tuple[int, tuple[int, ...]]], net: Network,
) -> None:
    """Add the factors of ``node``'s distinct copies (variable, parent variables) to ``net``."""
    values = table.shape[-1]
    noise = pd.noise.get(node)
    if noise is not None:
        e = net.new((("noise", node), -1), len(noise.values))
        net.factors.append(Factor((e,), noise.probabilities))
        onehot = np.eye(values)[noise.response]  # axes: parents, noise, value
        for var, parents in copies:
            net.factors.append(Factor((*parents, e, var), onehot))
        return
    if len(copies) == 1 or is_deterministic(table):
        for var, parents in copies:
            net.factors.append(Factor((*parents, var), table))
        return
    union = list(dict.fromkeys(p for _, parents in copies for p in parents))
    grid = [net.sizes[v] for v in union]
    check_size(table_size(grid) * values ** len(copies),
               lambda: f"the counterfactual coupling of {len(copies)} copies of {node!r} "
               f"(parents {names(pd.parents_of(node))})")
    axes = np.indices(grid)
    shape = table.shape[:-1]
    contexts: list[Indices] = [
        np.ravel_multi_index(tuple(axes[union.index(p)] for p in parents), shape)
        for _, parents in copies  # several copies differ in some parent, so parents exist
    ]
    net.factors.append(Factor((*union, *(v for v, _ in copies)),
                              coupling(table, grid, contexts)))


def _required(
    pd: ParameterizedDiagram, worlds: Sequence[World], wanted: Sequence[Copy],
) -> list[set[Hashable]]:
    """Return the nodes each world needs for the copies ``wanted``.

    A node fixed in a world needs nothing there; a copied node is needed in the world it
    comes from, so later worlds are closed first.
    """
    required: list[set[Hashable]] = [set() for _ in worlds]
    for n, w in wanted:
        required[w].add(n)
    for w in reversed(range(len(worlds))):
        stack = list(required[w])
        while stack:
            n = stack.pop()
            if n in worlds[w].fixed:
                continue
            if n in worlds[w].copied:
                required[worlds[w].copied[n]].add(n)
                continue
            for p in pd.parents_of(n):
                if p not in required[w]:
                    required[w].add(p)
                    stack.append(p)
    return required


def _instantiate(
    pd: ParameterizedDiagram, worlds: Sequence[World], required: list[set[Hashable]],
    net: Network,
) -> dict[Hashable, list[tuple[int, tuple[int, ...]]]]:
    """Give every needed copy a variable; return each node's distinct mechanism copies.

    A copy with the same parent variables as an earlier copy of its node is that copy.
    """
    seen: dict[tuple[Hashable, tuple[int, ...]], int] = {}
    constants: dict[tuple[Hashable, int], int] = {}
    copies: dict[Hashable, list[tuple[int, tuple[int, ...]]]] = {}
    for w, world in enumerate(worlds):
        for n in pd.diagram.topological_order():
            if n not in required[w]:
                continue
            if n in world.fixed:
                key = (n, world.fixed[n])
                if key not in constants:
                    var = net.new((n, w), len(pd.domain(n)))
                    net.factors.append(Factor((var,), np.eye(net.sizes[var])[world.fixed[n]]))
                    constants[key] = var
                net.var[(n, w)] = constants[key]
            elif n in world.copied:
                net.var[(n, w)] = net.var[(n, world.copied[n])]
            else:
                parents = tuple(net.var[(p, w)] for p in pd.parents_of(n))
                if (n, parents) not in seen:
                    seen[(n, parents)] = net.new((n, w), len(pd.domain(n)))
                    copies.setdefault(n, []).append((seen[(n, parents)], parents))
                net.var[(n, w)] = seen[(n, parents)]
    return copies


def build(
    pd: ParameterizedDiagram,
    rules: Mapping[Hashable, Array],
    worlds: Sequence[World],
    nodes: Sequence[Copy],
    *,
    utilities: Sequence[Copy] = (),
    evidence: Mapping[Copy, int] | None = None,
) -> Network:
    """Return the network of ``worlds`` for the copies ``nodes``, ``utilities``, ``evidence``.

    ``nodes`` become variables; each utility copy in ``utilities`` becomes an
    expected-utility potential on its parents' copies; ``evidence`` fixes copies to values
    (positions in their domains).
    """
    evidence = dict(evidence or {})
    wanted = [*nodes, *evidence, *((p, w) for u, w in utilities for p in pd.parents_of(u))]
    net = Network()
    copies = _instantiate(pd, worlds, _required(pd, worlds, wanted), net)
    for n in sorted(copies, key=node_key):
        if pd.diagram.kind(n) is NodeKind.DECISION and n not in rules:
            raise ParameterError(
                f"decision {n!r} has no rule; pass a policy with a rule for it "
                "(e.g. cidlib.optimal_policy(pd) or cidlib.uniform_policy(pd))"
            )
        table = rules[n] if pd.diagram.kind(n) is NodeKind.DECISION else pd.table(n)
        _node_factors(pd, n, table, copies[n], net)
    for u, w in utilities:
        parents = tuple(net.var[(p, w)] for p in pd.parents_of(u))
        net.factors.append(Factor(parents, None,
                                  pd.table(u) @ np.asarray(pd.domain(u), dtype=float)))
    for copy, value in evidence.items():
        var = net.var[copy]
        net.factors.append(Factor((var,), np.eye(net.sizes[var])[value]))
    return net


def solve(
    pd: ParameterizedDiagram,
    rules: Mapping[Hashable, Array],
    worlds: Sequence[World],
    keep: Sequence[Copy],
    *,
    utilities: Sequence[Copy] = (),
    evidence: Mapping[Copy, int] | None = None,
) -> tuple[list[int], Array, Array]:
    """Return ``(axes, p, q)`` over the distinct variables of the copies ``keep``.

    ``p`` is the joint probability (with the evidence) and ``q`` the expected-utility mass
    of the utility copies. Copies of ``keep`` that are one variable (a node no intervention
    reaches) share an axis: ``axes[i]`` is the axis of ``keep[i]``.
    """
    net = build(pd, rules, worlds, keep, utilities=utilities, evidence=evidence)
    kept = list(dict.fromkeys(net.var[c] for c in keep))
    check_size(table_size(net.sizes[v] for v in kept),
               lambda: f"the joint table of {names(f'{n}@{w}' for n, w in keep)}")
    p, q = contract(net.sizes, net.factors, kept, [str(label[0]) for label in net.labels])
    return [kept.index(net.var[c]) for c in keep], p, q
