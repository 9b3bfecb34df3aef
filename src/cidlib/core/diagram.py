"""The influence diagram model.

A causal influence diagram (CID) is a directed acyclic graph whose nodes are of three
kinds: *chance* nodes (the environment), *decision* nodes (what an agent chooses) and
*utility* nodes (what an agent is rewarded for). Edges into a decision are *information
links*: the decision may depend on its parents only. Utility nodes have no children. Every
decision and every utility belongs to exactly one agent; a diagram with one agent is a CID,
one with several is a multi-agent CID (MACID).

:class:`InfluenceDiagram` is immutable and validated once, at construction. Transformations
(``add_edges``, ``relabel``, ``for_agent``, ...) return new diagrams. Build diagrams with
:func:`CID` and :func:`MACID`.

References
----------
.. [1] T. Everitt, R. Carey, E. Langlois, P. A. Ortega, S. Legg. "Agent Incentives: A Causal
   Perspective." AAAI 2021.
.. [2] D. Koller, B. Milch. "Multi-agent influence diagrams for representing and solving
   games." Games and Economic Behavior 45, 2003.
"""

from __future__ import annotations

import enum
import json
import math
from collections import deque
from collections.abc import Hashable, Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NoReturn

from cidlib.core import document
from cidlib.core.names import (
    SHOWN,
    brief,
    check_name,
    check_text,
    is_hashable,
    mapping_of,
    names_of,
    node_key,
    same_name,
    show_nodes,
    sort_nodes,
    suggest,
    unknown,
)
from cidlib.core.search import Adjacency, reach
from cidlib.exceptions import (
    AgentError,
    ArgumentTypeError,
    CycleError,
    DiagramError,
    InvalidNodeError,
    InvalidQueryError,
    KindConflictError,
    MalformedEdgeError,
    SelfLoopError,
    UnknownNodeError,
    UtilityChildError,
)

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["CID", "MACID", "InfluenceDiagram", "NodeKind"]

Edge = tuple[Hashable, Hashable]
Position = tuple[float, float]

SINGLE_AGENT: Hashable = 0
"""The agent id that :func:`CID` gives its single agent."""


class NodeKind(str, enum.Enum):
    """The kind of a node: chance, decision or utility."""

    CHANCE = "chance"
    DECISION = "decision"
    UTILITY = "utility"

    def __str__(self) -> str:
        return self.value


def _add_name(names: dict[Hashable, Hashable], name: Hashable, where: str | int) -> None:
    """Add ``name``, checked when first seen; refuse one equal to a name of another type.

    ``where`` is a description, or the index of the edge that names it (the text is made
    only for an error, so that adding the endpoints of many edges stays cheap).
    """
    text = where if isinstance(where, str) else f"edge #{where}"
    if not is_hashable(name):
        check_name(name, text)  # raises, naming the place
    first = names.setdefault(name, name)
    if first is not name:
        if not same_name(first, name):
            raise InvalidNodeError(
                f"{text}: the names {first!r} and {name!r} are equal in Python, so they would "
                "be one node; rename one of them (e.g. use strings for every name)"
            )
    elif not (isinstance(name, str) and name.strip() and name.isprintable()):
        check_name(name, text)  # the plain printable strings of the common case need none


def _finite(number: float) -> bool:
    """Whether ``number`` is finite as a float (a 400-digit integer is not: it overflows)."""
    try:
        return math.isfinite(number)
    except OverflowError:
        return False


def _check_edge(edge: object, index: int) -> Edge:
    """Return ``edge`` as a pair, or raise: not a pair, or a self-loop (names are checked apart)."""
    where = f"edge #{index}"
    if isinstance(edge, (str, bytes)) or not isinstance(edge, (tuple, list)) or len(edge) != 2:
        raise MalformedEdgeError(
            f"{where} is {brief(edge)}; write each edge as a pair (parent, child), e.g. "
            "('S', 'D')"
        )
    u, v = edge
    if is_hashable(u) and is_hashable(v) and u == v:
        check_name(u, where)
        raise SelfLoopError(
            f"{where} ({u!r}, {v!r}) is a self-loop; a node cannot be its own parent", (u, u)
        )
    return (u, v)


def _read_edges(edges: Iterable[object], names: dict[Hashable, Hashable]) -> list[Edge]:
    """Return the edges as pairs, adding their endpoints to ``names`` (all checked).

    The loop is the constructor's hot path: each endpoint costs a dictionary lookup and a
    type comparison; new names are checked once, after the loop.
    """
    known = len(names)
    setdefault = names.setdefault
    out: list[Edge] = []
    for i, edge in enumerate(edges):
        pair = edge if type(edge) is tuple and len(edge) == 2 else _check_edge(edge, i)
        u, v = pair
        try:
            first_u, first_v = setdefault(u, u), setdefault(v, v)
        except TypeError:  # an unhashable name
            _check_edge(pair, i)
            _add_name(names, u, i)
            _add_name(names, v, i)
            raise
        if (first_u is not u and (type(first_u) is not type(u) or type(u) is tuple)) or (
                first_v is not v and (type(first_v) is not type(v) or type(v) is tuple)):
            _add_name(names, u, i)  # raises for a name equal to one of another type
            _add_name(names, v, i)
        if u == v:
            _check_edge(pair, i)  # raises the self-loop error
        out.append(pair)
    for name in list(names)[known:]:  # each new name once; the edge is looked up on error
        if not (type(name) is str and name.isprintable() and name.strip()):
            try:
                check_name(name, "an edge")
            except InvalidNodeError:
                where = next(i for i, (u, v) in enumerate(out) if name in (u, v))
                check_name(name, f"edge #{where}")
                raise  # not reached: the same check raises again, naming the edge
    return out


