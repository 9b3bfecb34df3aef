"""The layout of a figure: one object that every back-end draws.

:func:`layout` places the nodes of a diagram in layers (every edge points right), orders each
layer to avoid crossings and routes each edge as a smooth curve that passes no other node or
ring. The result, a :class:`Layout`, is what :func:`cidlib.draw`, :func:`cidlib.to_tikz`
and :func:`cidlib.to_dot` draw; pass it to them with ``layout=`` after moving nodes with
:meth:`Layout.with_positions`.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from cidlib.core.checks import ensure_diagram
from cidlib.core.diagram import InfluenceDiagram
from cidlib.core.names import mapping_of, node_key, unknown
from cidlib.exceptions import CidlibError, InvalidQueryError, MissingDependencyError
from cidlib.incentives.report import IncentiveReport
from cidlib.render import graphviz
from cidlib.render.figure import check_style
from cidlib.render.layout import node_text, outline, place
from cidlib.render.marks import Marks, resolve_marks
from cidlib.render.routes import (
    BoxGrid,
    Curve,
    NodeBox,
    Point,
    direct,
    polyline_hits,
    sample,
    surroundings,
)
from cidlib.render.style import Style

__all__ = ["Layout", "layout"]

Edge = tuple[Hashable, Hashable]
_FAR = 1e6


@dataclass(frozen=True, repr=False)
class Layout:
    """Where a figure draws every node and edge, in layout units (y points up).

    One layout unit is ``Style.inch_per_unit`` inches in a matplotlib figure; adjacent
    layers are at least ``Style.layer_gap`` units apart. Every back-end draws the same
    layout, so a figure, its TikZ source and its DOT export agree.

    Attributes
    ----------
    positions : mapping
        ``{node: (x, y)}``, the centre of each node.
    sizes : mapping
        ``{node: (width, height)}`` of each node including the room for its rings.
    routes : mapping
        ``{(tail, head): ((x, y), ...)}``: a polyline that follows the drawn curve of each
        edge closely, from where it leaves the tail (or its outer ring) to the tip of its
        arrow.
    curves : mapping
        ``{(tail, head): (p0, c1, c2, p1, ...)}``: the drawn curve itself, as the control
        points of a piecewise cubic Bézier curve (3k + 1 points for k pieces).
    shapes : mapping
        ``{node: "circle" | "rect" | "diamond"}`` (chance, decision, utility).
    texts : mapping
        ``{node: text}``, each node's label wrapped onto lines.
    margins : mapping
        ``{node: room}``: how far the size reaches beyond the node's outline on each side,
        the room kept for its incentive rings.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"],
    ...                utilities=["U"])
    >>> lay = cidlib.layout(d)
    >>> lay.positions["S"][0] < lay.positions["D"][0] < lay.positions["U"][0]
    True
    >>> lay.shapes["D"], len(lay.routes)
    ('rect', 3)
    >>> moved = lay.with_positions({"S": (0.0, 3.0)})
    >>> moved.positions["S"]
    (0.0, 3.0)
    """

    positions: Mapping[Hashable, Point]
    sizes: Mapping[Hashable, tuple[float, float]]
    routes: Mapping[Edge, tuple[Point, ...]]
    curves: Mapping[Edge, Curve]
    shapes: Mapping[Hashable, str]
    texts: Mapping[Hashable, str]
    margins: Mapping[Hashable, float]

    def box(self, node: Hashable) -> NodeBox:
        """Return the node's shape grown by its margin: what no other edge may enter."""
        (x, y), (w, h) = self.positions[node], self.sizes[node]
        return NodeBox(x, y, self.shapes[node], w, h)

    def outline(self, node: Hashable) -> NodeBox:
        """Return the node's own shape, without the room for rings."""
        (x, y), (w, h), m = self.positions[node], self.sizes[node], self.margins[node]
        return NodeBox(x, y, self.shapes[node], w - 2 * m, h - 2 * m)

    def bounds(self) -> tuple[float, float, float, float]:
        """``(xmin, xmax, ymin, ymax)`` of every node (rings included) and curve."""
        xs: list[float] = []
        ys: list[float] = []
        for n, (x, y) in self.positions.items():
            w, h = self.sizes[n]
            xs += [x - w / 2, x + w / 2]
            ys += [y - h / 2, y + h / 2]
        for curve in self.curves.values():
            xs += [p[0] for p in curve]
            ys += [p[1] for p in curve]
        if not xs:
            return (0.0, 1.0, 0.0, 1.0)
        return (min(xs), max(xs), min(ys), max(ys))

    def with_positions(self, positions: Mapping[Hashable, tuple[float, float]]) -> Layout:
        """Return the layout with some nodes moved, and the edges they touch routed anew.

        A moved node's edges, and any other edge whose curve it would now sit on, become
        curves bent just enough to clear the other nodes.

        Raises
        ------
        UnknownNodeError
            For a node the layout does not have.
        InvalidQueryError
            For a position that is not a pair of finite numbers within +-1e6.
        """
        moves: dict[Hashable, Point] = {}
        for node, xy in mapping_of(positions, "positions").items():
            if node not in self.positions:
                unknown(node, self.positions)
            moves[node] = _point(node, xy)
        if not moves:
            return self
        placed = {**self.positions, **moves}
        moved = Layout(placed, self.sizes, self.routes, self.curves, self.shapes, self.texts,
                       self.margins)
        grid = BoxGrid({n: moved.box(n) for n in moves})
        stale = []
        for e, route in self.routes.items():
            if e[0] in moves or e[1] in moves:
                stale.append(e)
                continue
            xs, ys = [p[0] for p in route], [p[1] for p in route]
            near = grid.near(min(xs), max(xs), min(ys), max(ys))
            if any(polyline_hits(route, grid.boxes[n]) for n in sorted(near, key=node_key)):
                stale.append(e)
        return moved.rerouted(stale)

    def rerouted(self, edges: list[Edge]) -> Layout:
        """Return the layout with ``edges`` routed directly, around the other nodes."""
        everything = {n: self.box(n) for n in self.positions}
        grid = BoxGrid(everything)
        curves = dict(self.curves)
        for u, v in edges:
            a, b = everything[u], everything[v]
            near = grid.near(*surroundings(a, b)) - {u, v}
            curves[(u, v)] = direct(a, b, [everything[n] for n in sorted(near, key=node_key)])
        return Layout(self.positions, self.sizes, {e: sample(c) for e, c in curves.items()},
                      curves, self.shapes, self.texts, self.margins)

    def __repr__(self) -> str:
        xmin, xmax, ymin, ymax = self.bounds()
        return (f"Layout({len(self.positions)} nodes, {len(self.curves)} edges, "
                f"{xmax - xmin:.1f} x {ymax - ymin:.1f} units)")


