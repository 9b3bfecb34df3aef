"""Compare layout engines on a fixed corpus: crossings, edges through nodes, length, area, time.

The corpus: every catalogue diagram, the example files, three road games, and seeded random
diagrams of 10, 20, 40, 60, 100 and 1,000 nodes with 1-3 decisions. Every engine lays out
the same nodes at the same sizes (outline plus room for the rings that ``cidlib.analyze``
puts on them). Per drawing:

- crossings: pairs of edge curves without a shared end node that cross (each crossing);
- through: edges whose curve enters another node or its rings;
- length: total length of the edge curves, area and aspect of the bounding box (layout units);
- time: median wall time of the layout (for ``dot``, the command and reading its output).

Engines: ``current`` (the layout of a git revision, ``--baseline``, default ``c0d5fc6``,
the last one before the Sugiyama engine), ``cidlib`` (``cidlib.layout`` as chosen by
default: ``dot`` through graphviz-pure up to 300 nodes, its own engine above),
``sugiyama`` (cidlib's own layered engine at every size), ``dot`` (Graphviz,
if installed: ``apt-get install graphviz``), ``graphviz-pure`` (a wheel with a port of
``dot``), ``igraph`` (its Sugiyama layout) and ``grandalf`` (pure-Python Sugiyama), each
when installed. The comparison engines are measured only; cidlib depends on none of them.

Run: ``python bench/bench_layout.py [--max-nodes N] [--engines a,b] [--draw]``. ``--draw``
also times ``cidlib.draw`` plus writing a PNG at 60 and 1,000 nodes.
"""

from __future__ import annotations

import argparse
import io
import math
import shutil
import statistics
import subprocess
import sys
import time
import types
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import cidlib
from cidlib import catalogue
from cidlib.io.files import read_diagram
from cidlib.render.layout import outline
from cidlib.render.marks import resolve_marks
from cidlib.render.routes import NodeBox, count_crossings, polyline_hits, sample
from cidlib.render.style import Style

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.diagrams import random_cid  # noqa: E402 -- the tests' random diagrams, found via ROOT

STYLE = Style()
Point = tuple[float, float]
Edge = tuple[Hashable, Hashable]


@dataclass
class Drawing:
    boxes: dict[Hashable, NodeBox]  # node -> shape incl. rings, at its place
    routes: dict[Edge, Sequence[Point]]


# -- corpus -------------------------------------------------------------------------------------

def corpus(max_nodes: int) -> list[tuple[str, cidlib.InfluenceDiagram]]:
    out = [(e.name, e.diagram()) for e in catalogue.catalogue()]
    out += [(f"file:{p.stem}", read_diagram(p))
            for p in sorted((ROOT / "examples" / "diagrams").glob("*.cid"))]
    out += [(f"road({k})", catalogue.road(k)) for k in (2, 4, 8)]
    for n in (10, 20, 40, 60, 100, 1000):
        for decisions in (1, 2, 3):
            if n <= max_nodes and (n < 1000 or decisions == 1):
                out.append((f"random{n}-{decisions}d",
                            random_cid(n, 1000 * n + decisions, decisions)))
    return out


def ring_counts(d: cidlib.InfluenceDiagram) -> dict[Hashable, int]:
    if len(d.agents) > 1:
        return {}
    report = cidlib.analyze(d)
    return {n: len(rings) for n, rings in
            resolve_marks(d, report, (), STYLE).rings.items()}


def sized_boxes(d: cidlib.InfluenceDiagram, rings: dict[Hashable, int]) -> dict[Hashable, NodeBox]:
    boxes = {}
    for n in d.nodes:
        shape, w, h = outline(d, n, STYLE)
        m = STYLE.ring_room(rings.get(n, 0))
        boxes[n] = NodeBox(0.0, 0.0, shape, w + 2 * m, h + 2 * m)
    return boxes


def placed(boxes: dict[Hashable, NodeBox], at: dict[Hashable, Point]) -> dict[Hashable, NodeBox]:
    return {n: NodeBox(at[n][0], at[n][1], b.shape, b.width, b.height) for n, b in boxes.items()}


# -- engines ------------------------------------------------------------------------------------

def engine_cidlib(engine: str) -> Callable[..., Drawing]:
    def run(d: cidlib.InfluenceDiagram, rings: dict[Hashable, int]) -> Drawing:
        from cidlib.render.geometry import build

        boxes = sized_boxes(d, rings)
        lay = build(d, {n: STYLE.ring_room(rings.get(n, 0)) for n in d.nodes}, STYLE,
                    engine=engine)
        return Drawing(placed(boxes, dict(lay.positions)), dict(lay.routes))

    return run


