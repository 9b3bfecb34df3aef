"""The visual language of causal incentive figures, as data.

Follows the figures of the causal incentives papers: chance nodes are circles, decisions
rectangles, utilities diamonds; information links are dotted; incentives are thick dashed
rings around a node (value of information blue, response incentive green, value of control
orange, instrumental control incentive red), nested when several apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cidlib.incentives.base import IncentiveKind

__all__ = ["Style"]

_RING_COLOURS = {
    IncentiveKind.VOI: "#1f5fbf",
    IncentiveKind.RI: "#2e9e44",
    IncentiveKind.VOC: "#f08a00",
    IncentiveKind.ICI: "#d62728",
}
_AGENT_FILLS = (
    ("#cfe2f3", "#fff2a8"),
    ("#f4cccc", "#fce5cd"),
    ("#d9ead3", "#e2f0d9"),
    ("#e1d5e7", "#ead1dc"),
    ("#d0e0e3", "#fff2cc"),
)


@dataclass(frozen=True)
class Style:
    """Colours, sizes and fonts of a figure. Pass ``style=Style(...)`` to change them.

    Sizes are in layout units (the distance between adjacent layers is about 2.2 units);
    fonts in points.
    """

    chance_fill: str = "#ffffff"
    decision_fill: str = "#cfe2f3"
    utility_fill: str = "#fff2a8"
    agent_fills: tuple[tuple[str, str], ...] = _AGENT_FILLS
    outline: str = "#222222"
    edge_colour: str = "#333333"
    highlight_colour: str = "#d62728"
    ring_colours: dict[IncentiveKind, str] = field(default_factory=lambda: dict(_RING_COLOURS))
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

    def fills(self, agent_index: int | None, several_agents: bool) -> tuple[str, str]:
        """Return the (decision, utility) fills for an agent."""
        if not several_agents or agent_index is None:
            return self.decision_fill, self.utility_fill
        return self.agent_fills[agent_index % len(self.agent_fills)]
