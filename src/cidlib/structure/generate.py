"""Random diagrams: the generators the tests and benchmarks draw from.

:func:`random_cid` and :func:`random_macid` draw a random order of the nodes, give each
agent its decisions and utilities so that every decision comes before one of its agent's
utilities, and add each edge ``(earlier, later)`` with probability ``density`` (never out of
a utility). Then every decision gets a directed path to one of its agent's utilities (an
edge to one, if it had none), and, with ``sufficient_recall=True``, every agent gets
sufficient recall: a decision that relies on an earlier decision of its agent is given that
decision and its parents as observations, which ends the reliance, until none is left.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Sequence

from cidlib.core.diagram import CID, MACID, InfluenceDiagram
from cidlib.core.search import reach
from cidlib.exceptions import ArgumentTypeError, InvalidQueryError, UnsupportedDiagramError
from cidlib.structure.relevance import s_reachable

__all__ = ["random_cid", "random_macid"]

ATTEMPTS = 1_000  # draws before giving up on max_in_degree
_PREFIX = {"d": "D", "u": "U", "c": "X"}


def _count(value: object, name: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ArgumentTypeError(f"{name} must be an int of at least {minimum}, not {value!r:.40}")
    return value


def _per_agent(value: int | Sequence[int], agents: int, name: str) -> list[int]:
    if isinstance(value, int) and not isinstance(value, bool):
        return [_count(value, name)] * agents
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise ArgumentTypeError(f"{name} must be an int or a list of ints, not {value!r:.40}")
    counts = [_count(v, name) for v in value]
    if len(counts) != agents:
        raise InvalidQueryError(f"{name} lists {len(counts)} numbers for {agents} agents")
    return counts


def _roles(rng: random.Random, n: int, decisions: list[int], utilities: list[int],
           ) -> list[tuple[str, int]]:
    """Return a random order of roles ``(kind, agent)``, decisions before a utility."""
    roles = [("d", a) for a, k in enumerate(decisions) for _ in range(k)]
    roles += [("u", a) for a, k in enumerate(utilities) for _ in range(k)]
    roles += [("c", -1)] * (n - len(roles))
    rng.shuffle(roles)
    for agent, count in enumerate(decisions):
        if not count:
            continue
        last_d = max(i for i, r in enumerate(roles) if r == ("d", agent))
        last_u = max(i for i, r in enumerate(roles) if r == ("u", agent))
        if last_u < last_d:
            roles[last_u], roles[last_d] = roles[last_d], roles[last_u]
    return roles


def _draw(rng: random.Random, n: int, decisions: list[int], utilities: list[int], *,
          density: float, cap: int | None, sufficient_recall: bool) -> InfluenceDiagram:
    roles = _roles(rng, n, decisions, utilities)
    counters = {"d": 0, "u": 0, "c": 0}
    names = []
    for kind, _ in roles:
        counters[kind] += 1
        names.append(f"{_PREFIX[kind]}{counters[kind]}")
    edges: set[tuple[str, str]] = set()
    for j in range(n):
        parents = [i for i in range(j) if roles[i][0] != "u" and rng.random() < density]
        if cap is not None and len(parents) > cap:
            parents = rng.sample(parents, cap)
        edges.update((names[i], names[j]) for i in parents)
    lists: dict[Hashable, list[Hashable]] = {v: [] for v in names}
    for a, b in edges:
        lists[a].append(b)
    children = {v: tuple(c) for v, c in lists.items()}
    for i, (kind, agent) in enumerate(roles):
        if kind != "d":
            continue
        own = [names[j] for j in range(i + 1, n) if roles[j] == ("u", agent)]
        if not set(own) & reach(children, [names[i]]).keys():  # give it a utility to affect
            utility = rng.choice(own)
            edges.add((names[i], utility))
            children[names[i]] += (utility,)
    spec: dict[Hashable, dict[str, list[Hashable]]] = {
        a + 1: {"decisions": [v for v, r in zip(names, roles, strict=True) if r == ("d", a)],
                "utilities": [v for v, r in zip(names, roles, strict=True) if r == ("u", a)]}
        for a in range(len(decisions))}
    diagram = MACID(sorted(edges), agents=spec, nodes=names)
    if sufficient_recall:
        diagram = _restore_recall(diagram, names)
    return diagram


def _restore_recall(diagram: InfluenceDiagram, order: list[str]) -> InfluenceDiagram:
    """Give each decision relying on an earlier one of its agent that one's family to observe."""
    position: dict[Hashable, int] = {v: i for i, v in enumerate(order)}

    def at(v: Hashable) -> int:
        return position[v]

    for later in sorted(diagram.decisions, key=at):
        earlier = {d for d in diagram.decisions_of(diagram.agent_of(later)) if at(d) < at(later)}
        while relied := sorted(s_reachable(diagram, later) & earlier, key=at):
            family = diagram.family(relied[0])
            diagram = diagram.add_edges([(v, later) for v in sorted(family, key=at)
                                         if v not in diagram.parents(later)])
    return diagram


