"""An interactive page of a diagram and its incentives: one self-contained HTML file.

:func:`to_html` writes the diagram in the papers' visual language (the SVG back-end of
:mod:`cidlib.render.svg`, on the one layout every back-end draws) with its incentives, and
a small script that lets a reader explore them: hover or click a node for its incentives
with their explanations, click one to light its witness path, pick a decision, hide kinds,
pan and zoom, download the picture. Everything is inline (SVG, CSS, JavaScript and the
report's data), so the page makes no network request: it opens offline, from an e-mail or
a design review, and its Content-Security-Policy forbids any request. The embedded data is
the report's own form, linear in the diagram: witnesses are walks through a shared table of
steps, explanations shorten long witnesses.

The same view, without the page around it, is what notebooks show for diagrams and reports
(:mod:`cidlib.render.notebook`); the local editor (``cidlib edit``) builds on it too.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from cidlib.core.checks import ensure_diagram
from cidlib.core.diagram import InfluenceDiagram
from cidlib.core.names import sort_nodes
from cidlib.exceptions import ArgumentTypeError
from cidlib.incentives.base import Incentive, IncentiveKind
from cidlib.incentives.report import IncentiveComparison, IncentiveReport, analyze, compare
from cidlib.render.figure import check_style
from cidlib.render.geometry import Layout, build, shared_positions
from cidlib.render.marks import Marks, check_report, resolve_marks
from cidlib.render.style import Style
from cidlib.render.svg import Drawing, node_ids

__all__ = ["to_html"]

Key = tuple[IncentiveKind, Hashable, Hashable]
TRIVIAL, GENERALISED, UNDETERMINED = 1, 2, 4  # the flags of an incentive in the page's data
LONG_WITNESS = 12
"""Edges from which a page's explanation shows the witness shortened (it lights in full)."""
CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
       "img-src data: blob:; base-uri 'none'; form-action 'none'")
"""The page's Content-Security-Policy: inline code only, and no request of any kind."""


@cache
def asset(name: str) -> str:
    """Return the text of a file of ``cidlib/render/assets``."""
    return (resources.files("cidlib.render") / "assets" / name).read_text(encoding="utf-8")


def script_json(doc: Any) -> str:
    """Return ``doc`` as JSON that is safe inside a ``<script>`` element."""
    text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
    for c, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                       ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(c, escaped)
    return text


def _name(node: Hashable) -> Any:
    """Return a node's name as JSON: text and integers as they are, tuples as arrays.

    Any other name (the page only shows it) as its text.
    """
    if isinstance(node, str) or (isinstance(node, int) and not isinstance(node, bool)):
        return node
    if isinstance(node, tuple):
        return [_name(part) for part in node]
    return str(node)


def explanation(incentive: Incentive) -> str:
    """Return ``incentive.explain()``, with a witness of many edges shortened."""
    text = incentive.explain()
    path = incentive.witness
    if path is not None and path.length >= LONG_WITNESS:
        text = text.replace(str(path), path.brief())
    return text


@dataclass(frozen=True)
class Panel:
    """One diagram of a page: its layout, its SVG and the data the script reads.

    ``keys`` locates each incentive (``(kind, decision, node)``) in ``data["incentives"]``.
    """

    diagram: InfluenceDiagram
    report: IncentiveReport | None
    layout: Layout
    svg: str
    data: dict[str, Any]
    keys: dict[Key, int]


def _incentives(diagram: InfluenceDiagram, report: IncentiveReport,
                index: Mapping[Hashable, int]) -> tuple[list[list[Any]], list[list[Any]],
                                                        dict[Key, int]]:
    """Return the report as the page's rows, the shared steps of its witnesses, and their keys."""
    doc = report.to_dict()
    walks = {(e["kind"], e["decision"], e["node"]): e["witness_steps"]
             for e in doc["incentives"]}
    rows: list[list[Any]] = []
    keys: dict[Key, int] = {}

    def add(incentive: Incentive, steps: list[Any]) -> None:
        flags = ((TRIVIAL if incentive.trivial else 0)
                 | (GENERALISED if incentive.generalised else 0)
                 | (UNDETERMINED if incentive.undetermined else 0))
        keys[incentive.key] = len(rows)
        rows.append([incentive.kind.value, index[incentive.decision], index[incentive.node],
                     flags, steps, explanation(incentive)])

    for incentive in report:
        add(incentive, walks[(incentive.kind.value, incentive.decision, incentive.node)])
    for entry in doc["undetermined"]:
        for node in entry["nodes"]:
            found = report.get(entry["kind"], entry["decision"], node)
            if found is not None:
                add(found, [])
    steps = [[index[node], forward, following] for node, forward, following in doc["steps"]]
    return rows, steps, keys


