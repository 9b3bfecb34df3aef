"""Multi-decision value of information for every candidate node at once.

The complete criterion (van Merwijk et al. 2022) asks, for each candidate ``X`` of decision
``D``, whether the link ``X -> D`` survives the minimal d-reduction of ``G + (X -> D)``, and
whether that diagram is soluble. Asked one candidate at a time, that is a reduction and a
relevance graph per candidate. Here most candidates are decided by searches that all of them
share (docs/theory.md, "Several decisions", proves each step):

1. **Survival.** Let ``G*`` be the minimal d-reduction of ``G``. If ``X`` is d-connected to
   ``D``'s utilities given ``Fa(D)`` in ``G*``, and observing ``X`` as well leaves every
   requisite parent of ``D`` in ``G*`` d-connected, the link survives. ``D``'s ball in ``G*``
   answers the first test for every ``X``. Observing ``X`` can only disconnect a parent
   whose walk in that ball it cuts; for those few, a second walk or a short search finds
   another way, and what is left gets one exact bit-parallel pass (:func:`conditioned`).
2. **Solubility.** Adding ``X -> D`` changes another decision's ball only through new
   transitions at ``X`` and ``D`` (and new utilities when that decision is above ``X`` but
   not ``D``), so whether it relies on a decision ``B`` in ``G + (X -> D)`` follows from its
   ball in ``G`` and one search backwards from ``B``, for every ``X`` at once. ``D`` itself
   now observes ``X``: a reliance it has in ``G`` stays unless ``X`` cuts its walk (checked
   as in step 1); a new one needs the new bounce at ``X``, which only an ``X`` just below
   the backward search from ``B`` can give (checked in one bit-parallel pass).

The candidates left open (a link that only links deleted in ``G*`` could keep alive, or an
``X`` that screens off a requisite parent) are decided exactly by :func:`batch_voi`, which
runs the reductions and relevance graphs of all their diagrams at once: every candidate is
one bit of a Python integer, a node's state is the set (bitmask) of candidate diagrams in
which the search has reached it, an edge passes on the bits of the diagrams that contain it,
and an observed node blocks the bits of the diagrams in which it is observed. The tests
compare every step with one reduction per candidate and with a path-enumeration oracle.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from cidlib.core.checks import owner_utilities
from cidlib.core.diagram import InfluenceDiagram
from cidlib.core.names import node_key
from cidlib.core.search import Adjacency, Ball, State, reach
from cidlib.structure.reduction import (
    decision_ball,
    diagram_cache,
    fixpoint,
    reduced_adjacency,
)
from cidlib.structure.relevance import find_cycle

__all__: list[str] = []  # internal: used by cidlib.incentives.voi

States = tuple[set[Hashable], set[Hashable]]  # nodes in a state going up, going down
Pair = tuple[Hashable, Hashable]  # (A, B): decision A relies on decision B
Pointers = dict[Hashable, State | None]  # a ball's back pointers for one direction

# Limits on the cost of the quick checks, never on their answers: when more than SMALL
# candidates cut the ball's walks, a second walk that avoids them is found first; a search
# for a detour around one candidate gives up after LOCAL states and leaves it to the exact
# bit-parallel pass.
SMALL = 64
LOCAL = 300


# -- searches over Bayes-ball states ------------------------------------------------------------


def _sources_of(pa: Adjacency, ch: Adjacency, given: Collection[Hashable],
                opened: Collection[Hashable], state: State) -> Iterator[State]:
    """Yield the states from which Bayes-ball steps to ``state``.

    ``(w, up)`` is entered from ``(c, up)`` for an unobserved child ``c`` and from
    ``(c, down)`` for an opened child; ``(w, down)`` from both states of an unobserved parent.
    """
    w, is_up = state
    for v in (ch[w] if is_up else pa[w]):
        if v not in given:
            yield (v, True)
        if (v in opened) if is_up else (v not in given):
            yield (v, False)


def backward(pa: Adjacency, ch: Adjacency, given: Collection[Hashable],
             opened: Collection[Hashable], targets: Iterable[State]) -> States:
    """Return every Bayes-ball state from which one of ``targets`` can be reached."""
    seen = set(targets)
    work = list(seen)
    while work:
        for prev in _sources_of(pa, ch, given, opened, work.pop()):
            if prev not in seen:
                seen.add(prev)
                work.append(prev)
    return {v for v, is_up in seen if is_up}, {v for v, is_up in seen if not is_up}


def leaving(ball: Ball, v: Hashable) -> list[State]:
    """Return the states in which a ball leaves ``v`` towards a (new) parent of ``v``."""
    return [s for s in ((v, True), (v, False))
            if (v not in ball.given if s[1] else v in ball.opened)]


def conditioned(pa: Adjacency, ch: Adjacency, ball: Ball, sources: Iterable[Hashable],
                extra: Sequence[Hashable]) -> tuple[dict[Hashable, int], dict[Hashable, int]]:
    """Run ``ball`` again once per node of ``extra``, observed as well, bit-parallel.

    Bit ``i`` of a node's masks says that the ball given its observations and ``extra[i]``
    reaches the node going up (first mask) or down (second). Only ``extra[i]`` itself is
    opened in addition, not its ancestors: a ball that could bounce at an ancestor ``a`` of
    ``extra[i]`` goes down from ``a`` to ``extra[i]``, bounces there and comes back up to
    ``a``, reaching the same parents.
    """
    given, opened = ball.given, ball.opened
    full = (1 << len(extra)) - 1
    bit = {x: 1 << i for i, x in enumerate(extra)}
    up = dict.fromkeys(sources, full)
    down: dict[Hashable, int] = {}
    work: deque[tuple[Hashable, bool, int]] = deque((u, True, full) for u in up)
    while work:  # a state may wait several times, each time with bits new to it
        v, is_up, delta = work.popleft()
        free = 0 if v in given else delta & ~bit.get(v, 0)
        rise = free if is_up else (delta if v in opened else delta & bit.get(v, 0))
        if rise:
            for p in pa[v]:
                old = up.get(p, 0)
                new = rise & ~old
                if new:
                    up[p] = old | new
                    work.append((p, True, new))
        if free:
            for c in ch[v]:
                old = down.get(c, 0)
                new = free & ~old
                if new:
                    down[c] = old | new
                    work.append((c, False, new))
    return up, down


# -- which candidates, once observed, could stop a ball reaching a target ----------------------


def _cut(up: Pointers, down: Pointers, state: State) -> set[Hashable]:
    """Return the nodes whose observation cuts the pointer walk to ``state``.

    Observing a node cuts every transition out of its states but one: the bounce from
    ``(v, down)`` to its parents (observing ``v`` opens it). So a walk that passes ``v`` as
    a collider survives.
    """
    cut: set[Hashable] = set()
    at, prev = state, (up if state[1] else down)[state[0]]
    while prev is not None:
        if prev[1] or not at[1]:
            cut.add(prev[0])
        at, prev = prev, (up if prev[1] else down)[prev[0]]
    return cut


def _avoiding(pa: Adjacency, ch: Adjacency, ball: Ball, sources: Iterable[Hashable], *,
              avoid: Collection[Hashable], targets: Sequence[Collection[State]],
              ) -> tuple[dict[State, int], Pointers, Pointers]:
    """Find Bayes-ball walks that enter as few states of the ``avoid`` nodes as they can.

    A 0-1 breadth-first search over the ball's states: entering a state of an avoided node
    costs 1, any other 0. It stops once it has settled a state of each of ``targets``.
    Returns the cost of each state reached, and the up and down pointers.
    """
    cost: dict[State, int] = {}
    up: Pointers = {}
    down: Pointers = {}
    waiting: dict[State, list[int]] = {}
    for i, states in enumerate(targets):
        for t in states:
            waiting.setdefault(t, []).append(i)
    settled: set[int] = set()
    level: deque[State] = deque()  # states of cost c, breadth first
    later: deque[State] = deque()  # states of cost c + 1
    for u in sources:
        cost[(u, True)] = 0
        up[u] = None
        level.append((u, True))
    c = 0
    while (level or later) and len(settled) < len(targets):
        if not level:
            level, later, c = later, deque(), c + 1
        state = level.popleft()
        if cost[state] != c:
            continue
        settled.update(waiting.get(state, ()))
        v, is_up = state
        steps: list[State] = []
        if v not in ball.given:
            steps += [(w, False) for w in ch[v]]
        if (v not in ball.given) if is_up else (v in ball.opened):
            steps += [(w, True) for w in pa[v]]
        for nxt in steps:
            extra = 1 if nxt[0] in avoid else 0
            if cost.get(nxt, c + 2) > c + extra:
                cost[nxt] = c + extra
                (up if nxt[1] else down)[nxt[0]] = state
                (later if extra else level).append(nxt)
    return cost, up, down


def _avoids(ball: Ball, state: State, x: Hashable, memo: dict[State, bool]) -> bool:
    """Return whether the ball's pointer walk to ``state`` passes no state of ``x``."""
    walk = []
    at: State | None = state
    result = True
    while at is not None:
        if at in memo:
            result = memo[at]
            break
        if at[0] == x:
            result = False
            break
        walk.append(at)
        at = (ball.up if at[1] else ball.down)[at[0]]
    memo.update(dict.fromkeys(walk, result))
    return result


