"""Draw annotated influence diagrams with matplotlib, in the style of the papers' figures.

matplotlib is imported inside the functions, so importing this module stays cheap. New
figures are detached from pyplot unless asked (``pyplot=True``): a library must not fill
pyplot's registry of open figures behind its user's back. A figure is sized to its content:
the drawing, titles, captions and one legend shared by all its panels.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cidlib.core.checks import ensure_diagram
from cidlib.core.diagram import InfluenceDiagram, NodeKind
from cidlib.core.names import node_key
from cidlib.exceptions import InvalidQueryError
from cidlib.incentives.base import Incentive
from cidlib.incentives.report import IncentiveReport, analyze, compare
from cidlib.render.figure import (
    add_legend,
    check_flag,
    check_style,
    fit_columns,
    font,
    new_figure,
    plain,
)
from cidlib.render.geometry import Layout, build, margins_for, resolve, shared_positions
from cidlib.render.marks import Highlight, Marks, Ring, RingKind, resolve_marks
from cidlib.render.routes import NodeBox, offset
from cidlib.render.style import Style

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

__all__ = ["draw", "draw_comparison", "draw_decisions"]

_INFO_DASHES = (0, (1.2, 1.6))
_RING_DASHES = (0, (3.0, 1.6))
_GENERALISED_DASHES = (0, (4.0, 1.4, 1.0, 1.4))
_UNDETERMINED_DASHES = (0, (1.0, 1.3))
_PAD = 0.25  # layout units around a drawing
_MARGIN = 0.08  # inches around a figure's content
_GAP = 0.35  # inches between panels


def ring_dashes(look: RingKind) -> tuple[int, tuple[float, ...]]:
    """Return the dash pattern of a ring (also used in its legend entry)."""
    if look.undetermined:
        return _UNDETERMINED_DASHES
    return _GENERALISED_DASHES if look.generalised else _RING_DASHES


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


def _add(ax: Axes, artist: Artist, clip: Any) -> None:
    """Add an artist to ``ax`` without updating data limits (set once) or a new clip path.

    ``add_patch`` recomputes the axes' limits from each curve's extremes, and ``add_artist``
    builds a clip path for each artist: both dominated the time of large figures.
    """
    artist.set_clip_path(clip)
    ax.add_artist(artist)


def _draw_edges(ax: Axes, diagram: InfluenceDiagram, lay: Layout, marks: Marks,
                style: Style, *, clip: Any) -> None:
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.path import Path as MplPath

    for edge in sorted(diagram.edges, key=lambda e: (node_key(e[0]), node_key(e[1]))):
        u, v = edge
        curve = lay.curves[edge]
        codes = [MplPath.MOVETO] + [MplPath.CURVE4] * (len(curve) - 1)
        for colour, shift in marks.strokes(edge):
            arrow = FancyArrowPatch(
                path=MplPath(offset(curve, shift), codes),
                arrowstyle="-|>",
                mutation_scale=13 if colour else 11,
                linewidth=style.highlight_line_width if colour else style.edge_line_width,
                linestyle=_INFO_DASHES if v in diagram.decisions else "-",
                color=colour or style.edge_colour,
                zorder=4 if colour else 2,
            )
            arrow.set_gid(f"{'highlight' if colour else 'edge'}:{u}->{v}")
            _add(ax, arrow, clip)


def _ring_gid(ring: Ring, node: Hashable, marks: Marks) -> str:
    kind = ring.look.kind.value + ("?" if ring.look.undetermined else "")
    return f"ring:{kind}:{node}" + (f"@{ring.decision}" if marks.tags else "")


def _draw_nodes(ax: Axes, diagram: InfluenceDiagram, lay: Layout, marks: Marks,
                style: Style, *, clip: Any) -> None:
    small = font(style, style.font_size - 1.5)
    for node in sorted(diagram.nodes, key=node_key):
        box = lay.outline(node)
        patch = _patch(box, 0.0, facecolor=style.fill(diagram, node), edgecolor=style.outline,
                       linewidth=style.node_line_width, zorder=3)
        patch.set_gid(f"node:{diagram.kind(node)}:{node}")
        _add(ax, patch, clip)
        ax.text(box.x, box.y, lay.texts[node], ha="center", va="center", zorder=5,
                gid=f"label:{node}", parse_math=False, **font(style))
        rings = marks.rings.get(node, ())
        for i, ring in enumerate(rings):
            grow = (i + 1) * style.ring_gap
            colour = ring.look.colour(style)
            patch = _patch(box, grow, facecolor="none", edgecolor=colour,
                           linewidth=style.ring_line_width, linestyle=ring_dashes(ring.look),
                           zorder=3.5)
            patch.set_gid(_ring_gid(ring, node, marks))
            _add(ax, patch, clip)
            if ring.look.badge:
                x, y = box.towards(grow, 40 - 12 * i)
                what = "undetermined" if ring.look.undetermined else "routes"
                ax.text(x, y, ring.look.badge, ha="center", va="center", color=style.outline,
                        zorder=6, fontweight="bold",
                        gid=f"{what}:{ring.look.kind.value}:{node}",
                        bbox={"boxstyle": "circle,pad=0.15", "facecolor": "white",
                              "edgecolor": colour, "linewidth": 1.0}, **font(style))
        for g, (text, index) in enumerate(marks.tag_groups(node)):
            x, y = box.towards((index + 1) * style.ring_gap, 115 + 22 * g)
            ax.text(x, y, text, ha="center", va="center", color=style.outline, zorder=6,
                    gid=f"tag:{node}:{text}", parse_math=False,
                    bbox={"boxstyle": "round,pad=0.1", "facecolor": "white",
                          "edgecolor": "none", "alpha": 0.85}, **small)


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
        Patch(facecolor="none", edgecolor=look.colour(style), linestyle=ring_dashes(look),
              linewidth=style.ring_line_width, label=plain(look.label))
        for look in marks.ring_kinds
    )
    if marks.tags:
        handles.append(Line2D([], [], linestyle="none", marker=r"$\mathsf{D}$", markersize=7,
                              color=style.outline, label="tag: the decision of the rings"))
    handles.extend(
        Line2D([], [], color=colour, linewidth=style.highlight_line_width, label=label)
        for colour, label in marks.path_labels.items()
    )
    return handles


def _render(ax: Axes, diagram: InfluenceDiagram, lay: Layout, marks: Marks, style: Style, *,
            title: str | None, limits: tuple[float, float, float, float]) -> None:
    from matplotlib.transforms import TransformedPatchPath

    clip = TransformedPatchPath(ax.patch)
    _draw_edges(ax, diagram, lay, marks, style, clip=clip)
    _draw_nodes(ax, diagram, lay, marks, style, clip=clip)
    xmin, xmax, ymin, ymax = limits
    ax.set_xlim(xmin - _PAD, xmax + _PAD)
    ax.set_ylim(ymin - _PAD, ymax + _PAD)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title:
        ax.set_title(title, parse_math=False, **font(style, style.font_size + 2))


@dataclass(frozen=True)
class _Panel:
    diagram: InfluenceDiagram
    lay: Layout
    marks: Marks
    title: str | None
    caption: str | None = None


def _compose(panels: Sequence[_Panel], handles: Sequence[Artist], style: Style, *,
             pyplot: bool, per_row: int,
             heading: str | None = None) -> tuple[Figure, list[Axes]]:
    """Make a figure sized to its panels (a grid, ``per_row`` wide) and one legend below."""
    bounds = [p.lay.bounds() for p in panels]
    limits = (min(b[0] for b in bounds), max(b[1] for b in bounds),
              min(b[2] for b in bounds), max(b[3] for b in bounds))
    unit = style.inch_per_unit
    dw = (limits[1] - limits[0] + 2 * _PAD) * unit
    dh = (limits[3] - limits[2] + 2 * _PAD) * unit
    title_h = (style.font_size + 2) / 72 * 2.0 if any(p.title for p in panels) else 0.0
    caption_h = style.font_size / 72 * 2.4 if any(p.caption for p in panels) else 0.0
    rows = -(-len(panels) // per_row)
    cols = min(per_row, len(panels))
    grid_w = cols * dw + (cols - 1) * _GAP
    cell_h = title_h + dh + caption_h
    grid_h = rows * cell_h + (rows - 1) * _GAP
    legend_w = legend_h = 0.0
    columns = 0
    if handles:
        columns, legend_w, legend_h = fit_columns(handles, style, grid_w, heading)
        legend_h += 0.1
    width = max(grid_w, legend_w) + 2 * _MARGIN
    height = grid_h + legend_h + 2 * _MARGIN
    figure = new_figure(width, height, pyplot, style)
    axes = []
    left0 = (width - grid_w) / 2
    for i, panel in enumerate(panels):
        row, col = divmod(i, per_row)
        left = left0 + col * (dw + _GAP)
        bottom = _MARGIN + legend_h + (rows - 1 - row) * (cell_h + _GAP) + caption_h
        ax = figure.add_axes((left / width, bottom / height, dw / width, dh / height))
        _render(ax, panel.diagram, panel.lay, panel.marks, style, title=panel.title,
                limits=limits)
        if panel.caption:
            figure.text((left + dw / 2) / width, (bottom - caption_h / 2) / height,
                        panel.caption, ha="center", va="center", parse_math=False,
                        gid=f"caption:{panel.caption.split(':')[0].lower()}", **font(style))
        axes.append(ax)
    if handles:  # one panel owns its legend (ax.get_legend()); several share the figure's
        add_legend(axes[0] if len(axes) == 1 else figure, handles, style, columns, heading,
                   loc="lower center", bbox_to_anchor=(0.5, _MARGIN / height),
                   bbox_transform=figure.transFigure)
    return figure, axes


def _fit_legend(ax: Axes, handles: Sequence[Artist], style: Style, heading: str | None) -> None:
    """Add a legend below someone else's axes, in as many columns as their width allows."""
    width = ax.get_window_extent().width / ax.figure.dpi
    columns, _, _ = fit_columns(handles, style, width, heading)
    add_legend(ax, handles, style, columns, heading, loc="upper center",
               bbox_to_anchor=(0.5, 0.0))


