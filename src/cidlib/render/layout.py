"""A deterministic layered layout for influence diagrams, in pure Python (no Graphviz).

The Sugiyama recipe, small enough to read:

1. **Layers.** Each node goes one layer right of its furthest parent (longest path from the
   roots), so every edge points rightwards. Edges that skip layers get invisible dummy
   nodes, so they take part in the ordering.
2. **Order within layers.** Barycentre sweeps, alternately left-to-right and right-to-left;
   the order with the fewest crossings is kept.
3. **Coordinates.** Each node moves towards the mean height of its neighbours while its
   layer keeps its order and spacing: an isotonic regression (pool adjacent violators) per
   layer, a few rounds.
4. **Edges.** An edge whose straight line would pass through another node is bent (a
   quadratic curve) just enough to clear it.

Node shapes are sized to their wrapped labels. Positions the user gives win.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, replace
from itertools import pairwise

from cidlib.core.checks import ensure_diagram
from cidlib.core.diagram import InfluenceDiagram, NodeKind
from cidlib.core.names import node_key
from cidlib.exceptions import InvalidQueryError
from cidlib.render.style import Style

__all__: list[str] = []  # internal: the layout every back-end draws

Point = tuple[float, float]
_SHAPES = {NodeKind.CHANCE: "circle", NodeKind.DECISION: "rect", NodeKind.UTILITY: "diamond"}
_FAR = 1e6
_BENDS = (0.12, -0.12, 0.2, -0.2, 0.3, -0.3, 0.4, -0.4, 0.55, -0.55, 0.7, -0.7, 0.9, -0.9)


@dataclass(frozen=True)
class NodeBox:
    """Where a node is drawn: centre, shape, size and its wrapped text."""

    x: float
    y: float
    shape: str
    width: float
    height: float
    text: str

    @property
    def radius(self) -> float:
        """Radius of a circle that contains the shape."""
        if self.shape == "circle":
            return self.width / 2
        if self.shape == "diamond":
            return max(self.width, self.height) / 2
        return math.hypot(self.width, self.height) / 2

    def contains(self, point: Point, grow: float = 0.0) -> bool:
        """Whether ``point`` lies inside the shape grown by ``grow`` on every side."""
        dx, dy = abs(point[0] - self.x), abs(point[1] - self.y)
        hw, hh = self.width / 2 + grow, self.height / 2 + grow
        if self.shape == "circle":
            return math.hypot(dx, dy) <= hw
        if self.shape == "rect":
            return dx <= hw and dy <= hh
        return dx / hw + dy / hh <= 1


def _exit(curve: tuple[Point, Point, Point], box: NodeBox, grow: float, start: bool) -> float:
    """Return the curve parameter where it leaves ``box`` (from the start or the end).

    Bisection on "inside the shape": the curve starts inside and is outside by its middle
    (it reaches the other node).
    """
    inside, outside = (0.0, 0.5) if start else (1.0, 0.5)
    for _ in range(40):
        middle = (inside + outside) / 2
        if box.contains(_point(curve, middle), grow):
            inside = middle
        else:
            outside = middle
    return outside


def _point(curve: tuple[Point, Point, Point], t: float) -> Point:
    (x0, y0), (x1, y1), (x2, y2) = curve
    a, b, c = (1 - t) ** 2, 2 * t * (1 - t), t * t
    return (a * x0 + b * x1 + c * x2, a * y0 + b * y1 + c * y2)


@dataclass(frozen=True)
class Layout:
    """Node boxes and edge bends of a figure, in layout units."""

    boxes: Mapping[Hashable, NodeBox]
    bends: Mapping[tuple[Hashable, Hashable], float]

    def curve(
        self, edge: tuple[Hashable, Hashable], room: tuple[float, float] = (0.0, 0.0),
        offset: float = 0.0,
    ) -> tuple[Point, Point, Point]:
        """Return start, control and end point of an edge's quadratic curve.

        The curve is the one from centre to centre that the layout checked for clearance,
        cut where it leaves the two shapes grown by ``room`` (space for rings); a straight
        edge has its control point halfway. ``offset`` shifts the whole curve sideways, for
        drawing several highlighted paths along one edge.
        """
        a, b = self.boxes[edge[0]], self.boxes[edge[1]]
        full = ((a.x, a.y), control_point((a.x, a.y), (b.x, b.y), self.bends.get(edge, 0.0)),
                (b.x, b.y))
        if a.contains((b.x, b.y), room[0]) or b.contains((a.x, a.y), room[1]):
            return full  # the shapes overlap (user positions): nothing sensible to cut
        t0, t1 = _exit(full, a, room[0], True), _exit(full, b, room[1], False)
        # the piece of a quadratic between t0 and t1 is a quadratic: its control point is
        # the curve's blossom at (t0, t1)
        (x0, y0), (x1, y1), (x2, y2) = full
        w0, w1, w2 = (1 - t0) * (1 - t1), (1 - t0) * t1 + t0 * (1 - t1), t0 * t1
        control = (w0 * x0 + w1 * x1 + w2 * x2, w0 * y0 + w1 * y1 + w2 * y2)
        start, end = _point(full, t0), _point(full, t1)
        if not offset:
            return start, control, end
        dx, dy = end[0] - start[0], end[1] - start[1]
        norm = math.hypot(dx, dy) or 1.0
        nx, ny = -dy / norm * offset, dx / norm * offset
        return ((start[0] + nx, start[1] + ny), (control[0] + nx, control[1] + ny),
                (end[0] + nx, end[1] + ny))

    def bounds(self) -> tuple[float, float, float, float]:
        """``(xmin, xmax, ymin, ymax)`` of all shapes."""
        boxes = list(self.boxes.values())
        if not boxes:
            return (0.0, 1.0, 0.0, 1.0)
        return (min(b.x - b.width / 2 for b in boxes), max(b.x + b.width / 2 for b in boxes),
                min(b.y - b.height / 2 for b in boxes), max(b.y + b.height / 2 for b in boxes))


def control_point(p: Point, q: Point, bend: float) -> Point:
    # The same convention as matplotlib's arc3: offset the midpoint by bend * (dy, -dx).
    (x1, y1), (x2, y2) = p, q
    return ((x1 + x2) / 2 + bend * (y2 - y1), (y1 + y2) / 2 - bend * (x2 - x1))


def bezier(p: Point, c: Point, q: Point, steps: int = 24) -> list[Point]:
    out = []
    for i in range(steps + 1):
        t = i / steps
        a, b, w = (1 - t) ** 2, 2 * t * (1 - t), t**2
        out.append((a * p[0] + b * c[0] + w * q[0], a * p[1] + b * c[1] + w * q[1]))
    return out


def _segment_distance(pt: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = pt, a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if not length2 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def clearance(points: list[Point], box: NodeBox) -> float:
    """Least distance from a polyline to ``box``'s centre, minus the box's radius."""
    centre = (box.x, box.y)
    return min(_segment_distance(centre, a, b) for a, b in pairwise(points)) - box.radius


def _box(diagram: InfluenceDiagram, node: Hashable, style: Style, x: float, y: float) -> NodeBox:
    text = "\n".join(textwrap.wrap(diagram.labels.get(node, str(node)), style.wrap) or [""])
    lines = text.split("\n")
    unit = style.font_size / 72 / style.inch_per_unit  # one point, in layout units
    tw = max(len(line) for line in lines) * 0.6 * unit
    th = len(lines) * 1.25 * unit
    pad = 0.16
    shape = _SHAPES[diagram.kind(node)]
    if shape == "circle":
        w = h = max(0.72, math.hypot(tw, th) + pad)
    elif shape == "rect":
        w, h = max(0.8, tw + 2 * pad), max(0.55, th + 2 * pad)
    else:
        w, h = max(0.9, 2 * tw + pad), max(0.75, 2 * th + pad)
    return NodeBox(x, y, shape, w, h, text)


def _layers(diagram: InfluenceDiagram) -> dict[Hashable, int]:
    """Assign layers: longest path from the roots, then pull nodes towards their children.

    Each node moves right up to just before its nearest child: shorter edges, fewer dummy
    nodes, and its parents only ever get more room.
    """
    layer: dict[Hashable, int] = {}
    for n in diagram.topological_order():
        layer[n] = max((layer[p] + 1 for p in diagram.pred[n]), default=0)
    for n in reversed(diagram.topological_order()):
        if diagram.succ[n]:
            layer[n] = max(layer[n], min(layer[c] for c in diagram.succ[n]) - 1)
    return layer


def _crossings(upper: list[int], lower: list[int], links: list[tuple[int, int]]) -> int:
    pos_u = {v: i for i, v in enumerate(upper)}
    pos_l = {v: i for i, v in enumerate(lower)}
    pairs = sorted((pos_u[a], pos_l[b]) for a, b in links if a in pos_u and b in pos_l)
    return sum(1 for i, (a1, b1) in enumerate(pairs) for a2, b2 in pairs[i + 1:]
               if a1 != a2 and b2 < b1)


def _isotonic(values: list[float]) -> list[float]:
    """Least-squares non-decreasing fit (pool adjacent violators)."""
    blocks: list[list[float]] = []  # [mean, weight]
    for v in values:
        blocks.append([v, 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, w2 = blocks.pop()
            m1, w1 = blocks.pop()
            blocks.append([(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2])
    out: list[float] = []
    for mean, weight in blocks:
        out.extend([mean] * int(weight))
    return out


def compute_layout(
    diagram: InfluenceDiagram,
    positions: Mapping[Hashable, tuple[float, float]] | None = None,
    style: Style | None = None,
) -> Layout:
    """Lay out ``diagram``; ``positions`` (and the diagram's own) override computed ones.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"],
    ...                utilities=["U"])
    >>> lay = compute_layout(d)
    >>> [lay.boxes[n].shape for n in ("S", "D", "U")]
    ['circle', 'rect', 'diamond']
    >>> lay.boxes["S"].x < lay.boxes["D"].x < lay.boxes["U"].x
    True
    """
    style = style or Style()
    # with_positions validates the positions: nodes of the diagram, finite pairs of numbers
    given = ensure_diagram(diagram).with_positions(positions or {}).positions
    if any(abs(c) > _FAR for xy in given.values() for c in xy):
        raise InvalidQueryError(f"positions must lie within +-{_FAR:g} layout units")
    sizes = {n: _box(diagram, n, style, 0.0, 0.0) for n in diagram.topological_order()}
    coords = _layered_coordinates(diagram, style, sizes)
    coords.update({n: (float(x), float(y)) for n, (x, y) in given.items()})
    boxes = {n: replace(box, x=coords[n][0], y=coords[n][1]) for n, box in sizes.items()}
    bends = {}
    for u, v in sorted(diagram.edges, key=lambda e: (node_key(e[0]), node_key(e[1]))):
        bend = _bend(boxes, u, v)
        if bend:
            bends[(u, v)] = bend
    return Layout(boxes, bends)


def _bend(boxes: Mapping[Hashable, NodeBox], u: Hashable, v: Hashable) -> float:
    a, b = boxes[u], boxes[v]
    margin = 0.06
    # A curve with bend k strays at most |k| * length / 2 from its chord: only nodes that
    # close to the chord can be in the way.
    reach_out = max(map(abs, _BENDS)) * math.hypot(b.x - a.x, b.y - a.y) / 2 + margin
    chord = [(a.x, a.y), (b.x, b.y)]
    others = [box for n, box in boxes.items()
              if n not in (u, v) and clearance(chord, box) < reach_out]

    def worst(bend: float) -> float:
        points = bezier((a.x, a.y), control_point((a.x, a.y), (b.x, b.y), bend), (b.x, b.y))
        return min((clearance(points, o) for o in others), default=math.inf)

    if worst(0.0) > margin:
        return 0.0
    scored = [(worst(bend), -abs(bend), bend) for bend in _BENDS]
    clear = [bend for score, _, bend in scored if score > margin]
    return clear[0] if clear else max(scored)[2]


@dataclass
class _Layering:
    """Layers of node ids (real nodes first, then dummies on long edges) and their links."""

    ids: dict[Hashable, int]
    layers: list[list[int]]
    preds: dict[int, list[int]]
    succs: dict[int, list[int]]
    links: list[tuple[int, int]]

    def crossings(self) -> int:
        return sum(_crossings(a, b, self.links) for a, b in pairwise(self.layers))


def _layering(diagram: InfluenceDiagram) -> _Layering:
    """Step 1: layers by longest path, with dummy nodes on edges that skip layers."""
    layer = _layers(diagram)
    ids = {n: i for i, n in enumerate(diagram.topological_order())}
    level = {ids[n]: layer[n] for n in ids}
    links: list[tuple[int, int]] = []
    for u, v in sorted(diagram.edges, key=lambda e: (ids[e[0]], ids[e[1]])):
        prev = ids[u]
        for lev in range(layer[u] + 1, layer[v]):
            dummy = len(level)
            level[dummy] = lev
            links.append((prev, dummy))
            prev = dummy
        links.append((prev, ids[v]))
    layers: list[list[int]] = [[] for _ in range(max(level.values(), default=-1) + 1)]
    for i in sorted(level):
        layers[level[i]].append(i)
    preds: dict[int, list[int]] = {i: [] for i in level}
    succs: dict[int, list[int]] = {i: [] for i in level}
    for a, b in links:
        preds[b].append(a)
        succs[a].append(b)
    return _Layering(ids, layers, preds, succs, links)


def _reduce_crossings(lay: _Layering, sweeps: int = 8) -> list[list[int]]:
    """Step 2: barycentre sweeps; return the order with the fewest crossings."""
    layers = [list(layer) for layer in lay.layers]
    best, best_cross = [list(layer) for layer in layers], lay.crossings()
    for sweep in range(sweeps):
        down = sweep % 2 == 0
        indices = range(1, len(layers)) if down else range(len(layers) - 2, -1, -1)
        for i in indices:
            ref = {v: k for k, v in enumerate(layers[i - 1 if down else i + 1])}
            current = {v: k for k, v in enumerate(layers[i])}
            near = lay.preds if down else lay.succs

            def key(v: int, ref: dict[int, int] = ref, current: dict[int, int] = current,
                    near: dict[int, list[int]] = near) -> tuple[float, int]:
                seen = [ref[w] for w in near[v] if w in ref]
                return (sum(seen) / len(seen) if seen else current[v], current[v])

            layers[i].sort(key=key)
        cross = _Layering(lay.ids, layers, lay.preds, lay.succs, lay.links).crossings()
        if cross < best_cross:
            best, best_cross = [list(layer) for layer in layers], cross
    return best


def _layered_coordinates(
    diagram: InfluenceDiagram, style: Style, sizes: Mapping[Hashable, NodeBox]
) -> dict[Hashable, Point]:
    """Lay out in three steps: layers, order within layers, then coordinates.

    Heights start packed, then move towards the mean of their neighbours while each layer
    keeps its order and spacing. Gaps leave room for three rings around a node (a node has
    at most three incentives of one decision: a response incentive and an instrumental
    control incentive exclude each other).
    """
    lay = _layering(diagram)
    order = _reduce_crossings(lay)
    room = 2 * style.ring_room(3)
    boxes = {lay.ids[n]: sizes[n] for n in lay.ids}

    def extent(v: int, vertical: bool) -> float:
        box = boxes.get(v)
        if box is None:
            return 0.3  # a dummy: just the edge passing through
        return (box.height if vertical else box.width) + room

    offsets = []
    for layer in order:
        offset = [0.0]
        for a, b in pairwise(layer):
            need = (extent(a, True) + extent(b, True)) / 2 + 0.12
            dummy = a not in boxes or b not in boxes  # an edge passing: no need for a full row
            offset.append(offset[-1] + (need if dummy else max(style.row_gap, need)))
        offsets.append(offset)
    height = {v: off[k] - off[-1] / 2 for layer, off in zip(order, offsets, strict=True)
              for k, v in enumerate(layer)}
    for _ in range(6):
        for layer, off in zip(order, offsets, strict=True):
            wanted = []
            for k, v in enumerate(layer):
                near = [height[w] for w in lay.preds[v] + lay.succs[v]]
                wanted.append((sum(near) / len(near) if near else height[v]) - off[k])
            for k, (v, fitted) in enumerate(zip(layer, _isotonic(wanted), strict=True)):
                height[v] = fitted + off[k]
    xs = [0.0]
    for left, right in pairwise(order):
        need = (max((extent(v, False) for v in left), default=0.0)
                + max((extent(v, False) for v in right), default=0.0)) / 2 + 0.5
        xs.append(xs[-1] + max(style.layer_gap, need))
    layer_of = {v: i for i, layer in enumerate(order) for v in layer}
    return {n: (xs[layer_of[i]], -height[i]) for n, i in lay.ids.items()}
