"""The ``cidlib`` command line: analyse, draw, compare, convert and check diagram files.

``cidlib game`` describes the strategic structure of a diagram with several agents.

Every command reads every supported format (see :mod:`cidlib.io.files`). Exit codes: 0 ok;
1 ``check`` found a forbidden incentive; 2 invalid input or usage. Errors are one line on
standard error; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Hashable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from cidlib.core.diagram import InfluenceDiagram
from cidlib.core.names import node_key
from cidlib.exceptions import CidlibError, UnknownNodeError, UnsupportedDiagramError
from cidlib.incentives.base import Incentive, parse_kind
from cidlib.incentives.report import IncentiveReport, analyze, compare, incentives_on
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

OK, FORBIDDEN, INVALID = 0, 1, 2
_FIGURES = (".png", ".svg", ".pdf")


def _node(diagram: InfluenceDiagram, name: str) -> Hashable:
    """Return the node a command-line name refers to (names are text; nodes may be ints)."""
    if name in diagram:
        return name
    matches = [n for n in diagram.nodes if str(n) == name]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        diagram.kind(name)  # raises UnknownNodeError with suggestions
    raise UnknownNodeError(f"{name!r} names several nodes: {', '.join(map(repr, matches))}")


def _load(path: str, agent: str | None = None, *, single: bool = True) -> InfluenceDiagram:
    """Read ``path``; with ``agent``, that agent's view; ``single``: insist on one agent."""
    diagram = read_diagram(path)
    if agent is None and single and len(diagram.agents) > 1:
        names = ", ".join(str(a) for a in sorted(diagram.agents, key=node_key))
        raise UnsupportedDiagramError(
            f"{path} has several agents ({names}); the incentive criteria are for one: add "
            f"--agent {sorted(diagram.agents, key=node_key)[0]}"
        )
    if agent is not None:
        matches = [a for a in diagram.agents if str(a) == agent]
        if len(matches) != 1:
            known = ", ".join(str(a) for a in sorted(diagram.agents, key=node_key))
            raise UnknownNodeError(f"agent {agent!r} is not in {path}; its agents are {known}")
        diagram = diagram.for_agent(matches[0])
    return diagram


def _analyze(args: argparse.Namespace) -> int:
    diagram = _load(args.file, args.agent)
    report = analyze(diagram)
    decision = None if args.decision is None else _node(diagram, args.decision)
    node = None if args.node is None else _node(diagram, args.node)
    selected = report.filter(decision=decision, node=node)
    if args.format == "json":
        print(json.dumps(selected.to_dict(), indent=2, default=str))
    elif args.format == "markdown":
        print(selected.to_markdown())
    elif node is not None:
        found = [i for i in incentives_on(diagram, node) if decision in (None, i.decision)]
        print("\n".join(i.explain() for i in found) or f"No incentives on {node}.")
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
    from cidlib.render import draw, to_dot, to_tikz

    diagram = _load(args.file, args.agent, single=bool(args.highlight))
    report = analyze(diagram) if len(diagram.agents) == 1 else None
    highlight = _highlights(report, diagram, args.highlight) if report else []
    out = Path(args.output)
    suffix = out.suffix.lower()
    if suffix == ".tex":
        out.write_text(to_tikz(diagram, report=report, highlight=highlight), encoding="utf-8")
    elif suffix == ".dot":
        out.write_text(to_dot(diagram, report=report, highlight=highlight), encoding="utf-8")
    elif suffix in _FIGURES:
        ax = draw(diagram, report=report, highlight=highlight, title=args.title)
        cast("Figure", ax.figure).savefig(out, dpi=150)
    else:
        raise CidlibError(f"{out}: unknown figure type; use .png, .svg, .pdf, .tex or .dot")
    print(f"wrote {out}")
    return OK


def _compare(args: argparse.Namespace) -> int:
    out = Path(args.output) if args.output else None
    if out is not None and out.suffix.lower() not in _FIGURES:
        raise CidlibError(f"{out}: the comparison figure is .png, .svg or .pdf")
    before, after = _load(args.before, args.agent), _load(args.after, args.agent)
    print(compare(before, after))
    if out is not None:
        from cidlib.render import draw_comparison

        titles = (Path(args.before).stem, Path(args.after).stem)
        draw_comparison(before, after, titles=titles).savefig(out, dpi=150)
        print(f"wrote {out}")
    return OK


