"""Export an annotated diagram as Graphviz DOT text (Graphviz itself is not needed).

Shapes and fills follow :func:`cidlib.draw`; incentives appear as a coloured external label
(e.g. ``VoI RI``, each prefixed by its decision when several decisions are shown, ``VoI?`` in
grey where the criterion cannot decide) and a doubled outline; highlighted edges are thick
and coloured. With a :class:`~cidlib.Layout`, nodes and edges carry its positions and curves
(``pos``), so that ``neato -n2`` draws cidlib's layout instead of computing one.
"""

from __future__ import annotations

from collections.abc import Hashable

from cidlib.core.diagram import InfluenceDiagram, NodeKind
from cidlib.core.names import node_key
from cidlib.incentives.report import IncentiveReport
from cidlib.render.figure import check_style
from cidlib.render.geometry import Layout, resolve
from cidlib.render.marks import Highlight, Marks, resolve_marks
from cidlib.render.style import Style

__all__ = ["to_dot"]

_SHAPES = {NodeKind.CHANCE: "circle", NodeKind.DECISION: "box", NodeKind.UTILITY: "diamond"}


def _quote(text: object) -> str:
    escaped = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _html(text: object) -> str:
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def _xlabel(node: Hashable, marks: Marks, style: Style) -> str:
    words = []
    last: object = object()
    for ring in marks.rings.get(node, ()):
        if marks.tags and ring.decision != last:
            words.append(f"{_html(marks.tags[ring.decision])}:")
            last = ring.decision
        mark = ring.look.badge
        words.append(f'<font color="{ring.look.colour(style)}">'
                     f"{ring.look.kind.abbreviation}{mark}</font>")
    return " ".join(words)


def to_dot(
    diagram: InfluenceDiagram,
    *,
    report: IncentiveReport | None = None,
    highlight: Highlight = (),
    style: Style | None = None,
    show_trivial: bool = False,
    decision: Hashable | None = None,
    layout: Layout | None = None,
) -> str:
    """Return Graphviz DOT source for ``diagram``, annotated like :func:`cidlib.draw`.

    Parameters
    ----------
    diagram, report, highlight, style, show_trivial, decision
        As for :func:`cidlib.draw`.
    layout : Layout, optional
        Write its node positions and edge curves (in points) as ``pos`` attributes.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D"), ("D", "U")], decisions=["D"], utilities=["U"])
    >>> print(cidlib.to_dot(d), end="")  # doctest: +ELLIPSIS
    digraph "influence diagram" {
      rankdir=LR;
    ...
      "D" [shape=box, fillcolor="#cfe2f3", label="D"];
    ...
      "S" -> "D" [style=dotted];
    }
    """
    style = check_style(style)
    marks = resolve_marks(diagram, report, highlight, style, show_trivial=show_trivial,
                          decision=decision)
    lay = None if layout is None else resolve(diagram, layout, marks, style)
    points = 72 * style.inch_per_unit

    def pt(p: tuple[float, float]) -> str:
        return f"{p[0] * points:.2f},{p[1] * points:.2f}"

    # DOT names nodes by text: use str(node) unless two nodes share it (1 and "1").
    unique = len({str(n) for n in diagram.nodes}) == len(diagram.nodes)
    ident = {n: _quote(n if unique else repr(n)) for n in diagram.nodes}
    lines = [
        'digraph "influence diagram" {',
        "  rankdir=LR;",
        f'  node [style=filled, color="{style.outline}", fontname="Helvetica", fontsize=10];',
        f'  edge [color="{style.edge_colour}"];',
    ]
    for node in diagram.topological_order():
        attrs = [f"shape={_SHAPES[diagram.kind(node)]}",
                 f'fillcolor="{style.fill(diagram, node)}"',
                 f"label={_quote(diagram.labels.get(node, node))}"]
        if marks.rings.get(node):
            attrs.append(f"xlabel=<{_xlabel(node, marks, style)}>")
            attrs.append("peripheries=2")
        if lay is not None:
            box = lay.outline(node)
            attrs.append(f'pos="{pt((box.x, box.y))}!"')
            attrs.append(f"width={box.width * style.inch_per_unit:.3f}, "
                         f"height={box.height * style.inch_per_unit:.3f}, fixedsize=true")
        lines.append(f"  {ident[node]} [{', '.join(attrs)}];")
    for u, v in sorted(diagram.edges, key=lambda e: (node_key(e[0]), node_key(e[1]))):
        attrs = []
        if v in diagram.decisions:
            attrs.append("style=dotted")
        if (u, v) in marks.edges:
            # a colour list draws parallel lines, one per highlighted path
            attrs.append(f'color="{":".join(marks.edges[(u, v)])}", penwidth=3')
        if lay is not None:
            curve = lay.curves[(u, v)]
            # DOT's edge pos: the arrow's tip ("e,"), then the spline's control points
            attrs.append(f'pos="e,{pt(curve[-1])} {" ".join(pt(p) for p in curve)}"')
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f"  {ident[u]} -> {ident[v]}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"
