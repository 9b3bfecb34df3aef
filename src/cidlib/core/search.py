"""The two searches behind every criterion, on adjacency mappings, in linear time.

Every incentive criterion reduces to two kinds of search:

* **d-separation** by *Bayes-ball* (Shachter 1998). A ball travels from the sources along
  edges; it passes a node that is not observed, and bounces back up at a collider that is
  observed or has an observed descendant. The nodes it reaches are exactly the nodes
  d-connected to the sources. Each node is visited at most twice (arriving from a child or
  from a parent), so one query costs O(|V| + |E|).
* **directed reachability**, a breadth-first search along edges.

Both record, for every node reached, the node they came from. Following those pointers back
gives a witness path without ever enumerating paths; because the search is breadth-first the
walk is a shortest one, and a shortest active walk never repeats a node.

The searches take adjacency mappings (a diagram's ``pred`` and ``succ``, or edited copies of
them), so the structure layer can run them on a diagram with links added or removed without
building it. :mod:`cidlib.structure.separation` offers them on diagrams, with checked
arguments.

References
----------
.. [1] R. D. Shachter. "Bayes-Ball: The Rational Pastime." UAI 1998.
.. [2] J. Pearl. "Probabilistic Reasoning in Intelligent Systems." 1988.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Hashable, Iterable, Mapping
from typing import NamedTuple

from cidlib.core.paths import Path

__all__: list[str] = []  # internal: structure/separation.py offers these searches to users

Adjacency = Mapping[Hashable, tuple[Hashable, ...]]
# A Bayes-ball state: (node, arrived_from_child).
State = tuple[Hashable, bool]


def reach(adjacency: Adjacency, start: Iterable[Hashable]) -> dict[Hashable, Hashable | None]:
    """Breadth-first search; map each node reached to the node it was reached from.

    With ``adjacency`` the children this searches descendants, with the parents ancestors.
    The start nodes map to ``None`` and are included (paths of length 0).
    """
    pointers: dict[Hashable, Hashable | None] = dict.fromkeys(start)
    queue = deque(pointers)
    while queue:
        u = queue.popleft()
        for v in adjacency[u]:
            if v not in pointers:
                pointers[v] = u
                queue.append(v)
    return pointers


def trace(pointers: Mapping[Hashable, Hashable | None], node: Hashable) -> list[Hashable]:
    """Follow ``pointers`` from ``node`` back to a start node; return the nodes visited."""
    out = [node]
    nxt = pointers[node]
    while nxt is not None:
        out.append(nxt)
        nxt = pointers[nxt]
    return out


class Ball(NamedTuple):
    """What a Bayes-ball pass reached, with back pointers.

    ``up[v]`` is set when the ball reached ``v`` from a child (it may go on upwards),
    ``down[v]`` when it reached ``v`` from a parent. Each maps to the state the ball came
    from, ``(node, came_from_child)``, or ``None`` at a source. ``given`` and ``opened`` are
    the observed nodes and those together with their ancestors.
    """

    up: dict[Hashable, State | None]
    down: dict[Hashable, State | None]
    given: Collection[Hashable]
    opened: Collection[Hashable]

    def reached(self, node: Hashable) -> bool:
        """Whether the ball reached ``node`` (an observed node counts when the ball hit it)."""
        return node in self.up or node in self.down

    def nodes(self) -> set[Hashable]:
        """Every node the ball reached."""
        return self.up.keys() | self.down.keys()

    def leaves_upwards(self) -> frozenset[Hashable]:
        """Return the nodes the ball can leave towards a (new) parent.

        Reached from a child while unobserved, or from a parent while observed or an
        ancestor of an observed node: exactly the nodes a fresh parent of which would be
        d-connected to the sources (r-reachability).
        """
        return frozenset(v for v in self.up if v not in self.given) | (
            self.down.keys() & self.opened)

    def _walk(self, state: State) -> Path:
        walk = [state]
        prev = (self.up if state[1] else self.down)[state[0]]
        while prev is not None:
            walk.append(prev)
            prev = (self.up if prev[1] else self.down)[prev[0]]
        # Arriving at v from a child means the edge v -> (that child): walking from the state
        # back towards the source, that edge points forward.
        return Path(tuple(v for v, _ in walk), tuple(flag for _, flag in walk[:-1]))

    def _shortest(self, states: Iterable[State]) -> Path:
        return min((self._walk(s) for s in states), key=lambda p: p.length)

    def path(self, node: Hashable) -> Path:
        """Return the active path from ``node`` back to the source that reached it.

        The ball may reach ``node`` twice (from a child and from a parent); the shorter walk
        is used. A breadth-first walk to a state is a shortest one, and a shortest walk
        repeats no node (a second visit could be cut short from the first), so the path is
        simple.
        """
        return self._shortest((node, flag) for flag, seen in ((False, self.down),
                                                               (True, self.up)) if node in seen)

    def upward_path(self, node: Hashable) -> Path:
        """Return a path on which a fresh parent of ``node`` would reach a source.

        ``node`` must be in :meth:`leaves_upwards`. The path starts with an edge out of
        ``node`` (reached from a child, unobserved) or into it (reached from a parent, observed
        or an ancestor of an observation).
        """
        states = []
        if node in self.up and node not in self.given:
            states.append((node, True))
        if node in self.down and node in self.opened:
            states.append((node, False))
        return self._shortest(states)


def directed_witness(pointers: Mapping[Hashable, Hashable | None], node: Hashable) -> Path:
    """Return the directed path from ``node`` along :func:`reach` pointers to a start node.

    With pointers of a search over parents the path runs from ``node`` down to the start.
    """
    return Path.directed(trace(pointers, node))


def bayes_ball(  # noqa: PLR0912 -- one branch per ball direction reads as the algorithm
    parents: Adjacency,
    children: Adjacency,
    sources: Iterable[Hashable],
    given: Collection[Hashable],
    opened: Collection[Hashable],
) -> Ball:
    """Run Bayes-ball from ``sources`` (not in ``given``), breadth first.

    ``opened`` must be ``given`` together with all its ancestors: a collider there lets the
    ball bounce back up. Sources start as if reached from a child, so the ball leaves them
    both up and down. The search runs level by level, so every pointer walk is a shortest one.
    """
    up: dict[Hashable, State | None] = dict.fromkeys(sources)
    down: dict[Hashable, State | None] = {}
    frontier_up: list[Hashable] = list(up)
    frontier_down: list[Hashable] = []
    while frontier_up or frontier_down:
        next_up: list[Hashable] = []
        next_down: list[Hashable] = []
        for v in frontier_up:
            if v in given:
                continue
            state = (v, True)
            for p in parents[v]:
                if p not in up:
                    up[p] = state
                    next_up.append(p)
            for c in children[v]:
                if c not in down:
                    down[c] = state
                    next_down.append(c)
        for v in frontier_down:
            state = (v, False)
            if v not in given:
                for c in children[v]:
                    if c not in down:
                        down[c] = state
                        next_down.append(c)
            if v in opened:
                for p in parents[v]:
                    if p not in up:
                        up[p] = state
                        next_up.append(p)
        frontier_up, frontier_down = next_up, next_down
    return Ball(up, down, given, opened)


