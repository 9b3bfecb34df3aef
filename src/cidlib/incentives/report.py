"""Reports: every incentive of a diagram, what one node is subject to, and design comparisons.

:func:`analyze` runs each criterion's search once per decision and keeps every present
incentive with its witness (materialised on demand). :func:`incentives_on` answers "what
does the agent want with this node?". :func:`compare` says which incentives a design change
removes or introduces.
"""

from __future__ import annotations

import html
import json
from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from cidlib.core.checks import require_decision
from cidlib.core.diagram import InfluenceDiagram
from cidlib.core.names import node_key
from cidlib.incentives.base import (
    Incentive,
    IncentiveKind,
    Search,
    check_single_agent,
    parse_kind,
)
from cidlib.incentives.control import ici_search, voc_search
from cidlib.incentives.response import ri_search
from cidlib.incentives.voi import voi_search

__all__ = ["IncentiveComparison", "IncentiveReport", "analyze", "compare", "incentives_on"]

_KINDS = tuple(IncentiveKind)
_LEGEND = "x present   (x) trivial (decision itself or a utility)   . absent   - VoI undefined"
_GENERALISED = ("[generalised]: several decisions; evaluated on the minimal d-reduction, "
                "with no published completeness proof")
_SEARCHES = {
    IncentiveKind.VOI: voi_search,
    IncentiveKind.RI: ri_search,
    IncentiveKind.VOC: voc_search,
    IncentiveKind.ICI: ici_search,
}


def _searches(diagram: InfluenceDiagram) -> dict[tuple[Hashable, IncentiveKind], Search]:
    decisions = [n for n in diagram.topological_order() if n in diagram.decisions]
    return {(dec, kind): search(diagram, dec) for dec in decisions
            for kind, search in _SEARCHES.items()}


