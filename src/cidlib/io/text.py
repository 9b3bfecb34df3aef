r"""The cidlib text format (``.cid``): diagrams that are pleasant to write by hand.

Example::

    # The content recommender (Everitt et al. 2021, Fig. 4a)
    decision P "Posts to show"
    utility C "Clicks"
    chance O "Original user opinions" at 0, 0
    O -> M -> P -> I -> C    # an edge chain
    O -> I
    P -> C

Grammar (one statement per line; ``#`` starts a comment; blank lines are ignored)::

    statement := agent | node | chain
    agent     := "agent" NAME
    node      := KIND NAME [STRING] ["agent" NAME] ["at" NUMBER "," NUMBER]
    KIND      := "chance" | "decision" | "utility"
    chain     := NAME ("->" NAME)+
    NAME      := identifier | integer | STRING
    STRING    := '"' characters, with \\" and \\\\ escaped '"'

An identifier is a letter or ``_`` followed by letters, digits, ``_``, ``.`` or ``'``; an
integer names an integer node (``3`` and ``"3"`` differ). Nodes that appear only in edges
are chance nodes. A decision or utility without ``agent`` belongs to agent ``0``; ``agent``
lines declare agents, including ones that own no node. Every error names the line and
column. :func:`dumps` writes a diagram back so that :func:`loads` rebuilds it exactly.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable
from dataclasses import dataclass
from itertools import pairwise

from cidlib.core.diagram import InfluenceDiagram, NodeKind
from cidlib.core.names import node_key
from cidlib.exceptions import ParseError, SchemaError
from cidlib.io.builder import DiagramBuilder

__all__ = ["dumps", "loads"]

_TOKEN = re.compile(
    r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<arrow>->)|(?P<comma>,)'
    r"|(?P<number>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)"
    r"|(?P<ident>[A-Za-z_][A-Za-z0-9_.']*)|(?P<bad>\S))"
)
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_.']*\Z")
_KEYWORDS = {"agent", "at", "chance", "decision", "utility"}
_KINDS = {kind.value: kind for kind in NodeKind}


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    column: int


def _tokens(line: str, number: int, source: str) -> list[_Token]:
    out = []
    text = line.split("#", 1)[0] if '"' not in line else _strip_comment(line)
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            break
        kind = match.lastgroup or "bad"
        value = match.group(kind)
        column = match.start(kind) + 1
        if kind == "bad":
            hint = " (unterminated string?)" if value == '"' else ""
            raise ParseError(f"unexpected character {value!r}{hint}", source, number, column)
        out.append(_Token(kind, value, column))
        pos = match.end()
    return out


def _strip_comment(line: str) -> str:
    """Cut a comment, but not a ``#`` inside a string."""
    quoted = False
    escaped = False
    for i, c in enumerate(line):
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = quoted
        elif c == '"':
            quoted = not quoted
        elif c == "#" and not quoted:
            return line[:i]
    return line


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text[1:-1])


class _Reader:
    def __init__(self, source: str) -> None:
        self.out = DiagramBuilder(source)
        self.error = self.out.error
        self.declared: dict[Hashable, tuple[int, int]] = {}

    def name(self, tok: _Token, line: int) -> Hashable:
        if tok.kind == "string":
            value: Hashable = _unquote(tok.text)
        elif tok.kind == "ident" and tok.text not in _KEYWORDS:
            value = tok.text
        elif tok.kind == "number" and re.fullmatch(r"[-+]?\d+", tok.text):
            try:
                value = int(tok.text)
            except ValueError:  # more digits than Python converts (4300)
                raise self.error("integer name too long", line, tok.column) from None
            if str(value) != tok.text:  # 007 and +7 would silently be the node 7
                raise self.error(f"{tok.text} is not how the integer {value} is written: write "
                                 f'{value}, or "{tok.text}" (quoted) for a text name', line,
                                 tok.column)
        else:
            raise self.error(f"expected a node name, found {tok.text!r}", line, tok.column)
        if isinstance(value, str) and not value.strip():
            raise self.error("a name cannot be empty or blank", line, tok.column)
        return value

    def number(self, toks: list[_Token], i: int, line: int) -> float:
        if i >= len(toks) or toks[i].kind != "number":
            col = toks[i].column if i < len(toks) else toks[-1].column + len(toks[-1].text)
            raise self.error("expected a number", line, col)
        value = float(toks[i].text)
        if not math.isfinite(value):
            raise self.error("expected a finite number", line, toks[i].column)
        return value

    def statement(self, toks: list[_Token], line: int) -> None:
        head = toks[0]
        if head.kind == "ident" and head.text == "agent":
            if len(toks) != 2:
                raise self.error("write: agent NAME", line, head.column)
            self.out.agents.append(self.name(toks[1], line))
        elif head.kind == "ident" and head.text in _KINDS:
            self.node(toks, line)
        elif len(toks) >= 3 and toks[1].kind == "arrow":
            self.chain(toks, line)
        else:
            hint = ("; did you mean 'decision'?" if head.text.lower().startswith("dec")
                    else "")
            raise self.error(
                f"expected 'agent', 'chance', 'decision', 'utility' or an edge chain "
                f"A -> B, found {head.text!r}{hint}", line, head.column)

    def node(self, toks: list[_Token], line: int) -> None:
        if len(toks) < 2:
            raise self.error(f"write: {toks[0].text} NAME", line, toks[0].column)
        name = self.name(toks[1], line)
        if name in self.declared:
            prev = self.declared[name]
            raise self.error(f"node {name!r} is already declared on line {prev[0]}", line,
                             toks[1].column)
        self.declared[name] = (line, toks[1].column)
        self.out.nodes[name] = None
        self.out.mark(name, NodeKind(toks[0].text), line, toks[1].column)
        i = 2
        if i < len(toks) and toks[i].kind == "string":
            self.out.labels[name] = _unquote(toks[i].text)
            i += 1
        if i < len(toks) and toks[i].text == "agent":
            if toks[0].text == NodeKind.CHANCE:
                raise self.error("a chance node has no agent", line, toks[i].column)
            if i + 1 >= len(toks):
                raise self.error("expected an agent name", line, toks[i].column)
            self.out.owners[name] = self.name(toks[i + 1], line)
            i += 2
        if i < len(toks) and toks[i].text == "at":
            x = self.number(toks, i + 1, line)
            if i + 2 >= len(toks) or toks[i + 2].kind != "comma":
                raise self.error("write the position as: at X, Y", line, toks[i].column)
            self.out.positions[name] = (x, self.number(toks, i + 3, line))
            i += 4
        if i < len(toks):
            raise self.error(f"unexpected {toks[i].text!r}", line, toks[i].column)

    def plain_node(self, text: str, line: int) -> bool:
        """Read ``KIND NAME`` (no label, agent or position) without tokens, else False."""
        if '"' in text or "#" in text:
            return False
        words = text.split()
        if len(words) != 2 or words[0] not in _KINDS:
            return False
        name = words[1]
        if not _IDENT.match(name) or name in _KEYWORDS or name in self.declared:
            return False  # the general reader reads it, or reports the duplicate
        column = text.index(name, text.index(words[0]) + len(words[0])) + 1
        self.declared[name] = (line, column)
        self.out.nodes[name] = None
        self.out.mark(name, _KINDS[words[0]], line, column)
        return True

    def plain_chain(self, text: str, line: int) -> bool:
        """Read ``A -> B -> C`` of plain identifiers without tokens; False for anything else.

        Most lines of a large file are such chains; the general tokenizer reads the rest
        (and reports their errors).
        """
        if '"' in text or "#" in text or "->" not in text:
            return False
        parts = text.split("->")
        names = [part.strip() for part in parts]
        if not all(_IDENT.match(name) and name not in _KEYWORDS for name in names):
            return False
        column = len(parts[0]) + 1  # of the first arrow
        for k in range(len(names) - 1):
            self.out.edge(names[k], names[k + 1], line, column)
            column += 2 + len(parts[k + 1])
        return True

    def chain(self, toks: list[_Token], line: int) -> None:
        names = [self.name(toks[0], line)]
        i = 1
        while i < len(toks):
            if toks[i].kind != "arrow" or i + 1 >= len(toks):
                raise self.error("expected -> NAME", line, toks[i].column)
            names.append(self.name(toks[i + 1], line))
            i += 2
        for k, (u, v) in enumerate(pairwise(names)):
            self.out.edge(u, v, line, toks[2 * k + 1].column)