def _read_kinds(
    names: Mapping[Hashable, Hashable], kinds: object, owners: object,
) -> tuple[dict[Hashable, NodeKind], dict[Hashable, Hashable]]:
    """Return every node's kind and the owner of every decision and utility, checked."""
    kind_map: dict[Hashable, NodeKind] = dict.fromkeys(names, NodeKind.CHANCE)
    for n, k in mapping_of(kinds, "kinds").items():
        if n not in names:
            _undeclared(n, str(k), names)
        kind_map[n] = _parse_kind(k, n)
    owner_map: dict[Hashable, Hashable] = {}
    for n, a in mapping_of(owners, "owners").items():
        if n not in names:
            _undeclared(n, f"node owned by agent {a!r}", names)
        if kind_map[n] is NodeKind.CHANCE:
            raise AgentError(
                f"chance node {n!r} was given agent {a!r}; only decisions and utilities "
                "belong to agents"
            )
        owner_map[n] = check_name(a, f"agent of node {n!r}")
    unowned = [n for n, k in kind_map.items() if k is not NodeKind.CHANCE and n not in owner_map]
    if unowned:
        raise AgentError(
            f"decision/utility node(s) {show_nodes(unowned)} have no agent; give each one "
            "an agent"
        )
    return kind_map, owner_map


def _parse_kind(kind: object, node: Hashable) -> NodeKind:
    try:
        return NodeKind(kind)
    except ValueError:
        raise DiagramError(
            f"node {node!r} has unknown kind {kind!r}; use one of 'chance', 'decision', 'utility'"
        ) from None


def _undeclared(name: object, role: str, nodes: Iterable[Hashable]) -> NoReturn:
    close = suggest(name, nodes)
    hint = f" (did you mean {close}?)" if close else ""
    raise UnknownNodeError(
        f"{role} {name!r} is not a node: it appears in no edge{hint}; add its edges, "
        f"or pass nodes=[{name!r}] for an isolated node"
    )


def _find_cycle(
    children: Mapping[Hashable, tuple[Hashable, ...]], left: set[Hashable]
) -> list[Hashable]:
    """Return one directed cycle among ``left`` (nodes Kahn's algorithm could not order)."""
    # Every node left over has a parent left over, so walking parents must repeat a node.
    parents: dict[Hashable, Hashable] = {}
    for u in sort_nodes(left):
        for v in children[u]:
            if v in left and v not in parents:
                parents[v] = u
    node = sort_nodes(left)[0]
    seen: dict[Hashable, int] = {}
    walk: list[Hashable] = []
    while node not in seen:
        seen[node] = len(walk)
        walk.append(node)
        node = parents[node]
    cycle = walk[seen[node] :]
    cycle.reverse()
    first = cycle.index(min(cycle, key=node_key))  # start at the first name, for stable text
    cycle = cycle[first:] + cycle[:first]
    return [*cycle, cycle[0]]


