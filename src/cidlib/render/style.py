"""The visual language of causal incentive figures, as data.

Follows the figures of the causal incentives papers: chance nodes are circles, decisions
rectangles, utilities diamonds; information links are dotted; incentives are thick dashed
rings around a node (value of information blue, response incentive green, value of control
orange, instrumental control incentive red), nested when several apply. One agent: decisions
light blue, utilities yellow; several agents: one pastel fill per agent.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, fields

from cidlib.core.diagram import InfluenceDiagram, NodeKind
from cidlib.core.names import node_key
from cidlib.exceptions import StyleError
from cidlib.incentives.base import IncentiveKind

__all__ = ["Style"]

_HEX = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True)
class Style:
    """Colours, sizes and fonts of a figure; pass ``style=Style(...)`` to change them.

    Colours are ``"#rrggbb"`` strings (the TikZ and DOT exports need exact values). Sizes
    are in layout units (adjacent layers are at least ``layer_gap`` apart); fonts in points,
    in the figure, its legend and its captions alike. ``undetermined_colour`` rings the
    nodes where a criterion cannot decide. Saved PDF and PostScript files embed TrueType
    fonts; SVG files draw text as paths (the same everywhere) unless ``svg_text=True``, which
    keeps it as ``<text>`` elements (editable and searchable, in the reader's installed
    font).

    Examples
    --------
    >>> Style().ring_colour(IncentiveKind.ICI)
    '#d62728'
    >>> Style(voi_colour="blue")
    Traceback (most recent call last):
    ...
    cidlib.exceptions.StyleError: voi_colour is 'blue'; give colours as '#rrggbb', e.g. '#1f5fbf'
    """

    chance_fill: str = "#ffffff"
    decision_fill: str = "#cfe2f3"
    utility_fill: str = "#fff2a8"
    agent_fills: tuple[str, ...] = ("#b3cde3", "#fbb4ae", "#ccebc5", "#decbe4", "#fed9a6",
                                    "#e5d8bd", "#fddaec")
    outline: str = "#222222"
    edge_colour: str = "#333333"
    highlight_colour: str = "#d62728"
    voi_colour: str = "#1f5fbf"
    ri_colour: str = "#2e9e44"
    voc_colour: str = "#f08a00"
    ici_colour: str = "#d62728"
    undetermined_colour: str = "#8c8c8c"
    font_family: str = "DejaVu Sans"
    font_size: float = 9.0
    wrap: int = 14
    node_line_width: float = 1.2
    edge_line_width: float = 1.1
    highlight_line_width: float = 3.0
    ring_line_width: float = 2.2
    ring_gap: float = 0.09
    layer_gap: float = 2.2
    row_gap: float = 1.35
    inch_per_unit: float = 0.85
    svg_text: bool = False

    def __post_init__(self) -> None:
        for name in ("font_size", "node_line_width", "edge_line_width", "highlight_line_width",
                     "ring_line_width", "ring_gap", "layer_gap", "row_gap", "inch_per_unit"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
                    0 < value < 1e4):
                raise StyleError(f"{name} is {value!r}; give a positive number")
        if isinstance(self.wrap, bool) or not isinstance(self.wrap, int) or self.wrap < 1:
            raise StyleError(f"wrap is {self.wrap!r}; give a positive whole number of characters")
        if not isinstance(self.svg_text, bool):
            raise StyleError(f"svg_text is {self.svg_text!r}; give True or False")
        if not isinstance(self.font_family, str):
            raise StyleError(f"font_family is {self.font_family!r}; give a font name")
        for f in fields(self):
            value = getattr(self, f.name)
            colours = value if f.name == "agent_fills" else (value,)
            if f.name.endswith(("_fill", "_fills", "_colour")) or f.name == "outline":
                for colour in colours:
                    if not (isinstance(colour, str) and _HEX.fullmatch(colour)):
                        raise StyleError(
                            f"{f.name} is {colour!r}; give colours as '#rrggbb', e.g. '#1f5fbf'"
                        )

    def ring_colour(self, kind: IncentiveKind) -> str:
        """Return the ring colour of an incentive kind."""
        return {
            IncentiveKind.VOI: self.voi_colour,
            IncentiveKind.RI: self.ri_colour,
            IncentiveKind.VOC: self.voc_colour,
            IncentiveKind.ICI: self.ici_colour,
        }[kind]

    def agent_fill(self, diagram: InfluenceDiagram, agent: Hashable) -> str:
        """Return the pastel fill of ``agent`` in a diagram with several agents."""
        index = sorted(diagram.agents, key=node_key).index(agent)
        return self.agent_fills[index % len(self.agent_fills)]

    def fill(self, diagram: InfluenceDiagram, node: Hashable) -> str:
        """Return the fill of ``node``: by kind with one agent, by agent with several."""
        kind = diagram.kind(node)
        if kind is NodeKind.CHANCE:
            return self.chance_fill
        if len(diagram.agents) > 1:
            return self.agent_fill(diagram, diagram.agent_of(node))
        return self.decision_fill if kind is NodeKind.DECISION else self.utility_fill

    def ring_room(self, rings: int) -> float:
        """How far ``rings`` nested rings reach beyond a node's outline."""
        return rings * self.ring_gap + 0.02