def _detour(pa: Adjacency, ch: Adjacency, ball: Ball, targets: Iterable[State],
            x: Hashable) -> bool:
    """Return True if the ball, given ``x`` as well, surely still reaches one of ``targets``.

    Observing ``x`` cuts the transitions out of its states except the bounce from
    ``(x, down)`` to its parents (and opens ``x``'s ancestors, which only adds transitions).
    This searches backwards from the targets, breadth first through states the ball
    reaches, for one whose pointer walk avoids ``x``, or for ``(x, down)`` reached without
    passing ``x`` when the search got there through the bounce. False means that no such
    state was found among :data:`LOCAL` states.
    """
    memo: dict[State, bool] = {}
    work = deque(t for t in targets if t[0] in (ball.up if t[1] else ball.down))
    seen = set(work)
    while work and len(seen) <= LOCAL:
        state = work.popleft()
        if state[0] == x:  # (x, down), entered by the bounce
            before = ball.down[x]
            if before is not None and _avoids(ball, before, x, memo):
                return True
        elif _avoids(ball, state, x, memo):
            return True
        previous = list(_sources_of(pa, ch, ball.given, ball.opened, state))
        if state[1] and x in ch[state[0]]:
            previous.append((x, False))
        for prev in previous:
            if prev not in seen and (prev[0] != x or (state[1] and not prev[1])) and (
                    prev[0] in (ball.up if prev[1] else ball.down)):
                seen.add(prev)
                work.append(prev)
    return False