def _point(node: Hashable, xy: object) -> Point:
    ok = (isinstance(xy, (tuple, list)) and len(xy) == 2
          and all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in xy))
    if ok:
        x, y = float(xy[0]), float(xy[1])  # type: ignore[index]
        if math.isfinite(x) and math.isfinite(y) and abs(x) <= _FAR and abs(y) <= _FAR:
            return (x, y)
    raise InvalidQueryError(f"position of node {node!r} is {xy!r:.60}; give a pair of finite "
                            f"numbers (x, y) within +-{_FAR:g} layout units")


ENGINES = ("auto", "dot", "cidlib")
DOT_LIMIT = 300
"""Nodes up to which ``engine="auto"`` uses dot: above, cidlib's engine is faster and
crosses less (bench/bench_layout.py)."""


def _engine(engine: object, nodes: int) -> str:
    if engine not in ENGINES:
        raise InvalidQueryError(f"engine must be one of {', '.join(map(repr, ENGINES))}, "
                                f"not {engine!r:.40}")
    if engine == "auto":
        return "dot" if nodes <= DOT_LIMIT and graphviz.command() is not None else "cidlib"
    if engine == "dot" and graphviz.command() is None:
        raise MissingDependencyError(
            f"engine='dot' needs the {graphviz.COMMAND!r} command; install it with "
            f"pip install {graphviz.COMMAND}, or use engine='cidlib'"
        )
    return str(engine)


def build(diagram: InfluenceDiagram, margins: Mapping[Hashable, float], style: Style,
          positions: Mapping[Hashable, tuple[float, float]] | None = None,
          engine: str = "auto") -> Layout:
    """Lay out ``diagram`` keeping ``margins`` around each node; given positions win."""
    # with_positions validates the positions: nodes of the diagram, finite pairs of numbers
    given = ensure_diagram(diagram).with_positions(positions or {}).positions
    for node, xy in given.items():
        _point(node, xy)
    chosen = _engine(engine, len(diagram))
    nodes = sorted(diagram.nodes, key=node_key)
    boxes = {}
    room = {n: float(margins.get(n, style.ring_room(0))) for n in nodes}
    for n in nodes:
        shape, w, h = outline(diagram, n, style)
        boxes[n] = NodeBox(0.0, 0.0, shape, w + 2 * room[n], h + 2 * room[n])
    sizes = {n: (boxes[n].width, boxes[n].height) for n in nodes}
    shapes = {n: boxes[n].shape for n in nodes}
    texts = {n: node_text(diagram, n, style) for n in nodes}
    edges = sorted(diagram.edges, key=lambda e: (node_key(e[0]), node_key(e[1])))
    if len(given) == len(nodes):  # every node placed by the user: route around them
        placed = {n: (float(x), float(y)) for n, (x, y) in given.items()}
        return Layout(placed, sizes, {}, {}, shapes, texts, room).rerouted(edges)
    found = graphviz.place_with_dot(diagram, boxes, style) if chosen == "dot" else None
    if found is None and engine == "dot":
        raise MissingDependencyError(
            f"the {graphviz.COMMAND!r} command failed on this diagram; use engine='cidlib'")
    centres, curves = found or place(diagram, boxes, style)
    lay = Layout(centres, sizes, {e: sample(curves[e]) for e in edges},
                 {e: curves[e] for e in edges}, shapes, texts, room)
    return lay.with_positions(dict(given))


