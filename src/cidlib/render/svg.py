"""Export an annotated diagram as SVG, with semantic ids and classes for scripts and styles.

The picture is the same as :func:`cidlib.draw`'s and :func:`cidlib.to_tikz`'s: one layout,
the same shapes, colours, dashed incentive rings and witness paths. Every element says what
it is: a node is ``<g id="node-O" class="node chance">`` (its shape and label inside), an
edge ``<g id="edge-O-M" class="edge">`` (``information`` when it enters a decision), a ring
``<circle id="ring-voi-P-O" class="ring voi">`` (with ``generalised`` or ``undetermined``
when so), and each carries ``data-`` attributes naming its nodes. Ids are built from the
node names: letters and digits stay, any other character ``c`` becomes ``_hex(c)_``, so
``Posts to show`` is ``node-Posts_20_to_20_show``. Colours and dashes are attributes, not a
style sheet, so the file looks right wherever it is shown; like the TikZ export, it has no
legend (explain the colours in the caption). Text stays text: searchable, and drawn in the
reader's sans-serif font.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from xml.sax.saxutils import escape, quoteattr

from cidlib.core.diagram import InfluenceDiagram
from cidlib.core.names import node_key, sort_nodes
from cidlib.incentives.report import IncentiveReport
from cidlib.render.figure import check_style
from cidlib.render.geometry import Layout, resolve
from cidlib.render.marks import Highlight, Marks, resolve_marks
from cidlib.render.routes import Curve, NodeBox, Point, offset
from cidlib.render.style import Style

__all__ = ["to_svg"]

_PAD = 0.3  # layout units around the drawing
_HEAD = (7.0, 2.7)  # an arrowhead's length and half-width, in points
_LIT_HEAD = (9.0, 3.6)  # the same on a highlighted edge
_INFO_DASHES = "1.3 1.8"  # scaled by the line widths as matplotlib scales its patterns
_RING_DASHES = {"present": "6.6 3.5", "generalised": "8.8 3.1 2.2 3.1",
                "undetermined": "2.2 2.9"}
_FONTS = "'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif"


def ident(text: str) -> str:
    """Return ``text`` as a piece of an id: letters and digits kept, the rest ``_hex_``."""
    return "".join(c if c.isascii() and c.isalnum() else f"_{ord(c):x}_" for c in text)


def node_ids(diagram: InfluenceDiagram) -> dict[Hashable, str]:
    """Return the id piece of each node: its name, or its ``repr`` where two names print alike."""
    unique = len({str(n) for n in diagram.nodes}) == len(diagram.nodes)
    return {n: ident(str(n) if unique else repr(n)) for n in diagram.nodes}


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return "0" if text in ("0.0", "-0.0") else text.removesuffix(".0")


@dataclass(frozen=True)
class Canvas:
    """Where layout units land in the picture: points, with y pointing down.

    ``origin`` is the layout point drawn at the top left corner; ``scale`` the points per
    layout unit; ``width`` and ``height`` the picture's size in points.
    """

    origin: Point
    scale: float
    width: float
    height: float

    @classmethod
    def fit(cls, bounds: tuple[float, float, float, float], style: Style) -> Canvas:
        """Return the canvas that holds ``bounds`` (xmin, xmax, ymin, ymax) with a margin."""
        xmin, xmax, ymin, ymax = bounds
        scale = 72 * style.inch_per_unit
        return cls((xmin - _PAD, ymax + _PAD), scale, (xmax - xmin + 2 * _PAD) * scale,
                   (ymax - ymin + 2 * _PAD) * scale)

    def at(self, p: Point) -> Point:
        """Return a layout point in the picture's coordinates."""
        return (p[0] - self.origin[0]) * self.scale, (self.origin[1] - p[1]) * self.scale

    def xy(self, p: Point) -> tuple[str, str]:
        """Return a layout point in the picture's coordinates, as attribute values."""
        x, y = self.at(p)
        return _num(x), _num(y)