class IncentiveReport:
    """Every present incentive of a diagram, with witnesses.

    Iterating yields :class:`~cidlib.Incentive` objects ordered by decision, kind and node.
    The report keeps each criterion's search, not the incentives: they (and their witness
    paths) are made when asked for, so a report on a large diagram stays linear in memory.
    Absent incentives are not listed; :meth:`get` returns None for them.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("I", "C"),
    ...                 ("P", "C")], decisions=["P"], utilities=["C"])
    >>> report = cidlib.analyze(d)
    >>> [str(i.witness) for i in report.filter(kind="ici", trivial=False)]
    ['P -> I -> C']
    """

    def __init__(self, diagram: InfluenceDiagram,
                 searches: Mapping[tuple[Hashable, IncentiveKind], Search],
                 rows: frozenset[Hashable] | None = None) -> None:
        self._diagram = diagram
        self._searches = dict(searches)
        self._rows = rows  # the nodes a filtered report's table shows (None: all)

    @property
    def diagram(self) -> InfluenceDiagram:
        """The diagram analysed."""
        return self._diagram

    def __iter__(self) -> Iterator[Incentive]:
        for (decision, kind), search in self._searches.items():
            for node in sorted(search.nodes, key=node_key):
                yield search.incentive(kind, decision, node)

    def __len__(self) -> int:
        return sum(len(s.nodes) for s in self._searches.values())

    def get(
        self, kind: IncentiveKind | str, decision: Hashable, node: Hashable
    ) -> Incentive | None:
        """Return the incentive of that kind, decision and node if present, else None."""
        k = parse_kind(kind)
        search = self._searches.get((decision, k))
        if search is None or node not in search.nodes:
            return None
        return search.incentive(k, decision, node)

    def has(self, kind: IncentiveKind | str, decision: Hashable, node: Hashable) -> bool:
        """Whether the incentive is present."""
        search = self._searches.get((decision, parse_kind(kind)))
        return search is not None and node in search.nodes

    def nodes(self, kind: IncentiveKind | str, decision: Hashable) -> frozenset[Hashable]:
        """Return the nodes with an incentive of ``kind`` for ``decision``."""
        search = self._searches.get((decision, parse_kind(kind)))
        return frozenset() if search is None else search.nodes

    def filter(
        self,
        *,
        kind: IncentiveKind | str | None = None,
        node: Hashable | None = None,
        decision: Hashable | None = None,
        trivial: bool | None = None,
    ) -> IncentiveReport:
        """Return the report restricted to a kind, node, decision and/or triviality.

        Examples
        --------
        >>> import cidlib
        >>> d = cidlib.CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"],
        ...                utilities=["U"])
        >>> [i.kind.abbreviation for i in cidlib.analyze(d).filter(node="S")]
        ['VoI', 'RI', 'VoC']
        """
        k = None if kind is None else parse_kind(kind)
        if node is not None:
            self._diagram.require(node)
        if decision is not None:
            require_decision(self._diagram, decision)
        kept = {}
        for (dec, knd), search in self._searches.items():
            if (k is not None and knd is not k) or (decision is not None and dec != decision):
                continue
            nodes = search.nodes if node is None else search.nodes & {node}
            if trivial is not None:
                nodes = frozenset(n for n in nodes if (n in search.trivial) == trivial)
            undetermined = search.undetermined if node is None else search.undetermined & {node}
            kept[(dec, knd)] = replace(search, nodes=nodes, undetermined=undetermined)
        return IncentiveReport(self._diagram, kept,
                               None if node is None else frozenset([node]))

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready document: the diagram and every incentive with its witness."""
        return {
            "diagram": self._diagram.to_dict(),
            "incentives": [i.to_dict() for i in self],
            "undetermined": [
                {"kind": kind.value, "decision": dec,
                 "nodes": sorted(search.undetermined, key=node_key),
                 "reason": search.why_undetermined}
                for (dec, kind), search in self._searches.items() if search.undetermined
            ],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """Return the :meth:`to_dict` document as JSON text."""
        return json.dumps(self.to_dict(), indent=indent)

    def _cells(self) -> tuple[list[str], list[list[str]]]:
        d = self._diagram
        columns = list(self._searches)  # (decision, kind), only those a filter kept
        header = ["node", "kind"] + [f"{k.abbreviation}({dec})" for dec, k in columns]
        below = {dec: d.descendants(dec) | {dec} | d.utilities for dec in dict(columns)}
        rows = []
        for node in d.topological_order():
            if self._rows is not None and node not in self._rows:
                continue
            row = [str(node), str(d.kind(node))]
            for dec, k in columns:
                undefined = node in below[dec]
                search = self._searches[(dec, k)]
                if node in search.nodes:
                    row.append("(x)" if node in search.trivial else "x")
                elif node in search.undetermined:
                    row.append("?")
                else:
                    row.append("-" if k is IncentiveKind.VOI and undefined else ".")
            rows.append(row)
        return header, rows

    def __str__(self) -> str:
        header, rows = self._cells()
        widths = [max(len(r[c]) for r in [header, *rows]) for c in range(len(header))]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
                 for r in [header, *rows]]
        lines.insert(1, "  ".join("-" * w for w in widths))
        lines.append("")
        lines.append(_LEGEND)
        if any(s.generalised and s.nodes for s in self._searches.values()):
            lines.append(_GENERALISED)
        lines.extend(self._undetermined_notes())
        shown = [i for i in self if not i.trivial]
        if shown:
            lines.append("")
            lines.append("Witnesses:")
            lines.extend(f"  {i.kind.abbreviation:<4} {i.decision!s} on {i.node!s}: {i.witness}"
                         + ("  [generalised]" if i.generalised else "") for i in shown)
        return "\n".join(lines)

    def to_markdown(self) -> str:
        """Return the table and the witnesses as Markdown."""
        header, rows = self._cells()
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
        lines += ["", " ".join(_LEGEND.split()), ""]
        lines += [f"- **{i.kind.abbreviation}** {i.decision} on {i.node}: `{i.witness}`"
                  for i in self if not i.trivial]
        lines += [f"- {note}" for note in self._undetermined_notes()]
        return "\n".join(lines)

    def _undetermined_notes(self) -> list[str]:
        return [
            f"? {kind.abbreviation} of {dec} undetermined on "
            f"{', '.join(str(n) for n in sorted(search.undetermined, key=node_key))}: "
            f"{search.why_undetermined}"
            for (dec, kind), search in self._searches.items() if search.undetermined
        ]

    def undetermined(self, kind: IncentiveKind | str, decision: Hashable) -> frozenset[Hashable]:
        """Return the nodes where the criterion cannot decide (see :func:`cidlib.voi_nodes`)."""
        search = self._searches.get((decision, parse_kind(kind)))
        return frozenset() if search is None else search.undetermined

    def _repr_html_(self) -> str:
        """Show the table, the witnesses and (for small diagrams) the figure in Jupyter.

        Like the diagram's own display hook, the one declared place where this layer reaches
        up to the renderer (see the layer contract in pyproject.toml).
        """
        from cidlib.render.notebook import inline_svg

        header, rows = self._cells()
        head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows
        )
        items = "".join(
            f"<li><b>{i.kind.abbreviation}</b> {html.escape(str(i.decision))} on "
            f"{html.escape(str(i.node))}: <code>{html.escape(str(i.witness))}</code></li>"
            for i in self if not i.trivial
        )
        svg = inline_svg(self._diagram, self)
        figure = "" if svg is None else svg[svg.index("<svg"):]
        return (f"{figure}<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
                f"<p>{html.escape(_LEGEND)}</p><ul>{items}</ul>"
                + "".join(f"<p>{html.escape(note)}</p>" for note in self._undetermined_notes()))

    def __repr__(self) -> str:
        counts = ", ".join(
            f"{k.abbreviation}="
            f"{sum(len(s.nodes) for (_, kind), s in self._searches.items() if kind is k)}"
            for k in _KINDS
        )
        return f"IncentiveReport({len(self._diagram)} nodes, {counts})"


def analyze(diagram: InfluenceDiagram) -> IncentiveReport:
    """Find every incentive of every decision on every node, with witnesses.

    Cost: one linear search per decision and kind (plus, with several decisions, the
    bit-parallel reductions of the VoI candidates). Trivial incentives (on the decision itself
    or on a utility) are kept and marked.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"], utilities=["U"])
    >>> print(cidlib.analyze(d))  # doctest: +NORMALIZE_WHITESPACE
    node  kind      VoI(D)  RI(D)  VoC(D)  ICI(D)
    ----  --------  ------  -----  ------  ------
    S     chance    x       x      x       .
    D     decision  -       .      .       (x)
    U     utility   -       .      (x)     (x)
    <BLANKLINE>
    x present   (x) trivial (decision itself or a utility)   . absent   - VoI undefined
    <BLANKLINE>
    Witnesses:
      VoI  D on S: S -> U
      RI   D on S: S -> D
      VoC  D on S: S -> U
    """
    check_single_agent(diagram)
    return IncentiveReport(diagram, _searches(diagram))


def incentives_on(diagram: InfluenceDiagram, node: Hashable) -> tuple[Incentive, ...]:
    """Every present incentive on ``node``, across decisions and kinds.

    The one-call answer to "what does the agent want with this node?". VoI is skipped for
    decisions where it is undefined (``node`` is the decision, a descendant or a utility).

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("I", "C"),
    ...                 ("P", "C")], decisions=["P"], utilities=["C"])
    >>> for i in incentives_on(d, "I"):
    ...     print(i.explain())
    P has value of control on I, because I -> C lets control over I change its utility C.
    P has an instrumental control incentive on I, because P -> I -> C lets it change C through I.
    """
    diagram.require(node)
    check_single_agent(diagram)
    out = []
    for decision in (n for n in diagram.topological_order() if n in diagram.decisions):
        defined = (node != decision and node not in diagram.utilities
                   and node not in diagram.descendants(decision))
        kinds = _KINDS if defined else _KINDS[1:]
        for kind in kinds:
            search = _SEARCHES[kind](diagram, decision)
            if node in search.nodes:
                out.append(search.incentive(kind, decision, node))
    return tuple(out)


@dataclass(frozen=True)
class IncentiveComparison:
    """Which incentives a design change removes, introduces and keeps.

    Incentives are matched by ``(kind, decision, node)``; ``disappeared`` holds the
    incentives of ``before`` (with their old witnesses), ``appeared`` and ``kept`` those of
    ``after``.
    """

    before: IncentiveReport
    after: IncentiveReport
    disappeared: tuple[Incentive, ...]
    appeared: tuple[Incentive, ...]
    kept: tuple[Incentive, ...]

    def __str__(self) -> str:
        lines = []
        for title, items in (("Disappeared", self.disappeared), ("Appeared", self.appeared),
                             ("Kept", self.kept)):
            lines.append(f"{title} ({len(items)}):")
            lines.extend(
                f"  {i.kind.abbreviation:<4} {i.decision!s} on {i.node!s}: {i.witness}"
                + ("  (trivial)" if i.trivial else "")
                for i in items
            )
            if not items:
                lines.append("  none")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready summary."""
        return {
            "disappeared": [i.to_dict() for i in self.disappeared],
            "appeared": [i.to_dict() for i in self.appeared],
            "kept": [i.to_dict() for i in self.kept],
        }


def compare(before: InfluenceDiagram | IncentiveReport,
            after: InfluenceDiagram | IncentiveReport) -> IncentiveComparison:
    """Compare the incentives of two designs (diagrams or reports).

    Examples
    --------
    >>> import cidlib
    >>> before = cidlib.CID([("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("I", "C"),
    ...                      ("P", "C")], decisions=["P"], utilities=["C"])
    >>> after = cidlib.CID([("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("M", "PC"),
    ...                     ("P", "PC")], decisions=["P"], utilities=["PC"])
    >>> change = cidlib.compare(before, after)
    >>> sorted(f"{i.kind.abbreviation} on {i.node}" for i in change.disappeared)
    ['ICI on C', 'ICI on I', 'VoC on C', 'VoC on I', 'VoI on O']
    """
    old = before if isinstance(before, IncentiveReport) else analyze(before)
    new = after if isinstance(after, IncentiveReport) else analyze(after)
    old_keys = {i.key for i in old}
    new_keys = {i.key for i in new}
    return IncentiveComparison(
        before=old,
        after=new,
        disappeared=tuple(i for i in old if i.key not in new_keys),
        appeared=tuple(i for i in new if i.key not in old_keys),
        kept=tuple(i for i in new if i.key in old_keys),
    )
