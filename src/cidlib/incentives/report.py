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
from dataclasses import dataclass
from typing import Any, Literal

from cidlib.core.checks import require_decision
from cidlib.core.diagram import InfluenceDiagram
from cidlib.core.names import show_names, sort_nodes
from cidlib.core.progress import Progress, check_options
from cidlib.core.search import Segment
from cidlib.exceptions import ArgumentTypeError, InvalidQueryError, UndeterminedError
from cidlib.incentives.base import (
    Incentive,
    IncentiveKind,
    Search,
    check_single_agent,
    parse_kind,
)
from cidlib.incentives.control import ici_search, voc_search
from cidlib.incentives.response import ri_search
from cidlib.incentives.voc_kinds import RouteSearch, direct_search, indirect_search
from cidlib.incentives.voi import voi_search

__all__ = ["IncentiveComparison", "IncentiveReport", "analyze", "compare", "incentives_on"]

Status = Literal["present", "absent", "undetermined", "undefined"]

_KINDS = tuple(IncentiveKind)
_LEGEND = "x present   (x) trivial (decision itself or a utility)   . absent   - VoI undefined"
_UNDETERMINED = "   ? undetermined"
_ROUTES = "   d/i direct/indirect value of control"
_LETTERS = {"direct": "d", "indirect": "i"}
_GENERALISED = ("[generalised]: several decisions; evaluated on the minimal d-reduction, "
                "with no published completeness proof")
_SEARCHES = {
    IncentiveKind.VOI: voi_search,
    IncentiveKind.RI: ri_search,
    IncentiveKind.VOC: voc_search,
    IncentiveKind.ICI: ici_search,
}


def _searches(diagram: InfluenceDiagram, progress: Progress
              ) -> dict[tuple[Hashable, IncentiveKind], Search]:
    decisions = [n for n in diagram.topological_order() if n in diagram.decisions]
    found = {}
    for dec in decisions:
        for kind, search in _SEARCHES.items():
            found[(dec, kind)] = search(diagram, dec)
            progress.step()
    return found


@dataclass(frozen=True)
class _View:
    """What a (filtered) report lists: None means no restriction."""

    kind: IncentiveKind | None = None
    decision: Hashable | None = None
    node: Hashable | None = None
    trivial: bool | None = None


class _Steps:
    """The table of walks that the JSON form of a report stores its witnesses in.

    Each row is ``[node, forward, next]``: a node, whether the edge to the next row's node
    points forward (None on the last row) and the next row's index (None at the end). The
    witnesses of one search share their tails, so the table grows with the diagram, not
    with the total length of the witnesses.
    """

    def __init__(self) -> None:
        self.rows: list[list[Any]] = []
        self._index: dict[tuple[int, Hashable], int] = {}  # (trail, key) -> row
        # the trails indexed, kept alive: a freed trail's id() could name a new one
        self._trails: dict[int, object] = {}

    def add(self, segment: Segment) -> list[Any]:
        """Add the walk of ``segment``; return ``[first row, reversed]``."""
        trail, key = segment.trail, segment.key
        self._trails[id(trail)] = trail
        pending: list[tuple[Hashable, Hashable, bool]] = []
        at: Hashable | None = key
        while at is not None and (id(trail), at) not in self._index:
            node, forward, following = trail.step(at)
            pending.append((at, node, forward))
            at = following
        after = None if at is None else self._index[(id(trail), at)]
        for step_key, node, forward in reversed(pending):
            self.rows.append([node, forward if after is not None else None, after])
            after = len(self.rows) - 1
            self._index[(id(trail), step_key)] = after
        return [self._index[(id(trail), key)], segment.reversed]


