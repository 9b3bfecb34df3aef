"""Export an annotated diagram as Graphviz DOT text (Graphviz itself is not needed).

Shapes and fills follow :func:`cidlib.draw`; incentives appear as a coloured external label
(e.g. ``VoI RI``) and a doubled outline; highlighted edges are thick and coloured.
"""

from __future__ import annotations

from cidlib.core.diagram import InfluenceDiagram, NodeKind
from cidlib.core.names import node_key
from cidlib.incentives.report import IncentiveReport
from cidlib.render.marks import Highlight, resolve_marks
from cidlib.render.style import Style

__all__ = ["to_dot"]

_SHAPES = {NodeKind.CHANCE: "circle", NodeKind.DECISION: "box", NodeKind.UTILITY: "diamond"}


def _quote(text: object) -> str:
    escaped = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def to_dot(
    diagram: InfluenceDiagram,
    *,
    report: IncentiveReport | None = None,
    highlight: Highlight = (),
    style: Style | None = None,
    show_trivial: bool = False,
) -> str:
    """Return Graphviz DOT source for ``diagram``, annotated like :func:`cidlib.draw`.

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
    style = style or Style()
    marks = resolve_marks(diagram, report, highlight, style, show_trivial=show_trivial)
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
        rings = marks.rings.get(node, ())
        if rings:
            words = " ".join(f'<font color="{style.ring_colour(k)}">{k.abbreviation}</font>'
                             for k in rings)
            attrs.append(f"xlabel=<{words}>")
            attrs.append("peripheries=2")
        lines.append(f"  {ident[node]} [{', '.join(attrs)}];")
    for u, v in sorted(diagram.edges, key=lambda e: (node_key(e[0]), node_key(e[1]))):
        attrs = []
        if v in diagram.decisions:
            attrs.append("style=dotted")
        if (u, v) in marks.edges:
            # a colour list draws parallel lines, one per highlighted path
            attrs.append(f'color="{":".join(marks.edges[(u, v)])}", penwidth=3')
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f"  {ident[u]} -> {ident[v]}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"
