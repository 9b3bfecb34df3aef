"""Lay out with Graphviz's ``dot`` algorithm, through the ``graphviz-pure`` command.

``graphviz-pure`` (a dependency on the platforms it has wheels for; EPL-2.0) installs a
``dot`` that runs without a system Graphviz. cidlib gives it each node's shape and size
(rings included) and reads back the node centres and edge splines (``-Tjson``); nothing
else of Graphviz is used. When the command is missing, fails or times out, the caller falls
back to cidlib's own layered engine.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sysconfig
from collections.abc import Hashable, Mapping
from pathlib import Path

from cidlib.core.diagram import InfluenceDiagram
from cidlib.core.names import node_key
from cidlib.render.routes import Curve, NodeBox, Point, line
from cidlib.render.style import Style

__all__: list[str] = []  # internal: one of the engines behind cidlib.layout

COMMAND = "graphviz-pure"
_SHAPES = {"circle": "ellipse", "rect": "box", "diamond": "diamond"}
_TIMEOUT = 120.0  # seconds


def command() -> str | None:
    """Return the ``graphviz-pure`` executable: on ``PATH``, or beside this Python's scripts."""
    found = shutil.which(COMMAND)
    if found:
        return found
    beside = Path(sysconfig.get_path("scripts")) / COMMAND
    for candidate in (beside, beside.with_suffix(".exe")):
        if candidate.is_file():
            return str(candidate)
    return None


def _source(diagram: InfluenceDiagram, names: list[Hashable],
            boxes: Mapping[Hashable, NodeBox], style: Style) -> str:
    ids = {n: f"n{i}" for i, n in enumerate(names)}
    # Sizes are layout units written as inches: dot's points / 72 are layout units again.
    # mclimit=4 and remincross: more crossing-minimisation passes (bench_layout.py: 2-4%
    # fewer crossings on the random corpus, about 3% more time at 60 nodes).
    lines = ["digraph g {", "rankdir=LR;", "mclimit=4;", "remincross=true;",
             f"nodesep={max(style.row_gap - 1.0, 0.35):.3f};",
             f"ranksep={max(style.layer_gap - 1.2, 0.5):.3f};"]
    lines += [f'{ids[n]} [shape={_SHAPES[boxes[n].shape]}, fixedsize=true, '
              f'width={boxes[n].width:.4f}, height={boxes[n].height:.4f}, label=""];'
              for n in names]
    lines += [f"{ids[u]} -> {ids[v]};"
              for u, v in sorted(diagram.edges, key=lambda e: (node_key(e[0]), node_key(e[1])))]
    lines.append("}")
    return "\n".join(lines)


def _points(text: str) -> list[Point]:
    return [(float(x) / 72, float(y) / 72) for x, y in (p.split(",") for p in text.split())]


def place_with_dot(diagram: InfluenceDiagram, boxes: Mapping[Hashable, NodeBox],
                   style: Style) -> tuple[dict[Hashable, Point],
                                          dict[tuple[Hashable, Hashable], Curve]] | None:
    """Return node centres and edge curves from ``dot``; None when it is missing or fails."""
    exe = command()
    if exe is None:
        return None
    names = sorted(diagram.nodes, key=node_key)
    try:
        run = subprocess.run([exe, "-Tjson"], input=_source(diagram, names, boxes, style),
                             capture_output=True, text=True, timeout=_TIMEOUT, check=True)
        document = json.loads(run.stdout)
        positions = {names[int(o["name"][1:])]: _points(o["pos"])[0]
                     for o in document.get("objects", [])}
        curves: dict[tuple[Hashable, Hashable], Curve] = {}
        for e in document.get("edges", []):
            head, *spline = e["pos"].split()
            if not head.startswith("e,"):
                spline = [head, *spline]
                head = ""
            points = _points(" ".join(spline))
            if len(points) % 3 != 1:
                return None
            if head:  # the spline ends at the arrow's base; the arrow reaches the tip
                points += list(line(points[-1], _points(head[2:])[0])[1:])
            tail = document["objects"][e["tail"]]["name"]
            target = document["objects"][e["head"]]["name"]
            curves[(names[int(tail[1:])], names[int(target[1:])])] = tuple(points)
    except (OSError, subprocess.SubprocessError, ValueError, KeyError, IndexError, TypeError):
        return None
    if set(positions) != set(names) or set(curves) != set(diagram.edges):
        return None
    return positions, curves
