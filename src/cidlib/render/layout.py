"""The layered (Sugiyama) layout engine, in pure Python: where nodes and edges go.

1. **Layers.** Longest path from the roots puts every edge rightwards; then each node moves
   within the room its parents and children leave it, towards the side with more edges,
   which shortens edges. Edges that skip layers get dummy vertices, one per layer.
2. **Order within layers.** Sweeps right and left, sorting each layer by the median (or
   barycentre) of its neighbours in the previous one, then swapping neighbours in a layer
   while that removes crossings (transposition). Crossings are counted exactly with an
   accumulator tree (Barth, Jünger and Mutzel 2004); the best order of several starts wins.
3. **Coordinates.** Each vertex moves towards the weighted mean height of its neighbours
   while its layer keeps its order and spacing (an isotonic regression per layer); long
   edges weigh more, so they run straight.
4. **Waypoints.** An edge leaves its tail and enters its head horizontally at a port of its
   own (so arrowheads do not land on one point), crosses each layer it skips horizontally at
   its dummy's height, and curves only in the gaps between layers, where there are no nodes.

References: K. Sugiyama, S. Tagawa, M. Toda, "Methods for visual understanding of hierarchical
system structures", IEEE SMC 1981; E. R. Gansner, E. Koutsofios, S. C. North, K.-P. Vo, "A
technique for drawing directed graphs", IEEE TSE 1993; W. Barth, M. Jünger, P. Mutzel,
"Simple and efficient bilayer cross counting", JGAA 2004.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from itertools import pairwise

from cidlib.core.diagram import InfluenceDiagram, NodeKind
from cidlib.render.routes import Curve, NodeBox, Point, through
from cidlib.render.style import Style

__all__: list[str] = []  # internal: the engine behind cidlib.layout

SHAPES = {NodeKind.CHANCE: "circle", NodeKind.DECISION: "rect", NodeKind.UTILITY: "diamond"}
Edge = tuple[Hashable, Hashable]

_DUMMY_ROOM = 0.16  # half the height an edge passing through a layer needs
_PORT_STEP = 0.14  # layout units between the ports of one side of a node
_SMALL = 1500  # vertices (dummies included) up to which the order is sifted and restarted


def node_text(diagram: InfluenceDiagram, node: Hashable, style: Style) -> str:
    """Return the node's label, wrapped at ``style.wrap`` characters."""
    return "\n".join(textwrap.wrap(diagram.labels.get(node, str(node)), style.wrap) or [""])


def outline(diagram: InfluenceDiagram, node: Hashable, style: Style) -> tuple[str, float, float]:
    """Return shape, width and height of a node's outline, sized to its wrapped label."""
    lines = node_text(diagram, node, style).split("\n")
    unit = style.font_size / 72 / style.inch_per_unit  # one point, in layout units
    tw = max(len(line) for line in lines) * 0.6 * unit
    th = len(lines) * 1.25 * unit
    pad = 0.16
    shape = SHAPES[diagram.kind(node)]
    if shape == "circle":
        w = h = max(0.72, math.hypot(tw, th) + pad)
    elif shape == "rect":
        w, h = max(0.8, tw + 2 * pad), max(0.55, th + 2 * pad)
    else:
        w, h = max(0.9, 2 * tw + pad), max(0.75, 2 * th + pad)
    return shape, w, h


@dataclass
class _Graph:
    """The layered graph: real nodes (ids below ``real``) and dummies, with their links."""

    nodes: list[Hashable]
    layer: list[int]
    preds: list[list[int]]
    succs: list[list[int]]
    chains: dict[Edge, list[int]]  # edge -> its vertices, tail to head

    @property
    def real(self) -> int:
        return len(self.nodes)


def _ranks(diagram: InfluenceDiagram, order: list[Hashable]) -> dict[Hashable, int]:
    """Longest-path layers, then each node slides towards the side with more edges."""
    rank: dict[Hashable, int] = {}
    for n in order:
        rank[n] = max((rank[p] + 1 for p in diagram.pred[n]), default=0)
    for _ in range(8):
        moved = False
        for n in reversed(order):
            pred, succ = diagram.pred[n], diagram.succ[n]
            low = max((rank[p] + 1 for p in pred), default=0)
            high = min((rank[c] - 1 for c in succ), default=rank[n] if pred else 10**9)
            if not pred and not succ:
                continue
            target = rank[n]
            if len(succ) > len(pred) or not pred:
                target = high
            elif len(pred) > len(succ):
                target = low
            if target != rank[n] and low <= target <= high:
                rank[n], moved = target, True
        if not moved:
            break
    low = min(rank.values(), default=0)
    return {n: r - low for n, r in rank.items()}