def _attrs(**values: object) -> str:
    """Return XML attributes; underscores in names become dashes, None values are left out."""
    return "".join(f" {k.rstrip('_').replace('_', '-')}={quoteattr(str(v))}"
                   for k, v in values.items() if v is not None)


def _shape(box: NodeBox, grow: float, canvas: Canvas, **attrs: object) -> str:
    """Return the SVG element of a node's outline grown by ``grow`` layout units."""
    s = canvas.scale
    w, h = (box.width + 2 * grow) * s, (box.height + 2 * grow) * s
    x, y = canvas.at((box.x, box.y))
    if box.shape == "circle":
        return f"<circle{_attrs(cx=_num(x), cy=_num(y), r=_num(w / 2), **attrs)}/>"
    if box.shape == "rect":
        rect = _attrs(x=_num(x - w / 2), y=_num(y - h / 2), width=_num(w), height=_num(h),
                      **attrs)
        return f"<rect{rect}/>"
    corners = [(x - w / 2, y), (x, y - h / 2), (x + w / 2, y), (x, y + h / 2)]
    points = " ".join(f"{_num(a)},{_num(b)}" for a, b in corners)
    return f"<polygon{_attrs(points=points, **attrs)}/>"


def _path(curve: Curve, canvas: Canvas, lit: bool) -> tuple[str, str]:
    """Return the path data of an edge's curve, ending under its arrowhead, and the head's."""
    points = [canvas.at(p) for p in curve]
    tip = points[-1]
    back = next((p for p in reversed(points[:-1]) if math.dist(p, tip) > 1e-6), points[0])
    length = math.dist(back, tip) or 1.0
    ux, uy = (tip[0] - back[0]) / length, (tip[1] - back[1]) / length
    head, half = _LIT_HEAD if lit else _HEAD
    cut = min(head * 0.7, length * 0.5)
    points[-1] = (tip[0] - ux * cut, tip[1] - uy * cut)
    points[-2] = (points[-2][0] - ux * cut, points[-2][1] - uy * cut)
    data = "M" + " ".join(f"{_num(x)} {_num(y)}" for x, y in points[:1])
    data += " C" + " ".join(f"{_num(x)} {_num(y)}" for x, y in points[1:])
    bx, by = tip[0] - ux * head, tip[1] - uy * head
    arrow = (f"M{_num(tip[0])} {_num(tip[1])} L{_num(bx - uy * half)} {_num(by + ux * half)} "
             f"L{_num(bx + uy * half)} {_num(by - ux * half)}Z")
    return data, arrow


