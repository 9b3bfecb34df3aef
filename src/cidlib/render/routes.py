"""Edge curves: smooth curves through the layered layout's waypoints, or around nodes.

A curve is a piecewise cubic Bézier curve, given by its control points ``p0, c1, c2, p1, c1,
c2, p2, ...`` (3k + 1 points for k pieces), the form matplotlib, TikZ and DOT all draw. Every
back-end draws the same curve; :func:`sample` turns it into the polyline of ``Layout.routes``.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

__all__: list[str] = []  # internal: the geometry behind cidlib.render.geometry

Point = tuple[float, float]
Curve = tuple[Point, ...]
_BENDS = (0.12, -0.12, 0.2, -0.2, 0.3, -0.3, 0.4, -0.4, 0.55, -0.55, 0.7, -0.7, 0.9, -0.9)


@dataclass(frozen=True)
class NodeBox:
    """A node's shape at its place: centre, shape (``circle``, ``rect``, ``diamond``) and size."""

    x: float
    y: float
    shape: str
    width: float
    height: float

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
        if hw <= 0 or hh <= 0:
            return False
        if self.shape == "circle":
            return math.hypot(dx, dy) <= hw
        if self.shape == "rect":
            return dx <= hw and dy <= hh
        return dx / hw + dy / hh <= 1

    def half_width_at(self, dy: float) -> float:
        """Half the width of the shape at height ``dy`` above or below its centre."""
        hw, hh = self.width / 2, self.height / 2
        dy = min(abs(dy), hh)
        if self.shape == "circle":
            return math.sqrt(max(hw * hw - dy * dy, 0.0))
        if self.shape == "rect":
            return hw
        return hw * (1 - dy / hh) if hh else 0.0

    def towards(self, grow: float, degrees: float) -> Point:
        """Return the point of the shape grown by ``grow`` towards ``degrees`` (0: right)."""
        c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
        hw, hh = self.width / 2 + grow, self.height / 2 + grow
        if self.shape == "circle":
            t = hw
        elif self.shape == "rect":
            t = min(hw / abs(c) if abs(c) > 1e-12 else math.inf,
                    hh / abs(s) if abs(s) > 1e-12 else math.inf)
        else:
            t = 1 / (abs(c) / hw + abs(s) / hh)
        return (self.x + t * c, self.y + t * s)

    def polygon(self) -> list[Point]:
        """Return the outline as a convex polygon (a circle as an inscribed 32-gon)."""
        hw, hh = self.width / 2, self.height / 2
        if self.shape == "rect":
            corners = [(-hw, -hh), (hw, -hh), (hw, hh), (-hw, hh)]
        elif self.shape == "diamond":
            corners = [(-hw, 0.0), (0.0, -hh), (hw, 0.0), (0.0, hh)]
        else:
            corners = [(hw * math.cos(i * math.pi / 16), hw * math.sin(i * math.pi / 16))
                       for i in range(32)]
        return [(self.x + a, self.y + b) for a, b in corners]


def cubic_point(p0: Point, c1: Point, c2: Point, p1: Point, t: float) -> Point:
    s = 1 - t
    a, b, c, d = s * s * s, 3 * s * s * t, 3 * s * t * t, t * t * t
    return (a * p0[0] + b * c1[0] + c * c2[0] + d * p1[0],
            a * p0[1] + b * c1[1] + c * c2[1] + d * p1[1])


def sample(curve: Curve, steps: int = 8) -> tuple[Point, ...]:
    """Return the polyline through ``steps`` + 1 points of each cubic piece, ends included."""
    out = [curve[0]]
    for i in range(0, len(curve) - 1, 3):
        p0, c1, c2, p1 = curve[i:i + 4]
        straight = _collinear(p0, c1, c2, p1)
        out.extend([p1] if straight else
                   [cubic_point(p0, c1, c2, p1, k / steps) for k in range(1, steps + 1)])
    return tuple(out)


