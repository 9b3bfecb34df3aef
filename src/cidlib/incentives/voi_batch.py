"""Multi-decision value of information for every candidate node at once, bit-parallel.

The complete criterion (van Merwijk et al. 2022) asks, for each candidate ``X``, whether the
link ``X -> D`` survives the minimal d-reduction of ``G + (X -> D)``, and whether that
diagram is soluble. Run one by one, that is a reduction per candidate. Here every candidate
is one bit of a Python integer, and each search runs once for all of them: a node's state
is the set (bitmask) of candidate diagrams in which the search has reached it, an edge
passes on the bits of the diagrams that contain it, and an observed node blocks the bits of
the diagrams in which it is observed.

All candidate diagrams share one topological order (the non-descendants of ``D``, then its
descendants), so descendants and ancestors are one sweep each; the Bayes-ball passes are
worklists over ``(node, direction)`` that move only newly set bits. The result is exactly
the one-by-one answer; the tests compare both with a path-enumeration oracle.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable, Sequence

from cidlib.core.checks import owner_utilities
from cidlib.core.diagram import InfluenceDiagram
from cidlib.core.search import reach
from cidlib.structure.reduction import fixpoint

__all__: list[str] = []  # internal: used by cidlib.incentives.voi


class _Graphs:
    """The diagrams ``G + (X -> D)``, one per candidate bit, with their link deletions."""

    def __init__(self, diagram: InfluenceDiagram, decision: Hashable,
                 candidates: Sequence[Hashable]) -> None:
        self.d = diagram
        self.decision = decision
        self.all = (1 << len(candidates)) - 1
        self.bit = {x: 1 << i for i, x in enumerate(candidates)}
        # The link X -> D exists in X's diagram until the reduction deletes it.
        self.extra = dict(self.bit)
        self.info: dict[tuple[Hashable, Hashable], int] = {}  # surviving info links, by mask
        below = reach(diagram.succ, [decision])
        topo = diagram.topological_order()
        self.order = [n for n in topo if n not in below] + [n for n in topo if n in below]
        self.position = {n: i for i, n in enumerate(self.order)}

    def parents(self, v: Hashable) -> Iterable[Hashable]:
        pa = self.d.pred[v]
        return (*pa, *self.extra) if v == self.decision else pa

    def children(self, u: Hashable) -> Iterable[Hashable]:
        ch = self.d.succ[u]
        return (*ch, self.decision) if u in self.extra else ch

    def mask(self, u: Hashable, v: Hashable) -> int:
        """Return the diagrams that contain the edge ``u -> v``, as a mask."""
        if v == self.decision and u in self.extra:
            return self.extra[u]
        return self.info.get((u, v), self.all)

    def set_mask(self, u: Hashable, v: Hashable, mask: int) -> None:
        if v == self.decision and u in self.extra:
            self.extra[u] = mask
        else:
            self.info[(u, v)] = mask

    def _below(self, decision: Hashable) -> dict[Hashable, int]:
        """Reflexive descendants of ``decision``: node -> mask of diagrams."""
        desc: dict[Hashable, int] = {decision: self.all}
        for v in self.order[self.position[decision] + 1:]:
            m = 0
            for p in self.parents(v):
                m |= desc.get(p, 0) & self.mask(p, v)
            if m:
                desc[v] = m
        return desc

    def _above(self, given: dict[Hashable, int], last: Hashable) -> dict[Hashable, int]:
        """Reflexive ancestors of the ``given`` nodes (all at or before ``last``)."""
        opened: dict[Hashable, int] = {}
        for v in reversed(self.order[: self.position[last] + 1]):
            m = given.get(v, 0)
            for c in self.children(v):
                m |= opened.get(c, 0) & self.mask(v, c)
            if m:
                opened[v] = m
        return opened

    def ball(self, decision: Hashable) -> tuple[dict[Hashable, int], dict[Hashable, int],
                                                dict[Hashable, int], dict[Hashable, int]]:
        """Bayes-ball from the owner's utilities below ``decision`` given its family.

        Returns the masks reached from a child (up) and from a parent (down), and the
        masks in which a node is observed (given) or is an ancestor of an observed node.
        """
        desc = self._below(decision)
        given = {p: self.mask(p, decision) for p in self.parents(decision)}
        given[decision] = self.all
        opened = self._above(given, decision)
        up: dict[Hashable, int] = {}
        down: dict[Hashable, int] = {}
        pending: dict[tuple[Hashable, bool], int] = {}
        work: deque[tuple[Hashable, bool]] = deque()
        decisions = self.d.decisions  # only edges into decisions can be missing somewhere

        def add(v: Hashable, is_up: bool, bits: int) -> None:
            seen = up if is_up else down
            old = seen.get(v, 0)
            new = bits & ~old
            if new:
                seen[v] = old | new
                key = (v, is_up)
                if key in pending:
                    pending[key] |= new
                else:
                    pending[key] = new
                    work.append(key)

        for u in owner_utilities(self.d, decision):
            add(u, True, desc.get(u, 0))
        while work:
            key = work.popleft()
            v, is_up = key
            delta = pending.pop(key)
            free = delta & ~given[v] if v in given else delta  # passes an unobserved node
            rise = free if is_up else delta & opened.get(v, 0)  # goes on to the parents
            if rise:
                into_decision = v in decisions
                for p in self.parents(v):
                    add(p, True, rise & self.mask(p, v) if into_decision else rise)
            if free:
                for c in self.children(v):
                    add(c, False, free & self.mask(v, c) if c in decisions else free)
        return up, down, given, opened

    def reduce(self) -> None:
        """Delete nonrequisite information links in every diagram, to a fixpoint."""

        def prune(e: Hashable) -> bool:
            up, down, _, _ = self.ball(e)
            deleted = False
            for p in self.parents(e):
                kept = self.mask(p, e) & (up.get(p, 0) | down.get(p, 0))
                if kept != self.mask(p, e):
                    self.set_mask(p, e, kept)
                    deleted = True
            return deleted

        fixpoint(self.d, prune)

    def insoluble(self) -> int:
        """Return the diagrams whose decisions (as they are now) rely on each other in a cycle."""
        decisions = sorted(self.d.decisions, key=self.position.__getitem__)
        relies: dict[tuple[Hashable, Hashable], int] = {}
        for a in decisions:
            up, down, given, opened = self.ball(a)
            for b in decisions:
                if b != a:
                    relies[(a, b)] = ((up.get(b, 0) & ~given.get(b, 0))
                                      | (down.get(b, 0) & opened.get(b, 0)))
        for k in decisions:  # transitive closure, all diagrams at once
            for a in decisions:
                via = relies.get((a, k), 0)
                if via:
                    for b in decisions:
                        if b != k:
                            relies[(a, b)] = relies.get((a, b), 0) | (via & relies.get((k, b), 0))
        cyclic = 0
        for a in decisions:
            for b in decisions:
                if b != a:
                    cyclic |= relies[(a, b)] & relies[(b, a)]
        return cyclic


def batch_voi(diagram: InfluenceDiagram, decision: Hashable,
              candidates: Sequence[Hashable]) -> tuple[frozenset[Hashable], frozenset[Hashable]]:
    """Decide VoI for new links ``X -> decision``, every ``X`` in ``candidates`` at once.

    The candidates must not be parents or descendants of ``decision`` (nor utilities), and
    the diagram must have a single agent. Returns the nodes with VoI and the nodes where the
    criterion cannot decide (the link survives but the diagram with it is not soluble).
    """
    if not candidates:
        return frozenset(), frozenset()
    graphs = _Graphs(diagram, decision, candidates)
    insoluble = graphs.insoluble()  # solubility of G + (X -> D), before any deletion
    graphs.reduce()
    voi = [x for x, bit in graphs.bit.items() if graphs.extra[x] & bit and not insoluble & bit]
    unknown = [x for x, bit in graphs.bit.items() if graphs.extra[x] & bit and insoluble & bit]
    return frozenset(voi), frozenset(unknown)
