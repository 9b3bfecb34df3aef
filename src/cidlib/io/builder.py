"""Gather a diagram while parsing, remembering where each edge was written.

Shared by the readers of :mod:`cidlib.io.text` and :mod:`cidlib.io.foreign`, so that a cycle
or a utility with a child is reported at the line and column of an edge that causes it.
"""

from __future__ import annotations

from collections.abc import Hashable

from cidlib.core.diagram import InfluenceDiagram, NodeKind
from cidlib.exceptions import CidlibError, CycleError, ParseError

__all__: list[str] = []  # internal: shared by the readers


class DiagramBuilder:
    """Nodes, kinds, agents, labels, positions and located edges, gathered by a reader.

    A decision or utility with no owner belongs to agent ``0``.
    """

    def __init__(self, source: str, agents: list[Hashable] | None = None) -> None:
        self.source = source
        self.nodes: dict[Hashable, None] = {}
        self.kinds: dict[Hashable, str] = {}  # the kind's name, or a NodeKind (also a str)
        self.owners: dict[Hashable, Hashable] = {}
        self.agents: list[Hashable] = list(agents or [])
        self.positions: dict[Hashable, tuple[float, float]] = {}
        self.labels: dict[Hashable, str] = {}
        self.edges: dict[tuple[Hashable, Hashable], tuple[int, int]] = {}

    def error(self, message: str, line: int = 1, column: int = 1) -> ParseError:
        """Return a :class:`ParseError` at that place of the source."""
        return ParseError(message, self.source, line, column)

    def mark(self, name: Hashable, kind: NodeKind, line: int, column: int) -> None:
        """Give ``name`` a kind; a second, different kind is an error."""
        if self.kinds.setdefault(name, kind) != kind:  # NodeKind is a str: "chance" etc.
            raise self.error(f"{name!r} is marked both decision and utility", line, column)

    def edge(self, u: Hashable, v: Hashable, line: int, column: int) -> None:
        """Add the edge ``u -> v``, written at that place."""
        if u == v:
            raise self.error(f"self-loop on {u!r}", line, column)
        self.nodes.setdefault(u)
        self.nodes.setdefault(v)
        self.edges.setdefault((u, v), (line, column))

    def build(self) -> InfluenceDiagram:
        """Return the diagram, or the first problem at the place that causes it."""
        utilities = {n for n, k in self.kinds.items() if k == NodeKind.UTILITY}
        if utilities:
            for (u, v), (line, col) in self.edges.items():
                if u in utilities:
                    raise self.error(f"utility node {u!r} has child {v!r}; utilities must be "
                                     "sinks", line, col)
        kinds = {n: k for n, k in self.kinds.items() if k != NodeKind.CHANCE}
        owners = {n: self.owners.get(n, 0) for n in kinds}
        try:
            return InfluenceDiagram(list(self.nodes), list(self.edges), kinds=kinds,
                                    owners=owners, agents=self.agents, labels=self.labels,
                                    positions=self.positions)
        except CycleError as err:
            raise self.error(str(err), *self.edges[(err.cycle[0], err.cycle[1])]) from None
        except CidlibError as err:
            raise self.error(str(err)) from None