def _collinear(*points: Point) -> bool:
    (x0, y0), (x1, y1) = points[0], points[-1]
    return all(abs((x1 - x0) * (y - y0) - (y1 - y0) * (x - x0)) < 1e-9 for x, y in points)


def line(p: Point, q: Point) -> Curve:
    """Return a straight piece from ``p`` to ``q``."""
    return (p, (p[0] + (q[0] - p[0]) / 3, p[1] + (q[1] - p[1]) / 3),
            (p[0] + 2 * (q[0] - p[0]) / 3, p[1] + 2 * (q[1] - p[1]) / 3), q)


def through(points: Sequence[Point]) -> Curve:
    """Return a smooth curve through ``points`` that leaves and enters each horizontally.

    Each piece is an S-shaped cubic inside the rectangle spanned by its two points, so a
    curve through the layered layout's waypoints stays in the gaps between layers.
    """
    out: list[Point] = [points[0]]
    for p, q in pairwise(points):
        if abs(p[1] - q[1]) < 1e-9:
            out.extend(line(p, q)[1:])
        else:
            half = (q[0] - p[0]) / 2
            out.extend([(p[0] + half, p[1]), (q[0] - half, q[1]), q])
    return tuple(out)


def offset(curve: Curve, distance: float) -> Curve:
    """Return the curve shifted sideways by ``distance`` (to the left of its direction)."""
    if not distance:
        return curve
    (x0, y0), (x1, y1) = curve[0], curve[-1]
    norm = math.hypot(x1 - x0, y1 - y0) or 1.0
    nx, ny = -(y1 - y0) / norm * distance, (x1 - x0) / norm * distance
    return tuple((x + nx, y + ny) for x, y in curve)


# -- direct routes, for nodes the user placed ------------------------------------------------

def _quadratic(p: Point, c: Point, q: Point, t: float) -> Point:
    a, b, w = (1 - t) ** 2, 2 * t * (1 - t), t * t
    return (a * p[0] + b * c[0] + w * q[0], a * p[1] + b * c[1] + w * q[1])


def control_point(p: Point, q: Point, bend: float) -> Point:
    """Return the control point of a quadratic bent by ``bend`` (matplotlib's arc3 rule)."""
    (x1, y1), (x2, y2) = p, q
    return ((x1 + x2) / 2 + bend * (y2 - y1), (y1 + y2) / 2 - bend * (x2 - x1))


