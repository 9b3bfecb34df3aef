"""Notebook display: the inline SVG that diagrams and reports show in Jupyter.

The core's :meth:`~cidlib.InfluenceDiagram._repr_svg_` and the report's ``_repr_html_`` call
:func:`inline_svg`: the one place where a lower layer reaches up to the renderer, declared
in the layer contract (pyproject.toml). The figure is drawn detached from pyplot.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, cast

from cidlib.core.diagram import InfluenceDiagram
from cidlib.incentives.report import IncentiveReport
from cidlib.render.draw import draw, draw_decisions

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__: list[str] = []  # internal: the display hooks of diagrams and reports

MAX_INLINE_FIGURE = 150
"""Nodes; a notebook shows larger diagrams as text only (drawing them would be slow)."""


def inline_svg(diagram: InfluenceDiagram, report: IncentiveReport | None = None) -> str | None:
    """Return the SVG document of ``diagram`` (rings from ``report``), or None if too large.

    With a report of several decisions, one panel per decision.
    """
    if len(diagram) > MAX_INLINE_FIGURE:
        return None
    buffer = io.BytesIO()
    several = report is not None and len(diagram.decisions) > 1
    figure = (draw_decisions(diagram, report) if several
              else cast("Figure", draw(diagram, report=report).figure))
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    return buffer.getvalue().decode("utf-8")
