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

from cidlib.diagram import InfluenceDiagram, NodeKind, node_key
from cidlib.exceptions import CidlibError, ParseError, SchemaError

__all__ = ["dumps_bifxml", "loads_bifxml", "loads_dagitty", "loads_fastid"]

_MAX_TABLE = 1 << 20


def _build(nodes: dict[Hashable, None], edges: list[tuple[Hashable, Hashable]],
           kinds: dict[Hashable, str], source: str, **extra: object) -> InfluenceDiagram:
    try:
        return InfluenceDiagram(list(nodes), edges, kinds=kinds,
                                owners=dict.fromkeys(kinds, 0), agents=[0],
                                **extra)  # type: ignore[arg-type]
    except CidlibError as err:
        raise ParseError(str(err), source, 1, 1) from None


# -- fastID --------------------------------------------------------------------------------

_FAST = re.compile(r"\s*(?:(?P<arrow>->|<-)|(?P<sep>;)|(?P<node>[*$]?[A-Za-z_0-9]+)"
                   r"(?P<domain>\[[^\]]*\]|\{[^}]*\})?|(?P<bad>\S))")


def loads_fastid(  # noqa: PLR0912 -- one branch per kind of token
    text: str, source: str = "<fastID>"
) -> InfluenceDiagram:
    """Read pyAgrum's fastID syntax.

    Examples
    --------
    >>> d = loads_fastid("A->*D->$U<-A")
    >>> sorted(d.edges), sorted(d.decisions), sorted(d.utilities)
    ([('A', 'D'), ('A', 'U'), ('D', 'U')], ['D'], ['U'])
    """
    nodes: dict[Hashable, None] = {}
    kinds: dict[Hashable, str] = {}
    edges: list[tuple[Hashable, Hashable]] = []
    for number, line in enumerate(text.splitlines() or [""], start=1):
        prev: str | None = None
        arrow: str | None = None
        pos = 0
        while pos < len(line):
            m = _FAST.match(line, pos)
            if m is None or m.end() == pos:
                break
            col = m.start(m.lastgroup or "bad") + 1
            pos = m.end()
            if m.group("bad"):
                raise ParseError(f"unexpected character {m.group('bad')!r}", source, number, col)
            if m.group("sep"):
                if arrow:
                    raise ParseError("an arrow needs a node after it", source, number, col)
                prev = None
                continue
            if m.group("arrow"):
                if prev is None or arrow:
                    raise ParseError("an arrow needs a node before it", source, number, col)
                arrow = m.group("arrow")
                continue
            token = m.group("node")
            name = token.lstrip("*$")
            if token[0] in "*$":
                kind = NodeKind.DECISION.value if token[0] == "*" else NodeKind.UTILITY.value
                if kinds.get(name, kind) != kind:
                    raise ParseError(f"{name!r} is marked both decision and utility", source,
                                     number, col)
                kinds[name] = kind
            nodes.setdefault(name)
            if arrow and prev is not None:
                edges.append((prev, name) if arrow == "->" else (name, prev))
            elif prev is not None:
                raise ParseError("expected -> or <- between nodes", source, number, col)
            prev, arrow = name, None
        if arrow:
            raise ParseError("an arrow needs a node after it", source, number, len(line) + 1)
    if not nodes:
        raise ParseError("no nodes found", source, 1, 1)
    return _build(nodes, edges, kinds, source)


# -- DAGitty ------------------------------------------------------------------------------

_DAG = re.compile(r'\s*(?:(?P<op><->|->|<-|--)|(?P<punct>[{}\[\];,=])'
                  r'|(?P<string>"(?:[^"\\]|\\.)*")|(?P<name>[A-Za-z0-9_.]+)|(?P<bad>\S))')


def _dag_tokens(text: str, source: str) -> list[tuple[str, str, int, int]]:
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
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