def ring_sets(diagram: InfluenceDiagram, report: IncentiveReport | None,
              style: Style) -> list[tuple[str, Marks]]:
    """Return the page's rings: every decision's (tagged when several), then each decision's own."""
    if report is None:
        return []
    sets = [("*", resolve_marks(diagram, report, (), style))]
    decisions = [n for n in diagram.topological_order() if n in diagram.decisions]
    if len(decisions) > 1:
        ids = node_ids(diagram)
        sets += [(ids[d], resolve_marks(diagram, report, (), style, decision=d))
                 for d in decisions]
    return sets


def panel_layout(diagram: InfluenceDiagram, report: IncentiveReport | None, style: Style,
                 positions: Mapping[Hashable, tuple[float, float]] | None = None, *,
                 sets: Sequence[tuple[str, Marks]] | None = None) -> Layout:
    """Lay out a diagram of a page, with room for the rings of every decision (``sets``)."""
    if sets is None:
        sets = ring_sets(diagram, report, style)
    margins = {n: max((m.room(n, style) for _, m in sets), default=style.ring_room(0))
               for n in diagram.nodes}
    return build(diagram, margins, style, positions)


def panel(diagram: InfluenceDiagram, report: IncentiveReport | None, style: Style, *,
          prefix: str = "", caption: str = "", note: str | None = None,
          layout: Layout | None = None,
          bounds: tuple[float, float, float, float] | None = None) -> Panel:
    """Draw one diagram of a page, with its report (None: no incentives).

    ``layout`` defaults to :func:`panel_layout`'s; ``bounds`` is the region drawn (by
    default the layout's), so that the panels of a comparison share a scale.
    """
    if report is not None:
        check_report(diagram, report)
    sets = ring_sets(diagram, report, style)
    lay = layout or panel_layout(diagram, report, style, sets=sets)
    plain = resolve_marks(diagram, None, (), style)
    svg = Drawing(diagram, lay, style, prefix, bounds).markup(sets, plain)
    nodes = sort_nodes(diagram.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    ids = node_ids(diagram)
    rows: list[list[Any]] = []
    steps: list[list[Any]] = []
    keys: dict[Key, int] = {}
    if report is not None:
        rows, steps, keys = _incentives(diagram, report, index)
    agent = {n: diagram.agent_of(n) for n in nodes}
    data = {
        "caption": caption,
        "prefix": prefix,
        "nodes": [[ids[n], str(n), diagram.labels.get(n, str(n)), diagram.kind(n).value,
                   None if agent[n] is None else str(agent[n])] for n in nodes],
        "names": [_name(n) for n in nodes],
        "edges": [[index[u], index[v]] for u, v in sorted(diagram.edges,
                                                          key=lambda e: (index[e[0]],
                                                                         index[e[1]]))],
        "decisions": [index[n] for n in diagram.topological_order() if n in diagram.decisions],
        "xy": [[round(lay.positions[n][0], 3), round(lay.positions[n][1], 3)] for n in nodes],
        "positioned": len(diagram.positions) == len(diagram),
        "analysed": report is not None,
        "incentives": rows,
        "steps": steps,
        "note": note,
    }
    return Panel(diagram, report, lay, svg, data, keys)


def page_data(panels: Sequence[Panel], style: Style, *, name: str,
              change: IncentiveComparison | None = None) -> dict[str, Any]:
    """Return the data the page's script reads: kinds and colours, panels and the comparison."""
    doc: dict[str, Any] = {
        "name": name,
        "kinds": [[k.value, k.abbreviation, k.title, style.ring_colour(k)]
                  for k in IncentiveKind],
        "panels": [p.data for p in panels],
        "change": None,
    }
    if change is not None:
        before, after = panels

        def refs(items: Sequence[Incentive], side: int) -> list[list[int]]:
            return [[side, panels[side].keys[i.key]] for i in items]

        doc["change"] = {
            "disappeared": refs(change.disappeared, 0),
            "appeared": refs(change.appeared, 1),
            "kept": refs(change.kept, 1),
            "undetermined": [[1, after.keys[i.key]] if i.key in after.keys
                             else [0, before.keys[i.key]] for i in change.undetermined],
        }
    return doc


def _legend(style: Style, diagrams: Sequence[InfluenceDiagram]) -> str:
    agents = {a: style.agent_fill(d, a) for d in diagrams if len(d.agents) > 1
              for a in sort_nodes(d.agents)}
    owners = "".join(
        f'<li><span class="cv-swatch cv-fill" style="background:{fill}"></span> agent '
        f"{html.escape(str(a))}</li>" for a, fill in agents.items())
    kinds = "".join(
        f'<li><span class="cv-swatch" style="color:{style.ring_colour(k)}"></span> '
        f"{k.abbreviation}: {k.title}</li>" for k in IncentiveKind)
    return (
        '<section class="cv-box cv-legend"><h2>Legend</h2><ul class="cv-list">'
        f"{kinds}"
        '<li><span class="cv-swatch generalised"></span> dash-dotted: a generalised criterion '
        "(several decisions)</li>"
        '<li><span class="cv-swatch undetermined"></span> grey, dotted, with ?: undetermined '
        "(the criterion cannot decide)</li>"
        "<li>circle: chance node · rectangle: decision · diamond: utility · dotted arrow: "
        f"information link</li>{owners}</ul></section>"
    )


def fragment(panels: Sequence[Panel], style: Style, *, uid: str, name: str,
             change: IncentiveComparison | None = None, standalone: bool = True,
             heading: str | None = None, extra_bar: str = "",
             extra_side: tuple[str, str] = ("", ""), script: str | None = None) -> str:
    """Return the view: tool bar, panels, side bar, data and script, in one ``<div>``.

    The editor adds to the tool bar (``extra_bar``), above and below the node's details in
    the side bar (``extra_side``), and replaces the call that starts the view (``script``).
    """
    figures = "".join(
        f'<figure class="cv-panel" data-panel="{i}">'
        + (f"<figcaption>{html.escape(p.data['caption'])}</figcaption>"
           if p.data["caption"] else "")
        + f'<div class="cv-canvas" tabindex="0" role="group" aria-label="'
        f'{html.escape(p.data["caption"] or "diagram")}: Tab to its nodes; + and - zoom, '
        f'arrows pan, 0 fits">{p.svg}</div></figure>'
        for i, p in enumerate(panels))
    notes = "".join(f'<p class="cv-note">{html.escape(p.data["note"])}</p>'
                    for p in panels if p.data["note"])
    options = "{standalone: true}" if standalone else "{}"
    start = script or f'cidlibView(document.getElementById("{uid}"), {options});'
    data = page_data(panels, style, name=name, change=change)
    title = f"<h1>{html.escape(heading)}</h1>" if heading else ""
    return (
        f'<div class="cidlib-view" id="{uid}">{title}'
        '<div class="cv-bar cv-live-only" hidden>'
        '<label class="cv-group">Rings of <select class="cv-decision"></select></label>'
        '<fieldset class="cv-kinds"><legend>Show</legend></fieldset>'
        '<span class="cv-group"><button type="button" data-act="zoom-in" aria-label="Zoom in">'
        '+</button><button type="button" data-act="zoom-out" aria-label="Zoom out">&minus;</button>'
        '<button type="button" data-act="fit">Fit</button></span>'
        '<span class="cv-group">Download <button type="button" data-act="svg">SVG</button>'
        f'<button type="button" data-act="png">PNG</button></span>{extra_bar}</div>'
        f'<div class="cv-main{" cv-two" if len(panels) > 1 else ""}">'
        f'<div class="cv-panels">{figures}</div>'
        '<aside class="cv-side">'
        f'{extra_side[0]}<section class="cv-box cv-info cv-live-only" aria-live="polite" '
        f'hidden></section>{extra_side[1]}'
        + ('<section class="cv-box cv-changes cv-live-only" hidden></section>' if change else "")
        + (f'<section class="cv-box">{notes}</section>' if notes else "")
        + f"{_legend(style, [p.diagram for p in panels])}</aside></div>"
        '<details class="cv-summary cv-live-only" hidden><summary>Every incentive</summary><div>'
        "</div></details>"
        f'<script type="application/json" class="cv-data">{script_json(data)}</script>'
        f'<script>(function () {{\n{asset("view.js")}\n{start}\n}})();</script></div>'
    )


def document(title: str, body: str, css: str = "", csp: str = CSP) -> str:
    """Return a complete page around ``body``: the style sheets and a policy of no requests.

    ``csp`` is the page's Content-Security-Policy (the editor's allows requests to itself).
    """
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title>"
        f"<style>\nbody {{ margin: 1em; }}\n{asset('view.css')}{css}</style></head>\n"
        f"<body>{body}\n<noscript><p>This page is interactive where JavaScript runs; without "
        "it, it shows the figure and the legend.</p></noscript></body></html>\n"
    )


