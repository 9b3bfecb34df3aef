"""Helpers shared by the matplotlib back-ends: new figures, the style argument, legend sizes.

matplotlib is imported inside the functions, so importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from cidlib.exceptions import ArgumentTypeError
from cidlib.render.style import Style

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__: list[str] = []  # internal: used by cidlib.render.draw and cidlib.render.relevance


def plain(text: str) -> str:
    """Protect ``$`` from matplotlib's math-text parser (legend labels)."""
    return text.replace("$", r"\$")


def check_style(style: object) -> Style:
    """Return ``style`` (a default :class:`~cidlib.Style` for None), or raise a clear error."""
    if style is None:
        return Style()
    if not isinstance(style, Style):
        raise ArgumentTypeError(f"style must be a cidlib.Style, not {type(style).__name__}; "
                                "e.g. style=cidlib.Style(font_size=10)")
    return style


def check_flag(value: object, name: str) -> bool:
    """Return ``value`` if it is a bool, else raise a clear error naming the argument."""
    if not isinstance(value, bool):
        raise ArgumentTypeError(f"{name} must be True or False, not {value!r:.40}")
    return value


def new_figure(width: float, height: float, pyplot: bool) -> Figure:
    """Return a figure of that size in inches: detached, or registered with pyplot.

    A detached figure is freed with its last reference; ``pyplot=True`` registers it, so that
    ``plt.show()`` and notebooks' inline backend show it (and ``plt.close`` frees it).
    """
    if pyplot:
        import matplotlib.pyplot as plt

        return plt.figure(figsize=(width, height))
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height))


def legend_width(labels: Sequence[str], columns: int, style: Style) -> float:
    """Inches a legend of ``labels`` in ``columns`` columns needs.

    matplotlib fills the columns top to bottom, each as wide as its own widest entry.
    """
    point = (style.font_size - 0.5) / 72
    rows = max(1, -(-len(labels) // max(columns, 1)))
    widest = [max(len(label) for label in labels[i:i + rows])
              for i in range(0, len(labels), rows)]
    return sum(w * 0.62 + 4.5 for w in widest) * point + 0.2
