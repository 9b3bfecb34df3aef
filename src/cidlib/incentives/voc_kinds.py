"""Direct and indirect value of control: *how* controlling a node would help.

Value of control on ``X`` (Everitt et al. 2021, Thm 16) is a directed path ``X -> ... -> U``
to a utility in the minimal reduction. Everitt, Ortega, Barnes & Legg (2019) split it by the
path: control is *direct* when a path reaches the utility without a decision on it (setting
``X`` changes the outcome itself), *indirect* when it reaches it through the decision (setting
``X`` changes what the agent sees, and so what it does). The criteria here are those of
PyCID (``admits_dir_voc``, ``admits_indir_voc``), which make the split precise:

- **direct**: ``X`` is not a decision and the minimal reduction has a directed path from
  ``X`` to a utility through no decision (a utility has it trivially, by the path of length
  0);
- **indirect** (for decision ``D``): ``X`` is not a decision, the minimal reduction has a
  directed path from ``X`` through ``D`` to a utility ``U``, and a *back-door* path from
  ``X`` to that ``U`` (one whose first edge points into ``X``) is active given
  ``Fa(D) - {X}`` (``D``'s family in the diagram), d-separation read in the minimal
  reduction. The back-door path is what makes controlling ``X`` informative: ``X``'s causes
  also bear on the utility, so an agent that sets ``X`` from them sends itself a better
  signal.

The two do not cover every node with value of control: in PyCID's fitness tracker, the
node ``TF`` reaches the utility only through the decision ``C``, and its only
active path to the utility runs forwards through an observed collider, so it has value of
control of neither kind.

**Algorithm.** Direct: one reverse breadth-first search from the utilities in the minimal
reduction that never enters a decision. Indirect: the candidates are the ancestors of ``D``
in the minimal reduction (every utility below ``D`` is then reached through ``D``), and one
Bayes-ball pass runs from those utilities given ``Fa(D)``. A walk of the ball that ends at
``X`` arriving from a parent, with ``X`` nowhere else on it, means an active back-door path
(the walk-to-path argument of d-separation, applied to the graph without ``X``'s out-edges).
So a candidate in ``Fa(D)`` (where the ball stops) has one iff the ball reaches it from a
parent, and so does a candidate outside ``Fa(D)`` that the ball never reaches from a child.
One that it does reach from a child lets the ball through in every direction (it is an
ancestor of ``D``, so of the conditioning set), and the ball could come back to it from a
parent after passing through it; it has a back-door path iff the state of some unobserved
parent is reached without passing through it, that is, its state does not dominate the
parent's in the graph of ball states. One dominator tree (networkx) answers for all of them.
For a single node, :func:`admits_indirect_voc` runs one Bayes-ball pass with the node's
out-edges cut, linear in the diagram; the witness back-door path is read from it.

References
----------
.. [1] T. Everitt, P. A. Ortega, E. Barnes, S. Legg. "Understanding Agent Incentives using
   Causal Influence Diagrams. Part I: Single Action Settings." arXiv:1902.09980, 2019.
.. [2] T. Everitt, R. Carey, E. Langlois, P. A. Ortega, S. Legg. "Agent Incentives: A Causal
   Perspective." AAAI 2021.
.. [3] PyCID: https://github.com/causalincentives/pycid (``pycid.analyze.value_of_control``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import networkx as nx

from cidlib.core.diagram import InfluenceDiagram
from cidlib.core.names import node_key
from cidlib.core.paths import Path
from cidlib.core.search import (
    Adjacency,
    Ball,
    Segment,
    Trail,
    bayes_ball,
    lazy_path,
    reach,
    trace,
)
from cidlib.incentives.base import check_query
from cidlib.structure.reduction import reduced_adjacency

__all__ = [
    "ControlValue",
    "admits_direct_voc",
    "admits_indirect_voc",
    "direct_voc_nodes",
    "indirect_voc_nodes",
]

Pointers = dict[Hashable, "Hashable | None"]


@dataclass(frozen=True)
class ControlValue:
    """Whether a node has direct or indirect value of control, and why.

    Truthy iff present; follows the :class:`~cidlib.Verdict` protocol.

    Attributes
    ----------
    route : str
        ``"direct"`` or ``"indirect"``.
    decision, node
        The decision (for direct VoC, it only names the agent) and the node.
    present : bool
        The criterion's verdict.
    trivial : bool
        Direct VoC of a utility, by its path of length 0.
    generalised : bool
        The diagram has several decisions: evaluated on the minimal d-reduction, without a
        published completeness proof.
    """

    route: str
    decision: Hashable
    node: Hashable
    present: bool
    trivial: bool = False
    generalised: bool = False
    _witness: Callable[[], Path] | None = field(default=None, repr=False, compare=False)
    _backdoor: Callable[[], Path] | None = field(default=None, repr=False, compare=False)
    _reason: str = field(default="", repr=False, compare=False)

    def __bool__(self) -> bool:
        return self.present

    @property
    def witness(self) -> Path | None:
        """The directed path ``node -> ... -> U`` (through the decision when indirect)."""
        return self._witness() if self._witness is not None and self.present else None

    @property
    def backdoor(self) -> Path | None:
        """For indirect VoC, the active back-door path from the node to the same utility."""
        return self._backdoor() if self._backdoor is not None and self.present else None

    @property
    def key(self) -> tuple[str, Hashable, Hashable]:
        """``(kind, decision, node)`` with kind ``"dir_voc"`` or ``"indir_voc"``."""
        return ("dir_voc" if self.route == "direct" else "indir_voc", self.decision, self.node)

    def explain(self) -> str:
        """One plain-English sentence: the verdict and its reason, with the witness.

        Examples
        --------
        >>> import cidlib
        >>> from cidlib import catalogue
        >>> tracker = catalogue.fitness_tracker()
        >>> print(cidlib.admits_indirect_voc(tracker, "C", "SC").explain())
        ... # doctest: +NORMALIZE_WHITESPACE
        C has indirect value of control on SC: SC -> C -> F reaches its utility F through C,
        and the back-door path SC <- P -> F is active given C's other observations, so
        setting SC from its causes would tell C more about F.
        """
        kind = f"{self.route} value of control"
        if not self.present:
            return f"{self.decision} has no {kind} on {self.node}: {self._reason}."
        path = self.witness
        assert path is not None, "a present incentive always has a witness"
        if self.route == "direct":
            if self.trivial:
                return f"{self.decision} has {kind} on {self.node} (trivially: it is a utility)."
            return (f"{self.decision} has {kind} on {self.node}: {path} reaches its utility "
                    f"{path.end} through no decision, so setting {self.node} changes "
                    f"{path.end} itself.")
        note = " (multi-decision generalisation on the minimal d-reduction)" if (
            self.generalised) else ""
        return (f"{self.decision} has {kind} on {self.node}: {path} reaches its utility "
                f"{path.end} through {self.decision}, and the back-door path {self.backdoor} "
                f"is active given {self.decision}'s other observations, so setting "
                f"{self.node} from its causes would tell {self.decision} more about "
                f"{path.end}{note}.")

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready summary (witness and back-door path as text and node lists)."""
        path, back = self.witness, self.backdoor
        return {
            "kind": self.key[0],
            "decision": self.decision,
            "node": self.node,
            "present": self.present,
            "trivial": self.trivial,
            "generalised": self.generalised,
            "witness": None if path is None else str(path),
            "witness_nodes": None if path is None else list(path.nodes),
            "backdoor": None if back is None else str(back),
            "backdoor_nodes": None if back is None else list(back.nodes),
        }

    def __repr__(self) -> str:
        verdict = "present" if self.present else "absent"
        extra = ", trivial" if self.trivial else ""
        extra += ", generalised" if self.generalised else ""
        shown = f", witness='{self.witness}'" if self.present else ""
        return (f"ControlValue({self.route} VoC of {self.decision!s} on {self.node!s}: "
                f"{verdict}{extra}{shown})")