def analysed(diagram: InfluenceDiagram) -> tuple[IncentiveReport | None, str | None]:
    """Return the report of a diagram of one agent; for several, None and a note saying why."""
    if len(diagram.agents) > 1:
        agents = ", ".join(str(a) for a in sort_nodes(diagram.agents))
        return None, (f"This diagram has several agents ({agents}); incentives are analysed "
                      "for one agent: show diagram.for_agent(agent), or run cidlib explore "
                      "FILE --agent AGENT.")
    return analyze(diagram), None


def to_html(
    diagram: InfluenceDiagram,
    report: IncentiveReport | None = None,
    *,
    compare_with: InfluenceDiagram | IncentiveReport | None = None,
    title: str | None = None,
    style: Style | None = None,
) -> str:
    """Return a self-contained interactive HTML page of ``diagram`` and its incentives.

    The page shows the diagram as :func:`cidlib.draw` does, with every incentive ringed,
    and lets a reader explore it: hovering over or clicking a node (or tabbing to it) lists
    its incentives per decision with their explanations; clicking one lights its witness
    path in the incentive's colour; a selector shows the rings of one decision, check boxes
    hide kinds; undetermined and generalised incentives are marked as in figures; drag to
    pan, scroll to zoom; the picture downloads as SVG or PNG; printed, the page shows the
    figure and every incentive. Everything is inline and the page makes no network request,
    so the file can be shared as it is (attach it to a design review).

    Parameters
    ----------
    diagram : InfluenceDiagram
    report : IncentiveReport, optional
        The incentives to show: ``cidlib.analyze(diagram)`` (the default for a diagram of
        one agent) or a filter of it. A diagram of several agents is shown without
        incentives, and says so: show ``diagram.for_agent(agent)`` for one agent's.
    compare_with : InfluenceDiagram or IncentiveReport, optional
        A second design: the page shows both side by side (sharing node positions) and
        lists the incentives that disappear, appear, stay, or are undetermined, as
        :func:`cidlib.compare` does; the ones that change are ringed thicker and their
        witness paths lit.
    title : str, optional
        The page's title and heading.
    style : Style, optional
        Colours, sizes and fonts, as for :func:`cidlib.draw`.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("I", "C"),
    ...                 ("P", "C")], decisions=["P"], utilities=["C"])
    >>> page = cidlib.to_html(d)
    >>> page.startswith("<!DOCTYPE html>") and 'id="ring-ici-P-I"' in page
    True
    >>> "http://" in page.replace("http://www.w3.org/2000/svg", "")  # nothing to fetch
    False
    >>> fixed = d.remove_nodes(["C"]).add_nodes(["PC"], kind="utility").add_edges(
    ...     [("M", "PC"), ("P", "PC")])
    >>> both = cidlib.to_html(d, compare_with=fixed)
    """
    style = check_style(style)
    diagram = ensure_diagram(diagram)
    note = None
    if report is None:
        report, note = analysed(diagram)
    elif not isinstance(report, IncentiveReport):
        raise ArgumentTypeError(f"report must be an IncentiveReport (cidlib.analyze(d)), not "
                                f"{type(report).__name__}")
    name = re.sub(r"[^\w.-]+", "-", title or "").strip("-.") or "diagram"  # downloads' names
    if compare_with is None:
        panels = [panel(diagram, report, style, note=note)]
        change = None
    else:
        if isinstance(compare_with, IncentiveReport):
            other, other_report = compare_with.diagram, compare_with
        else:
            other = ensure_diagram(compare_with)
            other_report = analyze(other)
        before = report if report is not None else analyze(diagram)
        change = compare(before, other_report)
        sets = [m for d, r in ((diagram, before), (other, other_report))
                for _, m in ring_sets(d, r, style)]
        shared = shared_positions(diagram, other, style, sets) or {}
        sides = [(side, d, r, panel_layout(d, r, style, {n: xy for n, xy in shared.items()
                                                          if n in d}))
                 for side, d, r in (("before", diagram, before), ("after", other, other_report))]
        edges = [lay.bounds() for _, _, _, lay in sides]
        bounds = (min(b[0] for b in edges), max(b[1] for b in edges),
                  min(b[2] for b in edges), max(b[3] for b in edges))
        panels = [panel(d, r, style, prefix=f"{side}-", caption=side.title(), layout=lay,
                        bounds=bounds) for side, d, r, lay in sides]
    heading = title or ("Incentives: before and after" if change else "Incentives")
    body = fragment(panels, style, uid="cidlib-view", name=name, change=change,
                    heading=heading)
    return document(heading, body)