@dataclass(frozen=True)
class Drawing:
    """One diagram's layout on a canvas: what its edges, nodes and rings are drawn from.

    ``prefix`` starts every id, so that several drawings can share a page; ``bounds``
    (xmin, xmax, ymin, ymax) is the region drawn, by default the layout's.
    """

    diagram: InfluenceDiagram
    lay: Layout
    style: Style
    prefix: str = ""
    bounds: tuple[float, float, float, float] | None = None

    @cached_property
    def canvas(self) -> Canvas:
        """Where the drawing lands: the bounds, with a margin, in points."""
        return Canvas.fit(self.bounds or self.lay.bounds(), self.style)

    @cached_property
    def ids(self) -> dict[Hashable, str]:
        """The id piece of each node."""
        return node_ids(self.diagram)

    def edges(self, marks: Marks) -> list[str]:
        """Return the group of edges, those of ``marks`` thick in their colours."""
        diagram, style, canvas, ids = self.diagram, self.style, self.canvas, self.ids
        out = ['<g class="edges">']
        for edge in sorted(diagram.edges, key=lambda e: (node_key(e[0]), node_key(e[1]))):
            u, v = edge
            info = v in diagram.decisions
            attrs = _attrs(id=f"{self.prefix}edge-{ids[u]}-{ids[v]}",
                           class_="edge information" if info else "edge",
                           data_from=ids[u], data_to=ids[v])
            out.append(f"<g{attrs}>")
            for colour, shift in marks.strokes(edge):
                width = style.highlight_line_width if colour else style.edge_line_width
                data, arrow = _path(offset(self.lay.curves[edge], shift), canvas,
                                    colour is not None)
                ink = colour or style.edge_colour
                dashes = _INFO_DASHES if info and not colour else None
                line = _attrs(class_="highlight" if colour else "line", d=data, fill="none",
                              stroke=ink, stroke_width=_num(width), stroke_dasharray=dashes)
                out.append(f"<path{line}/>")
                out.append(f"<path{_attrs(class_='head', d=arrow, fill=ink)}/>")
            out.append("</g>")
        out.append("</g>")
        return out

    def label(self, node: Hashable) -> str:
        """Return the node's label: one ``tspan`` per wrapped line, centred on the node."""
        style = self.style
        lines = self.lay.texts[node].split("\n")
        x, y = self.canvas.at(self.lay.positions[node])
        step = 1.25 * style.font_size
        first = y - (len(lines) - 1) * step / 2 + 0.35 * style.font_size
        spans = "".join(f"<tspan{_attrs(x=_num(x), y=_num(first + i * step))}>{escape(line)}"
                        "</tspan>" for i, line in enumerate(lines))
        return f'<text text-anchor="middle">{spans}</text>'

    def nodes(self) -> list[str]:
        """Return the group of nodes: each its shape, label and tooltip."""
        diagram, style, ids = self.diagram, self.style, self.ids
        out = ['<g class="nodes">']
        for node in sort_nodes(diagram.nodes):
            kind = diagram.kind(node).value
            label = diagram.labels.get(node, str(node))
            agent = diagram.agent_of(node)
            attrs = _attrs(id=f"{self.prefix}node-{ids[node]}", class_=f"node {kind}",
                           data_node=ids[node], data_agent=None if agent is None else str(agent))
            out.append(f"<g{attrs}>")
            title = f"{node}: {label}" if label != str(node) else str(node)
            out.append(f"<title>{escape(f'{title} ({kind} node)')}</title>")
            out.append(_shape(self.lay.outline(node), 0.0, self.canvas, class_="shape",
                              fill=style.fill(diagram, node), stroke=style.outline,
                              stroke_width=_num(style.node_line_width)))
            out.append(self.label(node))
            out.append("</g>")
        out.append("</g>")
        return out

    def rings(self, marks: Marks, key: str | None = None) -> list[str]:
        """Return one group of rings, with the ``key`` of the decision it shows.

        ``key`` None is the figure's own rings; ``"*"`` the rings of every decision; a
        decision's id its rings alone (their ids then start with that id).
        """
        style, canvas, ids = self.style, self.canvas, self.ids
        extra = "" if key in (None, "*") else f"{key}-"
        hidden = None if key in (None, "*") else "none"
        out = [f"<g{_attrs(class_='rings', data_for=key, display=hidden)}>"]
        for node in sort_nodes(marks.rings):
            box = self.lay.outline(node)
            for i, ring in enumerate(marks.rings[node]):
                look = ring.look
                status = ("undetermined" if look.undetermined else
                          "generalised" if look.generalised else "present")
                kind, dec = look.kind.value, ids[ring.decision]
                colour = look.colour(style)
                grow = (i + 1) * style.ring_gap
                out.append(_shape(
                    box, grow, canvas, id=f"{self.prefix}{extra}ring-{kind}-{dec}-{ids[node]}",
                    class_=f"ring {kind}" + ("" if status == "present" else f" {status}"),
                    data_kind=kind, data_decision=dec, data_node=ids[node], fill="none",
                    stroke=colour, stroke_width=_num(style.ring_line_width),
                    stroke_dasharray=_RING_DASHES[status]))
                if look.undetermined:
                    x, y = canvas.at(box.towards(grow, 40 - 12 * i))
                    badge = _attrs(class_=f"badge {kind}", data_kind=kind, data_decision=dec,
                                   data_node=ids[node])
                    disc = _attrs(cx=_num(x), cy=_num(y), r=_num(style.font_size * 0.62),
                                  fill="#ffffff", stroke=colour)
                    mark = _attrs(x=_num(x), y=_num(y + style.font_size * 0.36),
                                  text_anchor="middle", font_weight="bold")
                    out.append(f"<g{badge}><circle{disc}/><text{mark}>?</text></g>")
            for g, (text, index) in enumerate(marks.tag_groups(node)):
                tx, ty = canvas.xy(box.towards((index + 1) * style.ring_gap, 115 + 22 * g))
                tag = _attrs(class_="tag", x=tx, y=ty, text_anchor="middle",
                             font_size=_num(style.font_size - 1.5), stroke="#ffffff",
                             stroke_width="3", paint_order="stroke")
                out.append(f"<text{tag}>{escape(text)}</text>")
        out.append("</g>")
        return out

    def markup(self, ring_sets: Sequence[tuple[str | None, Marks]], highlight: Marks,
               title: str | None = None) -> str:
        """Return the ``<svg>`` element: edges, nodes, then each set of rings as one group.

        ``ring_sets`` pairs a key (see :meth:`rings`) with marks; ``highlight`` says which
        edges are drawn thick, in which colours.
        """
        canvas, style = self.canvas, self.style
        head = _attrs(xmlns="http://www.w3.org/2000/svg", class_="cidlib-diagram",
                      viewBox=f"0 0 {_num(canvas.width)} {_num(canvas.height)}",
                      width=f"{_num(canvas.width)}pt", height=f"{_num(canvas.height)}pt",
                      font_family=_FONTS, font_size=_num(style.font_size),
                      fill=style.outline, data_scale=_num(canvas.scale),
                      data_origin=f"{canvas.origin[0]:.4f} {canvas.origin[1]:.4f}")
        parts = [f"<svg{head}>", f"<title>{escape(title or _summary(self.diagram))}</title>"]
        parts += self.edges(highlight)
        parts += self.nodes()
        for key, marks in ring_sets:
            parts += self.rings(marks, key)
        parts.append("</svg>")
        return "\n".join(parts) + "\n"


