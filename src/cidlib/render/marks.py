"""What a figure marks: incentive rings per node and highlighted edges.

They come from a report and a ``highlight`` argument, and are shared by the matplotlib, TikZ
and DOT renderers.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from cidlib.diagram import InfluenceDiagram
from cidlib.exceptions import InvalidQueryError
from cidlib.incentives.base import Incentive, IncentiveKind
from cidlib.paths import Path
from cidlib.render.style import Style
from cidlib.report import IncentiveReport

__all__ = ["Highlight", "Marks", "resolve_marks"]

Highlight = Incentive | Path | IncentiveReport | Iterable["Highlight"]


@dataclass(frozen=True)
class Marks:
    """Rings around nodes (inner to outer) and highlighted edges with their colours."""

    rings: dict[Hashable, tuple[IncentiveKind, ...]]
    edges: dict[tuple[Hashable, Hashable], str]

    def kinds(self) -> list[IncentiveKind]:
        """Return the incentive kinds that appear as rings, in the papers' order."""
        used = {k for ks in self.rings.values() for k in ks}
        return [k for k in IncentiveKind if k in used]


def _paths(item: object, style: Style) -> Iterable[tuple[Path, str]]:
    if isinstance(item, Path):
        yield item, style.highlight_colour
    elif isinstance(item, Incentive):
        if item.witness is None:
            raise InvalidQueryError(
                f"cannot highlight {item!r}: it is absent, so it has no witness path"
            )
        yield item.witness, style.ring_colours[item.kind]
    elif isinstance(item, IncentiveReport):
        for inc in item:
            yield from _paths(inc, style)
    elif isinstance(item, Iterable) and not isinstance(item, (str, bytes)):
        for sub in item:
            yield from _paths(sub, style)
    else:
        raise InvalidQueryError(
            f"cannot highlight {item!r}; give an Incentive, a Path, a report (or a filter of "
            "one), or a list of them"
        )


def resolve_marks(
    diagram: InfluenceDiagram,
    report: IncentiveReport | None,
    highlight: Highlight,
    style: Style,
    *,
    show_trivial: bool = False,
) -> Marks:
    """Turn a report and a ``highlight`` argument into rings and coloured edges."""
    rings: dict[Hashable, set[IncentiveKind]] = {}
    if report is not None:
        for inc in report:
            if show_trivial or not inc.trivial:
                diagram.kind(inc.node)
                rings.setdefault(inc.node, set()).add(inc.kind)
    edges: dict[tuple[Hashable, Hashable], str] = {}
    for path, colour in _paths(highlight, style):
        for edge in path.edges:
            if edge not in diagram.edges:
                raise InvalidQueryError(
                    f"cannot highlight {path}: its edge {edge[0]!r} -> {edge[1]!r} is not in "
                    "the diagram"
                )
            edges[edge] = colour
    ordered = {n: tuple(k for k in IncentiveKind if k in ks) for n, ks in rings.items()}
    return Marks(ordered, edges)
