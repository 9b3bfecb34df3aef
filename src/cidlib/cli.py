"""The ``cidlib`` command line: analyse, draw, compare, convert and check diagram files.

``cidlib game`` describes the strategic structure of a diagram with several agents;
``cidlib explore`` writes an interactive HTML page of a diagram's incentives, and
``cidlib edit`` edits a diagram in the browser (a local server).

Every command reads every supported format (see :mod:`cidlib.io.files`) and writes files
whole or not at all. The exit code means the same for every command:

====  ======================================================================================
0     ok
1     ``check`` found a forbidden incentive
2     invalid input or usage (the message names the file, line or node and the fix)
3     undetermined: ``check`` could not decide a forbidden incentive (the criterion is
      undetermined there), so the guard fails closed (``--allow-undetermined`` accepts such
      unknowns); or ``--time-limit`` stopped the analysis before it decided
4     an internal error: a bug in cidlib (please report it; ``--debug`` shows the traceback)
====  ======================================================================================

Errors are one line on standard error; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Callable, Hashable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from cidlib.core.atomic import write_atomic
from cidlib.core.diagram import InfluenceDiagram
from cidlib.core.names import node_key
from cidlib.exceptions import (
    CidlibError,
    FormatError,
    TimeLimitError,
    UndeterminedError,
    UnknownNodeError,
    UnsupportedDiagramError,
)
from cidlib.incentives.base import Incentive, IncentiveKind, parse_kind
from cidlib.incentives.report import IncentiveReport, analyze, compare
from cidlib.io.files import FORMATS, read_diagram, write_diagram
from cidlib.structure.reasoning import reasoning_patterns
from cidlib.structure.relevance import (
    condensed_relevance_graph,
    has_perfect_recall,
    has_sufficient_recall,
    relevance_graph,
    relies_on,
)
from cidlib.structure.subgames import subgames

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["main"]

OK, FORBIDDEN, INVALID, UNDETERMINED, INTERNAL = 0, 1, 2, 3, 4
EXIT_CODES = (
    "exit codes: 0 ok; 1 a forbidden incentive is present (check); 2 invalid input or usage; "
    "3 undetermined: check cannot decide a forbidden incentive, so it fails closed "
    "(--allow-undetermined accepts that), or --time-limit stopped the analysis; 4 internal "
    "error (a bug: please report it)"
)
_FIGURES = (".png", ".svg", ".pdf")  # written whole: cidlib's figures save atomically
_TEXT_FIGURES = (".tex", ".dot")


def _node(diagram: InfluenceDiagram, name: str) -> Hashable:
    """Return the node a command-line name refers to (names are text; nodes may be ints)."""
    if name in diagram:
        return name
    matches = [n for n in diagram.nodes if str(n) == name]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        diagram.require(name)  # raises UnknownNodeError with suggestions
    raise UnknownNodeError(f"{name!r} names several nodes: {', '.join(map(repr, matches))}")


def _load(path: str, agent: str | None = None, *, single: bool = True) -> InfluenceDiagram:
    """Read ``path``; with ``agent``, that agent's view; ``single``: insist on one agent."""
    diagram = read_diagram(path)
    agents = sorted(diagram.agents, key=node_key)
    if agent is None and single and len(agents) > 1:
        names = ", ".join(str(a) for a in agents)
        raise UnsupportedDiagramError(
            f"{path} has several agents ({names}); the incentive criteria are for one: add "
            f"--agent {agents[0]}"
        )
    if agent is not None:
        matches = [a for a in agents if str(a) == agent]
        if len(matches) != 1:
            shown = ", ".join(repr(a) for a in agents)
            how = "names several agents" if matches else "is not an agent"
            raise UnknownNodeError(f"agent {agent!r} {how} of {path}; its agents are {shown}")
        diagram = diagram.for_agent(matches[0])
    return diagram