def random_macid(
    n: int,
    *,
    agents: int = 2,
    decisions: int | Sequence[int] = 1,
    utilities: int | Sequence[int] = 1,
    density: float = 0.4,
    max_in_degree: int | None = None,
    sufficient_recall: bool = False,
    seed: int | random.Random | None = None,
) -> InfluenceDiagram:
    """Draw a random multi-agent diagram of ``n`` nodes.

    Parameters
    ----------
    n : int
        The number of nodes: decisions, utilities, and chance nodes for the rest.
    agents : int
        The agents, named ``1, ..., agents``.
    decisions, utilities : int or list of ints
        Per agent (one number for all, or one per agent). An agent with decisions needs a
        utility.
    density : float
        The probability of each edge from an earlier node to a later one.
    max_in_degree : int, optional
        The most parents a node may have: each node keeps a random ``max_in_degree`` of the
        parents drawn, and a diagram whose added links exceed it is drawn again.
    sufficient_recall : bool
        Add observations until every agent has sufficient recall.
    seed : int or random.Random, optional
        The same seed gives the same diagram.

    Returns
    -------
    InfluenceDiagram
        Decisions ``D1, D2, ...``, utilities ``U1, U2, ...`` and chance nodes ``X1, X2,
        ...``, numbered in a topological order.

    Raises
    ------
    UnsupportedDiagramError
        When no diagram with at most ``max_in_degree`` parents per node turns up in 1,000
        draws.

    Examples
    --------
    >>> import cidlib
    >>> game = cidlib.random_macid(8, agents=2, seed=3, sufficient_recall=True)
    >>> sorted(game.agents), len(game.nodes), len(game.decisions)
    ([1, 2], 8, 2)
    >>> all(cidlib.has_sufficient_recall(game, a) for a in game.agents)
    True
    """
    k = _count(agents, "agents", 1)
    per_d = _per_agent(decisions, k, "decisions")
    per_u = _per_agent(utilities, k, "utilities")
    total = _count(n, "n", 1)
    if sum(per_d) + sum(per_u) > total:
        raise InvalidQueryError(
            f"{sum(per_d)} decisions and {sum(per_u)} utilities do not fit in {total} nodes")
    lacking = [a + 1 for a in range(k) if per_d[a] and not per_u[a]]
    if lacking:
        raise InvalidQueryError(f"agent {lacking[0]} has decisions but no utility")
    if isinstance(density, bool) or not isinstance(density, (int, float)) or not (
            0 <= density <= 1):
        raise ArgumentTypeError(f"density must be a probability in [0, 1], not {density!r:.40}")
    cap = None if max_in_degree is None else _count(max_in_degree, "max_in_degree", 1)
    try:
        rng = seed if isinstance(seed, random.Random) else random.Random(seed)
    except TypeError:
        raise ArgumentTypeError(f"seed must be an int, a random.Random or None, not "
                                f"{seed!r:.40}") from None
    for _ in range(ATTEMPTS):
        diagram = _draw(rng, total, per_d, per_u, density=float(density), cap=cap,
                        sufficient_recall=sufficient_recall)
        if cap is None or all(len(diagram.pred[v]) <= cap for v in diagram.nodes):
            return diagram
    raise UnsupportedDiagramError(
        f"no diagram of {total} nodes with at most {cap} parents per node turned up in "
        f"{ATTEMPTS} draws; raise max_in_degree or lower density"
    )


def random_cid(
    n: int,
    *,
    decisions: int = 1,
    utilities: int = 1,
    density: float = 0.4,
    max_in_degree: int | None = None,
    sufficient_recall: bool = False,
    seed: int | random.Random | None = None,
) -> InfluenceDiagram:
    """Draw a random single-agent diagram of ``n`` nodes (see :func:`random_macid`).

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.random_cid(6, decisions=2, utilities=2, seed=0, sufficient_recall=True)
    >>> len(d.nodes), sorted(d.decisions), sorted(d.utilities)
    (6, ['D1', 'D2'], ['U1', 'U2'])
    >>> cidlib.has_sufficient_recall(d, 0)
    True
    >>> d == cidlib.random_cid(6, decisions=2, utilities=2, seed=0, sufficient_recall=True)
    True
    """
    game = random_macid(n, agents=1, decisions=decisions, utilities=utilities, density=density,
                        max_in_degree=max_in_degree, sufficient_recall=sufficient_recall,
                        seed=seed)
    return CID(game.edges, decisions=game.decisions, utilities=game.utilities, nodes=game.nodes)
