"""What a figure marks: incentive rings per node and highlighted edges.

They come from a report and a ``highlight`` argument, and are shared by the matplotlib, TikZ
and DOT renderers.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass

from cidlib.core.checks import ensure_diagram, require_decision
from cidlib.core.diagram import InfluenceDiagram
from cidlib.core.names import node_key
from cidlib.core.paths import Path
from cidlib.exceptions import ArgumentTypeError, InvalidQueryError
from cidlib.incentives.base import Incentive, IncentiveKind
from cidlib.incentives.report import IncentiveReport
from cidlib.render.style import Style

__all__: list[str] = []  # internal: what every back-end marks

Highlight = Incentive | Path | IncentiveReport | Iterable["Highlight"]
_PARALLEL = 0.07  # layout units between highlighted paths that share an edge


@dataclass(frozen=True)
class Marks:
    """Rings around nodes (inner to outer), highlighted edges and their legend entries.

    ``edges`` maps an edge to the colours of the highlighted paths through it (drawn side
    by side); ``ring_labels`` and ``path_labels`` are the legend texts, in order.
    """

    rings: dict[Hashable, tuple[IncentiveKind, ...]]
    edges: dict[tuple[Hashable, Hashable], tuple[str, ...]]
    ring_labels: dict[IncentiveKind, str]
    path_labels: dict[str, str]

    def room(self, node: Hashable, style: Style) -> float:
        """How far the rings around ``node`` reach beyond its outline."""
        return style.ring_room(len(self.rings.get(node, ())))

    def strokes(self, edge: tuple[Hashable, Hashable]) -> list[tuple[str | None, float]]:
        """How to draw an edge: ``(colour, sideways offset)`` per stroke.

        A plain edge is one stroke with colour None; a highlighted edge has one stroke per
        path through it, side by side.
        """
        colours = self.edges.get(edge, ())
        if not colours:
            return [(None, 0.0)]
        middle = (len(colours) - 1) / 2
        return [(c, (i - middle) * _PARALLEL) for i, c in enumerate(colours)]


def _paths(item: object, style: Style, show_trivial: bool) -> Iterator[tuple[Path, str, str]]:
    """Witness paths with their colour and legend text."""
    if isinstance(item, Path):
        yield item, style.highlight_colour, "highlighted path"
    elif isinstance(item, Incentive):
        if item.witness is None:
            raise InvalidQueryError(
                f"cannot highlight {item!r}: it is absent, so it has no witness path"
            )
        yield item.witness, style.ring_colour(item.kind), f"{item.kind.abbreviation} witness path"
    elif isinstance(item, IncentiveReport):
        for inc in item:
            if show_trivial or not inc.trivial:
                yield from _paths(inc, style, show_trivial)
    elif isinstance(item, Iterable) and not isinstance(item, (str, bytes)):
        for sub in item:
            yield from _paths(sub, style, show_trivial)
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
    decision: Hashable | None = None,
) -> Marks:
    """Turn a report and a ``highlight`` argument into rings and coloured edges.

    With ``decision``, only that decision's incentives are ringed. When the rings come from
    several decisions, the legend names them.
    """
    ensure_diagram(diagram)
    if report is not None and not isinstance(report, IncentiveReport):
        raise ArgumentTypeError(f"report must be an IncentiveReport (cidlib.analyze(d)), not "
                                f"{type(report).__name__}")
    if decision is not None:
        require_decision(diagram, decision)
    rings: dict[Hashable, set[IncentiveKind]] = {}
    sources: dict[IncentiveKind, set[Hashable]] = {}
    for inc in report or ():
        if (show_trivial or not inc.trivial) and decision in (None, inc.decision):
            diagram.require(inc.node)
            rings.setdefault(inc.node, set()).add(inc.kind)
            sources.setdefault(inc.kind, set()).add(inc.decision)
    several = len(set().union(*sources.values())) > 1 if sources else False
    ring_labels = {
        k: k.title + (f" ({', '.join(str(d) for d in sorted(sources[k], key=node_key))})"
                      if several else "")
        for k in IncentiveKind if k in sources
    }
    edges: dict[tuple[Hashable, Hashable], list[str]] = {}
    path_labels: dict[str, list[str]] = {}
    for path, colour, label in _paths(highlight, style, show_trivial):
        for edge in path.edges:
            if edge not in diagram.edges:
                raise InvalidQueryError(
                    f"cannot highlight {path}: its edge {edge[0]!r} -> {edge[1]!r} is not in "
                    "the diagram"
                )
            if colour not in edges.setdefault(edge, []):
                edges[edge].append(colour)
        if label not in path_labels.setdefault(colour, []):
            path_labels[colour].append(label)
    return Marks(
        rings={n: tuple(k for k in IncentiveKind if k in ks) for n, ks in rings.items()},
        edges={e: tuple(cs) for e, cs in edges.items()},
        ring_labels=ring_labels,
        path_labels={c: " / ".join(labels) for c, labels in path_labels.items()},
    )