def _figure_path(output: str, allowed: Sequence[str], what: str = "the figure") -> Path:
    """Check the output's extension before any work, so a typo never writes a wrong file."""
    out = Path(output)
    if out.suffix.lower() not in allowed:
        raise FormatError(f"{output}: write {what} as {', '.join(allowed)}; "
                          f"not {out.suffix or 'a name without extension'}")
    return out


def _report(diagram: InfluenceDiagram, args: argparse.Namespace) -> IncentiveReport:
    """Analyse with the command's --time-limit and progress options."""
    return analyze(diagram, progress=False if args.no_progress else None,
                   time_limit=args.time_limit, voc_routes=getattr(args, "voc_routes", False))


def _analyze(args: argparse.Namespace) -> int:
    diagram = _load(args.file, args.agent)
    report = _report(diagram, args)
    decision = None if args.decision is None else _node(diagram, args.decision)
    node = None if args.node is None else _node(diagram, args.node)
    selected = report.filter(decision=decision, node=node)
    if args.format == "json":
        doc = selected.to_dict(full_witnesses=args.full_witnesses)
        print(json.dumps(doc, indent=2, default=str))
    elif args.format == "markdown":
        print(selected.to_markdown())
    elif node is not None:  # the report's answers, explained (undetermined ones say why)
        decisions = [decision] if decision is not None else [
            n for n in diagram.topological_order() if n in diagram.decisions]
        lines = []
        for dec in decisions:
            for kind in IncentiveKind:
                incentive = report.get(kind, dec, node)
                if incentive is not None:
                    routes = report.voc_routes(dec, node) if kind is IncentiveKind.VOC else None
                    note = "" if routes is None else (
                        f"  [{', '.join(sorted(routes)) or 'neither direct nor indirect'}]")
                    lines.append(incentive.explain() + note)
        print("\n".join(lines) or f"No incentives on {node}.")
    else:
        print(selected)
    return OK


def _highlights(report: IncentiveReport, diagram: InfluenceDiagram,
                specs: Sequence[str]) -> list[IncentiveReport]:
    out = []
    for spec in specs:
        kind, _, name = spec.partition(":")
        node = _node(diagram, name) if name else None
        selected = report.filter(kind=parse_kind(kind), node=node, trivial=False)
        if not len(selected):
            raise CidlibError(f"--highlight {spec}: no such non-trivial incentive in this "
                              "diagram, so no witness to draw")
        out.append(selected)
    return out


def _draw(args: argparse.Namespace) -> int:
    out = _figure_path(args.output, _FIGURES if args.each_decision else
                       (*_FIGURES, *_TEXT_FIGURES))
    from cidlib.render import draw, draw_decisions, to_dot, to_tikz

    diagram = _load(args.file, args.agent,
                    single=bool(args.highlight or args.decision or args.each_decision))
    report = analyze(diagram, voc_routes=args.voc_routes) if len(diagram.agents) == 1 else None
    decision = None if args.decision is None else _node(diagram, args.decision)
    highlight = _highlights(report, diagram, args.highlight) if report else []
    if decision is not None and report is not None:
        highlight = [h.filter(decision=decision) for h in highlight]
    suffix = out.suffix.lower()
    if args.each_decision:
        draw_decisions(diagram, report, highlight=highlight).savefig(out, dpi=150)
    elif suffix == ".tex":
        write_atomic(out, to_tikz(diagram, report=report, highlight=highlight,
                                  decision=decision))
    elif suffix == ".dot":
        write_atomic(out, to_dot(diagram, report=report, highlight=highlight,
                                 decision=decision))
    else:
        ax = draw(diagram, report=report, highlight=highlight, title=args.title,
                  decision=decision)
        cast("Figure", ax.figure).savefig(out, dpi=150)
    print(f"wrote {out}")
    return OK


def _compare(args: argparse.Namespace) -> int:
    out = None if args.output is None else _figure_path(args.output, _FIGURES)
    before, after = _load(args.before, args.agent), _load(args.after, args.agent)
    print(compare(before, after))
    if out is not None:
        from cidlib.render import draw_comparison

        titles = (Path(args.before).stem, Path(args.after).stem)
        draw_comparison(before, after, titles=titles).savefig(out, dpi=150)
        print(f"wrote {out}")
    return OK


