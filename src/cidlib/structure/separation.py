"""d-separation and directed paths on a diagram, with witnesses, in linear time.

Two nodes (or sets) are *d-separated* given a set ``Z`` when every path between them is
blocked: it has a chain or fork whose middle node is in ``Z``, or a collider that is neither in
``Z`` nor an ancestor of a node in ``Z``. d-separation is sound for every distribution that
factorises over the graph and complete in that a d-connection is a real dependence in some
such distribution (Geiger, Verma & Pearl 1990; Meek 1995). Every incentive criterion rests on
it.

Each question is one Bayes-ball pass (:mod:`cidlib.core.search`), so it costs
O(|V| + |E|); the witness is the pass's shortest active path. :func:`is_active` checks a path
against the definition, sharing no code with the search, so that tests can check the search.

References
----------
.. [1] R. D. Shachter. "Bayes-Ball: The Rational Pastime." UAI 1998.
.. [2] J. Pearl. "Probabilistic Reasoning in Intelligent Systems." 1988.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

from cidlib.core.checks import ensure_diagram
from cidlib.core.diagram import InfluenceDiagram
from cidlib.core.names import node_key
from cidlib.core.paths import Path
from cidlib.core.search import bayes_ball, reach, trace
from cidlib.exceptions import ArgumentTypeError, InvalidQueryError

__all__ = ["d_connected", "directed_path", "find_active_path", "is_active", "is_d_separated"]


def _nodes(diagram: InfluenceDiagram, arg: object, name: str) -> frozenset[Hashable]:
    """Validate a single node, or an iterable of nodes, and return them as a frozenset."""
    if arg in ensure_diagram(diagram):
        return frozenset([arg])
    if isinstance(arg, (str, bytes)) or not isinstance(arg, Iterable):
        diagram.require(arg)  # raises UnknownNodeError with a hint
    assert isinstance(arg, Iterable)
    items = list(arg)
    for n in items:
        diagram.require(n)
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
    return set(reach(diagram.pred, given))


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
    ball = bayes_ball(diagram.pred, diagram.succ, x, z, _closure(diagram, z))
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
    ball = bayes_ball(diagram.pred, diagram.succ, y, z, _closure(diagram, z))
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
    if not isinstance(path, Path):
        raise ArgumentTypeError(f"path must be a cidlib.Path, not {type(path).__name__}; "
                                "e.g. Path.directed(['A', 'B'])")
    for node in path.nodes:
        diagram.require(node)  # a path through a node that is not there is a question error
    if len(set(path.nodes)) != len(path.nodes) or path.start in z or path.end in z:
        return False
    if any(e not in diagram.edges for e in path.edges):
        return False
    opened: set[Hashable] | None = None
    for i in range(1, len(path.nodes) - 1):
        v = path.nodes[i]
        if path.forward[i - 1] and not path.forward[i]:
            if opened is None:
                opened = _closure(diagram, z)  # z and its ancestors, in one pass
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
    diagram.require(source)
    diagram.require(target)
    pointers = reach(diagram.pred, [target])
    if source not in pointers:
        return None
    return Path.directed(trace(pointers, source))