def doubts(pa: Adjacency, ch: Adjacency, ball: Ball, sources: Iterable[Hashable], *,
           targets: dict[Hashable, list[State]], xs: Collection[Hashable]) -> set[Hashable]:
    """Return the nodes of ``xs`` whose observation might stop ``ball`` reaching a target.

    ``targets`` maps keys to states, one of which at least the ball reaches. A node that
    does not cut the ball's walk to one of a key's states leaves that walk intact. When many
    nodes cut some walk, a second walk per key, avoiding them wherever it can, clears most;
    each node left is then looked at from its target backwards (:func:`_detour`). The nodes
    returned need the exact pass.
    """
    cut: dict[Hashable, set[Hashable]] = {}
    reached: dict[Hashable, list[State]] = {}
    for key, states in targets.items():
        reached[key] = [t for t in states if t[0] in (ball.up if t[1] else ball.down)]
        cut[key] = min((_cut(ball.up, ball.down, t).intersection(xs) for t in reached[key]),
                       key=len)
    avoid = set().union(*cut.values())
    if len(avoid) > SMALL:
        keys = [key for key in targets if cut[key]]
        cost, up, down = _avoiding(pa, ch, ball, sources, avoid=avoid,
                                   targets=[reached[k] for k in keys])
        for key in keys:
            best = min((t for t in reached[key] if t in cost), key=cost.__getitem__)
            cut[key] &= _cut(up, down, best)
    return {x for key, nodes in cut.items() for x in nodes
            if not _detour(pa, ch, ball, reached[key], x)}


# -- each decision's ball in G, shared by every candidate of every decision --------------------


@dataclass
class DecisionSearch:
    """A decision's utility ball in ``G`` (given its family), and searches derived from it."""

    ball: Ball
    below: Collection[Hashable]  # reflexive descendants of the decision
    sources: frozenset[Hashable]  # its owner's utilities below it
    relied: frozenset[Hashable]  # the owner's decisions it relies on
    back: dict[Hashable, States] = field(default_factory=dict)

    def leads_to(self, d: InfluenceDiagram, v: Hashable) -> States:
        """Return the states from which the ball can go on to leave ``v`` upwards."""
        if v not in self.back:
            b = self.ball
            self.back[v] = backward(d.pred, d.succ, b.given, b.opened, leaving(b, v))
        return self.back[v]


_SEARCHES = diagram_cache()  # diagram -> {decision: DecisionSearch}


def decision_search(diagram: InfluenceDiagram, decision: Hashable) -> DecisionSearch:
    """Return ``decision``'s utility ball in the diagram, cached per diagram."""
    cache: dict[Hashable, DecisionSearch] = _SEARCHES.setdefault(diagram, {})
    if decision not in cache:
        below, ball = decision_ball(diagram, decision)
        own = diagram.decisions_of(diagram.agent_of(decision))
        cache[decision] = DecisionSearch(
            ball, below.keys(),
            frozenset(u for u in owner_utilities(diagram, decision) if u in below),
            frozenset(e for e in own if e != decision and
                      any(e in (ball.up if s[1] else ball.down) for s in leaving(ball, e))))
    return cache[decision]