def _explore(args: argparse.Namespace) -> int:
    inputs = [args.file] + ([args.compare] if args.compare else [])
    stems = "-vs-".join(Path(f).stem for f in inputs)
    out = _figure_path(args.output or f"{stems}.html", (".html", ".htm"), "the page")
    if any(out.resolve() == Path(f).resolve() for f in inputs):
        raise FormatError(f"{out}: that is an input file; write the page elsewhere (-o)")
    from cidlib.render import to_html

    diagram = _load(args.file, args.agent, single=bool(args.compare))
    report = _report(diagram, args) if len(diagram.agents) == 1 else None
    title = args.title or f"Incentives of {Path(args.file).name}"
    if args.compare:
        after = _load(args.compare, args.agent)
        title = args.title or f"Incentives of {Path(args.file).name} and {Path(args.compare).name}"
        page = to_html(diagram, report, compare_with=_report(after, args), title=title)
    else:
        page = to_html(diagram, report, title=title)
    write_atomic(out, page)
    print(f"wrote {out} ({len(page.encode()) / 1024:,.0f} KiB); open it in a browser")
    return OK


def _edit(args: argparse.Namespace) -> int:
    from cidlib.web.server import serve

    if args.port is not None and not 0 <= args.port <= 65535:
        raise CidlibError(f"--port {args.port}: give a port from 1 to 65535 (0: any free one)")
    serve(args.file, port=args.port or 0, open_browser=not args.no_browser, debug=args.debug)
    return OK


def _convert(args: argparse.Namespace) -> int:
    write_diagram(read_diagram(args.input), args.output)
    print(f"wrote {args.output}")
    return OK


def _rule(spec: str, diagram: InfluenceDiagram
          ) -> tuple[IncentiveKind, Hashable | None, Hashable | None]:
    """Parse ``KIND[:NODE][@DECISION]`` into its kind, node and decision."""
    rule, at, decision_name = spec.partition("@")
    kind_name, colon, node_name = rule.partition(":")
    if (colon and not node_name) or (at and not decision_name):
        raise CidlibError(f"--forbid {spec!r}: write KIND, KIND:NODE or KIND:NODE@DECISION, "
                          "e.g. ici:I")
    decision = diagram.require(_node(diagram, decision_name), "decision") if at else None
    return parse_kind(kind_name), _node(diagram, node_name) if colon else None, decision


def _check(args: argparse.Namespace) -> int:
    diagram = _load(args.file, args.agent)
    if not diagram.decisions:  # an empty or wrong file must not pass a CI guard
        raise UnsupportedDiagramError(
            f"{args.file}: the diagram has no decision node, so it has no incentives to check; "
            "is this the right file?")
    report = _report(diagram, args)
    decisions = [n for n in diagram.topological_order() if n in diagram.decisions]
    found: list[Incentive] = []
    unknown: list[Incentive] = []
    for spec in args.forbid:
        kind, node, decision = _rule(spec, diagram)
        for dec in [decision] if decision is not None else decisions:
            nodes = [node] if node is not None else sorted(
                report.nodes(kind, dec, allow_undetermined=True) | report.undetermined(kind, dec),
                key=node_key)
            for n in nodes:
                incentive = report.get(kind, dec, n)  # None when absent or undefined
                if incentive is None:
                    continue
                if incentive.undetermined:
                    unknown.append(incentive)
                elif node is not None or not incentive.trivial:  # KIND alone: not trivial ones
                    found.append(incentive)
    for inc in found:
        print(f"forbidden: {inc.explain()}")
    for inc in unknown:
        label = "accepted as undetermined" if args.allow_undetermined else "undetermined"
        print(f"{label}: {inc.explain()}")
    if found:
        return FORBIDDEN
    if unknown and not args.allow_undetermined:
        print(f"cannot decide {len(unknown)} forbidden incentive(s): failing closed (pass "
              "--allow-undetermined to accept unknowns)")
        return UNDETERMINED
    count = len(args.forbid)
    accepted = f" ({len(unknown)} undetermined, accepted)" if unknown else ""
    print(("ok: the forbidden incentive is not present" if count == 1
           else f"ok: none of the {count} forbidden incentives is present") + accepted)
    return OK


