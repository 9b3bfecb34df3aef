"""Figures of influence diagrams: matplotlib drawing, and TikZ and DOT text exports.

Only :mod:`cidlib.render.draw` imports matplotlib, and only when it draws.
"""

from cidlib.render.draw import draw, draw_comparison
from cidlib.render.style import Style

__all__ = ["Style", "draw", "draw_comparison"]
