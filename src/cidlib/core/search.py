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
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

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

    def trail(self) -> Trail:
        """Return the ball's back pointers as a :class:`Trail` whose keys are its states."""
        up, down = self.up, self.down

        def step(state: State) -> Step:
            node, from_child = state
            return node, from_child, (up if from_child else down)[node]

        return Trail(step)

    def segment(self, trail: Trail, node: Hashable) -> Segment:
        """Return the walk of :meth:`path` ``(node)`` on ``trail`` (from :meth:`trail`)."""
        states = [(node, flag) for flag, seen in ((False, self.down), (True, self.up))
                  if node in seen]
        return Segment(trail, min(states, key=lambda s: trail.extent(s)[0]))

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


Step = tuple[Hashable, bool, Hashable | None]
"""One step of a walk: a node, whether the edge to the next node points forward (from this
node to the next), and the key of the next step (None at the end)."""


class Trail:
    """The back pointers of one search, read as walks that share their ends.

    ``step(key)`` gives a :data:`Step`. The walk from a key follows the pointers to the
    search's source; walks from different keys share their tails, so every witness of a
    search together takes space linear in the diagram. Lengths and last nodes are memoised,
    so asking them for every key costs linear time in all.
    """

    __slots__ = ("_extent", "step")

    def __init__(self, step: Callable[[Any], Step]) -> None:
        self.step = step
        self._extent: dict[Hashable, tuple[int, Hashable]] = {}

    @classmethod
    def of_pointers(cls, pointers: Mapping[Hashable, Hashable | None], forward: bool) -> Trail:
        """Return the walks along :func:`reach` pointers; ``forward``: the edges' direction.

        A search over parents from a target walks down edges towards it: ``forward=True``.
        """
        return cls(lambda node: (node, forward, pointers[node]))

    @classmethod
    def of_path(cls, path: Path) -> Trail:
        """One walk, along ``path`` (keys are positions); for a witness found on its own."""
        last = len(path.nodes) - 1

        def step(i: int) -> Step:
            return path.nodes[i], i < last and path.forward[i], i + 1 if i < last else None

        return cls(step)

    def walk(self, key: Hashable) -> tuple[list[Hashable], list[bool]]:
        """Return the nodes of the walk from ``key`` and the direction of each edge."""
        nodes: list[Hashable] = []
        forward: list[bool] = []
        at: Hashable | None = key
        while at is not None:
            node, fwd, at = self.step(at)
            nodes.append(node)
            if at is not None:
                forward.append(fwd)
        return nodes, forward

    def extent(self, key: Hashable) -> tuple[int, Hashable]:
        """Return the number of edges of the walk from ``key`` and its last node (memoised)."""
        known = self._extent
        pending: list[Hashable] = []
        at = key
        while at not in known:
            node, _, following = self.step(at)
            if following is None:
                known[at] = (0, node)
                break
            pending.append(at)
            at = following
        edges, last = known[at]
        for k in reversed(pending):
            edges += 1
            known[k] = (edges, last)
        return known[key]


class Segment(NamedTuple):
    """A walk of a trail, read from ``key`` (or, ``reversed``, towards ``key``)."""

    trail: Trail
    key: Hashable
    reversed: bool = False

    def path(self) -> Path:
        """Return the walk as a path, in reading order."""
        nodes, forward = self.trail.walk(self.key)
        walked = Path(tuple(nodes), tuple(forward))
        return walked.reversed() if self.reversed else walked


def joined(segments: Sequence[Segment]) -> Path:
    """Return the path reading ``segments`` one after another (each starts where one ends)."""
    path = segments[0].path()
    for segment in segments[1:]:
        path = path + segment.path()
    return path


def length(segments: Sequence[Segment]) -> int:
    """Return the number of edges of :func:`joined` ``segments`` (amortised constant time)."""
    return sum(s.trail.extent(s.key)[0] for s in segments)


def _ends(segment: Segment) -> tuple[Hashable, Hashable]:
    """Return the first and last node of ``segment`` in reading order, in constant time."""
    first = segment.trail.step(segment.key)[0]
    last = segment.trail.extent(segment.key)[1]
    return (last, first) if segment.reversed else (first, last)


class Route:
    """The walks a path is read along: a :class:`~cidlib.core.paths.PathSource`.

    Its length and ends cost amortised constant time, and :meth:`Path.brief` at most a few
    steps per segment; the nodes are listed only when the path is built.
    """

    __slots__ = ("segments",)

    def __init__(self, segments: tuple[Segment, ...]) -> None:
        self.segments = segments

    def length(self) -> int:
        """Return the number of edges."""
        return length(self.segments)

    def ends(self) -> tuple[Hashable, Hashable]:
        """Return the first and last node."""
        return _ends(self.segments[0])[0], _ends(self.segments[-1])[1]

    def brief(self, head: int) -> str:
        """Return the path as text, long stretches elided."""
        return brief_text(self.segments, head)

    def build(self) -> Path:
        """Return the path with its nodes."""
        return joined(self.segments)


def lazy_path(segments: Sequence[Segment]) -> Path:
    """Return the path of ``segments``, its nodes built only when needed (see :class:`Route`)."""
    return Path.lazy(Route(tuple(segments)))


def brief_text(segments: Sequence[Segment], head: int = 6) -> str:
    """Return the path of ``segments`` as text, long stretches elided (see :meth:`Path.brief`).

    Costs at most ``head`` steps per segment (and the memoised extents), not the length of
    the path, so describing every witness of a search takes linear time.
    """
    total = length(segments)
    if total < 2 * head:
        return str(joined(segments))
    parts: list[str] = []
    for i, segment in enumerate(segments):
        first, last = _ends(segment)
        if segment.reversed:  # read towards the key: only its ends are cheap
            parts += [str(first)] if i == 0 else []
            parts += ["…", str(last)] if first != last else []
            continue
        shown: list[str] = []
        at: Hashable | None = segment.key
        steps = 0
        while at is not None and steps <= head:
            node, forward, at = segment.trail.step(at)
            if steps or i == 0:
                shown.append(str(node))
            if at is not None and steps < head:
                shown.append("->" if forward else "<-")
            steps += 1
        if at is not None:
            shown += ["…", str(last)]
        parts += shown
    return " ".join(parts) + f" ({total:,} edges)"