def _game(args: argparse.Namespace) -> int:
    out = None if args.output is None else _figure_path(args.output, _FIGURES)
    diagram = read_diagram(args.file)

    def names(nodes: Iterable[Hashable]) -> str:
        return "{" + ", ".join(str(n) for n in sorted(nodes, key=node_key)) + "}"

    for agent in sorted(diagram.agents, key=node_key):
        recall = ("perfect recall" if has_perfect_recall(diagram, agent) else
                  "sufficient recall" if has_sufficient_recall(diagram, agent) else
                  "no sufficient recall")
        print(f"agent {agent}: decisions {names(diagram.decisions_of(agent))}, "
              f"utilities {names(diagram.utilities_of(agent))}; {recall}")
    print("\nrelies on:")
    graph = relevance_graph(diagram)
    for d, e in sorted(graph.edges, key=lambda edge: (node_key(edge[0]), node_key(edge[1]))):
        print(f"  {d} relies on {e}: {relies_on(diagram, d, e).witness}")
    if not graph.number_of_edges():
        print("  no decision relies on another")
    order = [names(c) for c in condensed_relevance_graph(diagram)]
    print(f"\ncomponents: {', '.join(order) or 'none'}")
    print("subgames (decisions: nodes):")
    for base in subgames(diagram):
        print(f"  {names(base & diagram.decisions)}: {names(base)}")
    print("reasoning patterns:")
    for d in sorted(diagram.decisions, key=node_key):
        found = reasoning_patterns(diagram, d)
        text = "; ".join(f"{p.pattern} through {p.other}" if p.other is not None
                         else str(p.pattern) for p in found)
        print(f"  {d}: {text or 'none (not effective)'}")
    if out is not None:
        from cidlib.render import draw_relevance_graph

        ax = draw_relevance_graph(diagram)
        cast("Figure", ax.figure).savefig(out, bbox_inches="tight", dpi=150)
        print(f"wrote {out}")
    return OK


def _with_agent(p: argparse.ArgumentParser) -> None:
    """Add ``--agent``."""
    p.add_argument("--agent", help="analyse this agent's view of a multi-agent diagram")


def _with_limits(p: argparse.ArgumentParser) -> None:
    """Add ``--time-limit`` and ``--no-progress``."""
    p.add_argument("--time-limit", type=float, metavar="SECONDS",
                   help="stop the analysis after this long (exit code 3)")
    p.add_argument("--no-progress", action="store_true",
                   help="no progress bar (one shows on a terminal when tqdm is installed)")


