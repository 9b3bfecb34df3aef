"""Export an annotated diagram as a standalone LaTeX/TikZ document for papers.

The picture uses the same layout, shapes and colours as :func:`cidlib.draw`: chance
circles, decision rectangles, utility diamonds, dotted information links, dashed incentive
rings and thick witness paths. Papers explain the colours in the caption, so the picture has
no legend; the document's comments list them.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

from cidlib.core.diagram import InfluenceDiagram
from cidlib.core.names import node_key
from cidlib.incentives.base import IncentiveKind
from cidlib.incentives.report import IncentiveReport
from cidlib.render.figure import check_style
from cidlib.render.geometry import Layout, resolve
from cidlib.render.marks import Highlight, Marks, resolve_marks
from cidlib.render.routes import NodeBox, offset
from cidlib.render.style import Style

__all__ = ["to_tikz"]

_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
             "#": r"\#", "^": r"\^{}", "_": r"\_", "%": r"\%", "~": r"\textasciitilde{}"}
_TIKZ_SHAPES = {"circle": "circle", "rect": "rectangle", "diamond": "diamond"}


def _escape(text: str) -> str:
    return "".join(_SPECIALS.get(c, c) for c in text)


def _colour_name(hex_colour: str) -> str:
    return "c" + hex_colour.lstrip("#").lower()


def _pt(p: tuple[float, float]) -> str:
    return f"({p[0]:.3f},{p[1]:.3f})"


def _shape(box: NodeBox, grow: float, scale: float) -> str:
    w, h = (box.width + 2 * grow) * scale, (box.height + 2 * grow) * scale
    if box.shape == "circle":
        return f"circle, minimum size={w:.3f}cm"
    return f"{_TIKZ_SHAPES[box.shape]}, minimum width={w:.3f}cm, minimum height={h:.3f}cm"


def _comment(text: object) -> str:
    """Text safe inside a LaTeX comment: on one line."""
    return " ".join(str(text).split())


def _curve(curve: tuple[tuple[float, float], ...]) -> str:
    pieces = [_pt(curve[0])]
    for i in range(1, len(curve), 3):
        c1, c2, p = curve[i:i + 3]
        pieces.append(f".. controls {_pt(c1)} and {_pt(c2)} .. {_pt(p)}")
    return " ".join(pieces)


def _edges(diagram: InfluenceDiagram, lay: Layout, marks: Marks) -> list[str]:
    lines = []
    for edge in sorted(diagram.edges, key=lambda e: (node_key(e[0]), node_key(e[1]))):
        u, v = edge
        for colour, shift in marks.strokes(edge):
            opts = ["edge"]
            if v in diagram.decisions:
                opts.append("information link")
            if colour:
                opts.append(f"highlight, draw={_colour_name(colour)}")
            lines.append(f"  \\draw[{', '.join(opts)}] {_curve(offset(lay.curves[edge], shift))}; "
                         f"% {_comment(u)} -> {_comment(v)}")
    return lines


def _rings(node: Hashable, box: NodeBox, marks: Marks, style: Style, scale: float) -> list[str]:
    out = []
    for i, ring in enumerate(marks.rings.get(node, ())):
        grow = (i + 1) * style.ring_gap
        look = ring.look
        dashes = "undetermined" if look.undetermined else (
            "generalised" if look.generalised else "ring")
        what = f"{look.kind.abbreviation}{look.badge}"
        of = f" of {_comment(ring.decision)}" if marks.tags else ""
        out.append(f"  \\node[{dashes}, draw={_colour_name(look.colour(style))}, "
                   f"{_shape(box, grow, scale)}] at {_pt((box.x, box.y))} {{}}; "
                   f"% {what}{of} on {_comment(node)}")
        if look.badge:
            x, y = box.towards(grow, 40 - 12 * i)
            out.append(f"  \\node[tag, text={_colour_name(look.colour(style))}] at "
                       f"{_pt((x, y))} {{\\textbf{{{look.badge}}}}};")
    for g, (text, index) in enumerate(marks.tag_groups(node)):
        x, y = box.towards((index + 1) * style.ring_gap, 115 + 22 * g)
        out.append(f"  \\node[tag] at {_pt((x, y))} {{{_escape(text)}}};")
    return out


def to_tikz(
    diagram: InfluenceDiagram,
    *,
    report: IncentiveReport | None = None,
    highlight: Highlight = (),
    layout: Layout | Mapping[Hashable, tuple[float, float]] | None = None,
    style: Style | None = None,
    show_trivial: bool = False,
    decision: Hashable | None = None,
    standalone: bool = True,
) -> str:
    r"""Return LaTeX source drawing ``diagram`` with TikZ, annotated like :func:`cidlib.draw`.

    Parameters
    ----------
    diagram, report, highlight, layout, style, show_trivial, decision
        As for :func:`cidlib.draw`: the same layout, rings (tagged by decision when they
        come from several) and highlighted paths.
    standalone : bool
        Return a complete ``standalone`` document (compile it with ``pdflatex``); otherwise
        only the ``tikzpicture``, for ``\input`` into a paper that loads TikZ with the
        ``shapes.geometric`` and ``arrows.meta`` libraries.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D"), ("D", "U"), ("S", "U")], decisions=["D"], utilities=["U"])
    >>> tex = cidlib.to_tikz(d, report=cidlib.analyze(d))
    >>> tex.startswith(r"\documentclass[tikz")
    True
    >>> "diamond" in tex and "information link" in tex
    True
    """
    style = check_style(style)
    marks = resolve_marks(diagram, report, highlight, style, show_trivial=show_trivial,
                          decision=decision)
    lay = resolve(diagram, layout, marks, style)
    scale = style.inch_per_unit * 2.54  # cm per layout unit
    colours = {style.outline, style.edge_colour,
               *(style.ring_colour(k) for k in IncentiveKind), style.undetermined_colour,
               *(c for cs in marks.edges.values() for c in cs),
               *(style.fill(diagram, n) for n in diagram.nodes)}
    out = [f"\\definecolor{{{_colour_name(c)}}}{{HTML}}{{{c.lstrip('#').upper()}}}"
           for c in sorted(colours)]
    out.append("% incentive rings: " + ", ".join(
        f"{k.title} {style.ring_colour(k)}" for k in IncentiveKind))
    out.append(
        f"\\begin{{tikzpicture}}[x={scale:.3f}cm, y={scale:.3f}cm, "
        f"every node/.style={{font=\\small, align=center, inner sep=1pt}},\n"
        f"  cidnode/.style={{draw={_colour_name(style.outline)}, "
        f"line width={style.node_line_width * 0.8:.2f}pt}},\n"
        f"  ring/.style={{dash pattern=on 3pt off 1.6pt, "
        f"line width={style.ring_line_width * 0.8:.2f}pt}},\n"
        "  generalised/.style={ring, dash pattern=on 4pt off 1.4pt on 1pt off 1.4pt},\n"
        "  undetermined/.style={ring, dash pattern=on 1pt off 1.3pt},\n"
        "  tag/.style={font=\\scriptsize, fill=white, inner sep=0.5pt},\n"
        f"  edge/.style={{-{{Stealth[length=2.2mm]}}, draw={_colour_name(style.edge_colour)}, "
        f"line width={style.edge_line_width * 0.7:.2f}pt}},\n"
        "  information link/.style={dash pattern=on 1pt off 1.5pt},\n"
        f"  highlight/.style={{line width={style.highlight_line_width * 0.7:.2f}pt}}]"
    )
    out.extend(_edges(diagram, lay, marks))
    for node in sorted(diagram.nodes, key=node_key):
        box = lay.outline(node)
        text = r"\\".join(_escape(line) for line in lay.texts[node].split("\n"))
        fill = _colour_name(style.fill(diagram, node))
        out.append(f"  \\node[cidnode, fill={fill}, {_shape(box, 0.0, scale)}] at "
                   f"{_pt((box.x, box.y))} {{{text}}}; % {_comment(node)}")
        out.extend(_rings(node, box, marks, style, scale))
    out.append("\\end{tikzpicture}")
    picture = "\n".join(out) + "\n"
    if not standalone:
        return picture
    return (
        "\\documentclass[tikz,border=4pt]{standalone}\n"
        "\\usetikzlibrary{shapes.geometric,arrows.meta}\n"
        "\\begin{document}\n" + picture + "\\end{document}\n"
    )