class IncentiveReport:
    """Every incentive of a diagram, with witnesses.

    Iterating yields the present :class:`~cidlib.Incentive` objects, ordered by decision, kind
    and node. The report keeps each criterion's search, not the incentives: they (and their
    witness paths) are made when asked for, so a report on a large diagram stays linear in
    memory, and its text and JSON forms stay linear in size (long witnesses are shown
    shortened; the JSON form stores them as shared walks).

    Questions (:meth:`status`, :meth:`has`, :meth:`get`, :meth:`nodes`) check their names
    like the criteria do and never answer "no" when the criterion cannot decide: an
    undetermined incentive raises :class:`~cidlib.exceptions.UndeterminedError` there.
    :meth:`filter` narrows what is listed and shown; questions are always answered from the
    whole analysis.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("I", "C"),
    ...                 ("P", "C")], decisions=["P"], utilities=["C"])
    >>> report = cidlib.analyze(d)
    >>> [str(i.witness) for i in report.filter(kind="ici", trivial=False)]
    ['P -> I -> C']
    >>> report.status("ici", "P", "O"), report.has("voc", "P", "O")
    ('absent', True)
    """

    def __init__(self, diagram: InfluenceDiagram,
                 searches: Mapping[tuple[Hashable, IncentiveKind], Search],
                 view: _View = _View(),
                 routes: Mapping[Hashable, tuple[RouteSearch, RouteSearch]] | None = None,
                 ) -> None:
        self._diagram = diagram
        self._searches = dict(searches)
        self._view = view
        self._routes = dict(routes) if routes is not None else None
        self._below: dict[Hashable, frozenset[Hashable]] = {}

    @property
    def diagram(self) -> InfluenceDiagram:
        """The diagram analysed."""
        return self._diagram

    # -- what is listed ------------------------------------------------------------------------

    def _columns(self) -> list[tuple[Hashable, IncentiveKind]]:
        view = self._view
        return [(dec, kind) for dec, kind in self._searches
                if view.kind in (None, kind) and view.decision in (None, dec)]

    def _listed(self, search: Search, nodes: frozenset[Hashable]) -> list[Hashable]:
        view = self._view
        if view.node is not None:
            nodes = nodes & {view.node}
        if view.trivial is not None:
            nodes = frozenset(n for n in nodes if (n in search.trivial) == view.trivial)
        return sort_nodes(nodes)

    def __iter__(self) -> Iterator[Incentive]:
        for decision, kind in self._columns():
            search = self._searches[(decision, kind)]
            for node in self._listed(search, search.nodes):
                yield search.incentive(kind, decision, node)

    def __len__(self) -> int:
        return sum(len(self._listed(self._searches[c], self._searches[c].nodes))
                   for c in self._columns())

    def _undetermined(self) -> list[tuple[Hashable, IncentiveKind, Search, list[Hashable]]]:
        out = []
        for decision, kind in self._columns():
            search = self._searches[(decision, kind)]
            nodes = self._listed(search, search.undetermined)
            if nodes:
                out.append((decision, kind, search, nodes))
        return out

    # -- questions -----------------------------------------------------------------------------

    def _search(self, kind: IncentiveKind | str,
                decision: Hashable) -> tuple[IncentiveKind, Search]:
        k = parse_kind(kind)
        require_decision(self._diagram, decision)
        return k, self._searches[(decision, k)]

    def _undefined(self, kind: IncentiveKind, decision: Hashable, node: Hashable) -> bool:
        """Whether VoI of ``node`` is undefined for ``decision`` (the table's ``-``)."""
        if kind is not IncentiveKind.VOI:
            return False
        if decision not in self._below:
            d = self._diagram
            self._below[decision] = d.descendants(decision) | {decision} | d.utilities
        return node in self._below[decision]

    def status(self, kind: IncentiveKind | str, decision: Hashable, node: Hashable) -> Status:
        """Return ``'present'``, ``'absent'``, ``'undetermined'`` or ``'undefined'``.

        ``'undefined'``: value of information of the decision itself, a descendant of it or a
        utility (no link to them can be added). ``'undetermined'``: the criterion cannot
        decide (see :func:`cidlib.voi_nodes`).

        Raises
        ------
        UnknownNodeError, InvalidQueryError
            For a name that is not a node, or not a decision, of the report's diagram.
        """
        k, search = self._search(kind, decision)
        self._diagram.require(node)
        if node in search.nodes:
            return "present"
        if node in search.undetermined:
            return "undetermined"
        return "undefined" if self._undefined(k, decision, node) else "absent"

    def has(self, kind: IncentiveKind | str, decision: Hashable, node: Hashable) -> bool:
        """Whether the incentive is present.

        Raises
        ------
        UndeterminedError
            When the criterion cannot decide (the answer is neither yes nor no).
        InvalidQueryError
            When the question is undefined (VoI of a descendant of the decision, say).
        """
        answer = self.status(kind, decision, node)
        if answer == "undetermined":
            k, search = self._search(kind, decision)
            raise UndeterminedError(search.incentive(k, decision, node).explain())
        if answer == "undefined":
            raise InvalidQueryError(
                f"value of information of {node!r} for {decision!r} is undefined: {node!r} is "
                f"{decision!r} itself, a descendant of it or a utility"
            )
        return answer == "present"

    def get(
        self, kind: IncentiveKind | str, decision: Hashable, node: Hashable
    ) -> Incentive | None:
        """Return the incentive if present or undetermined, None if absent.

        An undetermined incentive raises :class:`~cidlib.exceptions.UndeterminedError` when
        used as a truth value; its :meth:`~cidlib.Incentive.explain` says why.
        """
        answer = self.status(kind, decision, node)
        if answer in ("absent", "undefined"):
            return None
        k, search = self._search(kind, decision)
        return search.incentive(k, decision, node)

    def nodes(self, kind: IncentiveKind | str, decision: Hashable, *,
              allow_undetermined: bool = False) -> frozenset[Hashable]:
        """Return the nodes with an incentive of ``kind`` for ``decision``.

        Raises
        ------
        UndeterminedError
            When the criterion cannot decide on some nodes (:meth:`undetermined` lists them),
            unless ``allow_undetermined``: then the set holds the nodes known to have it.
        """
        k, search = self._search(kind, decision)
        if search.undetermined and not allow_undetermined:
            raise UndeterminedError(
                f"{k.abbreviation} of {decision} is undetermined on "
                f"{show_names(search.undetermined)}: {search.why_undetermined}; pass "
                "allow_undetermined=True for the nodes known to have it"
            )
        return search.nodes

    def voc_routes(self, decision: Hashable, node: Hashable) -> frozenset[str] | None:
        """Return how control over ``node`` helps ``decision``: ``'direct'``, ``'indirect'``.

        Direct: a path to a utility through no decision; indirect: a path through the
        decision and an active back-door path (see :func:`cidlib.admits_direct_voc` and
        :func:`cidlib.admits_indirect_voc`). The set may be empty: a node can have value of
        control of neither kind. None unless the report was made with
        ``analyze(d, voc_routes=True)``.

        Examples
        --------
        >>> import cidlib
        >>> tracker = cidlib.catalogue.fitness_tracker()
        >>> report = cidlib.analyze(tracker, voc_routes=True)
        >>> sorted(report.voc_routes("C", "SC")), sorted(report.voc_routes("C", "P"))
        (['indirect'], ['direct'])
        """
        require_decision(self._diagram, decision)
        self._diagram.require(node)
        if self._routes is None:
            return None
        return frozenset(search.route for search in self._routes[decision]
                         if node in search.nodes)

    def _route_note(self, incentive: Incentive) -> str:
        """``  [direct]`` or ``  [indirect; back door: ...]`` after a VoC witness, or ''."""
        if self._routes is None or incentive.kind is not IncentiveKind.VOC:
            return ""
        direct, indirect = self._routes[incentive.decision]
        parts = [search.route for search in (direct, indirect)
                 if incentive.node in search.nodes]
        if indirect.backdoor is not None and incentive.node in indirect.nodes:
            parts[-1] += f"; back door: {indirect.backdoor(incentive.node).brief()}"
        return f"  [{', '.join(parts) or 'neither direct nor indirect'}]"

    def undetermined(self, kind: IncentiveKind | str, decision: Hashable) -> frozenset[Hashable]:
        """Return the nodes where the criterion cannot decide (see :func:`cidlib.voi_nodes`).

        Like the other questions, this is answered from the whole analysis, whatever the
        filter; :meth:`undetermined_incentives` lists those the filter shows.
        """
        return self._search(kind, decision)[1].undetermined

    def undetermined_incentives(self) -> tuple[Incentive, ...]:
        """Return the incentives the criterion cannot decide that this report lists.

        Filters narrow them as they narrow iteration. Each is marked ``undetermined``, its
        :meth:`~cidlib.Incentive.explain` says why, and its truth value raises.

        Examples
        --------
        >>> import cidlib
        >>> d = cidlib.CID([("S", "D1"), ("D1", "D2"), ("D2", "U"), ("S", "D2"), ("D1", "U"),
        ...                 ("X", "U"), ("S", "U")], decisions=["D1", "D2"], utilities=["U"])
        >>> report = cidlib.analyze(d)
        >>> [(i.kind.abbreviation, i.decision, i.node) for i in report.undetermined_incentives()]
        [('VoI', 'D1', 'X')]
        >>> report.filter(node="S").undetermined_incentives()
        ()
        """
        return tuple(search.incentive(kind, decision, node)
                     for decision, kind, search, nodes in self._undetermined() for node in nodes)

    def filter(
        self,
        *,
        kind: IncentiveKind | str | None = None,
        node: Hashable | None = None,
        decision: Hashable | None = None,
        trivial: bool | None = None,
    ) -> IncentiveReport:
        """Return the report listing only a kind, node, decision and/or triviality.

        Examples
        --------
        >>> import cidlib
        >>> d = cidlib.CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"],
        ...                utilities=["U"])
        >>> [i.kind.abbreviation for i in cidlib.analyze(d).filter(node="S")]
        ['VoI', 'RI', 'VoC']
        """
        if node is not None:
            self._diagram.require(node)
        if decision is not None:
            require_decision(self._diagram, decision)
        if trivial is not None and not isinstance(trivial, bool):
            raise ArgumentTypeError(f"trivial must be True, False or None, not {trivial!r:.40}")
        old = self._view
        view = _View(parse_kind(kind) if kind is not None else old.kind,
                     decision if decision is not None else old.decision,
                     node if node is not None else old.node,
                     trivial if trivial is not None else old.trivial)
        return IncentiveReport(self._diagram, self._searches, view, self._routes)

    # -- text, JSON and HTML -------------------------------------------------------------------

    def to_dict(self, *, full_witnesses: bool = False) -> dict[str, Any]:
        """Return a JSON-ready document: the diagram and every listed incentive.

        Its size grows with the diagram. Each incentive's ``witness`` is the path as text,
        shortened when long (``witness_length`` counts its edges), and ``witness_steps``
        locates it in the shared ``steps`` table: a list of ``[row, reversed]`` walks, each
        following the rows' ``next`` indices from ``row`` (read backwards when ``reversed``),
        joined where one ends and the next starts. ``full_witnesses=True`` adds each path's
        ``witness_nodes`` (a size that can grow with the square of the diagram).

        Examples
        --------
        >>> import cidlib
        >>> d = cidlib.CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"],
        ...                utilities=["U"])
        >>> doc = cidlib.analyze(d).to_dict()
        >>> entry = doc["incentives"][0]
        >>> entry["kind"], entry["node"], entry["witness"], entry["witness_steps"]
        ('voi', 'S', 'S -> U', [[1, False]])
        >>> doc["steps"]
        [['U', None, None], ['S', True, 0], ...]
        """
        steps = _Steps()
        entries = []
        for decision, kind in self._columns():
            search = self._searches[(decision, kind)]
            for node in self._listed(search, search.nodes):
                incentive = search.incentive(kind, decision, node)
                entry = incentive.to_dict(witness=False)
                route = search.route(node)
                path = incentive.witness
                assert path is not None  # a present incentive has a witness
                entry["witness"] = path.brief()
                entry["witness_length"] = path.length
                entry["witness_steps"] = [steps.add(segment) for segment in route]
                if full_witnesses:
                    entry["witness_nodes"] = list(path.nodes)
                if self._routes is not None and kind is IncentiveKind.VOC:
                    direct, indirect = self._routes[decision]
                    entry["voc_routes"] = [s.route for s in (direct, indirect)
                                           if node in s.nodes]
                    if node in indirect.nodes and indirect.backdoor is not None:
                        entry["backdoor"] = indirect.backdoor(node).brief()
                entries.append(entry)
        return {
            "diagram": self._diagram.to_dict(),
            "incentives": entries,
            "undetermined": [
                {"kind": kind.value, "decision": dec, "nodes": nodes,
                 "reason": search.why_undetermined}
                for dec, kind, search, nodes in self._undetermined()
            ],
            "steps": steps.rows,
        }

    def to_json(self, *, indent: int | None = 2, full_witnesses: bool = False) -> str:
        """Return the :meth:`to_dict` document as JSON text."""
        return json.dumps(self.to_dict(full_witnesses=full_witnesses), indent=indent)

    def _cells(self) -> tuple[list[str], list[list[str]]]:
        d = self._diagram
        columns = self._columns()
        header = ["node", "kind"] + [f"{k.abbreviation}({dec})" for dec, k in columns]
        rows = []
        for node in d.topological_order():
            if self._view.node not in (None, node):
                continue
            row = [str(node), str(d.kind(node))]
            for dec, k in columns:
                search = self._searches[(dec, k)]
                if node in search.nodes:
                    row.append(("(x)" if node in search.trivial else "x")
                               + self._route_letters(k, dec, node))
                elif node in search.undetermined:
                    row.append("?")
                else:
                    row.append("-" if self._undefined(k, dec, node) else ".")
            rows.append(row)
        return header, rows

    def _route_letters(self, kind: IncentiveKind, decision: Hashable, node: Hashable) -> str:
        if self._routes is None or kind is not IncentiveKind.VOC:
            return ""
        letters = "".join(_LETTERS[s.route] for s in self._routes[decision] if node in s.nodes)
        return f" {letters}" if letters else ""

    def _legend(self) -> str:
        return (_LEGEND + (_UNDETERMINED if self._undetermined() else "")
                + (_ROUTES if self._routes is not None else ""))

    def _witness_lines(self) -> Iterator[tuple[Incentive, str]]:
        for incentive in self:
            if not incentive.trivial:
                path = incentive.witness
                assert path is not None  # a present incentive has a witness
                yield incentive, path.brief() + self._route_note(incentive)

    def __str__(self) -> str:
        header, rows = self._cells()
        widths = [max(len(r[c]) for r in [header, *rows]) for c in range(len(header))]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
                 for r in [header, *rows]]
        lines.insert(1, "  ".join("-" * w for w in widths))
        lines.append("")
        lines.append(self._legend())
        if any(self._searches[c].generalised and self._searches[c].nodes
               for c in self._columns()):
            lines.append(_GENERALISED)
        lines.extend(self._undetermined_notes())
        shown = list(self._witness_lines())
        if shown:
            lines.append("")
            lines.append("Witnesses:")
            lines.extend(f"  {i.kind.abbreviation:<4} {i.decision!s} on {i.node!s}: {text}"
                         + ("  [generalised]" if i.generalised else "") for i, text in shown)
        return "\n".join(lines)

    def to_markdown(self) -> str:
        """Return the table and the witnesses as Markdown."""
        header, rows = self._cells()
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
        lines += ["", " ".join(self._legend().split()), ""]
        lines += [f"- **{i.kind.abbreviation}** {i.decision} on {i.node}: `{text}`"
                  for i, text in self._witness_lines()]
        lines += [f"- {note}" for note in self._undetermined_notes()]
        return "\n".join(lines)

    def _undetermined_notes(self) -> list[str]:
        return [
            f"? {kind.abbreviation} of {dec} undetermined on {show_names(nodes)}: "
            f"{search.why_undetermined}"
            for dec, kind, search, nodes in self._undetermined()
        ]

    def _repr_html_(self) -> str:
        """Show the interactive view (as :func:`cidlib.to_html`), the table and witnesses.

        Like the diagram's own display hooks, the one declared place where this layer
        reaches up to the renderer (see the layer contract in pyproject.toml).
        """
        from cidlib.render.notebook import inline_html

        header, rows = self._cells()
        head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows
        )
        items = "".join(
            f"<li><b>{i.kind.abbreviation}</b> {html.escape(str(i.decision))} on "
            f"{html.escape(str(i.node))}: <code>{html.escape(text)}</code></li>"
            for i, text in self._witness_lines()
        )
        view = inline_html(self._diagram, self) or ""
        return (f"{view}<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
                f"<p>{html.escape(self._legend())}</p><ul>{items}</ul>"
                + "".join(f"<p>{html.escape(note)}</p>" for note in self._undetermined_notes()))

    def __repr__(self) -> str:
        counts = dict.fromkeys(_KINDS, 0)
        for decision, kind in self._columns():
            search = self._searches[(decision, kind)]
            counts[kind] += len(self._listed(search, search.nodes))
        shown = ", ".join(f"{k.abbreviation}={n}" for k, n in counts.items())
        return f"IncentiveReport({len(self._diagram)} nodes, {shown})"