def _convert(args: argparse.Namespace) -> int:
    write_diagram(read_diagram(args.input), args.output)
    print(f"wrote {args.output}")
    return OK


def _check(args: argparse.Namespace) -> int:
    diagram = _load(args.file, args.agent)
    report = analyze(diagram)
    found: list[Incentive] = []
    for spec in args.forbid:
        kind, sep, name = spec.partition(":")
        if not sep or not name:
            raise CidlibError(f"--forbid {spec!r}: write KIND:NODE, e.g. ici:I")
        matches = report.filter(kind=parse_kind(kind), node=_node(diagram, name))
        found.extend(matches)
    for inc in found:
        print(f"forbidden: {inc.explain()}")
    if found:
        return FORBIDDEN
    count = len(args.forbid)
    print("ok: the forbidden incentive is not present" if count == 1
          else f"ok: none of the {count} forbidden incentives is present")
    return OK


def _game(args: argparse.Namespace) -> int:
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
    if args.output:
        from cidlib.render import draw_relevance_graph

        ax = draw_relevance_graph(diagram)
        cast("Figure", ax.figure).savefig(args.output, bbox_inches="tight", dpi=150)
        print(f"wrote {args.output}")
    return OK


def _parser() -> argparse.ArgumentParser:
    formats = ", ".join(f"{name} ({'/'.join(ext)})" for name, ext in FORMATS.items())
    parser = argparse.ArgumentParser(
        prog="cidlib",
        description="Incentive analysis of causal influence diagrams. "
                    f"Files: {formats}, chosen by extension or content.",
        epilog="Exit codes: 0 ok, 1 a forbidden incentive was found (check), "
               "2 invalid input or usage.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_agent(p: argparse.ArgumentParser) -> None:
        p.add_argument("--agent", help="analyse this agent's view of a multi-agent diagram")

    p = sub.add_parser("analyze", help="the incentive report, with witness paths")
    p.add_argument("file")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    p.add_argument("--decision", help="only this decision's incentives")
    p.add_argument("--node", help="only the incentives on this node, explained")
    with_agent(p)
    p.set_defaults(run=_analyze)

    p = sub.add_parser("draw", help="draw the annotated diagram")
    p.add_argument("file")
    p.add_argument("-o", "--output", required=True, help="OUT.png, .svg, .pdf, .tex or .dot")
    p.add_argument("--highlight", action="append", default=[], metavar="KIND[:NODE]",
                   help="draw the witness paths of these incentives (repeatable)")
    p.add_argument("--title")
    with_agent(p)
    p.set_defaults(run=_draw)

    p = sub.add_parser("compare", help="incentives that appear or disappear between designs")
    p.add_argument("before")
    p.add_argument("after")
    p.add_argument("-o", "--output", help="also draw both designs (.png, .svg or .pdf)")
    with_agent(p)
    p.set_defaults(run=_compare)

    p = sub.add_parser("convert", help="convert between file formats")
    p.add_argument("input")
    p.add_argument("output")
    p.set_defaults(run=_convert)

    p = sub.add_parser("game", help="several agents: recall, reliance, subgames, patterns")
    p.add_argument("file")
    p.add_argument("-o", "--output", help="also draw the relevance graph (.png, .svg, .pdf)")
    p.set_defaults(run=_game)

    p = sub.add_parser("check", help="exit 1 if a forbidden incentive is present")
    p.add_argument("file")
    p.add_argument("--forbid", action="append", required=True, metavar="KIND:NODE",
                   help="e.g. ici:I (repeatable)")
    with_agent(p)
    p.set_defaults(run=_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
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
            return INVALID
        message = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        where = f"{err.filename}: " if isinstance(err, OSError) and err.filename else ""
        print(f"cidlib: error: {where}{message}", file=sys.stderr)
        return INVALID
    return code