@dataclass(frozen=True)
class RouteSearch:
    """The nodes with VoC of one route for one decision, and how to explain each."""

    route: str
    decision: Hashable
    nodes: frozenset[Hashable]
    witness: Callable[[Hashable], Path]
    backdoor: Callable[[Hashable], Path] | None = None
    trivial: frozenset[Hashable] = frozenset()
    generalised: bool = False

    def verdict(self, node: Hashable, reason: str) -> ControlValue:
        """Return the :class:`ControlValue` of ``node``."""
        present = node in self.nodes
        return ControlValue(
            self.route, self.decision, node, present,
            trivial=present and node in self.trivial, generalised=self.generalised,
            _witness=partial(self.witness, node) if present else None,
            _backdoor=(partial(self.backdoor, node) if present and self.backdoor is not None
                       else None),
            _reason=reason,
        )


def direct_search(diagram: InfluenceDiagram, decision: Hashable) -> RouteSearch:
    """Nodes with a decision-free directed path to a utility in the minimal reduction."""
    pa, _ = reduced_adjacency(diagram)
    decisions = diagram.decisions
    free = {v: tuple(p for p in ps if p not in decisions) for v, ps in pa.items()}
    pointers = reach(free, diagram.utilities)
    trail = Trail.of_pointers(pointers, forward=True)
    return RouteSearch("direct", decision, frozenset(pointers),
                       lambda node: lazy_path((Segment(trail, node),)),
                       trivial=diagram.utilities, generalised=len(decisions) > 1)