def analyze(diagram: InfluenceDiagram, *, progress: bool | None = None,
            time_limit: float | None = None, voc_routes: bool = False) -> IncentiveReport:
    """Find every incentive of every decision on every node, with witnesses.

    Cost: one linear search per decision and kind (with several decisions, value of
    information adds a few searches that every node shares; see the performance page).
    Trivial incentives (on the decision itself or on a utility) are kept and marked.

    Parameters
    ----------
    diagram : InfluenceDiagram
        A diagram with one agent (``diagram.for_agent(a)`` for several).
    progress : bool or None
        Show a progress bar over the searches: None (the default) when standard error is a
        terminal and tqdm is installed, True always (it needs tqdm), False never.
    time_limit : float or None
        Seconds; past them the analysis stops with
        :class:`~cidlib.exceptions.TimeLimitError` (checked after each search).
    voc_routes : bool
        Also find whether each value of control is direct or indirect
        (:meth:`IncentiveReport.voc_routes`; marked ``d``/``i`` in the table and figures).
        The indirect kind costs more than the rest: about 16 s per decision at 10^5 nodes.

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
    check_options(progress, time_limit)
    if not isinstance(voc_routes, bool):
        raise ArgumentTypeError(f"voc_routes must be True or False, not {voc_routes!r:.40}")
    steps = len(diagram.decisions) * (len(_SEARCHES) + 2 * voc_routes)
    with Progress(steps, "analyze", show=progress, time_limit=time_limit) as counter:
        searches = _searches(diagram, counter)
        routes = None
        if voc_routes:
            routes = {}
            for decision in diagram.decisions:
                direct = direct_search(diagram, decision)
                counter.step()
                routes[decision] = (direct, indirect_search(diagram, decision))
                counter.step()
        return IncentiveReport(diagram, searches, routes=routes)


def incentives_on(diagram: InfluenceDiagram, node: Hashable) -> tuple[Incentive, ...]:
    """Every present or undetermined incentive on ``node``, across decisions and kinds.

    The one-call answer to "what does the agent want with this node?". VoI is skipped for
    decisions where it is undefined (``node`` is the decision, a descendant or a utility).
    An incentive the criterion cannot decide is included, marked ``undetermined`` (its
    :meth:`~cidlib.Incentive.explain` says why; using it as a truth value raises).

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
            if node in search.nodes or node in search.undetermined:
                out.append(search.incentive(kind, decision, node))
    return tuple(out)