def margins_for(marks: Marks, diagram: InfluenceDiagram, style: Style) -> dict[Hashable, float]:
    """Return the room for each node's rings."""
    return {n: marks.room(n, style) for n in diagram.nodes}


def shared_positions(before: InfluenceDiagram, after: InfluenceDiagram, style: Style,
                      marks: Sequence[Marks]) -> dict[Hashable, tuple[float, float]] | None:
    """Positions for both designs from the layout of their union, when it is acyclic."""
    try:
        union = InfluenceDiagram(before.nodes | after.nodes, before.edges | after.edges,
                                 labels={**before.labels, **after.labels})
    except CidlibError:
        return None
    margins = {n: max(m.room(n, style) for m in marks) for n in union.nodes}
    lay = build(union, margins, style, {**before.positions, **after.positions})
    return dict(lay.positions)


def resolve(diagram: InfluenceDiagram, given: object, marks: Marks, style: Style) -> Layout:
    """Return the layout a back-end draws.

    That is ``given`` if it is a :class:`Layout` that fits the diagram and its rings, else one
    computed with ``given`` as positions.
    """
    if not isinstance(given, Layout):
        return build(diagram, margins_for(marks, diagram, style), style,
                     mapping_of(given, "layout"))
    if set(given.positions) != set(diagram.nodes) or set(given.curves) != set(diagram.edges):
        raise InvalidQueryError(
            "the layout was made for another diagram (its nodes or edges differ); make it "
            "with cidlib.layout(diagram)"
        )
    for node in sorted(diagram.nodes, key=node_key):
        if marks.room(node, style) > given.margins[node] + 1e-9:
            raise InvalidQueryError(
                f"the layout keeps less room around {node!r} than its rings need; make it "
                "with the same report and decision: cidlib.layout(diagram, report=report)"
            )
    return given


def layout(
    diagram: InfluenceDiagram,
    *,
    report: IncentiveReport | None = None,
    decision: Hashable | None = None,
    show_trivial: bool = False,
    positions: Mapping[Hashable, tuple[float, float]] | None = None,
    style: Style | None = None,
    engine: str = "auto",
) -> Layout:
    """Lay out ``diagram`` for a figure: nodes in layers, few crossings, no edge through a node.

    Nodes go in layers from left to right so that every edge points right; each layer is
    ordered to reduce crossings (median and barycentre sweeps with transposition, the best of
    several starts); edges that skip layers pass between the nodes, and every edge curves
    only in the gaps between layers, leaving and entering its nodes horizontally at a port of
    its own. Each node keeps room for the rings that ``report`` (and ``decision``,
    ``show_trivial``) will draw around it, so draw the layout with the same arguments.

    Parameters
    ----------
    diagram : InfluenceDiagram
    report, decision, show_trivial
        The incentive rings to keep room for, as for :func:`cidlib.draw`.
    positions : mapping, optional
        ``{node: (x, y)}`` in layout units; they win over the automatic layout (as do the
        diagram's own positions), and the edges they touch are routed around other nodes.
    style : Style, optional
        Font size, label wrapping and gaps between layers and rows.

    Returns
    -------
    Layout

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("I", "C"),
    ...                 ("P", "C")], decisions=["P"], utilities=["C"])
    >>> report = cidlib.analyze(d)
    >>> lay = cidlib.layout(d, report=report)
    >>> lay.sizes["O"][0] > lay.sizes["C"][0] - 0.5  # O keeps room for three rings
    True
    >>> ax = cidlib.draw(d, report=report, layout=lay.with_positions({"C": (9.0, 0.0)}))
    """
    style = check_style(style)
    marks = resolve_marks(diagram, report, (), style, show_trivial=show_trivial,
                          decision=decision)
    return build(diagram, margins_for(marks, diagram, style), style, positions, engine)