def load_baseline(revision: str) -> types.ModuleType | None:
    try:
        source = subprocess.run(["git", "show", f"{revision}:src/cidlib/render/layout.py"],
                                cwd=ROOT, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    module = types.ModuleType("baseline_layout")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, f"{revision}:layout.py", "exec"), module.__dict__)
    return module


def engine_current(module: types.ModuleType) -> Callable[..., Drawing]:
    def run(d: cidlib.InfluenceDiagram, rings: dict[Hashable, int]) -> Drawing:
        lay = module.compute_layout(d, None, STYLE)
        boxes = sized_boxes(d, rings)
        at = {n: (b.x, b.y) for n, b in lay.boxes.items()}
        routes = {}
        for u, v in d.edges:
            room = (STYLE.ring_room(rings.get(u, 0)), STYLE.ring_room(rings.get(v, 0)))
            start, control, end = lay.curve((u, v), room)
            routes[(u, v)] = module.bezier(start, control, end, 16)
        return Drawing(placed(boxes, at), routes)

    return run


def _dot_source(d: cidlib.InfluenceDiagram, boxes: dict[Hashable, NodeBox]) -> tuple[str, list]:
    names = sorted(d.nodes, key=str)
    ids = {n: f"n{i}" for i, n in enumerate(names)}
    shapes = {"circle": "ellipse", "rect": "box", "diamond": "diamond"}
    lines = ["digraph g {", "rankdir=LR;"]
    lines += [f'{ids[n]} [shape={shapes[boxes[n].shape]}, fixedsize=true, '
              f'width={boxes[n].width:.3f}, height={boxes[n].height:.3f}, label=""];'
              for n in names]
    lines += [f"{ids[u]} -> {ids[v]};" for u, v in sorted(d.edges, key=str)]
    lines.append("}")
    return "\n".join(lines), names


def engine_dot(command: str) -> Callable[..., Drawing]:
    def run(d: cidlib.InfluenceDiagram, rings: dict[Hashable, int]) -> Drawing:
        boxes = sized_boxes(d, rings)
        source, names = _dot_source(d, boxes)
        out = subprocess.run([command, "-Tplain"], input=source, capture_output=True,
                             text=True, check=True).stdout
        by_id = {f"n{i}": n for i, n in enumerate(names)}
        at: dict[Hashable, Point] = {}
        routes: dict[Edge, Sequence[Point]] = {}
        for line in out.splitlines():
            parts = line.split()
            if parts[0] == "node":
                at[by_id[parts[1]]] = (float(parts[2]), float(parts[3]))
            elif parts[0] == "edge":
                count = int(parts[3])
                pts = [(float(parts[4 + 2 * i]), float(parts[5 + 2 * i])) for i in range(count)]
                routes[(by_id[parts[1]], by_id[parts[2]])] = sample(tuple(pts), 8)
        return Drawing(placed(boxes, at), routes)

    return run


def engine_igraph(d: cidlib.InfluenceDiagram, rings: dict[Hashable, int]) -> Drawing:
    import igraph

    boxes = sized_boxes(d, rings)
    names = sorted(d.nodes, key=str)
    ids = {n: i for i, n in enumerate(names)}
    edges = sorted(d.edges, key=str)
    g = igraph.Graph(n=len(names), edges=[(ids[u], ids[v]) for u, v in edges], directed=True)
    row = max((b.height for b in boxes.values()), default=1.0) + 0.3
    lay = g.layout_sugiyama(hgap=1, vgap=1, maxiter=100)
    coords = [(c[1] * STYLE.layer_gap, -c[0] * row) for c in lay.coords]
    at = {n: coords[ids[n]] for n in names}
    # igraph 1.0 returns the vertices' places only: edges are drawn straight
    routes: dict[Edge, Sequence[Point]] = {(u, v): [at[u], at[v]] for u, v in edges}
    return Drawing(placed(boxes, at), routes)


def engine_grandalf(d: cidlib.InfluenceDiagram, rings: dict[Hashable, int]) -> Drawing:
    from grandalf.graphs import Edge as GEdge
    from grandalf.graphs import Graph, Vertex
    from grandalf.layouts import SugiyamaLayout

    boxes = sized_boxes(d, rings)

    class View:
        def __init__(self, w: float, h: float) -> None:
            self.w, self.h, self.xy = w, h, (0.0, 0.0)

    vertices = {n: Vertex(n) for n in sorted(d.nodes, key=str)}
    for n, v in vertices.items():  # grandalf lays out top-down: swap width and height
        v.view = View(boxes[n].height, boxes[n].width)
    gedges = {(u, v): GEdge(vertices[u], vertices[v]) for u, v in sorted(d.edges, key=str)}
    graph = Graph(list(vertices.values()), list(gedges.values()))
    for e in gedges.values():
        e.view = types.SimpleNamespace(setpath=lambda pts, e=e: setattr(e, "pts", pts))
    at: dict[Hashable, Point] = {}
    for component in graph.C:
        sug = SugiyamaLayout(component)
        sug.xspace, sug.yspace = 0.3, 1.2
        sug.init_all()
        sug.draw(3)
        for n, v in vertices.items():
            if v in component.sV:
                at[n] = (v.view.xy[1], -v.view.xy[0])
    shift = 0.0
    routes = {}
    for (u, v), e in gedges.items():
        pts = getattr(e, "pts", [at and (0, 0)])
        routes[(u, v)] = [(p[1], -p[0] + shift) for p in pts]
    return Drawing(placed(boxes, at), routes)