def _state_graph(
    pa: Adjacency, ch: Adjacency, ball: Ball, sources: list[Hashable], *,
    merged: frozenset[Hashable],
) -> nx.DiGraph[object]:
    """Return the graph of the states ``ball`` reached, merging the states of ``merged``.

    A state is ``(v, True)`` (reached from a child) or ``(v, False)`` (from a parent); a
    merged node is the single state ``(v, None)``. The root ``()`` leads to the sources;
    edges follow the rules of the ball (:func:`~cidlib.core.search.bayes_ball`).
    """
    def state(v: Hashable, up: bool) -> tuple[Hashable, bool | None]:
        return (v, None) if v in merged else (v, up)

    edges: list[tuple[object, object]] = [((), state(u, True)) for u in sources]
    for v in ball.up:
        if v not in ball.given:
            here = state(v, True)
            edges.extend((here, state(p, True)) for p in pa[v])
            edges.extend((here, state(c, False)) for c in ch[v])
    for v in ball.down:
        here = state(v, False)
        if v not in ball.given:
            edges.extend((here, state(c, False)) for c in ch[v])
        if v in ball.opened:
            edges.extend((here, state(p, True)) for p in pa[v])
    graph: nx.DiGraph[object] = nx.DiGraph()
    graph.add_edges_from(edges)
    return graph


def _dominator_intervals(
    graph: nx.DiGraph[object],
) -> tuple[dict[object, int], dict[object, int]]:
    """Entry and exit times of the dominator tree from the root ``()`` (iterative DFS)."""
    idom = nx.immediate_dominators(graph, ())
    children: dict[object, list[object]] = {}
    for v, d in idom.items():
        if v != ():
            children.setdefault(d, []).append(v)
    enter: dict[object, int] = {}
    leave: dict[object, int] = {}
    clock = 0
    stack: list[tuple[object, bool]] = [((), False)]
    while stack:
        v, done = stack.pop()
        if done:
            leave[v] = clock
            clock += 1
            continue
        enter[v] = clock
        clock += 1
        stack.append((v, True))
        stack.extend((c, False) for c in children.get(v, ()))
    return enter, leave


def _around(
    pa: Adjacency, ch: Adjacency, ball: Ball, sources: list[Hashable],
    passed: frozenset[Hashable],
) -> set[Hashable]:
    """Return the nodes of ``passed`` the ball reaches from a parent without passing them.

    Some unobserved parent's state is reached, and the node's state does not dominate it.
    """
    graph = _state_graph(pa, ch, ball, sources, merged=passed)
    enter, leave = _dominator_intervals(graph)
    found = set()
    for x in passed:
        me = (x, None)
        for p in pa[x]:
            if p in ball.given:
                continue
            if any(not (enter[me] <= enter[s] and leave[s] <= leave[me])
                   for s in {(p, True), (p, False), (p, None)} & enter.keys()):
                found.add(x)
                break
    return found


