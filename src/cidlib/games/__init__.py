"""Several agents and several decisions: strategic relevance and recall."""

from cidlib.games.relevance import (
    has_sufficient_recall,
    r_reachable,
    relevance_cycle,
    relevance_graph,
    s_reachable,
)

__all__ = [
    "has_sufficient_recall",
    "r_reachable",
    "relevance_cycle",
    "relevance_graph",
    "s_reachable",
]