def _graph(diagram: InfluenceDiagram, order: list[Hashable]) -> _Graph:
    rank = _ranks(diagram, order)
    ids = {n: i for i, n in enumerate(order)}
    layer = [rank[n] for n in order]
    preds: list[list[int]] = [[] for _ in order]
    succs: list[list[int]] = [[] for _ in order]
    chains: dict[Edge, list[int]] = {}
    for u, v in sorted(diagram.edges, key=lambda e: (ids[e[0]], ids[e[1]])):
        chain = [ids[u]]
        for lev in range(rank[u] + 1, rank[v]):
            layer.append(lev)
            preds.append([])
            succs.append([])
            chain.append(len(layer) - 1)
        chain.append(ids[v])
        for a, b in pairwise(chain):
            succs[a].append(b)
            preds[b].append(a)
        chains[(u, v)] = chain
    return _Graph(list(order), layer, preds, succs, chains)


# -- crossing minimisation ----------------------------------------------------------------------

def _bilayer(upper: list[int], lower_pos: dict[int, int], succs: list[list[int]]) -> int:
    """Crossings between two adjacent layers (accumulator tree over the lower positions)."""
    size = len(lower_pos)
    tree = [0] * (size + 1)
    crossings = inserted = 0
    for v in upper:
        for b in sorted(lower_pos[w] for w in succs[v]):
            i, below = b + 1, 0
            while i > 0:  # how many inserted end at or before b
                below += tree[i]
                i -= i & -i
            crossings += inserted - below
            i = b + 1
            while i <= size:
                tree[i] += 1
                i += i & -i
            inserted += 1
    return crossings


def _total_crossings(layers: list[list[int]], succs: list[list[int]]) -> int:
    return sum(_bilayer(a, {v: k for k, v in enumerate(b)}, succs)
               for a, b in pairwise(layers))


def _pair_crossings(a: int, b: int, near: list[list[int]], pos: list[int]) -> tuple[int, int]:
    """Crossings among the links of ``a`` and ``b`` to one side: with a before b, and after."""
    before = after = 0
    for x in near[a]:
        px = pos[x]
        for y in near[b]:
            if px > pos[y]:
                before += 1
            elif px < pos[y]:
                after += 1
    return before, after


def _transpose(layers: list[list[int]], g: _Graph, pos: list[int], indices: range,
               ties: bool) -> None:
    """Swap neighbours in each layer while that removes crossings with both adjacent layers.

    With ``ties``, also swap where the crossings stay the same (to leave a plateau).
    """
    for i in indices:
        layer = layers[i]
        improved, rounds = True, 0
        while improved and rounds < 6:
            improved, rounds = False, rounds + 1
            for k in range(len(layer) - 1):
                a, b = layer[k], layer[k + 1]
                ab1, ba1 = _pair_crossings(a, b, g.preds, pos)
                ab2, ba2 = _pair_crossings(a, b, g.succs, pos)
                before, after = ab1 + ab2, ba1 + ba2
                if after < before or (ties and after == before and before > 0):
                    layer[k], layer[k + 1] = b, a
                    pos[a], pos[b] = k + 1, k
                    improved = improved or after < before


def _sift(layers: list[list[int]], g: _Graph, pos: list[int]) -> None:
    """Move each vertex, most connected first, to the place in its layer with fewest crossings.

    Sifting (Matuszewski, Schönfeld and Molitor 1999), within one layer: the change in
    crossings as a vertex passes its neighbours one by one is a running sum of pair counts.
    """
    for layer in layers:
        for v in sorted(layer, key=lambda w: -(len(g.preds[w]) + len(g.succs[w]))):
            start = layer.index(v)
            layer.pop(start)
            best = current = 0
            best_at = 0
            for j, w in enumerate(layer):
                vw1, wv1 = _pair_crossings(v, w, g.preds, pos)
                vw2, wv2 = _pair_crossings(v, w, g.succs, pos)
                current += (wv1 + wv2) - (vw1 + vw2)
                if current < best or (current == best and j + 1 <= start):
                    best, best_at = current, j + 1
            layer.insert(best_at, v)
            for k, w in enumerate(layer):
                pos[w] = k


