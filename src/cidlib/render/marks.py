"""What a figure marks: incentive rings per node and highlighted edges.

They come from a report and a ``highlight`` argument, and are shared by the matplotlib, TikZ
and DOT back-ends. A ring is one incentive of one decision: present (coloured, dashed; a
generalised criterion dash-dotted) or undetermined (grey, with a question mark). When the
rings come from several decisions, each ring is tagged with its decision.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass

from cidlib.core.checks import ensure_diagram, require_decision
from cidlib.core.diagram import InfluenceDiagram
from cidlib.core.paths import Path
from cidlib.exceptions import ArgumentTypeError, InvalidQueryError
from cidlib.incentives.base import Incentive, IncentiveKind
from cidlib.incentives.report import IncentiveReport
from cidlib.render.style import Style

__all__: list[str] = []  # internal: what every back-end marks

Highlight = Incentive | Path | IncentiveReport | Iterable["Highlight"]
_PARALLEL = 0.07  # layout units between highlighted paths that share an edge
_TAG_LENGTH = 12  # characters of a decision's label in a ring's tag


_ROUTE_WORDS = {"d": "direct", "i": "indirect", "di": "direct and indirect"}


@dataclass(frozen=True)
class RingKind:
    """How a ring looks: its incentive kind, and whether it is generalised or undetermined.

    ``routes`` marks value of control as direct (``"d"``), indirect (``"i"``) or both
    (``"di"``) when the report knows (``analyze(d, voc_routes=True)``).
    """

    kind: IncentiveKind
    generalised: bool = False
    undetermined: bool = False
    routes: str = ""

    @property
    def badge(self) -> str:
        """The letters drawn on the ring: ``?`` when undetermined, else the VoC routes."""
        return "?" if self.undetermined else self.routes

    def colour(self, style: Style) -> str:
        return style.undetermined_colour if self.undetermined else style.ring_colour(self.kind)

    @property
    def key(self) -> tuple[int, bool, bool, str]:
        """Legend and nesting order: by kind, present before generalised and undetermined."""
        return (list(IncentiveKind).index(self.kind), self.generalised, self.undetermined,
                self.routes)

    @property
    def label(self) -> str:
        """The legend text."""
        if self.undetermined:
            return f"{self.kind.title}: undetermined (?)"
        routes = f", {_ROUTE_WORDS[self.routes]} ({self.routes})" if self.routes else ""
        return self.kind.title + routes + (" (generalised)" if self.generalised else "")


@dataclass(frozen=True)
class Ring:
    """One ring around a node: an incentive (or an undetermined one) of one decision."""

    look: RingKind
    decision: Hashable


@dataclass(frozen=True)
class Marks:
    """Rings around nodes (inner to outer), highlighted edges and their legend entries.

    ``edges`` maps an edge to the colours of the highlighted paths through it (drawn side
    by side); ``tags`` names each decision in ring tags (empty when all rings belong to one
    decision); ``ring_kinds`` and ``path_labels`` are the legend entries, in order.
    """

    rings: dict[Hashable, tuple[Ring, ...]]
    edges: dict[tuple[Hashable, Hashable], tuple[str, ...]]
    ring_kinds: tuple[RingKind, ...]
    path_labels: dict[str, str]
    tags: dict[Hashable, str]

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

    def tag_groups(self, node: Hashable) -> list[tuple[str, int]]:
        """Decision tags around ``node``: ``(text, index of the group's outer ring)``."""
        if not self.tags:
            return []
        out: list[tuple[str, int]] = []
        rings = self.rings.get(node, ())
        for i, ring in enumerate(rings):
            if i + 1 == len(rings) or rings[i + 1].decision != ring.decision:
                out.append((self.tags[ring.decision], i))
        return out


def same_structure(a: InfluenceDiagram, b: InfluenceDiagram) -> bool:
    """Whether two diagrams have the same nodes, kinds, agents and edges.

    Labels and positions do not change any incentive, so a report of a relabelled copy
    still annotates the diagram correctly.
    """
    if a == b:
        return True
    return (a.nodes == b.nodes and a.edges == b.edges and a.decisions == b.decisions
            and a.utilities == b.utilities and a.agents == b.agents
            and all(a.agent_of(n) == b.agent_of(n) for n in a.decisions | a.utilities))


def check_report(diagram: InfluenceDiagram, report: object, what: str = "report") -> None:
    """Raise unless ``report`` is an :class:`~cidlib.IncentiveReport` of ``diagram``."""
    if not isinstance(report, IncentiveReport):
        raise ArgumentTypeError(f"{what} must be an IncentiveReport (cidlib.analyze(d)), not "
                                f"{type(report).__name__}")
    if not same_structure(report.diagram, diagram):
        raise InvalidQueryError(
            f"the {what} belongs to another diagram ({report.diagram!r}) than the one drawn "
            f"({diagram!r}); annotate a diagram with its own report: cidlib.analyze(diagram)"
        )


def _paths(item: object, diagram: InfluenceDiagram, style: Style,
           show_trivial: bool) -> Iterator[tuple[Path, str, str]]:
    """Witness paths with their colour and legend text."""
    if isinstance(item, Path):
        yield item, style.highlight_colour, "highlighted path"
    elif isinstance(item, Incentive):
        if item.witness is None:
            raise InvalidQueryError(
                f"cannot highlight {item!r}: it is absent, so it has no witness path"
            )
        if item.decision not in diagram.decisions or item.node not in diagram.nodes:
            raise InvalidQueryError(
                f"cannot highlight {item!r}: it belongs to another diagram (its decision or "
                "node is not in the one drawn); highlight the incentives of this diagram"
            )
        yield item.witness, style.ring_colour(item.kind), f"{item.kind.abbreviation} witness path"
    elif isinstance(item, IncentiveReport):
        check_report(diagram, item, "highlighted report")
        for inc in item:
            if show_trivial or not inc.trivial:
                yield from _paths(inc, diagram, style, show_trivial)
    elif isinstance(item, Iterable) and not isinstance(item, (str, bytes)):
        for sub in item:
            yield from _paths(sub, diagram, style, show_trivial)
    else:
        raise InvalidQueryError(
            f"cannot highlight {item!r}; give an Incentive, a Path, a report (or a filter of "
            "one), or a list of them"
        )


def _rings(diagram: InfluenceDiagram, report: IncentiveReport, decisions: list[Hashable],
           show_trivial: bool) -> dict[Hashable, list[Ring]]:
    rings: dict[Hashable, list[Ring]] = {}
    for decision in decisions:  # decisions in topological order, inner rings first
        found: dict[Hashable, list[Ring]] = {}
        listed = report.filter(decision=decision)
        for inc in listed:
            if show_trivial or not inc.trivial:
                routes = report.voc_routes(decision, inc.node) if (
                    inc.kind is IncentiveKind.VOC) else None
                letters = "".join(r[0] for r in sorted(routes or ()))  # d, i or di
                look = RingKind(inc.kind, generalised=inc.generalised, routes=letters)
                found.setdefault(inc.node, []).append(Ring(look, decision))
        for inc in listed.undetermined_incentives():  # only those the filter shows
            found.setdefault(inc.node, []).append(Ring(RingKind(inc.kind, undetermined=True),
                                                       decision))
        for node, more in found.items():
            rings.setdefault(node, []).extend(sorted(more, key=lambda r: r.look.key))
    return rings


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
    several decisions, each ring is tagged with its decision.
    """
    ensure_diagram(diagram)
    if decision is not None:
        require_decision(diagram, decision)
    rings: dict[Hashable, list[Ring]] = {}
    if report is not None:
        check_report(diagram, report)
        ordered = [n for n in diagram.topological_order() if n in diagram.decisions]
        rings = _rings(diagram, report, [decision] if decision is not None else ordered,
                       show_trivial)
    shown = {r.decision for rs in rings.values() for r in rs}
    tags = {d: _tag(diagram, d) for d in shown} if len(shown) > 1 else {}
    edges: dict[tuple[Hashable, Hashable], list[str]] = {}
    path_labels: dict[str, list[str]] = {}
    for path, colour, label in _paths(highlight, diagram, style, show_trivial):
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
        rings={n: tuple(rs) for n, rs in rings.items()},
        edges={e: tuple(cs) for e, cs in edges.items()},
        ring_kinds=tuple(sorted({r.look for rs in rings.values() for r in rs},
                                 key=lambda k: k.key)),
        path_labels={c: " / ".join(labels) for c, labels in path_labels.items()},
        tags=tags,
    )


def _tag(diagram: InfluenceDiagram, decision: Hashable) -> str:
    text = " ".join(diagram.labels.get(decision, str(decision)).split())
    return text if len(text) <= _TAG_LENGTH else text[:_TAG_LENGTH - 1] + "…"