def _setting(
    diagram: InfluenceDiagram, decision: Hashable,
) -> tuple[Adjacency, Adjacency, Pointers, Pointers, list[Hashable], frozenset[Hashable],
           frozenset[Hashable]]:
    """Return what the indirect search needs: the minimal reduction and more.

    The reduction's parents and children, the ancestors and descendants of ``decision`` in it
    (pointers), the utilities below it, its family, and the candidates (non-decision
    ancestors, when a utility is below).
    """
    pa, ch = reduced_adjacency(diagram)
    above = reach(pa, [decision])
    below = reach(ch, [decision])
    targets = [u for u in sorted(diagram.utilities, key=node_key) if u in below]
    given = frozenset(diagram.family(decision))
    candidates = frozenset(v for v in above if v not in diagram.decisions) if targets else (
        frozenset())
    return pa, ch, above, below, targets, given, candidates


def _search(diagram: InfluenceDiagram, decision: Hashable,
            found: frozenset[Hashable]) -> RouteSearch:
    pa, ch, above, below, targets, given, _ = _setting(diagram, decision)
    backdoor = partial(_backdoor, pa, ch, targets, given)
    return RouteSearch("indirect", decision, found, partial(_through, above, below, backdoor),
                       backdoor, generalised=len(diagram.decisions) > 1)


def indirect_search(diagram: InfluenceDiagram, decision: Hashable) -> RouteSearch:
    """Nodes with indirect value of control for ``decision`` (see the module docstring)."""
    pa, ch, _, _, targets, given, candidates = _setting(diagram, decision)
    found: set[Hashable] = set()
    if candidates:
        ball = bayes_ball(pa, ch, targets, given, reach(pa, given).keys())
        # reached from a child, a candidate outside Fa(D) lets the ball back in from a parent
        passed = frozenset(x for x in candidates - given if x in ball.up)
        found = {x for x in candidates if x in ball.down and x not in passed}
        if passed:
            found |= _around(pa, ch, ball, targets, passed)
    return _search(diagram, decision, frozenset(found))


def indirect_one(diagram: InfluenceDiagram, decision: Hashable, node: Hashable) -> RouteSearch:
    """Return the indirect search for one node: one Bayes-ball pass that ends at it."""
    pa, ch, _, _, targets, given, candidates = _setting(diagram, decision)
    present = node in candidates and _cut_ball(pa, ch, targets, given, node) is not None
    return _search(diagram, decision, frozenset({node} if present else ()))


def _cut_ball(pa: Adjacency, ch: Adjacency, targets: list[Hashable],
              given: frozenset[Hashable], node: Hashable) -> Ball | None:
    """Return the ball from ``targets`` that ends at ``node``, or None if it does not reach it.

    Given ``Fa(D) + {node}``, with ``node``'s out-edges cut, so that reaching it means an
    active back-door path.
    """
    cut_pa = {v: tuple(p for p in ps if p != node) for v, ps in pa.items()}
    cut_ch = {**ch, node: ()}
    ball = bayes_ball(cut_pa, cut_ch, targets, given | {node}, reach(pa, given).keys())
    return ball if node in ball.down else None


def _backdoor(pa: Adjacency, ch: Adjacency, targets: list[Hashable], given: frozenset[Hashable],
              node: Hashable) -> Path:
    """Return an active back-door path from ``node`` to a target (a ball ending at ``node``)."""
    ball = _cut_ball(pa, ch, targets, given, node)
    assert ball is not None, "only called for a node with indirect value of control"
    return ball.path(node)


def _through(above: Pointers, below: Pointers, backdoor: Callable[[Hashable], Path],
             node: Hashable) -> Path:
    """Return the directed path ``node -> ... -> D -> ... -> U``, U the back-door path's end."""
    tail = trace(below, backdoor(node).end)
    tail.reverse()
    return Path.directed(trace(above, node)) + Path.directed(tail)