def _median(values: list[int]) -> float:
    values = sorted(values)
    m = len(values) // 2
    if len(values) % 2:
        return float(values[m])
    if len(values) == 2:
        return (values[0] + values[1]) / 2
    left, right = values[m - 1] - values[0], values[-1] - values[m]
    if left + right == 0:
        return (values[m - 1] + values[m]) / 2
    return (values[m - 1] * right + values[m] * left) / (left + right)


def _sweep(layers: list[list[int]], g: _Graph, pos: list[int], *, down: bool,
           median: bool, ties: bool) -> None:
    indices = range(1, len(layers)) if down else range(len(layers) - 2, -1, -1)
    near = g.preds if down else g.succs
    for i in indices:
        keys = {}
        for v in layers[i]:
            seen = [pos[w] for w in near[v]]
            if not seen:
                keys[v] = float(pos[v])
            elif median:
                keys[v] = _median(seen)
            else:
                keys[v] = sum(seen) / len(seen)
        layers[i].sort(key=lambda v: (keys[v], pos[v]))
        for k, v in enumerate(layers[i]):
            pos[v] = k
    _transpose(layers, g, pos, range(len(layers)), ties)


def _start(g: _Graph, depth_first: bool) -> list[list[int]]:
    """Return an initial order: vertices in depth- or breadth-first order from the roots."""
    count = max(g.layer, default=-1) + 1
    layers: list[list[int]] = [[] for _ in range(count)]
    seen = [False] * len(g.layer)
    roots = [v for v in range(g.real) if not g.preds[v]]
    stack = list(reversed(roots))
    queue_index = 0
    while stack if depth_first else queue_index < len(stack):
        if depth_first:
            v = stack.pop()
        else:
            v, queue_index = stack[queue_index], queue_index + 1
        if seen[v]:
            continue
        seen[v] = True
        layers[g.layer[v]].append(v)
        children = [w for w in g.succs[v] if not seen[w]]
        stack.extend(reversed(children) if depth_first else children)
    return layers


def _order(g: _Graph, effort: int, sift: bool = True) -> list[list[int]]:
    """Step 2: the order with the fewest crossings over a few starts and sweeps."""
    best: list[list[int]] | None = None
    best_cross = math.inf
    for depth_first in (True, False)[: 2 if effort > 1 else 1]:
        layers = _start(g, depth_first)
        pos = [0] * len(g.layer)
        for layer in layers:
            for k, v in enumerate(layer):
                pos[v] = k
        current, stale = _total_crossings(layers, g.succs), 0
        if current < best_cross:
            best, best_cross = [list(layer) for layer in layers], current
        for sweep in range(12 * effort):
            _sweep(layers, g, pos, down=sweep % 2 == 0, median=sweep % 4 < 2,
                   ties=sweep % 3 == 2)
            if sift:
                _sift(layers, g, pos)
            cross = _total_crossings(layers, g.succs)
            if cross < best_cross:
                best, best_cross = [list(layer) for layer in layers], cross
            stale = 0 if cross < current else stale + 1
            current = min(current, cross)
            if best_cross == 0 or stale >= 3 * effort:
                break
    assert best is not None
    return best


# -- coordinates --------------------------------------------------------------------------------

