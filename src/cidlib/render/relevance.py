"""Draw the relevance graph of a game: which decisions rely on which.

Decisions are boxes filled with their agent's colour. An arrow ``D -> D'`` means that ``D``
relies on ``D'``; decisions that rely on each other (a strongly connected component) share a
grey frame. Components are placed left to right in topological order of the condensed
relevance graph, so backward induction solves them from right to left.
"""

from __future__ import annotations

import textwrap
from collections.abc import Hashable
from typing import TYPE_CHECKING

import networkx as nx

from cidlib.core.checks import ensure_diagram
from cidlib.core.diagram import InfluenceDiagram
from cidlib.core.names import node_key
from cidlib.render.figure import (
    add_legend,
    check_flag,
    check_style,
    font,
    legend_size,
    new_figure,
    plain,
)
from cidlib.render.style import Style
from cidlib.structure.relevance import condensed_relevance_graph, relevance_graph

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes

__all__ = ["draw_relevance_graph"]

_BOX_H, _GAP = 0.55, 1.0


def _label(diagram: InfluenceDiagram, decision: Hashable, style: Style) -> str:
    return "\n".join(textwrap.wrap(diagram.labels.get(decision, str(decision)), style.wrap)
                     or [""])


def _width(text: str, style: Style) -> float:
    """Width in drawing units of a box around ``text``."""
    widest = max(len(line) for line in text.splitlines())
    return max(0.9, widest * 0.62 * style.font_size / 72 / style.inch_per_unit + 0.35)


def _positions(
    diagram: InfluenceDiagram, widths: dict[Hashable, float]
) -> tuple[dict[Hashable, tuple[float, float]], list[frozenset[Hashable]]]:
    condensed = condensed_relevance_graph(diagram)
    layer: dict[frozenset[Hashable], int] = {}
    for c in nx.lexicographical_topological_sort(condensed,
                                                 key=lambda c: sorted(map(node_key, c))):
        layer[c] = max((layer[p] + 1 for p in condensed.predecessors(c)), default=0)
    positions: dict[Hashable, tuple[float, float]] = {}
    x, previous = 0.0, 0.0
    for column in sorted(set(layer.values())):
        members = [d for c in sorted((c for c in layer if layer[c] == column),
                                     key=lambda c: sorted(map(node_key, c)))
                   for d in sorted(c, key=node_key)]
        half = max(widths[d] for d in members) / 2
        x += previous + _GAP + half if positions else 0.0
        previous = half
        for row, d in enumerate(members):
            positions[d] = (x, -(row - (len(members) - 1) / 2) * 1.2)
    return positions, [c for c in condensed if len(c) > 1]


def draw_relevance_graph(
    diagram: InfluenceDiagram,
    *,
    ax: Axes | None = None,
    style: Style | None = None,
    title: str | None = "Relevance graph",
    pyplot: bool = False,
) -> Axes:
    """Draw which decisions rely on which, coloured by agent; return the matplotlib Axes.

    Parameters
    ----------
    diagram : InfluenceDiagram
    ax : matplotlib Axes, optional
        Draw into these; by default a new figure of a fitting size.
    style : Style, optional
        Fonts and agent colours, as for :func:`cidlib.draw`.
    title : str or None
    pyplot : bool
        With ``ax`` None, register the new figure with pyplot (see :func:`cidlib.draw`).

    Examples
    --------
    >>> import cidlib
    >>> taxi = cidlib.catalogue.taxi_competition()  # D1 -> D2; both move, both paid
    >>> ax = cidlib.draw_relevance_graph(taxi)
    >>> sorted(t.get_text() for t in ax.texts)
    ['Driver 1', 'Driver 2']
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch

    diagram = ensure_diagram(diagram)
    style = check_style(style)
    graph = relevance_graph(diagram)
    labels = {d: _label(diagram, d, style) for d in diagram.decisions}
    widths = {d: _width(text, style) for d, text in labels.items()}
    positions, cycles = _positions(diagram, widths)
    agents = [a for a in sorted(diagram.agents, key=node_key) if diagram.decisions_of(a)]
    columns = min(4, len(agents) + 1)
    rows = -(-(len(agents) + 1) // columns)
    xs = [x + s * widths[d] / 2 for d, (x, _) in positions.items() for s in (-1, 1)] or [0.0]
    ys = [y for _, y in positions.values()] or [0.0]
    pad = 0.6
    xlim = (min(xs) - pad, max(xs) + pad)
    ylim = (min(ys) - pad - 0.35 * rows - 0.2, max(ys) + pad)
    handles: list[Artist] = [
        Patch(facecolor=style.agent_fill(diagram, a) if len(diagram.agents) > 1
              else style.decision_fill, edgecolor=style.outline, label=plain(f"agent {a}"))
        for a in agents]
    handles.append(Line2D([], [], color=style.edge_colour, marker=">", markersize=5,
                          label="relies on"))
    if ax is None:
        scale = style.inch_per_unit
        legend, _ = legend_size(handles, style, columns)
        ax = new_figure(max(3.0, (xlim[1] - xlim[0]) * scale, legend + 0.3),
                        (ylim[1] - ylim[0]) * scale + 0.6,
                        check_flag(pyplot, "pyplot"), style).add_subplot()
    for cycle in cycles:
        left = min(positions[d][0] - widths[d] / 2 for d in cycle)
        right = max(positions[d][0] + widths[d] / 2 for d in cycle)
        cy = [positions[d][1] for d in cycle]
        ax.add_patch(FancyBboxPatch(
            (left - 0.2, min(cy) - _BOX_H / 2 - 0.2),
            right - left + 0.4, max(cy) - min(cy) + _BOX_H + 0.4,
            boxstyle="round,pad=0,rounding_size=0.15", facecolor="#f0f0f0",
            edgecolor="#999999", linewidth=0.8, zorder=0))
    boxes = {}
    for d, (x, y) in positions.items():
        w = widths[d]
        box = FancyBboxPatch((x - w / 2, y - _BOX_H / 2), w, _BOX_H,
                             boxstyle="square,pad=0", facecolor=style.fill(diagram, d),
                             edgecolor=style.outline, linewidth=style.node_line_width,
                             zorder=2)
        ax.add_patch(box)
        boxes[d] = box
        ax.text(x, y, labels[d], ha="center", va="center", zorder=3, parse_math=False,
                **font(style))
    for u, v in sorted(graph.edges, key=lambda e: (node_key(e[0]), node_key(e[1]))):
        bend = 0.25 if graph.has_edge(v, u) else 0.0
        ax.add_patch(FancyArrowPatch(
            positions[u], positions[v], patchA=boxes[u], patchB=boxes[v],
            connectionstyle=f"arc3,rad={bend}", arrowstyle="-|>", mutation_scale=12,
            color=style.edge_colour, linewidth=style.edge_line_width, zorder=1))
    add_legend(ax, handles, style, columns, loc="lower center", bbox_to_anchor=(0.5, 0.0))
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title:
        ax.set_title(title, parse_math=False, **font(style, style.font_size + 2))
    return ax
