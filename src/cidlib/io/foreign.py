"""Other tools' formats: pyAgrum's fastID and BIFXML, DAGitty's ``dag { ... }``.

* **fastID** (read): pyAgrum's one-line syntax, e.g. ``"A->*D->$U<-A; B->D"``: chains of
  ``->`` and ``<-`` separated by ``;``, ``*`` marking a decision and ``$`` a utility. Domain
  annotations such as ``A[3]`` or ``A{x|y}`` are accepted and ignored (structure only).
* **DAGitty** (read): ``dag { ... }`` with edge chains (``->``, ``<-``) and node attributes.
  DAGitty has no decisions or utilities, so ``[exposure]`` nodes become decisions and
  ``[outcome]`` nodes utilities (they must have no children); ``pos="x,y"`` becomes a
  position; other attributes are ignored. ``<->`` and ``--`` have no meaning in an
  influence diagram and are errors.
* **BIFXML** (read and write): pyAgrum's XML for influence diagrams, structure only.
  Written files declare binary chance and decision variables, uniform probabilities and zero
  utilities, so pyAgrum loads them; a node's label is its ``description``.

All readers parse without evaluating anything; XML with a DOCTYPE or entities is refused.
Errors are :class:`~cidlib.exceptions.ParseError` with the line and column.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Hashable

from cidlib.core.diagram import InfluenceDiagram, NodeKind
from cidlib.core.names import brief, node_key
from cidlib.exceptions import ParseError, SchemaError
from cidlib.io.builder import DiagramBuilder

__all__ = ["dumps_bifxml", "dumps_dagitty", "dumps_fastid", "loads_bifxml", "loads_dagitty",
           "loads_fastid"]

_MAX_TABLE = 1 << 20


def _lines(text: str) -> list[str]:
    return re.split(r"\r\n|\r|\n", text)


def _single_agent(diagram: InfluenceDiagram, fmt: str) -> None:
    if len(diagram.agents) > 1:
        raise SchemaError(f"{fmt} holds influence diagrams of one agent; export "
                          "diagram.for_agent(a) instead")


# -- fastID --------------------------------------------------------------------------------

_FAST_NAME = re.compile(r"[^\s;*$\[\]{}<>-]+\Z")
_FAST_RESERVED = frozenset("*$[]{}")


def _fast_node(part: str) -> tuple[str, str] | None:
    """Split a fastID node ``[*|$]name[ [domain] | {values} ]`` into marker and name.

    A hand-written scan, linear in the text (a regular expression for it backtracks
    catastrophically on long runs of spaces).
    """
    text = part.strip()
    marker = text[:1] if text[:1] in ("*", "$") else ""
    text = text[len(marker):]
    if text[-1:] in ("]", "}"):  # a domain: [2], [0,1] or {a|b}, without spaces
        opening = "[" if text[-1] == "]" else "{"
        start = text.rfind(opening)
        inside = text[start + 1:-1]
        if start < 0 or not inside or any(c.isspace() or c in "[]{}" for c in inside):
            return None
        text = text[:start]
    name = text.strip()
    if not name or any(c in _FAST_RESERVED for c in name):
        return None
    return marker, name


def loads_fastid(text: str, source: str = "<fastID>") -> InfluenceDiagram:
    """Read pyAgrum's fastID syntax.

    Examples
    --------
    >>> d = loads_fastid("A->*D->$U<-A")
    >>> sorted(d.edges), sorted(d.decisions), sorted(d.utilities)
    ([('A', 'D'), ('A', 'U'), ('D', 'U')], ['D'], ['U'])
    """
    out = DiagramBuilder(source, agents=[0])
    for number, line in enumerate(_lines(text), start=1):
        for chain in re.finditer(r"[^;]+", line):
            parts = re.split(r"(->|<-)", chain.group())
            column = chain.start() + 1
            prev: str | None = None
            arrow = column
            for k, part in enumerate(parts):
                if k % 2:  # an arrow; nodes on both sides are checked as parts
                    arrow = column
                    column += len(part)
                    continue
                node = _fast_node(part)
                if node is None:
                    if not part.strip() and len(parts) == 1:
                        column += len(part)
                        continue  # blank between two ';'
                    raise out.error(f"expected a node, found {brief(part.strip())}", number,
                                    column)
                marker, name = node
                out.nodes.setdefault(name)
                if marker:
                    kind = NodeKind.DECISION if marker == "*" else NodeKind.UTILITY
                    out.mark(name, kind, number, column)
                if prev is not None:
                    u, v = (prev, name) if parts[k - 1] == "->" else (name, prev)
                    out.edge(u, v, number, arrow)
                prev = name
                column += len(part)
    return out.build()


def dumps_fastid(diagram: InfluenceDiagram) -> str:
    r"""Write the structure as fastID (labels and positions are not kept).

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("A", "D"), ("D", "U"), ("A", "U")], decisions=["D"], utilities=["U"])
    >>> dumps_fastid(d)
    'A->*D;A->$U;*D->$U\n'
    >>> loads_fastid(dumps_fastid(d)) == d
    True
    """
    _single_agent(diagram, "fastID")
    marker = {NodeKind.CHANCE: "", NodeKind.DECISION: "*", NodeKind.UTILITY: "$"}

    def name(n: Hashable) -> str:
        if not isinstance(n, str) or not _FAST_NAME.match(n):
            raise SchemaError(f"node {n!r} is not a fastID name (no spaces, ;, *, $, brackets, "
                              "< or -); relabel it first")
        return marker[diagram.kind(n)] + n

    order = {n: i for i, n in enumerate(diagram.topological_order())}
    parts = [f"{name(u)}->{name(v)}"
             for u, v in sorted(diagram.edges, key=lambda e: (order[e[0]], order[e[1]]))]
    touched = {n for e in diagram.edges for n in e}
    parts += [name(n) for n in diagram.topological_order() if n not in touched]
    return ";".join(parts) + "\n"


# -- DAGitty ------------------------------------------------------------------------------

_DAG = re.compile(r'\s*(?:(?P<op><->|->|<-|--)|(?P<punct>[{}\[\];,=])'
                  r'|(?P<string>"(?:[^"\\]|\\.)*")|(?P<name>[A-Za-z0-9_.]+)|(?P<bad>\S))')
_DAG_NAME = re.compile(r"[A-Za-z0-9_.]+\Z")
Token = tuple[str, str, int, int]


def _dag_tokens(text: str, source: str) -> list[Token]:
    out = []
    for number, line in enumerate(_lines(text), start=1):
        pos = 0
        while pos < len(line):
            m = _DAG.match(line, pos)
            if m is None or m.end() == pos:
                break
            kind = m.lastgroup or "bad"
            col = m.start(kind) + 1
            if kind == "bad":
                raise ParseError(f"unexpected character {m.group(kind)!r}", source, number, col)
            out.append((kind, m.group(kind), number, col))
            pos = m.end()
        out.append(("punct", "\n", number, len(line) + 1))
    return out


class _Dagitty:
    """A reader for the body of ``dag { ... }``: statements of terms, arrows, attributes."""

    def __init__(self, body: list[Token], out: DiagramBuilder) -> None:
        self.body, self.out, self.i = body, out, 0

    def term(self) -> list[str]:
        """Read a node, or a group ``{A B C}``."""
        kind, value, line, col = self.body[self.i]
        self.i += 1
        if value != "{":
            return [value[1:-1] if kind == "string" else value]
        names = []
        while self.i < len(self.body) and self.body[self.i][1] != "}":
            k, v, _, _ = self.body[self.i]
            if k in ("name", "string"):
                names.append(v[1:-1] if k == "string" else v)
            elif v not in ("\n", ",", ";"):
                raise self.out.error(f"unexpected {v!r} in a group", *self.body[self.i][2:])
            self.i += 1
        if self.i >= len(self.body) or not names:
            raise self.out.error("a group needs nodes and a closing }", line, col)
        self.i += 1
        return names

    def attributes(self, nodes: list[str] | None) -> None:
        """Read ``[...]``; apply node attributes to ``nodes`` (None: an edge's, ignored)."""
        line, col = self.body[self.i][2:]
        self.i += 1
        while self.i < len(self.body) and self.body[self.i][1] != "]":
            _, value, aline, acol = self.body[self.i]
            self.i += 1
            if nodes is None:
                continue
            if value in ("exposure", "outcome"):
                kind = NodeKind.DECISION if value == "exposure" else NodeKind.UTILITY
                for n in nodes:
                    self.out.mark(n, kind, aline, acol)
            elif value == "pos" and self.i + 1 < len(self.body) and self.body[self.i][1] == "=":
                raw = self.body[self.i + 1][1].strip('"')
                self.i += 2
                try:
                    x, y = (float(v) for v in raw.split(","))
                except ValueError:
                    raise self.out.error(f'pos must be "x,y", found {raw!r}', aline,
                                         acol) from None
                if not (math.isfinite(x) and math.isfinite(y)):
                    raise self.out.error("pos must be finite", aline, acol)
                for n in nodes:
                    self.out.positions[n] = (x, -y)  # DAGitty's y grows downwards
        if self.i >= len(self.body):
            raise self.out.error("unclosed [", line, col)
        self.i += 1

    def read(self) -> None:  # noqa: PLR0912 -- one branch per kind of token
        body, out = self.body, self.out
        prev: list[str] | None = None
        arrow: Token | None = None
        edge_target = False
        while self.i < len(body):
            kind, value, line, col = body[self.i]
            if value in ("\n", ";"):
                if arrow:
                    raise out.error(f"{arrow[1]} needs a node on both sides", *arrow[2:])
                prev, edge_target = None, False
                self.i += 1
            elif prev is None and kind == "name" and self.i + 1 < len(body) and (
                    body[self.i + 1][1] == "="):
                self.i += 3  # a graph attribute such as bb="...": not part of the diagram
            elif kind in ("name", "string") or value == "{":
                term = self.term()
                for n in term:
                    out.nodes.setdefault(n)
                edge_target = arrow is not None
                if arrow is not None and prev is not None:
                    for a in prev:
                        for b in term:
                            u, v = (a, b) if arrow[1] == "->" else (b, a)
                            out.edge(u, v, arrow[2], arrow[3])
                prev, arrow = term, None
            elif kind == "op":
                if value in ("<->", "--"):
                    raise out.error(f"{value!r} edges have no meaning in an influence diagram; "
                                    "use -> or <-", line, col)
                if prev is None or arrow is not None:
                    raise out.error(f"{value} needs a node on both sides", line, col)
                arrow = body[self.i]
                self.i += 1
            elif value == "[":
                if prev is None:
                    raise out.error("attributes need a node before them", line, col)
                self.attributes(None if edge_target else prev)
            elif value == ",":
                self.i += 1
            else:
                raise out.error(f"unexpected {value!r}", line, col)
        if arrow:
            raise out.error(f"{arrow[1]} needs a node on both sides", *arrow[2:])


def loads_dagitty(text: str, source: str = "<dagitty>") -> InfluenceDiagram:
    r"""Read DAGitty's ``dag { ... }`` text (see the module docstring for the mapping).

    Examples
    --------
    >>> d = loads_dagitty('dag { X [exposure]\n Y [outcome]\n Z -> X -> Y <- Z }')
    >>> sorted(d.edges), sorted(d.decisions), sorted(d.utilities)
    ([('X', 'Y'), ('Z', 'X'), ('Z', 'Y')], ['X'], ['Y'])
    """
    toks = _dag_tokens(text, source)
    words = [t for t in toks if t[1] != "\n"]
    if len(words) < 3 or words[0][1] != "dag" or words[1][1] != "{" or words[-1][1] != "}":
        where = words[0] if words else ("", "", 1, 1)
        raise ParseError("expected dag { ... }", source, where[2], where[3])
    body = toks[toks.index(words[1]) + 1: len(toks) - toks[::-1].index(words[-1]) - 1]
    out = DiagramBuilder(source, agents=[0])
    _Dagitty(body, out).read()
    return out.build()


def dumps_dagitty(diagram: InfluenceDiagram) -> str:
    """Write DAGitty text: decisions as exposures, utilities as outcomes (labels not kept).

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D"), ("D", "U")], decisions=["D"], utilities=["U"])
    >>> print(dumps_dagitty(d), end="")
    dag {
    S
    D [exposure]
    U [outcome]
    S -> D
    D -> U
    }
    """
    _single_agent(diagram, "DAGitty")
    for n in diagram.nodes:
        if not isinstance(n, str) or not _DAG_NAME.match(n):
            raise SchemaError(f"node {n!r} is not a DAGitty name (a string of letters, digits, "
                              "_ and .); relabel it first")
    role = {NodeKind.CHANCE: [], NodeKind.DECISION: ["exposure"], NodeKind.UTILITY: ["outcome"]}
    lines = ["dag {"]
    for n in diagram.topological_order():
        attrs = list(role[diagram.kind(n)])
        if n in diagram.positions:
            x, y = diagram.positions[n]
            attrs.append(f'pos="{x!r},{-y!r}"')
        lines.append(f"{n} [{','.join(attrs)}]" if attrs else str(n))
    order = {n: i for i, n in enumerate(diagram.topological_order())}
    lines += [f"{u} -> {v}" for u, v in sorted(diagram.edges,
                                               key=lambda e: (order[e[1]], order[e[0]]))]
    return "\n".join([*lines, "}"]) + "\n"


# -- BIFXML --------------------------------------------------------------------------------

_TYPES = {"nature": NodeKind.CHANCE, "decision": NodeKind.DECISION, "utility": NodeKind.UTILITY}


def loads_bifxml(text: str, source: str = "<bifxml>") -> InfluenceDiagram:
    """Read the structure of a pyAgrum BIFXML influence diagram."""
    if re.search(r"<!(DOCTYPE|ENTITY)", text):
        raise ParseError("DOCTYPE and ENTITY declarations are not accepted", source, 1, 1)
    try:
        root = ET.fromstring(text)
    except ET.ParseError as err:
        line, col = err.position
        reason = str(err.msg).split(":")[0]  # the position is in the prefix already
        raise ParseError(f"invalid XML: {reason}", source, line, col + 1) from None
    network = root.find("NETWORK")
    if root.tag != "BIF" or network is None:
        raise ParseError("expected <BIF><NETWORK>...</NETWORK></BIF>", source, 1, 1)
    out = DiagramBuilder(source, agents=[0])
    for i, var in enumerate(network.findall("VARIABLE"), start=1):
        name = (var.findtext("NAME") or "").strip()
        kind = _TYPES.get(var.get("TYPE", "nature"))
        if not name or kind is None:
            raise out.error(f"VARIABLE #{i} needs a NAME and a TYPE of nature, decision or "
                            "utility")
        out.nodes[name] = None
        out.mark(name, kind, 1, 1)
        for prop in var.findall("PROPERTY"):
            _property(out, name, prop.text or "")
    for definition in network.findall("DEFINITION"):
        child = (definition.findtext("FOR") or "").strip()
        for given in definition.findall("GIVEN"):
            parent = (given.text or "").strip()
            for n in (child, parent):
                if n not in out.nodes:
                    raise out.error(f"DEFINITION refers to undeclared variable {n!r}")
            out.edge(parent, child, 1, 1)
    return out.build()


def _property(out: DiagramBuilder, name: str, text: str) -> None:
    """Read a variable's ``description`` (its label) or ``position`` property."""
    key, _, value = text.partition("=")
    key, value = key.strip(), value.strip()
    if key == "description" and value and value != name:
        out.labels[name] = value
    elif key == "position":
        m = re.fullmatch(r"\(\s*([^,()]+?)\s*,\s*([^,()]+?)\s*\)", value)
        try:
            x, y = float(m.group(1)), float(m.group(2))  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            raise out.error(f"position of {name!r} must be (x, y), found {value!r}") from None
        if math.isfinite(x) and math.isfinite(y):
            out.positions[name] = (x / 100, -y / 100)  # pyAgrum's pixels, y downwards


def _xml(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def dumps_bifxml(diagram: InfluenceDiagram) -> str:
    """Write the structure of a single-agent diagram as pyAgrum BIFXML (loadable by pyAgrum).

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("A", "D"), ("D", "U"), ("A", "U")], decisions=["D"], utilities=["U"])
    >>> loads_bifxml(dumps_bifxml(d)) == d
    True
    """
    if len(diagram.agents) > 1:
        raise SchemaError("BIFXML holds influence diagrams of one agent; export "
                          "diagram.for_agent(a) instead")
    for n in diagram.nodes:
        if not isinstance(n, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", n):
            raise SchemaError(f"node {n!r} is not a BIFXML name (a string of letters, digits "
                              "and _); relabel it first")
    out = ['<?xml version="1.0" ?>', '<BIF VERSION="0.3">', "<NETWORK>",
           "<NAME>cidlib</NAME>"]
    types = {NodeKind.CHANCE: "nature", NodeKind.DECISION: "decision",
             NodeKind.UTILITY: "utility"}
    order = diagram.topological_order()
    for n in order:
        kind = diagram.kind(n)
        out.append(f'<VARIABLE TYPE="{types[kind]}">')
        out.append(f"\t<NAME>{n}</NAME>")
        out.append(f"\t<PROPERTY>description = {_xml(diagram.labels.get(n, str(n)))}</PROPERTY>")
        if n in diagram.positions:
            x, y = diagram.positions[n]
            out.append(f"\t<PROPERTY>position = ({x * 100:.0f}, {-y * 100:.0f})</PROPERTY>")
        outcomes = 1 if kind is NodeKind.UTILITY else 2
        out.extend(f"\t<OUTCOME>{v}</OUTCOME>" for v in range(outcomes))
        out.append("</VARIABLE>")
    for n in order:
        parents = sorted(diagram.parents(n), key=node_key)
        kind = diagram.kind(n)
        size = (1 if kind is NodeKind.UTILITY else 2) * 2 ** len(parents)
        if size > _MAX_TABLE:
            raise SchemaError(f"node {n!r} has {len(parents)} parents; its BIFXML table "
                              "would be too large")
        out.append("<DEFINITION>")
        out.append(f"\t<FOR>{n}</FOR>")
        out.extend(f"\t<GIVEN>{p}</GIVEN>" for p in parents)
        if kind is NodeKind.CHANCE:
            out.append("\t<TABLE>" + " ".join(["0.5"] * size) + "</TABLE>")
        elif kind is NodeKind.UTILITY:
            out.append("\t<TABLE>" + " ".join(["0"] * size) + "</TABLE>")
        out.append("</DEFINITION>")
    out.extend(["</NETWORK>", "</BIF>"])
    return "\n".join(out) + "\n"