def _summary(diagram: InfluenceDiagram) -> str:
    return (f"Influence diagram: {len(diagram)} nodes, {len(diagram.edges)} edges, "
            f"{len(diagram.decisions)} decision(s)")


def to_svg(
    diagram: InfluenceDiagram,
    *,
    report: IncentiveReport | None = None,
    highlight: Highlight = (),
    layout: Layout | Mapping[Hashable, tuple[float, float]] | None = None,
    style: Style | None = None,
    show_trivial: bool = False,
    decision: Hashable | None = None,
    title: str | None = None,
) -> str:
    """Return an SVG document drawing ``diagram``, annotated like :func:`cidlib.draw`.

    Parameters
    ----------
    diagram, report, highlight, layout, style, show_trivial, decision
        As for :func:`cidlib.draw`: the same layout, rings (tagged by decision when they
        come from several) and highlighted paths.
    title : str, optional
        The picture's ``<title>`` (shown as a tooltip, read by screen readers); by default
        a summary of the diagram.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D"), ("D", "U"), ("S", "U")], decisions=["D"], utilities=["U"])
    >>> svg = cidlib.to_svg(d, report=cidlib.analyze(d))
    >>> svg.startswith("<svg") and 'id="node-S" class="node chance"' in svg
    True
    >>> 'id="edge-S-D" class="edge information"' in svg, 'id="ring-voi-D-S"' in svg
    (True, True)
    """
    style = check_style(style)
    marks = resolve_marks(diagram, report, highlight, style, show_trivial=show_trivial,
                          decision=decision)
    lay = resolve(diagram, layout, marks, style)
    return Drawing(diagram, lay, style).markup([(None, marks)], marks, title)
