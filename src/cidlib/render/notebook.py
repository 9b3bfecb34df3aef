"""Notebook display: what diagrams and reports show in Jupyter.

The core's :meth:`~cidlib.InfluenceDiagram._repr_html_` and the report's ``_repr_html_``
call :func:`inline_html`, and the diagram's ``_repr_svg_`` calls :func:`inline_svg`: the one place
where a lower layer reaches up to the renderer, declared in the layer contract
(pyproject.toml).

The HTML is the interactive view of :func:`cidlib.to_html` without the page around it: its
script, style and data travel inside the output, so it needs no network and no trusted
notebook extension. Where a notebook does not run the output's script (an untrusted
notebook in JupyterLab, a static renderer), what remains is the annotated SVG figure (its
colours are attributes, not style rules) with the legend. Each output's ids start with
their own random prefix, so that several views share a page.
"""

from __future__ import annotations

import io
import secrets
from typing import TYPE_CHECKING, cast

from cidlib.core.diagram import InfluenceDiagram
from cidlib.exceptions import CidlibError
from cidlib.incentives.report import IncentiveReport
from cidlib.render.draw import draw
from cidlib.render.html import analysed, asset, fragment, panel
from cidlib.render.style import Style

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__: list[str] = []  # internal: the display hooks of diagrams and reports

MAX_INLINE_FIGURE = 150
"""Nodes; a notebook shows larger diagrams as text only (drawing them would be slow)."""
MAX_INLINE_VIEW = 1000
"""Nodes up to which a notebook shows the interactive view."""


def inline_svg(diagram: InfluenceDiagram) -> str | None:
    """Return the SVG document of ``diagram``, or None if too large."""
    if len(diagram) > MAX_INLINE_FIGURE:
        return None
    buffer = io.BytesIO()
    cast("Figure", draw(diagram).figure).savefig(buffer, format="svg", bbox_inches="tight")
    return buffer.getvalue().decode("utf-8")


def inline_html(diagram: InfluenceDiagram, report: IncentiveReport | None = None) -> str | None:
    """Return the interactive view of ``diagram`` and ``report``, or None if too large.

    Without a report, a diagram of one agent is analysed; if the analysis fails, the view
    shows the diagram with the reason.
    """
    if len(diagram) > MAX_INLINE_VIEW:
        return None
    style = Style()
    note = None
    if report is None:
        try:
            report, note = analysed(diagram)
        except CidlibError as err:
            note = f"No incentives shown: {err}"
    uid = f"cidlib-{secrets.token_hex(5)}"
    view = panel(diagram, report, style, prefix=f"{uid}-", note=note)
    return (f"<style>{asset('view.css')}</style>"
            + fragment([view], style, uid=uid, name="diagram", standalone=False))