def loads(text: str, source: str = "<text>") -> InfluenceDiagram:
    r"""Parse the text format; ``source`` names the input in error messages.

    Examples
    --------
    >>> d = loads('decision D\nutility U\nS -> D -> U\nS -> U')
    >>> sorted(d.edges), sorted(d.decisions)
    ([('D', 'U'), ('S', 'D'), ('S', 'U')], ['D'])
    >>> loads("decison D")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cidlib.exceptions.ParseError: <text>:1:1: expected 'agent', ..., found 'decison'; did ...
    """
    reader = _Reader(source)
    # only \n, \r\n and \r end a line (str.splitlines also splits at \x0c, \u2028, ...)
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        if reader.plain_chain(line, number) or reader.plain_node(line, number):
            continue
        toks = _tokens(line, number, source)
        if toks:
            reader.statement(toks, number)
    return reader.out.build()


def _quote(text: str) -> str:
    if "\n" in text or "\r" in text:
        raise SchemaError(f"{text!r} spans several lines; the text format holds one-line names "
                          "and labels (use JSON)")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _name(node: Hashable) -> str:
    if isinstance(node, int) and not isinstance(node, bool):
        try:
            return str(node)
        except ValueError:  # more digits than Python converts (4300)
            raise SchemaError("an integer name is too long for the text format") from None
    if isinstance(node, str):
        return node if _IDENT.match(node) and node not in _KEYWORDS else _quote(node)
    raise SchemaError(
        f"node {node!r} has type {type(node).__name__}; the text format holds strings and "
        "integers (use JSON, or relabel the diagram)"
    )


def _number(x: float) -> str:
    return repr(float(x))


def dumps(diagram: InfluenceDiagram) -> str:
    """Write ``diagram`` in the text format; :func:`loads` rebuilds it exactly.

    Examples
    --------
    >>> import cidlib
    >>> d = cidlib.CID([("S", "D"), ("D", "U")], decisions=["D"], utilities=["U"])
    >>> print(dumps(d), end="")
    agent 0
    chance S
    decision D
    utility U
    S -> D
    D -> U
    >>> loads(dumps(d)) == d
    True
    """
    lines = [f"agent {_name(a)}" for a in sorted(diagram.agents, key=node_key)]
    for node in diagram.topological_order():
        parts = [diagram.kind(node).value, _name(node)]
        if node in diagram.labels:
            parts.append(_quote(diagram.labels[node]))
        agent = diagram.agent_of(node)
        if agent is not None and agent != 0:
            parts.append(f"agent {_name(agent)}")
        if node in diagram.positions:
            x, y = diagram.positions[node]
            parts.append(f"at {_number(x)}, {_number(y)}")
        lines.append(" ".join(parts))
    order = {n: i for i, n in enumerate(diagram.topological_order())}
    for u, v in sorted(diagram.edges, key=lambda e: (order[e[1]], order[e[0]])):
        lines.append(f"{_name(u)} -> {_name(v)}")
    return "\n".join(lines) + "\n"