def _isotonic(targets: list[float], weights: list[float]) -> list[float]:
    """Weighted least-squares non-decreasing fit (pool adjacent violators)."""
    blocks: list[list[float]] = []  # [mean, weight, count]
    for t, w in zip(targets, weights, strict=True):
        blocks.append([t, w, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, w2, c2 = blocks.pop()
            m1, w1, c1 = blocks.pop()
            blocks.append([(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, c1 + c2])
    out: list[float] = []
    for mean, _, count in blocks:
        out.extend([mean] * int(count))
    return out


def _weight(g: _Graph, a: int, b: int) -> float:
    dummies = (a >= g.real) + (b >= g.real)
    return (1.0, 2.0, 8.0)[dummies]


def _heights(g: _Graph, layers: list[list[int]], extent: list[float],
             row_gap: float) -> list[float]:
    """Step 3: vertical centres; layers keep their order and spacing."""
    offsets = []
    for layer in layers:
        off = [0.0]
        for a, b in pairwise(layer):
            need = (extent[a] + extent[b]) / 2 + (0.3 if a < g.real and b < g.real else 0.1)
            off.append(off[-1] + (max(row_gap, need) if a < g.real and b < g.real else need))
        offsets.append(off)
    y = [0.0] * len(g.layer)
    for layer, off in zip(layers, offsets, strict=True):
        for v, o in zip(layer, off, strict=True):
            y[v] = o - off[-1] / 2
    for sweep in range(12):
        indices = range(len(layers)) if sweep % 2 == 0 else range(len(layers) - 1, -1, -1)
        for i in indices:
            layer, off = layers[i], offsets[i]
            targets, weights = [], []
            for k, v in enumerate(layer):
                total = weight = 0.0
                for w in g.preds[v] + g.succs[v]:
                    ww = _weight(g, v, w)
                    total += ww * y[w]
                    weight += ww
                if weight:
                    targets.append(total / weight - off[k])
                    weights.append(weight)
                else:
                    targets.append(y[v] - off[k])
                    weights.append(0.01)
            for k, (v, fitted) in enumerate(zip(layer, _isotonic(targets, weights),
                                                strict=True)):
                y[v] = fitted + off[k]
    return y


def place(diagram: InfluenceDiagram, boxes: Mapping[Hashable, NodeBox],
          style: Style) -> tuple[dict[Hashable, Point], dict[Edge, Curve]]:
    """Return node centres and edge curves for nodes of these shapes and sizes (rings included).

    The centres in ``boxes`` are ignored. Curves start and end on the boundary of the boxes,
    at the nodes' ports.
    """
    order = list(diagram.topological_order())
    g = _graph(diagram, order)
    small = len(g.layer) < _SMALL
    layers = _order(g, 2 if small else 1, sift=small)
    extent = [boxes[n].height for n in g.nodes] + [2 * _DUMMY_ROOM] * (len(g.layer) - g.real)
    y = _heights(g, layers, extent, style.row_gap)
    band = [max((boxes[g.nodes[v]].width for v in layer if v < g.real), default=0.0)
            for layer in layers]
    xs = [0.0]
    for i in range(1, len(layers)):
        steep = max((abs(y[v] - y[w]) for v in layers[i] for w in g.preds[v]), default=0.0)
        gap = min(max(0.9, 0.3 * steep), 2.2)
        xs.append(xs[-1] + max(style.layer_gap, (band[i - 1] + band[i]) / 2 + gap))
    x = [xs[g.layer[v]] for v in range(len(g.layer))]
    positions = {n: (x[i], -y[i]) for i, n in enumerate(g.nodes)}
    return positions, {e: through(w) for e, w in _waypoints(g, x, y, band, boxes).items()}


def _ports(g: _Graph, y: list[float], boxes: Mapping[Hashable, NodeBox]
           ) -> dict[tuple[int, int, int], float]:
    """Vertical offsets of the links at each real node, ordered by where they go.

    Keys are ``(node, neighbour, side)``, side 1 for links out of the node, -1 into it.
    """
    port: dict[tuple[int, int, int], float] = {}
    for v in range(g.real):
        box = boxes[g.nodes[v]]
        for side, others in ((1, g.succs[v]), (-1, g.preds[v])):
            ranked = sorted(others, key=lambda w: (y[w], w))
            step = min(_PORT_STEP, 0.6 * box.height / max(len(ranked), 1))
            for k, w in enumerate(ranked):
                port[(v, w, side)] = (k - (len(ranked) - 1) / 2) * step
    return port


def _waypoints(g: _Graph, x: list[float], y: list[float], band: list[float],
               boxes: Mapping[Hashable, NodeBox]) -> dict[Edge, list[Point]]:
    port = _ports(g, y, boxes)
    out: dict[Edge, list[Point]] = {}
    for edge, chain in g.chains.items():
        u, v = chain[0], chain[-1]
        out_off = port[(u, chain[1], 1)]
        in_off = port[(v, chain[-2], -1)]
        bu, bv = boxes[g.nodes[u]], boxes[g.nodes[v]]
        yu, yv = y[u] + out_off, y[v] + in_off
        points = [(x[u] + bu.half_width_at(out_off), yu)]
        edge_u = x[u] + band[g.layer[u]] / 2
        if edge_u > points[-1][0] + 1e-9:
            points.append((edge_u, yu))
        for d in chain[1:-1]:
            half = band[g.layer[d]] / 2
            points.append((x[d] - half, y[d]))
            if half > 1e-9:
                points.append((x[d] + half, y[d]))
        end = (x[v] - bv.half_width_at(in_off), yv)
        edge_v = x[v] - band[g.layer[v]] / 2
        if edge_v < end[0] - 1e-9:
            points.append((edge_v, yv))
        points.append(end)
        out[edge] = [(px, -py) for px, py in points]
    return out