def draw(
    diagram: InfluenceDiagram,
    *,
    report: IncentiveReport | None = None,
    highlight: Highlight = (),
    ax: Axes | None = None,
    layout: Layout | Mapping[Hashable, tuple[float, float]] | None = None,
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
    nested when several apply; a generalised criterion (several decisions) is dash-dotted,
    and a node where the criterion cannot decide gets a grey dotted ring marked "?".
    ``highlight`` draws witness paths thick, in the incentive's colour (a plain
    :class:`~cidlib.Path` in red); paths that share an edge run side by side. The legend
    lists only what the figure uses. Nothing is shown: save or display the figure yourself
    (``ax.figure.savefig("figure.pdf")``), or show it in a notebook (``ax.figure``).

    With several decisions, ``decision`` picks the one whose incentives are ringed.
    Without it, every ring is tagged with the name of its decision, so that none is
    ambiguous; :func:`draw_decisions` draws one panel per decision instead.

    Parameters
    ----------
    diagram : InfluenceDiagram
    report : IncentiveReport, optional
        Incentives to ring: ``cidlib.analyze(diagram)`` or a filter of it (a report of
        another diagram is refused).
    highlight : Incentive, Path, IncentiveReport, or a list of them
        Witness paths to draw thick (a report's trivial ones only with ``show_trivial``).
    ax : matplotlib Axes, optional
        Where to draw; by default a new figure sized to the diagram and its legend.
    layout : Layout or mapping, optional
        A :class:`~cidlib.Layout` from :func:`cidlib.layout` (made with the same report and
        decision), or ``{node: (x, y)}`` positions in layout units that override the
        diagram's own positions and the automatic layered layout.
    style : Style, optional
        Colours, sizes and fonts.
    title : str, optional
    show_trivial : bool
        Also mark incentives that hold by a path of length 0.
    decision : node, optional
        Ring only this decision's incentives.
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
    marks = resolve_marks(diagram, report, highlight, style, show_trivial=show_trivial,
                          decision=decision)
    lay = resolve(diagram, layout, marks, style)
    handles = _legend_handles(diagram, marks, style) if legend else []
    heading = None  # with several decisions, the legend says whose rings these are
    if decision is not None and len(diagram.decisions) > 1 and marks.rings:
        heading = f"Rings: incentives of {diagram.labels.get(decision, str(decision))}"
    if ax is None:
        _, (ax,) = _compose([_Panel(diagram, lay, marks, title)], handles, style,
                            pyplot=check_flag(pyplot, "pyplot"), per_row=1, heading=heading)
        return ax
    _render(ax, diagram, lay, marks, style, title=title, limits=lay.bounds())
    if handles:
        _fit_legend(ax, handles, style, heading)
    return ax


def _merge(handle_lists: Sequence[Sequence[Artist]]) -> list[Artist]:
    """One legend for several panels: every entry once, in order of first use."""
    seen: dict[str, Artist] = {}
    for handles in handle_lists:
        for h in handles:
            seen.setdefault(str(h.get_label()), h)
    return list(seen.values())


def _describe(diagram: InfluenceDiagram, items: Sequence[Incentive]) -> str:
    label = diagram.labels
    texts = [f"{i.kind.abbreviation} on {label.get(i.node, str(i.node))}"
             for i in items if not i.trivial]
    return ", ".join(texts) if texts else "none"


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

    Both panels share node positions and one legend. The left panel highlights the witness
    paths of the incentives that disappear, the right one those that appear; each caption
    lists them by the nodes' labels. The figure is detached from pyplot unless
    ``pyplot=True`` (see :func:`draw`).

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
    before, after = ensure_diagram(before), ensure_diagram(after)
    change = compare(analyze(before), analyze(after))
    sides = [(before, change.before, change.disappeared, "Disappears", titles[0]),
             (after, change.after, change.appeared, "Appears", titles[1])]
    marks = [resolve_marks(d, r, [i for i in moved if not i.trivial], style,
                           show_trivial=show_trivial) for d, r, moved, _, _ in sides]
    positions = shared_positions(before, after, style, marks)
    panels = []
    for (diagram, _, moved, verb, title), mark in zip(sides, marks, strict=True):
        given = positions and {n: p for n, p in positions.items() if n in diagram}
        lay = build(diagram, margins_for(mark, diagram, style), style, given)
        panels.append(_Panel(diagram, lay, mark, title, f"{verb}: {_describe(diagram, moved)}"))
    handles = _merge([_legend_handles(p.diagram, p.marks, style) for p in panels])
    figure, _ = _compose(panels, handles, style, pyplot=check_flag(pyplot, "pyplot"), per_row=2)
    return figure


def draw_decisions(
    diagram: InfluenceDiagram,
    report: IncentiveReport | None = None,
    *,
    highlight: Highlight = (),
    style: Style | None = None,
    show_trivial: bool = False,
    columns: int | None = None,
    pyplot: bool = False,
) -> Figure:
    """Draw one panel per decision, each ringing that decision's incentives only.

    The panels share one layout and one legend, so a node is in the same place in each;
    each panel's title names its decision. Without ``report``, the diagram is analysed.
    ``columns`` panels go in a row (by default one column for wide diagrams, else up to
    three). The figure is detached from pyplot unless ``pyplot=True`` (see :func:`draw`).

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D1"), ("D1", "X"), ("X", "D2"), ("S", "U"), ("D2", "U"),
    ...                 ("X", "U")], decisions=["D1", "D2"], utilities=["U"])
    >>> fig = cidlib.draw_decisions(d)
    >>> [ax.get_title() for ax in fig.axes]
    ['Decision D1', 'Decision D2']
    """
    style = check_style(style)
    diagram = ensure_diagram(diagram)
    report = analyze(diagram) if report is None else report
    decisions = [n for n in diagram.topological_order() if n in diagram.decisions]
    if not decisions:
        raise InvalidQueryError("the diagram has no decision; draw it with cidlib.draw")
    marks = {d: resolve_marks(diagram, report, highlight, style, show_trivial=show_trivial,
                              decision=d) for d in decisions}
    margins = {n: max(m.room(n, style) for m in marks.values()) for n in diagram.nodes}
    lay = build(diagram, margins, style)
    panels = [_Panel(diagram, lay, marks[d],
                     f"Decision {diagram.labels.get(d, str(d))}") for d in decisions]
    handles = _merge([_legend_handles(diagram, m, style) for m in marks.values()])
    if columns is None:
        xmin, xmax, ymin, ymax = lay.bounds()
        columns = 1 if xmax - xmin > 1.3 * (ymax - ymin) else min(3, len(decisions))
    elif isinstance(columns, bool) or not isinstance(columns, int) or columns < 1:
        raise InvalidQueryError(f"columns must be a positive whole number, not {columns!r}")
    figure, _ = _compose(panels, handles, style, pyplot=check_flag(pyplot, "pyplot"),
                         per_row=columns)
    return figure
