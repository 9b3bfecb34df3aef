"""Graph primitives: d-separation and directed reachability, with witnesses, in linear time.

Every incentive criterion reduces to two kinds of search:

* **d-separation** by *Bayes-ball* (Shachter 1998). A ball travels from the sources along
  edges; it passes a node that is not observed, and bounces back up at a collider that is
  observed or has an observed descendant. The nodes it reaches are exactly the nodes
  d-connected to the sources. Each node is visited at most twice (arriving from a child or
  from a parent), so one query costs O(|V| + |E|).
* **directed reachability**, a breadth-first search along edges.

Both record, for every node reached, the node they came from. Following those pointers back
gives a witness path without ever enumerating paths; because the search is breadth-first the
walk is a shortest one, and a shortest active walk never repeats a node. :func:`is_active`
checks a path against the definition independently of the search.

References
----------
.. [1] R. D. Shachter. "Bayes-Ball: The Rational Pastime." UAI 1998.
.. [2] J. Pearl. "Probabilistic Reasoning in Intelligent Systems." 1988.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Hashable, Iterable, Mapping
from typing import TYPE_CHECKING, NamedTuple

from cidlib.exceptions import InvalidQueryError
from cidlib.paths import Path

if TYPE_CHECKING:
    from cidlib.diagram import InfluenceDiagram

__all__ = [
    "Ball",
    "bayes_ball",
    "d_connected",
    "directed_path",
    "directed_witness",
    "find_active_path",
    "is_active",
    "is_d_separated",
    "node_key",
    "reach",
    "trace",
]

Adjacency = Mapping[Hashable, tuple[Hashable, ...]]
# A Bayes-ball state: (node, arrived_from_child).
State = tuple[Hashable, bool]


def node_key(node: Hashable) -> tuple[str, str, str]:
    """Sort key that orders nodes of any hashable type deterministically, by ``str`` first.

    Examples
    --------
    >>> sorted([2, "b", "a", 10], key=node_key)
    [10, 2, 'a', 'b']
    """
    return (str(node), type(node).__name__, repr(node))


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

    def _walk(self, state: State) -> list[State]:
        walk = [state]
        prev = (self.up if state[1] else self.down)[state[0]]
        while prev is not None:
            walk.append(prev)
            prev = (self.up if prev[1] else self.down)[prev[0]]
        return walk

    def path(self, node: Hashable) -> Path:
        """Return the active path from ``node`` back to the source that reached it.

        The ball may reach ``node`` twice (from a child and from a parent); the shorter walk
        is used. A breadth-first walk to a state is a shortest one, and a shortest walk
        repeats no node (a second visit could be cut short from the first), so the path is
        simple.
        """
        states = [(node, flag) for flag, seen in ((False, self.down), (True, self.up))
                  if node in seen]
        walk = min((self._walk(s) for s in states), key=len)
        # Arriving at v from a child means the edge v -> (that child): walking from ``node``
        # back towards the source, that edge points forward.
        return Path(tuple(v for v, _ in walk), tuple(flag for _, flag in walk[:-1]))


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


def _nodes(diagram: InfluenceDiagram, arg: object, name: str) -> frozenset[Hashable]:
    """Validate a single node, or an iterable of nodes, and return them as a frozenset."""
    from cidlib.diagram import ensure_diagram

    if arg in ensure_diagram(diagram):
        return frozenset([arg])
    if isinstance(arg, (str, bytes)) or not isinstance(arg, Iterable):
        diagram.kind(arg)  # raises UnknownNodeError with a hint
    assert isinstance(arg, Iterable)
    items = list(arg)
    for n in items:
        diagram.kind(n)
    out: frozenset[Hashable] = frozenset(items)
    if name != "given" and not out:
        raise InvalidQueryError(f"{name} is empty; give at least one node")
    return out


def _prepare(
    diagram: InfluenceDiagram, xs: object, ys: object, given: object
) -> tuple[frozenset[Hashable], frozenset[Hashable], frozenset[Hashable]]:
    x, y, z = _nodes(diagram, xs, "xs"), _nodes(diagram, ys, "ys"), _nodes(diagram, given, "given")
    for a, b, names in ((x, y, "xs and ys"), (x, z, "xs and given"), (y, z, "ys and given")):
        common = a & b
        if common:
            raise InvalidQueryError(
                f"{names} share {sorted(map(repr, common))}; the three sets must be disjoint"
            )
    return x, y, z


def _closure(diagram: InfluenceDiagram, given: Iterable[Hashable]) -> set[Hashable]:
    return set(reach(diagram._pa, given))


def d_connected(
    diagram: InfluenceDiagram, xs: object, given: object = ()
) -> frozenset[Hashable]:
    """Return every node d-connected to ``xs`` given ``given`` (``xs`` included).

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("X", "C"), ("Y", "C"), ("C", "D"), ("D", "U")],
    ...                decisions=["D"], utilities=["U"])
    >>> sorted(d_connected(d, "X"))
    ['C', 'D', 'U', 'X']
    >>> sorted(d_connected(d, "X", given=["D"]))
    ['C', 'X', 'Y']
    """
    x, z = _nodes(diagram, xs, "xs"), _nodes(diagram, given, "given")
    if x & z:
        raise InvalidQueryError("xs and given share nodes; the sets must be disjoint")
    ball = bayes_ball(diagram._pa, diagram._ch, x, z, _closure(diagram, z))
    return frozenset(ball.nodes() - z)


def find_active_path(
    diagram: InfluenceDiagram, xs: object, ys: object, given: object = ()
) -> Path | None:
    """Return a shortest path from ``xs`` to ``ys`` that is active given ``given``, or None.

    ``xs``, ``ys`` and ``given`` are each a node or a collection of nodes, pairwise disjoint.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("X", "C"), ("Y", "C"), ("C", "D"), ("Y", "U"), ("D", "U")],
    ...                decisions=["D"], utilities=["U"])
    >>> print(find_active_path(d, "X", "U", given=["C"]))
    X -> C <- Y -> U
    >>> find_active_path(d, "X", "Y") is None
    True
    """
    x, y, z = _prepare(diagram, xs, ys, given)
    ball = bayes_ball(diagram._pa, diagram._ch, y, z, _closure(diagram, z))
    for v in sorted(x, key=node_key):
        if ball.reached(v):
            return ball.path(v)
    return None


def is_d_separated(diagram: InfluenceDiagram, xs: object, ys: object, given: object = ()) -> bool:
    """Return True when every path between ``xs`` and ``ys`` is blocked by ``given``.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"], utilities=["U"])
    >>> is_d_separated(d, "D", "U", given=["S"])
    False
    """
    return find_active_path(diagram, xs, ys, given) is None


def is_active(diagram: InfluenceDiagram, path: Path, given: object = ()) -> bool:
    """Check ``path`` against the definition of an active path, independently of any search.

    Active means: a simple path along real edges, with every collider in ``given`` or an
    ancestor of it, and every other inner node outside ``given``. It shares no code with the
    Bayes-ball search, so it can check the search's witnesses.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("X", "C"), ("Y", "C"), ("C", "D"), ("D", "U")],
    ...                decisions=["D"], utilities=["U"])
    >>> p = Path(("X", "C", "Y"), (True, False))
    >>> is_active(d, p), is_active(d, p, given=["D"])
    (False, True)
    """
    z = _nodes(diagram, given, "given")
    if len(set(path.nodes)) != len(path.nodes) or path.start in z or path.end in z:
        return False
    if any(e not in diagram.edges for e in path.edges):
        return False
    opened: set[Hashable] | None = None
    for i in range(1, len(path.nodes) - 1):
        v = path.nodes[i]
        if path.forward[i - 1] and not path.forward[i]:
            if opened is None:
                opened = set(z).union(*(diagram.ancestors(g) for g in z))
            if v not in opened:
                return False
        elif v in z:
            return False
    return True


def directed_path(diagram: InfluenceDiagram, source: Hashable, target: Hashable) -> Path | None:
    """Return a shortest directed path ``source -> ... -> target``, or None.

    A node reaches itself by the path of length 0.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D"), ("D", "U")], decisions=["D"], utilities=["U"])
    >>> print(directed_path(d, "S", "U"))
    S -> D -> U
    """
    diagram.kind(source)
    diagram.kind(target)
    pointers = reach(diagram._pa, [target])
    if source not in pointers:
        return None
    return Path.directed(trace(pointers, source))