def _browser_commands(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Add ``explore`` and ``edit``: the commands whose results open in a browser."""
    p = command("explore", "write an interactive HTML page of the incentives (no network)")
    p.add_argument("file")
    p.add_argument("-o", "--output", help="OUT.html (default: FILE's name, .html, here)")
    p.add_argument("--compare", metavar="AFTER",
                   help="a second design: both side by side, with what the change does")
    p.add_argument("--title", help="the page's title")
    _with_agent(p)
    _with_limits(p)
    p.set_defaults(run=_explore)

    p = command("edit", "edit a .cid or .json file in the browser, with live incentives")
    p.add_argument("file", help="the file to edit (created on the first save if missing)")
    p.add_argument("--port", type=int, help="the port on 127.0.0.1 (default: a free one)")
    p.add_argument("--no-browser", action="store_true",
                   help="print the address only; do not open a browser")
    p.set_defaults(run=_edit)


def _parser() -> argparse.ArgumentParser:
    formats = ", ".join(f"{name} ({'/'.join(ext)})" for name, ext in FORMATS.items())
    parser = argparse.ArgumentParser(
        prog="cidlib",
        description="Incentive analysis of causal influence diagrams. "
                    f"Files: {formats}, chosen by extension or content.",
        epilog=EXIT_CODES + ".",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=text, description=text, epilog=EXIT_CODES + ".")

    p = command("analyze", "the incentive report, with witness paths")
    p.add_argument("file")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    p.add_argument("--decision", help="only this decision's incentives")
    p.add_argument("--node", help="only the incentives on this node, explained")
    p.add_argument("--full-witnesses", action="store_true",
                   help="json: also list every witness's nodes (output can grow with the "
                        "square of the diagram)")
    p.add_argument("--voc-routes", action="store_true",
                   help="also say whether each value of control is direct or indirect")
    _with_agent(p)
    _with_limits(p)
    p.set_defaults(run=_analyze)

    p = command("draw", "draw the annotated diagram")
    p.add_argument("file")
    p.add_argument("-o", "--output", required=True, help="OUT.png, .svg, .pdf, .tex or .dot")
    p.add_argument("--highlight", action="append", default=[], metavar="KIND[:NODE]",
                   help="draw the witness paths of these incentives (repeatable)")
    decide = p.add_mutually_exclusive_group()
    decide.add_argument("--decision", help="ring only this decision's incentives")
    decide.add_argument("--each-decision", action="store_true",
                        help="one panel per decision (.png, .svg or .pdf)")
    p.add_argument("--title")
    p.add_argument("--voc-routes", action="store_true",
                   help="mark value of control d (direct) or i (indirect)")
    _with_agent(p)
    p.set_defaults(run=_draw)

    p = command("compare", "incentives that appear or disappear between designs")
    p.add_argument("before")
    p.add_argument("after")
    p.add_argument("-o", "--output", help="also draw both designs (.png, .svg or .pdf)")
    _with_agent(p)
    p.set_defaults(run=_compare)

    _browser_commands(command)

    p = command("convert", "convert between file formats")
    p.add_argument("input")
    p.add_argument("output")
    p.set_defaults(run=_convert)

    p = command("game", "several agents: recall, reliance, subgames, patterns")
    p.add_argument("file")
    p.add_argument("-o", "--output", help="also draw the relevance graph (.png, .svg, .pdf)")
    p.set_defaults(run=_game)

    p = command("check", "exit 1 if a forbidden incentive is present, 3 if undecidable")
    p.add_argument("file")
    p.add_argument("--forbid", action="append", required=True,
                   metavar="KIND[:NODE][@DECISION]",
                   help="e.g. ici:I, ri:Race@Hire, or voi (the kind on any node, trivial "
                        "incentives aside); repeatable")
    p.add_argument("--allow-undetermined", action="store_true",
                   help="exit 0, not 3, when the criterion cannot decide a forbidden "
                        "incentive (the unknowns are still printed)")
    _with_agent(p)
    _with_limits(p)
    p.set_defaults(run=_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (see the module docstring)."""
    for stream in (sys.stdout, sys.stderr):  # any name prints, whatever the terminal
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except BrokenPipeError:  # the reader stopped early (e.g. | head): not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 -- replaces stdout until exit
        return OK
    except (CidlibError, OSError) as err:
        if args.debug:
            traceback.print_exc()
        else:
            message = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
            where = f"{err.filename}: " if isinstance(err, OSError) and err.filename else ""
            print(f"cidlib: error: {where}{message}", file=sys.stderr)
        unknown = isinstance(err, UndeterminedError | TimeLimitError)
        return UNDETERMINED if unknown else INVALID
    except Exception as err:  # a bug: never exit 1, which means "forbidden incentive found"
        if args.debug:
            traceback.print_exc()
        else:
            print(f"cidlib: internal error: {type(err).__name__}: {err}\n"
                  "This is a bug in cidlib; please report it to its developers with the "
                  "command and the file (run with --debug for the traceback).",
                  file=sys.stderr)
        return INTERNAL
    return code
