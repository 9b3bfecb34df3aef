"""A brute-force oracle written straight from the definitions, by path enumeration.

It shares no code with cidlib's searches: it works on plain edge sets, enumerates every
simple path, and applies the textbook definitions (docs/theory.md). Exponential, so only
for the small random diagrams of the property tests.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator

Edges = frozenset[tuple[Hashable, Hashable]]


def children(edges: Edges, v: Hashable) -> set[Hashable]:
    return {b for a, b in edges if a == v}


def directed_paths(edges: Edges, x: Hashable, y: Hashable) -> Iterator[list[Hashable]]:
    """Every directed path from x to y (the path [x] when x == y)."""
    def walk(path: list[Hashable]) -> Iterator[list[Hashable]]:
        if path[-1] == y:
            yield list(path)
            return
        for c in children(edges, path[-1]):
            if c not in path:
                yield from walk([*path, c])
    yield from walk([x])


def has_directed_path(edges: Edges, x: Hashable, y: Hashable) -> bool:
    return next(directed_paths(edges, x, y), None) is not None


def descendants(nodes: frozenset[Hashable], edges: Edges, x: Hashable) -> set[Hashable]:
    return {v for v in nodes if v != x and has_directed_path(edges, x, v)}


def undirected_paths(
    edges: Edges, x: Hashable, y: Hashable
) -> Iterator[list[tuple[Hashable, bool]]]:
    """Every simple path from x to y as [(node, forward_edge_into_next)], last flag unused."""
    def walk(nodes: list[Hashable], dirs: list[bool]) -> Iterator[list[tuple[Hashable, bool]]]:
        v = nodes[-1]
        if v == y:
            yield list(zip(nodes, [*dirs, True], strict=False))
            return
        for a, b in edges:
            if a == v and b not in nodes:
                yield from walk([*nodes, b], [*dirs, True])
            elif b == v and a not in nodes:
                yield from walk([*nodes, a], [*dirs, False])
    yield from walk([x], [])


def active(nodes: frozenset[Hashable], edges: Edges, path: list[tuple[Hashable, bool]],
           given: set[Hashable]) -> bool:
    for i in range(1, len(path) - 1):
        v = path[i][0]
        into = path[i - 1][1]       # edge (i-1, i) points at v
        out_back = not path[i][1]   # edge (i, i+1) points at v
        if into and out_back:
            if v not in given and not (descendants(nodes, edges, v) & given):
                return False
        elif v in given:
            return False
    return True


def d_connected(nodes: frozenset[Hashable], edges: Edges, x: Hashable, ys: set[Hashable],
                given: set[Hashable]) -> bool:
    return any(
        active(nodes, edges, p, given) for y in ys if y != x for p in undirected_paths(edges, x, y)
    )


class Model:
    """A diagram as plain sets: nodes, edges, kinds and owners."""

    def __init__(self, nodes: frozenset[Hashable], edges: Edges, decisions: frozenset[Hashable],
                 utilities: frozenset[Hashable], owner: dict[Hashable, Hashable]) -> None:
        self.nodes, self.edges = nodes, edges
        self.decisions, self.utilities, self.owner = decisions, utilities, owner

    @classmethod
    def of(cls, d) -> Model:  # type: ignore[no-untyped-def]
        return cls(d.nodes, d.edges, d.decisions, d.utilities,
                   {n: d.agent_of(n) for n in d.decisions | d.utilities})

    def with_edges(self, edges: Edges) -> Model:
        return Model(self.nodes, edges, self.decisions, self.utilities, self.owner)

    def parents(self, v: Hashable) -> set[Hashable]:
        return {a for a, b in self.edges if b == v}

    def targets(self, dec: Hashable) -> set[Hashable]:
        """The owner's utilities that descend from dec."""
        below = descendants(self.nodes, self.edges, dec)
        return {u for u in self.utilities if self.owner[u] == self.owner[dec] and u in below}

    def requisite(self, dec: Hashable, x: Hashable) -> bool:
        given = (self.parents(dec) | {dec}) - {x}
        return d_connected(self.nodes, self.edges, x, self.targets(dec), given)

    def reduced(self) -> Model:
        """Delete any nonrequisite information link, one at a time, until none is left."""
        model = self
        while True:
            drop = next(((x, dec) for dec in sorted(model.decisions, key=str)
                         for x in sorted(model.parents(dec), key=str)
                         if not model.requisite(dec, x)), None)
            if drop is None:
                return model
            model = model.with_edges(model.edges - {drop})

    def relies_on(self, dec: Hashable, other: Hashable) -> bool:
        """s-reachability: a fresh parent of ``other`` is d-connected to dec's targets."""
        fresh = ("fresh", other)
        edges = self.edges | {(fresh, other)}
        given = self.parents(dec) | {dec}
        return d_connected(self.nodes | {fresh}, edges, fresh, self.targets(dec), given)

    def soluble(self, agent: Hashable) -> bool:
        own = sorted((d for d in self.decisions if self.owner[d] == agent), key=str)
        graph = {d: [e for e in own if e != d and self.relies_on(d, e)] for d in own}
        state: dict[Hashable, int] = {}

        def cyclic(v: Hashable) -> bool:
            state[v] = 1
            for w in graph[v]:
                if state.get(w) == 1 or (w not in state and cyclic(w)):
                    return True
            state[v] = 2
            return False
        return not any(cyclic(d) for d in own if d not in state)

    # -- the criteria, from their definitions --------------------------------------------

    def voi_defined(self, dec: Hashable, x: Hashable) -> bool:
        return (x != dec and x not in self.utilities
                and x not in descendants(self.nodes, self.edges, dec))

    def voi_graph(self, dec: Hashable, x: Hashable) -> Model:
        return self.with_edges(self.edges | {(x, dec)})

    def voi(self, dec: Hashable, x: Hashable) -> bool:
        return (x, dec) in self.voi_graph(dec, x).reduced().edges

    def ri(self, dec: Hashable, x: Hashable) -> bool:
        if x in self.decisions or x in self.utilities:
            return False
        return has_directed_path(self.reduced().edges, x, dec)

    def voc(self, dec: Hashable, x: Hashable) -> bool:
        if x in self.decisions:
            return False
        red = self.reduced()
        return any(has_directed_path(red.edges, x, u) for u in self.utilities)

    def ici(self, dec: Hashable, x: Hashable) -> bool:
        red = self.reduced()
        return any(x in p for u in self.utilities for p in directed_paths(red.edges, dec, u))
