"""The render layer: figures of influence diagrams and their incentives.

One layout (:mod:`~cidlib.render.geometry`, computed by the layered engine of
:mod:`~cidlib.render.layout` and the curves of :mod:`~cidlib.render.routes`) and one set of
marks (:mod:`~cidlib.render.marks`: rings and highlighted paths, from a report) feed every
back-end: matplotlib (:mod:`~cidlib.render.draw`, :mod:`~cidlib.render.relevance`), TikZ
(:mod:`~cidlib.render.tikz`), DOT (:mod:`~cidlib.render.dot`) and SVG
(:mod:`~cidlib.render.svg`), on which the interactive HTML page of
:mod:`~cidlib.render.html` is built. Only the matplotlib back-ends import matplotlib, and
only when they draw.
"""

from cidlib.render.dot import to_dot
from cidlib.render.draw import draw, draw_comparison, draw_decisions
from cidlib.render.geometry import Layout, layout
from cidlib.render.html import to_html
from cidlib.render.relevance import draw_relevance_graph
from cidlib.render.style import Style
from cidlib.render.svg import to_svg
from cidlib.render.tikz import to_tikz

__all__ = ["Layout", "Style", "draw", "draw_comparison", "draw_decisions",
           "draw_relevance_graph", "layout", "to_dot", "to_html", "to_svg", "to_tikz"]