# -- metrics ------------------------------------------------------------------------------------

def through(drawing: Drawing) -> int:
    """Edges whose route enters another node's box (rings included); grid-bucketed."""
    boxes = drawing.boxes
    cell = max((max(b.width, b.height) for b in boxes.values()), default=1.0)
    grid: dict[tuple[int, int], list[Hashable]] = {}
    for n, b in boxes.items():
        for gx in range(int((b.x - b.width / 2) // cell), int((b.x + b.width / 2) // cell) + 1):
            for gy in range(int((b.y - b.height / 2) // cell),
                            int((b.y + b.height / 2) // cell) + 1):
                grid.setdefault((gx, gy), []).append(n)
    count = 0
    for edge, points in drawing.routes.items():
        near: set[Hashable] = set()
        for a, b in pairwise(points):
            for gx in range(int(min(a[0], b[0]) // cell), int(max(a[0], b[0]) // cell) + 1):
                for gy in range(int(min(a[1], b[1]) // cell), int(max(a[1], b[1]) // cell) + 1):
                    near.update(grid.get((gx, gy), ()))
        if any(polyline_hits(points, boxes[n]) for n in near - set(edge)):
            count += 1
    return count


def measure(drawing: Drawing) -> dict[str, float]:
    xs = [c for b in drawing.boxes.values() for c in (b.x - b.width / 2, b.x + b.width / 2)]
    ys = [c for b in drawing.boxes.values() for c in (b.y - b.height / 2, b.y + b.height / 2)]
    for points in drawing.routes.values():
        xs += [p[0] for p in points]
        ys += [p[1] for p in points]
    w, h = (max(xs) - min(xs), max(ys) - min(ys)) if xs else (0.0, 0.0)
    return {
        "crossings": count_crossings(drawing.routes),
        "through": through(drawing),
        "length": sum(math.dist(a, b) for pts in drawing.routes.values()
                      for a, b in pairwise(pts)),
        "width": w, "height": h,
    }


def median_time(fn: Callable[[], object], repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def time_draw(d: cidlib.InfluenceDiagram) -> dict[str, float]:
    """Median seconds of the layout, of ``draw`` (layout included) and of writing a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    report = cidlib.analyze(d)
    cidlib.draw(d, report=report)  # imports and font caches
    ax = None

    def run() -> None:
        nonlocal ax
        ax = cidlib.draw(d, report=report)

    out = {"layout": median_time(lambda: cidlib.layout(d, report=report), 3)[0],
           "draw": median_time(run, 3)[0]}
    out["png"] = median_time(lambda: ax.figure.savefig(io.BytesIO(), format="png", dpi=72),
                             1 if len(d) >= 1000 else 3)[0]
    return out


def select_engines(names: list[str], baseline: str) -> dict[str, Callable[..., Drawing]]:
    engines: dict[str, Callable[..., Drawing]] = {}
    for name in names:
        if name == "current":
            module = load_baseline(baseline)
            if module is not None:
                engines[name] = engine_current(module)
        elif name == "cidlib":  # what cidlib.layout chooses by default
            engines[name] = engine_cidlib("auto")
        elif name == "sugiyama":  # cidlib's own engine, at every size
            engines[name] = engine_cidlib("cidlib")
        elif name in ("dot", "graphviz-pure"):
            command = (shutil.which(name)
                       or shutil.which(name, path=str(Path(sys.executable).parent)))
            if command:
                engines[name] = engine_dot(command)
        elif name == "igraph" and _importable("igraph"):
            engines[name] = engine_igraph
        elif name == "grandalf" and _importable("grandalf"):
            engines[name] = engine_grandalf
        if name not in engines:
            print(f"# {name}: not available, skipped")
    return engines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-nodes", type=int, default=1000)
    parser.add_argument("--engines",
                        default="current,cidlib,sugiyama,dot,graphviz-pure,igraph,grandalf")
    parser.add_argument("--baseline", default="c0d5fc6")
    parser.add_argument("--draw", action="store_true")
    parser.add_argument("--rows", action="store_true", help="print a row per diagram")
    parser.add_argument("--placed", action="store_true",
                        help="only time layouts of diagrams whose nodes are all placed")
    args = parser.parse_args()
    if args.placed:
        time_placed()
        return
    engines = select_engines(args.engines.split(","), args.baseline)
    diagrams = corpus(args.max_nodes)
    totals: dict[str, dict[str, dict[str, float]]] = {e: {} for e in engines}
    for label, d in diagrams:
        rings = ring_counts(d)
        for name, engine in engines.items():
            if name == "grandalf" and len(d) > 100:
                continue  # pure Python and quadratic: minutes at 1,000 nodes
            repeats = 1 if len(d) >= 1000 else 3
            seconds, drawing = median_time(lambda e=engine, d=d, r=rings: e(d, r), repeats)
            row = measure(drawing)  # type: ignore[arg-type]
            row["time"] = seconds
            totals[name][label] = row
            if args.rows:
                print(f"{label:28} {name:14} cross {row['crossings']:7.0f} through "
                      f"{row['through']:4.0f} length {row['length']:9.1f} "
                      f"{row['width']:6.1f} x {row['height']:6.1f}  {seconds:7.3f} s")
    report(totals, diagrams)
    if args.draw:
        for n in (60, 1000):
            if n <= args.max_nodes:
                d = random_cid(n, 1000 * n + 1, decisions=1)
                times = time_draw(d)
                print(f"{n} nodes: layout {times['layout']:.2f} s, draw (layout included) "
                      f"{times['draw']:.2f} s, PNG at 72 dpi {times['png']:.2f} s")


def time_placed() -> None:
    """Time ``cidlib.layout`` when every node has a position (files saved by the editor).

    Every edge is then routed around the other nodes; the diagrams are ``cidlib.random_cid``
    with at most 2 parents per node, whose parents lie anywhere earlier, so many edges are
    long. Medians of 3, with one linear pass over the graph (networkx's topological sort)
    for scale, and the growth exponent.
    """
    import networkx as nx

    print("nodes edges  nx topo sort  layout, all placed  exponent")
    last: tuple[int, float] | None = None
    for n in (100, 200, 400, 800):
        d = cidlib.random_cid(n, seed=1, max_in_degree=2)
        placed = d.with_positions(dict(cidlib.layout(d, engine="cidlib").positions))
        graph = nx.DiGraph(list(d.edges))
        bfs, _ = median_time(lambda g=graph: list(nx.topological_sort(g)), 3)
        seconds, _ = median_time(lambda p=placed: cidlib.layout(p, engine="cidlib"), 3)
        growth = ("" if last is None
                  else f"{math.log(seconds / last[1]) / math.log(n / last[0]):.2f}")
        print(f"{n:5} {len(d.edges):5}  {bfs:10.5f} s  {seconds:16.3f} s  {growth:>8}")
        last = (n, seconds)


def _importable(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def report(totals: dict[str, dict[str, dict[str, float]]],
           diagrams: list[tuple[str, cidlib.InfluenceDiagram]]) -> None:
    groups = {"catalogue, files, games": [lb for lb, d in diagrams if not lb.startswith("random")],
              "random 10-100 nodes": [lb for lb, d in diagrams
                                      if lb.startswith("random") and len(d) <= 100],
              "random 60 nodes": [lb for lb, d in diagrams if lb.startswith("random60")],
              "random 1,000 nodes": [lb for lb, d in diagrams if lb.startswith("random1000")]}
    reference = "dot" if "dot" in totals else None
    print()
    print("| diagrams | engine | crossings | vs dot | edges through nodes/rings | "
          "edge length | area | median time |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for group, labels in groups.items():
        for name, rows in totals.items():
            mine = [rows[lb] for lb in labels if lb in rows]
            if not mine or len(mine) < len(labels):
                continue
            cross = sum(r["crossings"] for r in mine)
            ratio = ""
            if reference and all(lb in totals[reference] for lb in labels):
                ref = sum(totals[reference][lb]["crossings"] for lb in labels)
                ratio = f"{cross / ref:.2f}" if ref else ("1.00" if cross == 0 else "inf")
            print(f"| {group} | {name} | {cross:,.0f} | {ratio} | "
                  f"{sum(r['through'] for r in mine):,.0f} | "
                  f"{sum(r['length'] for r in mine):,.0f} | "
                  f"{sum(r['width'] * r['height'] for r in mine):,.0f} | "
                  f"{statistics.median(r['time'] for r in mine):.3f} s |")


if __name__ == "__main__":
    main()