def loads_dagitty(
    text: str, source: str = "<dagitty>"
) -> InfluenceDiagram:
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
    nodes: dict[Hashable, None] = {}
    kinds: dict[Hashable, str] = {}
    positions: dict[Hashable, tuple[float, float]] = {}
    edges: list[tuple[Hashable, Hashable]] = []
    i = 0
    prev: str | None = None
    while i < len(body):
        kind, value, line, col = body[i]
        if kind in ("name", "string"):
            name = value[1:-1] if kind == "string" else value
            nodes.setdefault(name)
            if i > 0 and body[i - 1][0] == "op" and prev is not None:
                op = body[i - 1][1]
                edges.append((prev, name) if op == "->" else (name, prev))
            prev = name
            i += 1
        elif kind == "op":
            if value in ("<->", "--"):
                raise ParseError(f"{value!r} edges have no meaning in an influence diagram; "
                                 "use -> or <-", source, line, col)
            if prev is None or i + 1 >= len(body) or body[i + 1][0] not in ("name", "string"):
                raise ParseError(f"{value} needs a node on both sides", source, line, col)
            i += 1
        elif value == "[":
            if prev is None:
                raise ParseError("attributes need a node before them", source, line, col)
            i = _dag_attributes(body, i + 1, node=prev, kinds=kinds, positions=positions,
                                source=source)
        elif value in ("\n", ";"):
            prev = None
            i += 1
        else:
            raise ParseError(f"unexpected {value!r}", source, line, col)
    return _build(nodes, edges, kinds, source, positions=positions)


def _dag_attributes(body: list[tuple[str, str, int, int]], i: int, *, node: str,
                    kinds: dict[Hashable, str], positions: dict[Hashable, tuple[float, float]],
                    source: str) -> int:
    while i < len(body) and body[i][1] != "]":
        _, value, line, col = body[i]
        if value == "exposure":
            kinds[node] = NodeKind.DECISION.value
        elif value == "outcome":
            kinds[node] = NodeKind.UTILITY.value
        elif value == "pos" and i + 2 < len(body) and body[i + 1][1] == "=":
            raw = body[i + 2][1].strip('"')
            try:
                x, y = (float(v) for v in raw.split(","))
            except ValueError:
                raise ParseError(f"pos must be \"x,y\", found {raw!r}", source, line,
                                 col) from None
            if not all(map(_finite, (x, y))):
                raise ParseError("pos must be finite", source, line, col)
            positions[node] = (x, -y)  # DAGitty's y grows downwards
            i += 2
        i += 1
    if i >= len(body):
        raise ParseError("unclosed [", source, body[-1][2] if body else 1, 1)
    return i + 1


def _finite(x: float) -> bool:
    return math.isfinite(x)


# -- BIFXML --------------------------------------------------------------------------------

_TYPES = {"nature": NodeKind.CHANCE, "decision": NodeKind.DECISION, "utility": NodeKind.UTILITY}


def loads_bifxml(  # noqa: PLR0912 -- one branch per element and property
    text: str, source: str = "<bifxml>"
) -> InfluenceDiagram:
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
    nodes: dict[Hashable, None] = {}
    kinds: dict[Hashable, str] = {}
    labels: dict[Hashable, str] = {}
    positions: dict[Hashable, tuple[float, float]] = {}
    for i, var in enumerate(network.findall("VARIABLE"), start=1):
        name = (var.findtext("NAME") or "").strip()
        kind = _TYPES.get(var.get("TYPE", "nature"))
        if not name or kind is None:
            raise ParseError(f"VARIABLE #{i} needs a NAME and a TYPE of nature, decision or "
                             "utility", source, 1, 1)
        nodes[name] = None
        if kind is not NodeKind.CHANCE:
            kinds[name] = kind.value
        for prop in var.findall("PROPERTY"):
            key, _, value = (prop.text or "").partition("=")
            value = value.strip()
            if key.strip() == "description" and value and value != name:
                labels[name] = value
            m = re.fullmatch(r"\(\s*([-+.\deE]+)\s*,\s*([-+.\deE]+)\s*\)", value)
            if key.strip() == "position" and m:
                x, y = float(m.group(1)), float(m.group(2))
                if _finite(x) and _finite(y):
                    positions[name] = (x / 100, -y / 100)  # pyAgrum's pixels, y downwards
    edges: list[tuple[Hashable, Hashable]] = []
    for definition in network.findall("DEFINITION"):
        child = (definition.findtext("FOR") or "").strip()
        for given in definition.findall("GIVEN"):
            parent = (given.text or "").strip()
            for n in (child, parent):
                if n not in nodes:
                    raise ParseError(f"DEFINITION refers to undeclared variable {n!r}",
                                     source, 1, 1)
            edges.append((parent, child))
    return _build(nodes, edges, kinds, source, labels=labels, positions=positions)


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
            raise SchemaError(f"node {n!r} is not a BIFXML name (letters, digits and _); "
                              "relabel it first")
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