def _segment_distance(pt: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = pt, a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if not length2 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def clearance(points: Sequence[Point], box: NodeBox) -> float:
    """Least distance from a polyline to ``box``'s centre, minus the box's radius."""
    centre = (box.x, box.y)
    return min(_segment_distance(centre, a, b) for a, b in pairwise(points)) - box.radius


def _exit(full: tuple[Point, Point, Point], box: NodeBox, start: bool) -> float:
    """Return the parameter where the quadratic ``full`` leaves ``box`` (bisection)."""
    inside, outside = (0.0, 0.5) if start else (1.0, 0.5)
    for _ in range(40):
        middle = (inside + outside) / 2
        if box.contains(_quadratic(*full, middle)):
            inside = middle
        else:
            outside = middle
    return outside


_MARGIN = 0.06


def _reach(a: NodeBox, b: NodeBox) -> float:
    """How far from the segment ``a``-``b`` the most bent direct curve can pass."""
    return max(map(abs, _BENDS)) * math.hypot(b.x - a.x, b.y - a.y) / 2 + _MARGIN


def surroundings(a: NodeBox, b: NodeBox) -> tuple[float, float, float, float]:
    """``(xmin, xmax, ymin, ymax)``: outside it no box can bend the direct curve ``a``-``b``."""
    r = _reach(a, b)
    return (min(a.x, b.x) - r, max(a.x, b.x) + r, min(a.y, b.y) - r, max(a.y, b.y) + r)


class BoxGrid:
    """Boxes bucketed in a uniform grid, to find those near a region without a scan of all.

    Each box is filed under every cell its enclosing circle's square touches; a query visits
    the cells of its region, or every filed box when the region has more cells than that.
    """

    def __init__(self, boxes: Mapping[Hashable, NodeBox]) -> None:
        self.boxes = boxes
        sizes = [max(b.width, b.height) for b in boxes.values()]
        # about two nodes a cell; no box spans more than about 12 x 12 cells, however large
        self.cell = max(2 * sum(sizes) / len(sizes), max(sizes) / 8) if sizes else 1.0
        self.cell = self.cell if self.cell > 0 else 1.0
        self.cells: dict[tuple[int, int], list[Hashable]] = {}
        for name, b in boxes.items():
            r = b.radius
            for key in self._keys(b.x - r, b.x + r, b.y - r, b.y + r):
                self.cells.setdefault(key, []).append(name)

    def _keys(self, xmin: float, xmax: float, ymin: float,
              ymax: float) -> Iterable[tuple[int, int]]:
        c = self.cell
        return ((gx, gy) for gx in range(math.floor(xmin / c), math.floor(xmax / c) + 1)
                for gy in range(math.floor(ymin / c), math.floor(ymax / c) + 1))

    def near(self, xmin: float, xmax: float, ymin: float, ymax: float) -> set[Hashable]:
        """Return the names of every box that may reach into the region (and maybe more)."""
        c = self.cell
        area = (math.floor(xmax / c) - math.floor(xmin / c) + 1) * (
            math.floor(ymax / c) - math.floor(ymin / c) + 1)
        if area >= len(self.cells):
            return set(self.boxes)
        found: set[Hashable] = set()
        for key in self._keys(xmin, xmax, ymin, ymax):
            found.update(self.cells.get(key, ()))
        return found


def _worst_clearances(pa: Point, pb: Point, bends: Sequence[float],
                      boxes: Sequence[NodeBox]) -> list[float]:
    """Return, for each bend, the least :func:`clearance` of the bent curve to ``boxes``.

    Each curve is sampled at 25 points; the distances of every box to every segment of every
    curve are computed at once with numpy.
    """
    if not boxes:
        return [math.inf] * len(bends)
    import numpy as np

    centres = np.array([(o.x, o.y) for o in boxes])[None, :, None, :]  # 1 x boxes x 1 x 2
    radii = np.array([o.radius for o in boxes])
    t = (np.arange(25) / 24)[None, :, None]
    controls = np.array([control_point(pa, pb, bend) for bend in bends])[:, None, :]
    points = (1 - t) ** 2 * np.array(pa) + 2 * t * (1 - t) * controls + t * t * np.array(pb)
    a, step = points[:, None, :-1], np.diff(points, axis=1)[:, None]  # bends x 1 x 24 x 2
    length2 = (step * step).sum(axis=3)
    rel = centres - a  # bends x boxes x segments x 2
    s = np.divide((rel * step).sum(axis=3), length2, out=np.zeros(rel.shape[:3]),
                  where=length2 > 0).clip(0.0, 1.0)
    gap = np.hypot(*np.moveaxis(rel - s[..., None] * step, 3, 0)).min(axis=2)
    return [float(v) for v in (gap - radii).min(axis=1)]


def direct(a: NodeBox, b: NodeBox, others: Iterable[NodeBox]) -> Curve:
    """Return a curve from ``a`` to ``b`` bent just enough to clear ``others``, cut at both."""
    pa, pb = (a.x, a.y), (b.x, b.y)
    margin = _MARGIN
    reach = _reach(a, b)
    gaps = [(gap, o) for o in others if (gap := clearance([pa, pb], o)) < reach]
    bend = 0.0
    if min((gap for gap, _ in gaps), default=math.inf) <= margin:  # the line is not clear:
        # the first bend that is, else the one that keeps farthest from the boxes
        scored = list(zip(_worst_clearances(pa, pb, _BENDS, [o for _, o in gaps]),
                          [-abs(k) for k in _BENDS], _BENDS, strict=True))
        clear = [k for score, _, k in scored if score > margin]
        bend = clear[0] if clear else max(scored)[2]
    full = (pa, control_point(pa, pb, bend), pb)
    if a.contains(pb) or b.contains(pa):
        return line(pa, pb)  # overlapping shapes (placed by the user): nothing sensible to cut
    t0, t1 = _exit(full, a, True), _exit(full, b, False)
    # the piece of a quadratic between t0 and t1 is a quadratic (blossom at (t0, t1))
    (x0, y0), (x1, y1), (x2, y2) = full
    w0, w1, w2 = (1 - t0) * (1 - t1), (1 - t0) * t1 + t0 * (1 - t1), t0 * t1
    c = (w0 * x0 + w1 * x1 + w2 * x2, w0 * y0 + w1 * y1 + w2 * y2)
    s, e = _quadratic(*full, t0), _quadratic(*full, t1)
    # as a cubic: controls two thirds of the way from the ends to the quadratic's control
    return (s, (s[0] + 2 / 3 * (c[0] - s[0]), s[1] + 2 / 3 * (c[1] - s[1])),
            (e[0] + 2 / 3 * (c[0] - e[0]), e[1] + 2 / 3 * (c[1] - e[1])), e)


# -- geometric checks, shared by the tests and the layout benchmark ----------------------------

def _cross(o: Point, a: Point, b: Point) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def segments_cross(p1: Point, p2: Point, q1: Point, q2: Point) -> bool:
    """Whether two segments properly intersect (touching ends do not count)."""
    d1, d2 = _cross(q1, q2, p1), _cross(q1, q2, p2)
    d3, d4 = _cross(p1, p2, q1), _cross(p1, p2, q2)
    return ((d1 > 0 > d2) or (d1 < 0 < d2)) and ((d3 > 0 > d4) or (d3 < 0 < d4))


def _inside_convex(point: Point, polygon: Sequence[Point]) -> bool:
    signs = {_cross(a, b, point) > 0 for a, b in pairwise([*polygon, polygon[0]])}
    return len(signs) == 1


def polyline_hits(points: Sequence[Point], box: NodeBox, shrink: float = 0.02) -> bool:
    """Whether a polyline enters ``box`` shrunk by ``shrink`` on every side."""
    inner = NodeBox(box.x, box.y, box.shape, box.width - 2 * shrink, box.height - 2 * shrink)
    if inner.width <= 0 or inner.height <= 0:
        return False
    if clearance(points, inner) > 0:
        return False
    polygon = inner.polygon()
    edges = list(pairwise([*polygon, polygon[0]]))
    return any(_inside_convex(p, polygon) for p in points) or any(
        segments_cross(a, b, c, d) for a, b in pairwise(points) for c, d in edges)


def count_crossings(routes: Mapping[tuple[Hashable, Hashable], Sequence[Point]]) -> int:
    """Pairs of routes without a shared end node that cross, each pair counted per crossing.

    Segments are bucketed in a grid, so the cost grows with the segments near each other.
    """
    segments: list[tuple[Point, Point, tuple[Hashable, Hashable]]] = [
        (a, b, edge) for edge, points in routes.items() for a, b in pairwise(points)]
    if not segments:
        return 0
    xs = [c for a, b, _ in segments for c in (a[0], b[0])]
    ys = [c for a, b, _ in segments for c in (a[1], b[1])]
    cell = max(max(xs) - min(xs), max(ys) - min(ys)) / max(1.0, math.sqrt(len(segments))) or 1.0
    grid: dict[tuple[int, int], list[int]] = {}
    for i, (a, b, _) in enumerate(segments):
        for gx in range(int(min(a[0], b[0]) // cell), int(max(a[0], b[0]) // cell) + 1):
            for gy in range(int(min(a[1], b[1]) // cell), int(max(a[1], b[1]) // cell) + 1):
                grid.setdefault((gx, gy), []).append(i)
    found: set[tuple[int, int]] = set()
    for members in grid.values():
        for k, i in enumerate(members):
            a, b, e = segments[i]
            for j in members[k + 1:]:
                c, d, f = segments[j]
                if set(e) & set(f) or (i, j) in found:
                    continue
                if segments_cross(a, b, c, d):
                    found.add((i, j))
    return len(found)