# -- step 1: links that survive the reduction ----------------------------------------------------


def survivors(diagram: InfluenceDiagram, decision: Hashable,
              candidates: Collection[Hashable]) -> tuple[frozenset[Hashable], frozenset[Hashable]]:
    """Split ``candidates`` into links that survive, and the others (still open).

    A candidate ``X`` is in the first set when ``X -> decision`` surely survives the minimal
    d-reduction of ``G + (X -> decision)`` (step 1 of the module docstring).
    """
    rpa, rch = reduced_adjacency(diagram)
    below, ball = decision_ball(diagram, decision, reduced=True)
    kept = {x for x in candidates if x in ball.up or x in ball.down}
    sources = [u for u in owner_utilities(diagram, decision) if u in below]
    targets = {w: [(w, True), (w, False)] for w in rpa[decision]}
    doubt = doubts(rpa, rch, ball, sources, targets=targets, xs=kept)
    if doubt:
        checked = sorted(doubt, key=node_key)
        up, down = conditioned(rpa, rch, ball, sources, checked)
        still = (1 << len(checked)) - 1
        for w in rpa[decision]:
            still &= up.get(w, 0) | down.get(w, 0)
        kept -= {x for i, x in enumerate(checked) if not still >> i & 1}
    sure = frozenset(kept)
    return sure, frozenset(candidates) - sure


# -- step 2: the relevance graph of G + (X -> D), for every candidate X at once -----------------


def reliance_with_link(diagram: InfluenceDiagram, decision: Hashable,
                       candidates: Collection[Hashable]) -> dict[Pair, frozenset[Hashable]]:
    """Return the relevance graph of ``G + (X -> decision)`` for every candidate ``X``.

    It maps each pair ``(A, B)`` of the owner's decisions to the candidates ``X`` for which
    ``A`` relies on ``B`` in that diagram. ``candidates`` must be nodes that ``decision`` does
    not observe, not below it and not utilities. Exact (step 2 of the module docstring).
    """
    xs = frozenset(candidates)
    own = _own_decisions(diagram, decision)
    out: dict[Pair, frozenset[Hashable]] = {}
    for a in own:
        if a != decision:
            out.update(_other_reliance(diagram, decision, a, own, xs))
    out.update(_own_reliance(diagram, decision, xs, [e for e in own if e != decision]))
    return out


def _own_decisions(diagram: InfluenceDiagram, decision: Hashable) -> list[Hashable]:
    return sorted(diagram.decisions_of(diagram.agent_of(decision)), key=node_key)


def _other_reliance(d: InfluenceDiagram, decision: Hashable, a: Hashable,
                    own: Sequence[Hashable], xs: frozenset[Hashable],
                    ) -> dict[Pair, frozenset[Hashable]]:
    """Return the reliance of ``a``, not ``decision``: the new link only adds to its ball."""
    s = decision_search(d, a)
    b = s.ball
    home = decision_search(d, decision)
    out: dict[Pair, frozenset[Hashable]] = {}
    others = [e for e in own if e != a]
    if a in home.below:
        # D is an ancestor of a, so opened. New transitions: (X, up or down) -> (D, down) for
        # an unobserved X, and (D, down) or (D, up) -> (X, up); once one fires, all do.
        if decision in s.relied:
            fire = xs.difference(b.given)
        else:
            fire = frozenset(x for x in xs if (x in b.up or x in b.down) and x not in b.given)
        for other in others:
            if other in s.relied:
                out[(a, other)] = xs
            elif not fire:
                out[(a, other)] = fire
            else:
                rising, falling = s.leads_to(d, other)
                out[(a, other)] = fire if decision in falling else fire & rising
        return out
    # D is not opened: (D, down) goes only down below D, where nothing is opened, and
    # (D, up) -> (X, up). When a is above X (and not above D), D's utilities become its own.
    above = xs.intersection(s.below)
    fresh = [u for u in owner_utilities(d, a) if u in home.below and u not in s.sources]
    for other in others:
        if other in s.relied:
            out[(a, other)] = xs
            continue
        rising = s.leads_to(d, other)[0]
        found = above if any(u in rising for u in fresh) else frozenset()
        if decision in s.relied:
            found |= xs & rising
        elif any(u in s.leads_to(d, decision)[0] for u in fresh):
            found |= above & rising
        out[(a, other)] = found
    return out