@dataclass(frozen=True)
class IncentiveComparison:
    """Which incentives a design change removes, introduces and keeps.

    Incentives are matched by ``(kind, decision, node)``; ``disappeared`` holds the
    incentives of ``before`` (with their old witnesses), ``appeared`` and ``kept`` those of
    ``after``. ``undetermined`` holds the questions the criterion cannot decide in one of
    the designs, among those its report lists (from ``after`` if undetermined there): they
    are in no other list, since whether they changed is unknown.
    """

    before: IncentiveReport
    after: IncentiveReport
    disappeared: tuple[Incentive, ...]
    appeared: tuple[Incentive, ...]
    kept: tuple[Incentive, ...]
    undetermined: tuple[Incentive, ...] = ()

    def __str__(self) -> str:
        lines = []
        for title, items in (("Disappeared", self.disappeared), ("Appeared", self.appeared),
                             ("Kept", self.kept)):
            lines.append(f"{title} ({len(items)}):")
            lines.extend(
                f"  {i.kind.abbreviation:<4} {i.decision!s} on {i.node!s}: "
                f"{i.witness.brief() if i.witness is not None else ''}"
                + ("  (trivial)" if i.trivial else "")
                for i in items
            )
            if not items:
                lines.append("  none")
        if self.undetermined:
            lines.append(f"Undetermined ({len(self.undetermined)}):")
            lines.extend(f"  {i.kind.abbreviation:<4} {i.decision!s} on {i.node!s}"
                         for i in self.undetermined)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready summary."""
        return {
            "disappeared": [i.to_dict() for i in self.disappeared],
            "appeared": [i.to_dict() for i in self.appeared],
            "kept": [i.to_dict() for i in self.kept],
            "undetermined": [i.to_dict() for i in self.undetermined],
        }


def compare(before: InfluenceDiagram | IncentiveReport,
            after: InfluenceDiagram | IncentiveReport) -> IncentiveComparison:
    """Compare the incentives of two designs (diagrams or reports).

    Each report contributes the incentives it lists, so filter both alike (for example
    ``compare(a.filter(kind="ici"), b.filter(kind="ici"))``); a diagram is analysed whole.

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
    unknown = {i.key: i for report in (old, new) for i in report.undetermined_incentives()}
    return IncentiveComparison(
        before=old,
        after=new,
        disappeared=tuple(i for i in old if i.key not in new_keys and i.key not in unknown),
        appeared=tuple(i for i in new if i.key not in old_keys and i.key not in unknown),
        kept=tuple(i for i in new if i.key in old_keys),
        undetermined=tuple(unknown.values()),
    )
