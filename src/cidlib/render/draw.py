"""Draw annotated influence diagrams with matplotlib, in the style of the papers' figures.

matplotlib is imported inside the functions, so importing this module stays cheap. New
figures are detached from pyplot unless asked (``pyplot=True``): a library must not fill
pyplot's registry of open figures behind its user's back.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cidlib.core.checks import ensure_diagram
from cidlib.core.diagram import InfluenceDiagram, NodeKind
from cidlib.core.names import node_key
from cidlib.exceptions import CidlibError
from cidlib.incentives.base import Incentive
from cidlib.incentives.report import IncentiveReport, analyze, compare
from cidlib.render.figure import check_flag, check_style, legend_width, new_figure, plain
from cidlib.render.layout import Layout, NodeBox, compute_layout
from cidlib.render.marks import Highlight, Marks, resolve_marks
from cidlib.render.style import Style

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

__all__ = ["draw", "draw_comparison"]

_COLUMNS = 4
_INFO_DASHES = (0, (1.2, 1.6))
_RING_DASHES = (0, (3.0, 1.6))


def _patch(box: NodeBox, grow: float, **kwargs: Any) -> Patch:
    from matplotlib import patches

    w, h = box.width + 2 * grow, box.height + 2 * grow
    if box.shape == "circle":
        return patches.Circle((box.x, box.y), w / 2, **kwargs)
    if box.shape == "rect":
        return patches.Rectangle((box.x - w / 2, box.y - h / 2), w, h, **kwargs)
    corners = [(box.x - w / 2, box.y), (box.x, box.y + h / 2), (box.x + w / 2, box.y),
               (box.x, box.y - h / 2)]
    return patches.Polygon(corners, closed=True, **kwargs)


def _draw_edges(ax: Axes, diagram: InfluenceDiagram, lay: Layout, marks: Marks,
                style: Style) -> None:
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.path import Path as MplPath

    codes = [MplPath.MOVETO, MplPath.CURVE3, MplPath.CURVE3]
    for edge in sorted(diagram.edges, key=lambda e: (node_key(e[0]), node_key(e[1]))):
        u, v = edge
        room = (marks.room(u, style), marks.room(v, style))
        for colour, offset in marks.strokes(edge):
            arrow = FancyArrowPatch(
                path=MplPath(lay.curve(edge, room, offset), codes),
                arrowstyle="-|>",
                mutation_scale=13 if colour else 11,
                linewidth=style.highlight_line_width if colour else style.edge_line_width,
                linestyle=_INFO_DASHES if v in diagram.decisions else "-",
                color=colour or style.edge_colour,
                zorder=4 if colour else 2,
            )
            arrow.set_gid(f"{'highlight' if colour else 'edge'}:{u}->{v}")
            ax.add_patch(arrow)


def _draw_nodes(ax: Axes, diagram: InfluenceDiagram, lay: Layout, marks: Marks,
                style: Style) -> None:
    for node, box in lay.boxes.items():
        patch = _patch(box, 0.0, facecolor=style.fill(diagram, node), edgecolor=style.outline,
                       linewidth=style.node_line_width, zorder=3)
        patch.set_gid(f"node:{diagram.kind(node)}:{node}")
        ax.add_patch(patch)
        ax.text(box.x, box.y, box.text, ha="center", va="center", fontsize=style.font_size,
                family=style.font_family, zorder=5, gid=f"label:{node}", parse_math=False)
        for i, kind in enumerate(marks.rings.get(node, ())):
            ring = _patch(box, (i + 1) * style.ring_gap, facecolor="none",
                          edgecolor=style.ring_colour(kind), linewidth=style.ring_line_width,
                          linestyle=_RING_DASHES, zorder=3.5)
            ring.set_gid(f"ring:{kind.value}:{node}")
            ax.add_patch(ring)


def _legend_handles(diagram: InfluenceDiagram, marks: Marks, style: Style) -> list[Artist]:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Artist] = []
    markers = {NodeKind.CHANCE: "o", NodeKind.DECISION: "s", NodeKind.UTILITY: "D"}
    several = len(diagram.agents) > 1
    for kind, marker in markers.items():
        if any(diagram.kind(n) is kind for n in diagram.nodes):
            fill = style.chance_fill if several or kind is NodeKind.CHANCE else (
                style.decision_fill if kind is NodeKind.DECISION else style.utility_fill)
            handles.append(Line2D([], [], linestyle="none", marker=marker, markersize=9,
                                  markerfacecolor=fill, markeredgecolor=style.outline,
                                  label=f"{kind} node"))
    if several:
        handles.extend(
            Patch(facecolor=style.agent_fill(diagram, a), edgecolor=style.outline,
                  label=plain(f"agent {a}"))
            for a in sorted(diagram.agents, key=node_key)
        )
    if diagram.information_links:
        handles.append(Line2D([], [], color=style.edge_colour, linestyle=_INFO_DASHES,
                              label="information link"))
    handles.extend(
        Patch(facecolor="none", edgecolor=style.ring_colour(k), linestyle="--",
              linewidth=style.ring_line_width, label=plain(label))
        for k, label in marks.ring_labels.items()
    )
    handles.extend(
        Line2D([], [], color=colour, linewidth=style.highlight_line_width, label=label)
        for colour, label in marks.path_labels.items()
    )
    return handles


@dataclass(frozen=True)
class _Frame:
    """Inches of a panel: the drawing, the title above it and the legend below it."""

    drawing_width: float
    legend_width: float
    drawing: float
    title: float
    legend: float

    @property
    def width(self) -> float:
        return max(self.drawing_width, self.legend_width)

    @property
    def height(self) -> float:
        return self.drawing + self.title + self.legend


def _pad(style: Style) -> float:
    return style.ring_room(4) + 0.2


def _frame(lay: Layout, style: Style, title: str | None, labels: Sequence[str]) -> _Frame:
    xmin, xmax, ymin, ymax = lay.bounds()
    pad = 2 * _pad(style)
    rows = -(-len(labels) // _COLUMNS)
    return _Frame(
        drawing_width=(xmax - xmin + pad) * style.inch_per_unit,
        legend_width=legend_width(labels, min(_COLUMNS, len(labels)), style),
        drawing=(ymax - ymin + pad) * style.inch_per_unit,
        title=(style.font_size + 2) / 72 * 2.2 if title else 0.0,
        legend=0.12 + rows * style.font_size / 72 * 1.9 if labels else 0.0,
    )


def _place(fig: Figure, frame: _Frame, left: float, bottom: float) -> Axes:
    """Return axes for a panel whose lower-left corner is at (left, bottom) inches."""
    width, height = fig.get_size_inches()
    left += (frame.width - frame.drawing_width) / 2
    return fig.add_axes((left / width, (bottom + frame.legend) / height,
                         frame.drawing_width / width, frame.drawing / height))


def _render(
    ax: Axes, diagram: InfluenceDiagram, lay: Layout, marks: Marks, style: Style, *,
    title: str | None, handles: list[Artist], columns: int | None,
) -> None:
    """Draw into ``ax``; ``columns`` of legend, or None to fit the legend to ``ax``."""
    _draw_edges(ax, diagram, lay, marks, style)
    _draw_nodes(ax, diagram, lay, marks, style)
    xmin, xmax, ymin, ymax = lay.bounds()
    pad = _pad(style)
    ax.set_xlim(xmin - pad, xmax + pad)
    ax.set_ylim(ymin - pad, ymax + pad)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=style.font_size + 2, family=style.font_family,
                     parse_math=False)
    if handles:
        if columns is None:  # someone else's axes: fit the legend to their width
            labels = [str(h.get_label()) for h in handles]
            width = ax.get_window_extent().width / ax.figure.dpi
            columns = next((c for c in range(min(_COLUMNS, len(handles)), 0, -1)
                            if legend_width(labels, c, style) <= width), 1)
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0),
                  frameon=False, ncol=columns, fontsize=style.font_size - 0.5,
                  handlelength=2.2, borderaxespad=0.3)


def draw(
    diagram: InfluenceDiagram,
    *,
    report: IncentiveReport | None = None,
    highlight: Highlight = (),
    ax: Axes | None = None,
    layout: Mapping[Hashable, tuple[float, float]] | None = None,
    style: Style | None = None,
    title: str | None = None,
    show_trivial: bool = False,
    decision: Hashable | None = None,
    legend: bool = True,
    pyplot: bool = False,
) -> Axes:
    """Draw ``diagram``, annotated with incentives, and return the matplotlib Axes.

    Chance nodes are circles, decisions rectangles, utilities diamonds; information links
    are dotted; with several agents each agent has its own pastel fill. With a ``report``,
    every non-trivial incentive is a dashed ring around its node (value of information blue,
    response incentive green, value of control orange, instrumental control incentive red),
    nested when several apply. ``highlight`` draws witness paths thick, in the incentive's
    colour (a plain :class:`~cidlib.Path` in red); paths that share an edge run side by
    side. The legend lists only what the figure uses. Nothing is shown: save or display the
    figure yourself (``ax.figure.savefig("figure.svg")``), or show it in a notebook
    (``ax.figure``).

    Parameters
    ----------
    diagram : InfluenceDiagram
    report : IncentiveReport, optional
        Incentives to ring, e.g. ``cidlib.analyze(diagram)`` or a filter of it.
    highlight : Incentive, Path, IncentiveReport, or a list of them
        Witness paths to draw thick (a report's trivial ones only with ``show_trivial``).
    ax : matplotlib Axes, optional
        Where to draw; by default a new figure sized to the diagram.
    layout : mapping, optional
        ``{node: (x, y)}`` positions in layout units (adjacent layers are 2.2 apart); they
        override the diagram's own positions and the automatic layered layout.
    style : Style, optional
        Colours, sizes and fonts.
    title : str, optional
    show_trivial : bool
        Also mark incentives that hold by a path of length 0.
    decision : node, optional
        Ring only this decision's incentives. Otherwise, when the report covers several
        decisions, the legend names the decisions behind each ring colour.
    legend : bool
        Draw the legend below the diagram.
    pyplot : bool
        With ``ax`` None, register the new figure with pyplot, so that ``plt.show()`` or a
        notebook's inline backend shows it. By default the figure is detached: pyplot does
        not keep it alive, and it is freed with its last reference.

    Examples
    --------
    >>> import io
    >>> import cidlib
    >>> d = cidlib.CID([("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("I", "C"),
    ...                 ("P", "C")], decisions=["P"], utilities=["C"])
    >>> report = cidlib.analyze(d)
    >>> ax = cidlib.draw(d, report=report, highlight=report.filter(kind="ici", node="I"))
    >>> sorted(p.get_gid() for p in ax.patches if p.get_gid().startswith("ring:ici"))
    ['ring:ici:I']
    >>> ax.figure.savefig(io.BytesIO(), format="svg")
    """
    style = check_style(style)
    lay = compute_layout(diagram, layout, style)
    marks = resolve_marks(diagram, report, highlight, style, show_trivial=show_trivial,
                          decision=decision)
    handles = _legend_handles(diagram, marks, style) if legend else []
    columns = None
    if ax is None:
        frame = _frame(lay, style, title, [str(h.get_label()) for h in handles])
        figure = new_figure(frame.width, frame.height, check_flag(pyplot, "pyplot"))
        ax = _place(figure, frame, 0.0, 0.0)
        columns = min(_COLUMNS, len(handles))  # the frame has room for these
    _render(ax, diagram, lay, marks, style, title=title, handles=handles, columns=columns)
    return ax


def _describe(items: Sequence[Incentive]) -> str:
    texts = [f"{i.kind.abbreviation} on {i.node}" for i in items if not i.trivial]
    return ", ".join(texts) if texts else "none"


def _shared_layout(before: InfluenceDiagram, after: InfluenceDiagram,
                   style: Style) -> dict[Hashable, tuple[float, float]] | None:
    """Positions for both designs from the layout of their union, when it is acyclic."""
    try:
        union = InfluenceDiagram(before.nodes | after.nodes, before.edges | after.edges,
                                 labels={**before.labels, **after.labels})
    except CidlibError:
        return None
    boxes = compute_layout(union, {**before.positions, **after.positions}, style).boxes
    return {n: (b.x, b.y) for n, b in boxes.items()}


def draw_comparison(
    before: InfluenceDiagram,
    after: InfluenceDiagram,
    *,
    titles: tuple[str, str] = ("Before", "After"),
    style: Style | None = None,
    show_trivial: bool = False,
    pyplot: bool = False,
) -> Figure:
    """Draw two designs side by side with the incentives a change removes or introduces.

    Both panels share node positions. The left panel highlights the witness paths of the
    incentives that disappear, the right one those that appear; each caption lists them.
    The figure is detached from pyplot unless ``pyplot=True`` (see :func:`draw`).

    Examples
    --------
    >>> import cidlib
    >>> before = cidlib.CID([("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("I", "C"),
    ...                      ("P", "C")], decisions=["P"], utilities=["C"])
    >>> after = cidlib.CID([("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("M", "PC"),
    ...                     ("P", "PC")], decisions=["P"], utilities=["PC"])
    >>> fig = cidlib.draw_comparison(before, after)
    >>> [ax.get_title() for ax in fig.axes]
    ['Before', 'After']
    """
    style = check_style(style)
    change = compare(analyze(before), analyze(after))
    positions = _shared_layout(ensure_diagram(before), ensure_diagram(after), style)
    panels = []
    for diagram, report, moved, verb, title in (
        (before, change.before, change.disappeared, "Disappears", titles[0]),
        (after, change.after, change.appeared, "Appears", titles[1]),
    ):
        lay = compute_layout(diagram, positions and {n: p for n, p in positions.items()
                                                     if n in diagram}, style)
        marks = resolve_marks(diagram, report, [i for i in moved if not i.trivial], style,
                              show_trivial=show_trivial)
        handles = _legend_handles(diagram, marks, style)
        frame = _frame(lay, style, title, [str(h.get_label()) for h in handles])
        panels.append((diagram, lay, marks, handles, title, f"{verb}: {_describe(moved)}",
                       frame))
    gap, caption = 0.3, style.font_size / 72 * 2.4
    width = sum(p[-1].width for p in panels) + gap
    height = max(p[-1].height for p in panels) + caption
    fig = new_figure(width, height, check_flag(pyplot, "pyplot"))
    left = 0.0
    for diagram, lay, marks, handles, title, text, frame in panels:
        ax = _place(fig, frame, left, height - frame.height)  # tops aligned
        _render(ax, diagram, lay, marks, style, title=title, handles=handles,
                columns=min(_COLUMNS, len(handles)))
        fig.text((left + frame.width / 2) / width, caption / 2 / height, text, ha="center",
                 va="center", fontsize=style.font_size, family=style.font_family,
                 gid=f"caption:{text.split(':')[0].lower()}", parse_math=False)
        left += frame.width + gap
    return fig