class InfluenceDiagram:
    """An immutable, validated (multi-agent) causal influence diagram.

    Most users build one with :func:`CID` or :func:`MACID`. The constructor takes the
    whole description at once and validates it.

    Parameters
    ----------
    nodes : iterable of hashable
        Nodes, in addition to the endpoints of ``edges`` (which are nodes automatically).
    edges : iterable of pairs
        Directed edges ``(parent, child)``.
    kinds : mapping, optional
        Kind of each decision and utility node (``NodeKind`` or its string); nodes not
        listed are chance nodes.
    owners : mapping, optional
        The agent of each decision and utility node.
    agents : iterable of hashable, optional
        Agent ids, in addition to those in ``owners``.
    labels : mapping, optional
        Display label of a node, for the renderer.
    positions : mapping, optional
        ``(x, y)`` position of a node, for the renderer.

    Raises
    ------
    DiagramError
        Or one of its subclasses, naming the offending nodes, when the description is not a
        valid influence diagram.

    Examples
    --------
    >>> d = InfluenceDiagram(edges=[("S", "D"), ("D", "U")],
    ...                      kinds={"D": "decision", "U": "utility"}, owners={"D": 0, "U": 0})
    >>> sorted(d.chance), sorted(d.decisions), sorted(d.utilities)
    (['S'], ['D'], ['U'])
    """

    __slots__ = (
        "__weakref__",
        "_agents",
        "_ch",
        "_chance",
        "_decisions",
        "_edges",
        "_hash",
        "_kinds",
        "_labels",
        "_nodes",
        "_order",
        "_owners",
        "_pa",
        "_positions",
        "_utilities",
    )

    def __init__(
        self,
        nodes: Iterable[Hashable] = (),
        edges: Iterable[object] = (),
        *,
        kinds: Mapping[Hashable, NodeKind | str] | None = None,
        owners: Mapping[Hashable, Hashable] | None = None,
        agents: Iterable[Hashable] = (),
        labels: Mapping[Hashable, str] | None = None,
        positions: Mapping[Hashable, tuple[float, float]] | None = None,
    ) -> None:
        if isinstance(edges, (str, bytes)) or not isinstance(edges, Iterable):
            raise MalformedEdgeError(
                f"edges must be a collection of pairs, e.g. [('S', 'D')], not {edges!r}"
            )
        node_set: dict[Hashable, Hashable] = {}  # each name, to the first object that named it
        for i, n in enumerate(names_of(nodes, "nodes")):
            _add_name(node_set, n, f"node #{i}")
        edge_list = _read_edges(edges, node_set)

        kind_map, owner_map = _read_kinds(node_set, kinds, owners)
        agent_set = frozenset(
            check_name(a, "agent") for a in names_of(agents, "agents")
        ) | frozenset(owner_map.values())

        unique = dict.fromkeys(edge_list)  # without repeated edges, in the order given
        ordered = sort_nodes(node_set)  # every deterministic order below follows this one
        # Adjacency in name order without sorting: parents collected in any order; children
        # by walking the nodes in order; parents again by walking the nodes in order.
        parents: dict[Hashable, list[Hashable]] = {n: [] for n in ordered}
        for u, v in unique:
            parents[v].append(u)
        ch: dict[Hashable, list[Hashable]] = {n: [] for n in ordered}
        for v in ordered:
            for u in parents[v]:
                ch[u].append(v)
        pa: dict[Hashable, list[Hashable]] = {n: [] for n in ordered}
        for u in ordered:
            for v in ch[u]:
                pa[v].append(u)
        bad = [u for u in ordered if kind_map[u] is NodeKind.UTILITY and ch[u]]
        if bad:
            u = bad[0]
            raise UtilityChildError(
                f"utility node {u!r} has children {show_nodes(ch[u])}; utilities must be sinks: "
                "remove those edges or make the node a chance node"
            )
        self._pa: dict[Hashable, tuple[Hashable, ...]] = {n: tuple(p) for n, p in pa.items()}
        self._ch: dict[Hashable, tuple[Hashable, ...]] = {n: tuple(c) for n, c in ch.items()}
        self._order = self._toposort(ordered)
        self._kinds = kind_map
        self._owners = owner_map
        self._agents = agent_set
        self._edges = frozenset(unique)
        self._nodes = frozenset(node_set)
        self._decisions = frozenset(n for n, k in kind_map.items() if k is NodeKind.DECISION)
        self._utilities = frozenset(n for n, k in kind_map.items() if k is NodeKind.UTILITY)
        self._chance = self._nodes - self._decisions - self._utilities
        self._labels = self._check_labels(mapping_of(labels, "labels"))
        self._positions = self._check_positions(mapping_of(positions, "positions"))
        self._hash: int | None = None

    def _toposort(self, ordered: list[Hashable]) -> tuple[Hashable, ...]:
        indegree = {n: len(p) for n, p in self._pa.items()}
        queue = deque(n for n in ordered if indegree[n] == 0)
        order: list[Hashable] = []
        while queue:
            u = queue.popleft()
            order.append(u)
            for v in self._ch[u]:
                indegree[v] -= 1
                if indegree[v] == 0:
                    queue.append(v)
        if len(order) < len(self._pa):
            left = set(self._pa) - set(order)
            cycle = _find_cycle(self._ch, left)
            steps = [repr(n) for n in cycle]
            if len(steps) > SHOWN + 2:  # a long cycle: its start and its closing node
                steps = [*steps[:SHOWN], f"… {len(steps) - SHOWN - 1:,} more", steps[-1]]
            text = " -> ".join(steps)
            raise CycleError(
                f"the edges contain a directed cycle {text}; remove one of its edges",
                tuple(cycle),
            )
        return tuple(order)

    def _check_labels(self, labels: Mapping[Hashable, str]) -> dict[Hashable, str]:
        for n, text in labels.items():
            if n not in self._kinds:
                unknown(n, self._nodes)
            if not isinstance(text, str):
                raise DiagramError(f"label of node {n!r} is {text!r}; labels must be strings")
            check_text(text, f"the label of node {n!r},")
        return dict(labels)

    def _check_positions(
        self, positions: Mapping[Hashable, tuple[float, float]]
    ) -> dict[Hashable, Position]:
        out: dict[Hashable, Position] = {}
        for n, xy in positions.items():
            if n not in self._kinds:
                unknown(n, self._nodes)
            ok = isinstance(xy, (tuple, list)) and len(xy) == 2
            if ok and all(isinstance(c, (int, float)) and not isinstance(c, bool)
                          and _finite(c) for c in xy):
                out[n] = (float(xy[0]), float(xy[1]))
            else:
                raise DiagramError(
                    f"position of node {n!r} is {brief(xy)}; give a pair of finite numbers (x, y)"
                )
        return out

    # -- attributes -------------------------------------------------------------------------

    @property
    def nodes(self) -> frozenset[Hashable]:
        """All nodes."""
        return self._nodes

    @property
    def edges(self) -> frozenset[Edge]:
        """All edges, as ``(parent, child)`` pairs."""
        return self._edges

    @property
    def decisions(self) -> frozenset[Hashable]:
        """Decision nodes, of all agents."""
        return self._decisions

    @property
    def utilities(self) -> frozenset[Hashable]:
        """Utility nodes, of all agents."""
        return self._utilities

    @property
    def chance(self) -> frozenset[Hashable]:
        """Chance (structure) nodes."""
        return self._chance

    @property
    def agents(self) -> frozenset[Hashable]:
        """Agent ids."""
        return self._agents

    @property
    def labels(self) -> Mapping[Hashable, str]:
        """Display labels given at construction (read-only mapping)."""
        return MappingProxyType(self._labels)

    @property
    def positions(self) -> Mapping[Hashable, Position]:
        """Node positions given at construction (read-only mapping)."""
        return MappingProxyType(self._positions)

    @property
    def information_links(self) -> frozenset[Edge]:
        """Edges into decision nodes."""
        return frozenset(e for e in self._edges if e[1] in self._decisions)

    @property
    def pred(self) -> Adjacency:
        """The parents of every node: a read-only mapping ``{node: (parent, ...)}``.

        Like networkx's ``pred`` view, for code that walks the graph without a method call per
        step. Each tuple is in :func:`~cidlib.core.names.node_key` order (by name), so searches
        over it, and the witness paths they return, are the same on every run.

        Examples
        --------
        >>> d = CID([("S", "D"), ("T", "D"), ("D", "U")], decisions=["D"], utilities=["U"])
        >>> d.pred["D"]
        ('S', 'T')
        """
        return MappingProxyType(self._pa)

    @property
    def succ(self) -> Adjacency:
        """The children of every node: a read-only mapping ``{node: (child, ...)}``.

        Ordered by name, as :attr:`pred`.

        Examples
        --------
        >>> d = CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"], utilities=["U"])
        >>> d.succ["S"]
        ('D', 'U')
        """
        return MappingProxyType(self._ch)

    # -- structural queries -------------------------------------------------------------------

    def require(self, node: Hashable, kind: NodeKind | str | None = None) -> Hashable:
        """Return ``node`` if it is a node of the diagram (of ``kind``, if given).

        Raises
        ------
        UnknownNodeError
            When ``node`` is not a node, with the names closest to it.
        InvalidQueryError
            When ``node`` is not of ``kind``, listing the nodes that are.

        Examples
        --------
        >>> d = CID([("Age", "D"), ("D", "U")], decisions=["D"], utilities=["U"])
        >>> d.require("Age")
        'Age'
        >>> d.require("age")
        Traceback (most recent call last):
        ...
        cidlib.exceptions.UnknownNodeError: 'age' is not a node of the diagram; did you mean 'Age'?
        >>> d.require("Age", "decision")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        cidlib.exceptions.InvalidQueryError: 'Age' is a chance node, not a decision; ...
        """
        if not is_hashable(node):
            raise ArgumentTypeError(f"node names are hashable (strings, numbers, tuples), not "
                                    f"{type(node).__name__} {brief(node)}")
        if node not in self._kinds:
            unknown(node, self._nodes)
        if kind is not None:
            want = _parse_kind(kind, node)
            if self._kinds[node] is not want:
                of_kind = [n for n, k in self._kinds.items() if k is want]
                raise InvalidQueryError(
                    f"{node!r} is a {self._kinds[node]} node, not a {want}; the {want}s are: "
                    f"{show_nodes(of_kind) or 'none'}"
                )
        return node

    def require_agent(self, agent: Hashable) -> Hashable:
        """Return ``agent`` if it is an agent of the diagram, else raise with did-you-mean.

        Examples
        --------
        >>> CID([("D", "U")], decisions=["D"], utilities=["U"]).require_agent(0)
        0
        """
        if not is_hashable(agent) or agent not in self._agents:
            unknown(agent, self._agents, "agent")
        return agent

    def __contains__(self, node: object) -> bool:
        try:
            return node in self._kinds
        except TypeError:
            return False

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)

    def kind(self, node: Hashable) -> NodeKind:
        """Return the kind of ``node``.

        Examples
        --------
        >>> CID([("D", "U")], decisions=["D"], utilities=["U"]).kind("U")
        <NodeKind.UTILITY: 'utility'>
        """
        return self._kinds[self.require(node)]

    def agent_of(self, node: Hashable) -> Hashable | None:
        """Return the agent that owns a decision or utility node, or ``None`` for chance nodes."""
        return self._owners.get(self.require(node))

    def decisions_of(self, agent: Hashable) -> frozenset[Hashable]:
        """Return the decision nodes of ``agent``."""
        self.require_agent(agent)
        return frozenset(d for d in self._decisions if self._owners[d] == agent)

    def utilities_of(self, agent: Hashable) -> frozenset[Hashable]:
        """Return the utility nodes of ``agent``."""
        self.require_agent(agent)
        return frozenset(u for u in self._utilities if self._owners[u] == agent)

    def parents(self, node: Hashable) -> frozenset[Hashable]:
        """Return the parents of ``node``."""
        return frozenset(self._pa[self.require(node)])

    def children(self, node: Hashable) -> frozenset[Hashable]:
        """Return the children of ``node``."""
        return frozenset(self._ch[self.require(node)])

    def family(self, node: Hashable) -> frozenset[Hashable]:
        """Return the parents of ``node`` and ``node`` itself."""
        return frozenset((*self._pa[self.require(node)], node))

    def ancestors(self, node: Hashable) -> frozenset[Hashable]:
        """Return the proper ancestors of ``node`` (``node`` itself excluded).

        Examples
        --------
        >>> d = CID([("S", "D"), ("D", "U")], decisions=["D"], utilities=["U"])
        >>> sorted(d.ancestors("U"))
        ['D', 'S']
        """
        return frozenset(reach(self._pa, [self.require(node)]).keys() - {node})

    def descendants(self, node: Hashable) -> frozenset[Hashable]:
        """Return the proper descendants of ``node`` (``node`` itself excluded)."""
        return frozenset(reach(self._ch, [self.require(node)]).keys() - {node})

    def topological_order(self) -> tuple[Hashable, ...]:
        """Return the nodes in a deterministic topological order (ties broken by name)."""
        return self._order

    # -- transformations (each returns a new diagram) ---------------------------------------

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle and copy through the constructor: the slots are read-only.
        return (_restore, (self._replace_spec(),))

    def _replace(self, **changes: Any) -> InfluenceDiagram:
        spec = self._replace_spec()
        spec.update(changes)
        return InfluenceDiagram(**spec)

    def _replace_spec(self) -> dict[str, Any]:
        return {
            "nodes": self._order,
            "edges": self._edges,
            "kinds": {n: k for n, k in self._kinds.items() if k is not NodeKind.CHANCE},
            "owners": self._owners,
            "agents": self._agents,
            "labels": self._labels,
            "positions": self._positions,
        }

    def add_nodes(
        self, nodes: Iterable[Hashable], *, kind: NodeKind | str = NodeKind.CHANCE,
        agent: Hashable | None = None,
    ) -> InfluenceDiagram:
        """Return a copy with ``nodes`` added, all of kind ``kind`` (owned by ``agent``).

        Examples
        --------
        >>> d = CID([("D", "U")], decisions=["D"], utilities=["U"])
        >>> sorted(d.add_nodes(["S"]).chance)
        ['S']
        """
        new = [check_name(n, "new node") for n in names_of(nodes, "nodes")]
        for n in new:
            if n in self:
                raise DiagramError(f"node {n!r} is already in the diagram; choose a new name")
        node_kind = _parse_kind(kind, new[0] if new else "?")
        owners = dict(self._owners)
        if node_kind is not NodeKind.CHANCE:
            owner = self._default_agent(agent, new)
            owners.update(dict.fromkeys(new, owner))
        kinds = dict(self._kinds)
        kinds.update(dict.fromkeys(new, node_kind))
        return self._replace(nodes=(*self._order, *new), kinds=kinds, owners=owners)

    def _default_agent(self, agent: Hashable | None, nodes: Iterable[Hashable]) -> Hashable:
        if agent is not None:
            return agent
        if len(self._agents) == 1:
            return next(iter(self._agents))
        raise AgentError(
            f"node(s) {show_nodes(nodes)} need an agent: this diagram has agents "
            f"{show_nodes(self._agents) or 'none'}; pass agent=..."
        )

    def remove_nodes(self, nodes: Iterable[Hashable]) -> InfluenceDiagram:
        """Return a copy without ``nodes`` and their edges."""
        gone = {self.require(n) for n in names_of(nodes, "nodes")}
        return self._replace(
            nodes=[n for n in self._order if n not in gone],
            edges=[(u, v) for u, v in self._edges if u not in gone and v not in gone],
            kinds={n: k for n, k in self._kinds.items() if n not in gone},
            owners={n: a for n, a in self._owners.items() if n not in gone},
            labels={n: t for n, t in self._labels.items() if n not in gone},
            positions={n: p for n, p in self._positions.items() if n not in gone},
        )

    def add_edges(self, edges: Iterable[object]) -> InfluenceDiagram:
        """Return a copy with ``edges`` added; new endpoints become chance nodes.

        Examples
        --------
        >>> d = CID([("D", "U")], decisions=["D"], utilities=["U"])
        >>> sorted(d.add_edges([("S", "D")]).edges)
        [('D', 'U'), ('S', 'D')]
        """
        return self._replace(edges=[*self._edges, *names_of(edges, "edges")])

    def remove_edges(self, edges: Iterable[object]) -> InfluenceDiagram:
        """Return a copy without ``edges``; every edge must be in the diagram."""
        pairs = [_check_edge(e, i) for i, e in enumerate(names_of(edges, "edges"))]
        for u, v in pairs:  # unknown or unhashable names raise, with a suggestion
            self.require(u)
            self.require(v)
        gone = set(pairs)
        missing = gone - self._edges
        if missing:
            u, v = sorted(missing, key=lambda e: (node_key(e[0]), node_key(e[1])))[0]
            raise UnknownNodeError(f"edge ({u!r}, {v!r}) is not in the diagram")
        return self._replace(edges=self._edges - gone)

    def add_information_link(self, observation: Hashable, decision: Hashable) -> InfluenceDiagram:
        """Return a copy in which ``decision`` also observes ``observation``."""
        self.require(decision, NodeKind.DECISION)
        return self.add_edges([(self.require(observation), decision)])

    def remove_information_link(
        self, observation: Hashable, decision: Hashable
    ) -> InfluenceDiagram:
        """Return a copy in which ``decision`` no longer observes ``observation``."""
        self.require(decision, NodeKind.DECISION)
        return self.remove_edges([(observation, decision)])

    def relabel(self, mapping: Mapping[Hashable, Hashable]) -> InfluenceDiagram:
        """Return a copy with nodes renamed by ``mapping`` (nodes not in it keep their names).

        Examples
        --------
        >>> d = CID([("D", "U")], decisions=["D"], utilities=["U"])
        >>> sorted(d.relabel({"U": "Reward"}).utilities)
        ['Reward']
        """
        if mapping is None:
            raise ArgumentTypeError("relabel needs a mapping {old name: new name}, not None")
        for n, name in mapping_of(mapping, "mapping").items():
            self.require(n)
            check_name(name, f"new name of {n!r}")
        new = {n: mapping.get(n, n) for n in self._order}
        if len(set(new.values())) < len(new):
            seen: dict[Hashable, Hashable] = {}
            for old, name in new.items():
                if name in seen:
                    raise DiagramError(
                        f"relabelling maps both {seen[name]!r} and {old!r} to {name!r}; "
                        "names must stay distinct"
                    )
                seen[name] = old
        return InfluenceDiagram(
            nodes=[new[n] for n in self._order],
            edges=[(new[u], new[v]) for u, v in self._edges],
            kinds={new[n]: k for n, k in self._kinds.items()},
            owners={new[n]: a for n, a in self._owners.items()},
            agents=self._agents,
            labels={new[n]: t for n, t in self._labels.items()},
            positions={new[n]: p for n, p in self._positions.items()},
        )

    def with_kind(
        self, node: Hashable, kind: NodeKind | str, *, agent: Hashable | None = None
    ) -> InfluenceDiagram:
        """Return a copy in which ``node`` has kind ``kind`` (and, unless chance, ``agent``).

        Examples
        --------
        >>> d = CID([("S", "D"), ("D", "U")], decisions=["D"], utilities=["U"])
        >>> d.with_kind("S", "decision").kind("S")
        <NodeKind.DECISION: 'decision'>
        """
        self.require(node)
        new_kind = _parse_kind(kind, node)
        kinds = dict(self._kinds)
        kinds[node] = new_kind
        owners = dict(self._owners)
        owners.pop(node, None)
        if new_kind is not NodeKind.CHANCE:
            owners[node] = self._default_agent(
                agent if agent is not None else self._owners.get(node), [node]
            )
        return self._replace(kinds=kinds, owners=owners)

    def with_labels(self, labels: Mapping[Hashable, str]) -> InfluenceDiagram:
        """Return a copy with display labels updated by ``labels``."""
        return self._replace(labels={**self._labels, **mapping_of(labels, "labels")})

    def with_positions(self, positions: Mapping[Hashable, tuple[float, float]]) -> InfluenceDiagram:
        """Return a copy with node positions updated by ``positions``."""
        return self._replace(positions={**self._positions, **mapping_of(positions, "positions")})

    def for_agent(self, agent: Hashable) -> InfluenceDiagram:
        """Return the single-agent view of ``agent``.

        Other agents' decisions and utilities become chance nodes; the result has ``agent``
        as its only agent, so the single-agent incentive criteria apply to it.

        Examples
        --------
        >>> g = MACID([("D1", "D2"), ("D1", "U1"), ("D2", "U2")],
        ...           agents={1: {"decisions": ["D1"], "utilities": ["U1"]},
        ...                   2: {"decisions": ["D2"], "utilities": ["U2"]}})
        >>> v = g.for_agent(1)
        >>> sorted(v.decisions), sorted(v.chance)
        (['D1'], ['D2', 'U2'])
        """
        self.require_agent(agent)
        owners = {n: a for n, a in self._owners.items() if a == agent}
        return self._replace(
            kinds={n: k for n, k in self._kinds.items() if n in owners},
            owners=owners,
            agents=[agent],
        )

    # -- conversion ---------------------------------------------------------------------------

    def to_networkx(self) -> nx.DiGraph[Hashable]:
        """Return a new ``networkx.DiGraph`` annotated with kinds and agents.

        Node attributes are ``kind`` and, where set, ``agent``, ``label`` and ``pos``; the
        graph attribute ``agents`` lists the agents.
        """
        import networkx as nx

        g: nx.DiGraph[Hashable] = nx.DiGraph(agents=sort_nodes(self._agents))
        for n in self._order:
            attrs: dict[str, Any] = {"kind": self._kinds[n].value}
            if n in self._owners:
                attrs["agent"] = self._owners[n]
            if n in self._labels:
                attrs["label"] = self._labels[n]
            if n in self._positions:
                attrs["pos"] = self._positions[n]
            g.add_node(n, **attrs)
        g.add_edges_from(sorted(self._edges, key=lambda e: (node_key(e[0]), node_key(e[1]))))
        return g

    @classmethod
    def from_networkx(cls, graph: nx.DiGraph[Hashable]) -> InfluenceDiagram:
        """Build a diagram from a ``networkx.DiGraph`` annotated as by :meth:`to_networkx`.

        Nodes without a ``kind`` attribute are chance nodes. The graph is not modified.
        """
        import networkx as nx

        if not isinstance(graph, nx.DiGraph):
            raise ArgumentTypeError(f"expected a networkx.DiGraph, got {type(graph).__name__}")
        data: dict[Hashable, dict[str, Any]] = {n: graph.nodes[n] for n in graph.nodes}
        return cls(
            nodes=list(graph.nodes),
            edges=list(graph.edges),
            kinds={n: a["kind"] for n, a in data.items() if "kind" in a},
            owners={n: a["agent"] for n, a in data.items() if "agent" in a},
            agents=graph.graph.get("agents", ()),
            labels={n: a["label"] for n, a in data.items() if "label" in a},
            positions={n: a["pos"] for n, a in data.items() if "pos" in a},
        )

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready document (schema ``cidlib.diagram`` version 1).

        See ``docs/json-schema.md``. :meth:`from_dict` inverts it exactly.

        Examples
        --------
        >>> d = CID([("S", "D"), ("D", "U")], decisions=["D"], utilities=["U"])
        >>> InfluenceDiagram.from_dict(d.to_dict()) == d
        True
        """
        return document.to_document(self._replace_spec())

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> InfluenceDiagram:
        """Build a diagram from a document made by :meth:`to_dict` (or by hand).

        Errors name the place in the document, e.g. ``$.nodes[2].kind``.
        """
        spec = document.from_document(doc)
        try:
            return cls(**spec)
        except CycleError as err:
            raise CycleError(f"$.edges: {err}", err.cycle) from None
        except DiagramError as err:
            raise type(err)(f"$: {err}") from None

    def to_json(self, *, indent: int | None = 2) -> str:
        """Return the :meth:`to_dict` document as JSON text."""
        return json.dumps(self.to_dict(), indent=indent)

    @classmethod
    def from_json(cls, text: str | bytes) -> InfluenceDiagram:
        """Parse JSON text made by :meth:`to_json`.

        Examples
        --------
        >>> d = CID([("S", "D"), ("D", "U")], decisions=["D"], utilities=["U"])
        >>> InfluenceDiagram.from_json(d.to_json()) == d
        True
        """
        return cls.from_dict(document.parse_json(text))

    def _repr_svg_(self) -> str | None:
        """Draw the diagram for Jupyter (small diagrams only; larger ones show as text).

        With :meth:`_repr_html_`, the one place where the core reaches up to the renderer:
        the notebook display hooks, declared as an exception in the layer contract
        (pyproject.toml).
        """
        from cidlib.render.notebook import inline_svg

        return inline_svg(self)

    def _repr_html_(self) -> str | None:
        """Show the interactive view of the diagram and its incentives in Jupyter.

        As :func:`cidlib.to_html` shows it; where the notebook does not run the output's
        script, the annotated figure. Large diagrams show as text.
        """
        from cidlib.render.notebook import inline_html

        return inline_html(self)

    # -- value semantics ----------------------------------------------------------------------

    def _key(self) -> tuple[object, ...]:
        return (
            self._nodes,
            self._edges,
            frozenset(self._kinds.items()),
            frozenset(self._owners.items()),
            self._agents,
            frozenset(self._labels.items()),
            frozenset(self._positions.items()),
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, InfluenceDiagram):
            return NotImplemented
        return self is other or self._key() == other._key()

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(self._key())
        return self._hash

    def __setattr__(self, name: str, value: object) -> None:
        if hasattr(self, "_hash") and name != "_hash":
            raise AttributeError(f"InfluenceDiagram is immutable; cannot set {name!r}")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"InfluenceDiagram is immutable; cannot delete {name!r}")

    def __repr__(self) -> str:
        return (
            f"InfluenceDiagram(nodes={len(self._nodes)}, edges={len(self._edges)}, "
            f"decisions=[{show_nodes(self._decisions)}], "
            f"utilities=[{show_nodes(self._utilities)}], "
            f"agents=[{show_nodes(self._agents)}])"
        )


def _restore(spec: dict[str, Any]) -> InfluenceDiagram:
    """Rebuild a pickled diagram."""
    return InfluenceDiagram(**spec)


def CID(  # noqa: N802 -- named after the model class it builds, as in the papers
    edges: Iterable[object],
    *,
    decisions: Iterable[Hashable],
    utilities: Iterable[Hashable],
    nodes: Iterable[Hashable] = (),
    labels: Mapping[Hashable, str] | None = None,
    positions: Mapping[Hashable, tuple[float, float]] | None = None,
) -> InfluenceDiagram:
    """Build a single-agent causal influence diagram.

    Parameters
    ----------
    edges : iterable of pairs
        Directed edges ``(parent, child)``; their endpoints are the nodes.
    decisions, utilities : iterable of hashable
        The decision and utility nodes; every other node is a chance node.
    nodes : iterable of hashable, optional
        Extra nodes with no edges.
    labels, positions : mapping, optional
        Display labels and ``(x, y)`` positions for the renderer.

    Returns
    -------
    InfluenceDiagram
        With the single agent ``0``.

    Examples
    --------
    >>> d = CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"], utilities=["U"])
    >>> d
    InfluenceDiagram(nodes=3, edges=3, decisions=['D'], utilities=['U'], agents=[0])
    >>> sorted(d.information_links)
    [('S', 'D')]
    """
    return MACID(
        edges,
        agents={SINGLE_AGENT: {"decisions": decisions, "utilities": utilities}},
        nodes=nodes,
        labels=labels,
        positions=positions,
    )


def MACID(  # noqa: N802 -- named after the model class it builds, as in the papers
    edges: Iterable[object],
    *,
    agents: Mapping[Hashable, Mapping[str, Iterable[Hashable]]],
    nodes: Iterable[Hashable] = (),
    labels: Mapping[Hashable, str] | None = None,
    positions: Mapping[Hashable, tuple[float, float]] | None = None,
) -> InfluenceDiagram:
    """Build a multi-agent causal influence diagram.

    Parameters
    ----------
    edges : iterable of pairs
        Directed edges ``(parent, child)``; their endpoints are the nodes.
    agents : mapping
        ``{agent: {"decisions": [...], "utilities": [...]}}``.
    nodes : iterable of hashable, optional
        Extra nodes with no edges.
    labels, positions : mapping, optional
        Display labels and ``(x, y)`` positions for the renderer.

    Examples
    --------
    >>> g = MACID([("D1", "D2"), ("D1", "U1"), ("D2", "U1"), ("D1", "U2"), ("D2", "U2")],
    ...           agents={1: {"decisions": ["D1"], "utilities": ["U1"]},
    ...                   2: {"decisions": ["D2"], "utilities": ["U2"]}})
    >>> sorted(g.agents), sorted(g.decisions_of(2))
    ([1, 2], ['D2'])
    """
    if not isinstance(agents, Mapping):
        raise AgentError(
            "agents must be a mapping {agent: {'decisions': [...], 'utilities': [...]}}, "
            f"not {type(agents).__name__}"
        )
    kinds: dict[Hashable, NodeKind] = {}
    owners: dict[Hashable, Hashable] = {}
    for agent, spec in agents.items():
        if not isinstance(spec, Mapping) or set(spec) - {"decisions", "utilities"}:
            raise AgentError(
                f"agent {agent!r}: give a mapping with keys 'decisions' and 'utilities', "
                f"not {spec!r}"
            )
        for role, kind in (("decisions", NodeKind.DECISION), ("utilities", NodeKind.UTILITY)):
            for n in names_of(spec.get(role, ()), f"agent {agent!r} {role}"):
                check_name(n, f"agent {agent!r} {role}")
                if n in kinds and kinds[n] is not kind:
                    raise KindConflictError(
                        f"node {n!r} is both a decision and a utility; give it one kind"
                    )
                if n in owners and owners[n] != agent:
                    raise AgentError(
                        f"{kind} node {n!r} belongs to two agents, {owners[n]!r} and {agent!r}; "
                        "give it one agent"
                    )
                kinds[n] = kind
                owners[n] = agent
    return InfluenceDiagram(
        nodes, edges, kinds=kinds, owners=owners, agents=agents.keys(),
        labels=labels, positions=positions,
    )

