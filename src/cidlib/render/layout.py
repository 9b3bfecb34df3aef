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
from dataclasses import dataclass
from itertools import pairwise

from cidlib.diagram import InfluenceDiagram, NodeKind, node_key
from cidlib.render.style import Style

__all__ = ["Layout", "NodeBox", "compute_layout"]

Point = tuple[float, float]
_SHAPES = {NodeKind.CHANCE: "circle", NodeKind.DECISION: "rect", NodeKind.UTILITY: "diamond"}
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

    def boundary(self, towards: Point, grow: float = 0.0) -> Point:
        """Return where the ray from the centre towards ``towards`` leaves the shape.

        The shape is grown by ``grow`` on every side.
        """
        dx, dy = towards[0] - self.x, towards[1] - self.y
        norm = math.hypot(dx, dy) or 1.0
        ux, uy = dx / norm, dy / norm
        hw, hh = self.width / 2 + grow, self.height / 2 + grow
        if self.shape == "circle":
            t = hw
        elif self.shape == "rect":
            t = min(hw / abs(ux) if ux else math.inf, hh / abs(uy) if uy else math.inf)
        else:
            t = 1 / (abs(ux) / hw + abs(uy) / hh)
        return (self.x + t * ux, self.y + t * uy)


@dataclass(frozen=True)
class Layout:
    """Node boxes and edge bends of a figure, in layout units."""

    boxes: Mapping[Hashable, NodeBox]
    bends: Mapping[tuple[Hashable, Hashable], float]

    def curve(self, edge: tuple[Hashable, Hashable]) -> tuple[Point, Point, Point]:
        """Start, control and end point of an edge's quadratic curve, clipped to the shapes.

        A straight edge has its control point halfway.
        """
        a, b = self.boxes[edge[0]], self.boxes[edge[1]]
        control = _control((a.x, a.y), (b.x, b.y), self.bends.get(edge, 0.0))
        return a.boundary(control), control, b.boundary(control)

    def bounds(self) -> tuple[float, float, float, float]:
        """``(xmin, xmax, ymin, ymax)`` of all shapes."""
        boxes = list(self.boxes.values())
        if not boxes:
            return (0.0, 1.0, 0.0, 1.0)
        return (min(b.x - b.width / 2 for b in boxes), max(b.x + b.width / 2 for b in boxes),
                min(b.y - b.height / 2 for b in boxes), max(b.y + b.height / 2 for b in boxes))


def _control(p: Point, q: Point, bend: float) -> Point:
    # The same convention as matplotlib's arc3: offset the midpoint by bend * (dy, -dx).
    (x1, y1), (x2, y2) = p, q
    return ((x1 + x2) / 2 + bend * (y2 - y1), (y1 + y2) / 2 - bend * (x2 - x1))


def _bezier(p: Point, c: Point, q: Point, steps: int = 24) -> list[Point]:
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
    layer: dict[Hashable, int] = {}
    for n in diagram.topological_order():
        layer[n] = max((layer[p] + 1 for p in diagram._pa[n]), default=0)
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
    given = {**diagram.positions, **(positions or {})}
    for n in given:
        diagram.kind(n)
    coords = _layered_coordinates(diagram, style)
    coords.update({n: (float(x), float(y)) for n, (x, y) in given.items()})
    boxes = {n: _box(diagram, n, style, *coords[n]) for n in diagram.topological_order()}
    bends = {}
    for u, v in sorted(diagram.edges, key=lambda e: (node_key(e[0]), node_key(e[1]))):
        bend = _bend(boxes, u, v)
        if bend:
            bends[(u, v)] = bend
    return Layout(boxes, bends)


def _bend(boxes: Mapping[Hashable, NodeBox], u: Hashable, v: Hashable) -> float:
    a, b = boxes[u], boxes[v]
    others = [box for n, box in boxes.items() if n not in (u, v)]
    margin = 0.06

    def worst(bend: float) -> float:
        points = _bezier((a.x, a.y), _control((a.x, a.y), (b.x, b.y), bend), (b.x, b.y))
        return min((clearance(points, o) for o in others), default=math.inf)

    if worst(0.0) > margin:
        return 0.0
    scored = [(worst(bend), -abs(bend), bend) for bend in _BENDS]
    clear = [bend for score, _, bend in scored if score > margin]
    return clear[0] if clear else max(scored)[2]


def _layered_coordinates(diagram: InfluenceDiagram, style: Style) -> dict[Hashable, Point]:
    layer = _layers(diagram)
    rank = {n: i for i, n in enumerate(diagram.topological_order())}
    # Integer ids: real nodes first, then dummies on long edges.
    ids = {n: i for i, n in enumerate(diagram.topological_order())}
    level = {ids[n]: layer[n] for n in ids}
    links: list[tuple[int, int]] = []
    for u, v in sorted(diagram.edges, key=lambda e: (rank[e[0]], rank[e[1]])):
        prev = ids[u]
        for lev in range(layer[u] + 1, layer[v]):
            dummy = len(level)
            level[dummy] = lev
            links.append((prev, dummy))
            prev = dummy
        links.append((prev, ids[v]))
    depth = max(level.values(), default=-1) + 1
    layers: list[list[int]] = [[] for _ in range(depth)]
    for i in sorted(level):
        layers[level[i]].append(i)
    preds: dict[int, list[int]] = {i: [] for i in level}
    succs: dict[int, list[int]] = {i: [] for i in level}
    for a, b in links:
        preds[b].append(a)
        succs[a].append(b)

    def total(order: list[list[int]]) -> int:
        return sum(_crossings(order[i], order[i + 1], links) for i in range(depth - 1))

    best, best_cross = [list(lay) for lay in layers], total(layers)
    for sweep in range(8):
        down = sweep % 2 == 0
        indices = range(1, depth) if down else range(depth - 2, -1, -1)
        for i in indices:
            ref = {v: k for k, v in enumerate(layers[i - 1 if down else i + 1])}
            current = {v: k for k, v in enumerate(layers[i])}

            def key(v: int, ref: dict[int, int] = ref, current: dict[int, int] = current,
                    down: bool = down) -> tuple[float, int]:
                near = [ref[w] for w in (preds[v] if down else succs[v]) if w in ref]
                return (sum(near) / len(near) if near else current[v], current[v])

            layers[i].sort(key=key)
        cross = total(layers)
        if cross < best_cross:
            best, best_cross = [list(lay) for lay in layers], cross
    # Heights: start evenly spaced, then pull towards neighbours, keeping order and spacing.
    gap = style.row_gap
    height = {v: k * gap - (len(lay) - 1) * gap / 2 for lay in best for k, v in enumerate(lay)}
    for _ in range(6):
        for lay in best:
            wanted = []
            for k, v in enumerate(lay):
                near = [height[w] for w in preds[v] + succs[v]]
                target = sum(near) / len(near) if near else height[v]
                wanted.append(target - k * gap)
            fitted = _isotonic(wanted)
            for k, v in enumerate(lay):
                height[v] = fitted[k] + k * gap
    return {n: (layer[n] * style.layer_gap, -height[ids[n]]) for n in ids}