def admits_direct_voc(diagram: InfluenceDiagram, decision: Hashable, node: Hashable,
                      ) -> ControlValue:
    """Decide whether the graph admits direct value of control on ``node``.

    ``decision`` names the agent (one agent: every utility counts), as in
    :func:`~cidlib.admits_voc`.

    Returns
    -------
    ControlValue
        Truthy iff present; ``witness`` is a directed path ``node -> ... -> U`` in the
        minimal reduction through no decision; ``trivial`` when ``node`` is a utility.

    Examples
    --------
    In PyCID's fitness tracker, ``P`` reaches the utility ``F`` directly, ``TF`` only through
    the decision ``C``:

    >>> import cidlib
    >>> from cidlib import catalogue
    >>> tracker = catalogue.fitness_tracker()
    >>> print(cidlib.admits_direct_voc(tracker, "C", "P").witness)
    P -> F
    >>> bool(cidlib.admits_direct_voc(tracker, "C", "TF"))
    False
    """
    check_query(diagram, decision, node)
    return direct_search(diagram, decision).verdict(node, _direct_reason(diagram, node))


def _direct_reason(diagram: InfluenceDiagram, node: Hashable) -> str:
    if node in diagram.decisions:
        return (f"{node} is a decision, and value of control concerns nodes the agent does "
                "not choose")
    pa, _ = reduced_adjacency(diagram)
    if not reach(pa, diagram.utilities).keys() & {node}:
        return f"the minimal reduction has no directed path from {node} to a utility"
    return (f"every directed path from {node} to a utility in the minimal reduction passes "
            "through a decision")


def admits_indirect_voc(diagram: InfluenceDiagram, decision: Hashable, node: Hashable,
                        ) -> ControlValue:
    """Decide whether the graph admits indirect value of control on ``node`` for ``decision``.

    Returns
    -------
    ControlValue
        Truthy iff present; ``witness`` is a directed path ``node -> ... -> decision -> ...
        -> U`` in the minimal reduction and ``backdoor`` an active back-door path from
        ``node`` to the same ``U`` given ``Fa(decision) - {node}``.

    Examples
    --------
    In PyCID's fitness tracker, ``SC``, which the decision ``C`` observes, shares the cause
    ``P`` with the utility ``F``:

    >>> import cidlib
    >>> from cidlib import catalogue
    >>> tracker = catalogue.fitness_tracker()
    >>> found = cidlib.admits_indirect_voc(tracker, "C", "SC")
    >>> print(found.witness, "|", found.backdoor)
    SC -> C -> F | SC <- P -> F
    >>> bool(cidlib.admits_indirect_voc(tracker, "C", "TF"))
    False
    """
    check_query(diagram, decision, node)
    return indirect_one(diagram, decision, node).verdict(
        node, _indirect_reason(diagram, decision, node))


def _indirect_reason(diagram: InfluenceDiagram, decision: Hashable, node: Hashable) -> str:
    if node in diagram.decisions:
        return (f"{node} is a decision, and value of control concerns nodes the agent does "
                "not choose")
    pa, ch = reduced_adjacency(diagram)
    if node not in reach(pa, [decision]) or not (
            diagram.utilities & reach(ch, [decision]).keys()):
        return (f"the minimal reduction has no directed path from {node} through {decision} "
                "to a utility")
    return (f"no back-door path from {node} to a utility below {decision} is active given "
            f"{decision}'s other observations")


def direct_voc_nodes(diagram: InfluenceDiagram, decision: Hashable) -> frozenset[Hashable]:
    """Return every node with (graphically admissible) direct value of control.

    Examples
    --------
    >>> import cidlib
    >>> from cidlib import catalogue
    >>> sorted(cidlib.direct_voc_nodes(catalogue.fitness_tracker(), "C"))
    ['F', 'P']
    """
    check_query(diagram, decision)
    return direct_search(diagram, decision).nodes


def indirect_voc_nodes(diagram: InfluenceDiagram, decision: Hashable) -> frozenset[Hashable]:
    """Return every node with (graphically admissible) indirect value of control.

    Examples
    --------
    >>> import cidlib
    >>> from cidlib import catalogue
    >>> sorted(cidlib.indirect_voc_nodes(catalogue.fitness_tracker(), "C"))
    ['SC']
    """
    check_query(diagram, decision)
    return indirect_search(diagram, decision).nodes