def _own_reliance(d: InfluenceDiagram, decision: Hashable, xs: frozenset[Hashable],
                  others: Sequence[Hashable]) -> dict[Pair, frozenset[Hashable]]:
    """Return the reliance of ``decision`` on each of ``others``, now that it observes X."""
    home = decision_search(d, decision)
    b = home.ball
    exact: set[Hashable] = set(xs & d.decisions)  # their own states change
    targets = {other: leaving(b, other) for other in others if other in home.relied}
    exact |= doubts(d.pred, d.succ, b, home.sources, targets=targets, xs=xs)
    for other in others:
        if other not in home.relied:
            for p in home.leads_to(d, other)[0]:
                exact.update(x for x in d.succ[p]
                             if x in xs and x in b.down and x not in b.opened)
    checked = sorted(exact, key=node_key)
    up, down = conditioned(d.pred, d.succ, b, home.sources, checked) if checked else ({}, {})
    out: dict[Pair, frozenset[Hashable]] = {}
    for other in others:
        found = set(xs.difference(exact)) if other in home.relied else set()
        for i, x in enumerate(checked):
            if other == x:  # observed now: it leaves upwards only when reached from a parent
                hit = down.get(other, 0) >> i & 1
            else:
                hit = ((other not in b.given and up.get(other, 0) >> i & 1)
                       or (other in b.opened and down.get(other, 0) >> i & 1))
            if hit:
                found.add(x)
        out[(decision, other)] = frozenset(found)
    return out


# -- the answer ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """VoI of new links into one decision.

    The candidates with VoI, those where it is undetermined, the candidates whose link the
    shortcuts showed to survive (the others went to :func:`batch_voi`), and a relevance cycle
    for each of those that is undetermined.
    """

    found: frozenset[Hashable]
    unknown: frozenset[Hashable]
    survived: frozenset[Hashable]
    cycles: dict[Hashable, list[Hashable]]


def new_link_voi(diagram: InfluenceDiagram, decision: Hashable,
                 candidates: Collection[Hashable]) -> Answer:
    """Decide VoI for new links ``X -> decision``, every ``X`` in ``candidates`` at once.

    The candidates must not be parents or descendants of ``decision`` (nor utilities), and
    the diagram must have a single agent.
    """
    sure, rest = survivors(diagram, decision, candidates)
    cycles = _cycles(diagram, decision, sure) if sure else {}
    found = {x for x in sure if x not in cycles}
    unknown = set(cycles)
    if rest:
        more, undecided = batch_voi(diagram, decision, sorted(rest, key=node_key))
        found |= more
        unknown |= undecided
    return Answer(frozenset(found), frozenset(unknown), sure, cycles)


def _cycles(d: InfluenceDiagram, decision: Hashable,
            xs: frozenset[Hashable]) -> dict[Hashable, list[Hashable]]:
    """Return a relevance cycle of ``G + (X -> decision)`` for each ``X`` of ``xs`` with one."""
    own = _own_decisions(d, decision)
    pairs: dict[Pair, frozenset[Hashable]] = {}
    for a in own:
        if a != decision:
            pairs.update(_other_reliance(d, decision, a, own, xs))
    always = [p for p, where in pairs.items() if len(where) == len(xs)]
    cycle = find_cycle(own, always)
    if cycle is not None:  # the other decisions rely on each other in a cycle, whatever X
        return dict.fromkeys(xs, cycle)
    # decision's reliance on B can close a cycle only if B leads back to decision
    relied_by: dict[Hashable, tuple[Hashable, ...]] = dict.fromkeys(own, ())
    for (a, b), where in pairs.items():
        if where:
            relied_by[b] += (a,)
    back = reach(relied_by, [decision])
    pairs.update(_own_reliance(d, decision, xs, [e for e in own if e != decision and e in back]))
    always = [p for p, where in pairs.items() if len(where) == len(xs)]
    extra: dict[Hashable, list[Pair]] = {}
    for p, where in pairs.items():
        if len(where) < len(xs):
            for x in where:
                extra.setdefault(x, []).append(p)
    verdicts: dict[tuple[Pair, ...], list[Hashable] | None] = {}
    out: dict[Hashable, list[Hashable]] = {}
    for x in xs:
        key = tuple(extra.get(x, ()))
        if key not in verdicts:
            verdicts[key] = find_cycle(own, [*always, *key])
        found = verdicts[key]
        if found is not None:
            out[x] = found
    return out


# -- the exact fallback: every candidate diagram at once, one bit each -------------------------


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
