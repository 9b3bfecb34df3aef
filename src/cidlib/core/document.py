"""The versioned JSON document of a diagram: pure data, no files.

A document is a JSON object::

    {
      "schema": "cidlib.diagram",
      "version": 1,
      "agents": [0],
      "nodes": [
        {"name": "S", "kind": "chance"},
        {"name": "D", "kind": "decision", "agent": 0, "label": "Decision", "position": [0, 1]},
        {"name": "U", "kind": "utility", "agent": 0}
      ],
      "edges": [["S", "D"], ["D", "U"], ["S", "U"]]
    }

Node names and agent ids are JSON strings or integers; a tuple name is written as a JSON
array of such values (nested arrays for nested tuples). ``label`` and ``position`` are
optional and kept for the renderer. Every node must be listed in ``nodes``; nodes, agents
and edges are written sorted, so equal diagrams give equal documents. Errors name the
location in the document, e.g. ``$.nodes[2].kind``. Parsing never evaluates code.

This module converts between documents and the constructor arguments of
:class:`~cidlib.InfluenceDiagram` (``nodes``, ``edges``, ``kinds``, ``owners``, ``agents``,
``labels``, ``positions``); :meth:`~cidlib.InfluenceDiagram.to_dict` and
:meth:`~cidlib.InfluenceDiagram.from_dict` use it, and :mod:`cidlib.io.files` reads and writes
the files.
"""

from __future__ import annotations

import json
import math
from collections.abc import Hashable, Mapping
from typing import Any

from cidlib.core.names import MAX_NESTING, brief, node_key
from cidlib.exceptions import (
    AgentError,
    SchemaError,
    SelfLoopError,
    UtilityChildError,
)

__all__: list[str] = []  # internal: InfluenceDiagram.to_dict/from_dict are the public form

SCHEMA_NAME = "cidlib.diagram"
SCHEMA_VERSION = 1
_NODE_KEYS = {"name", "kind", "agent", "label", "position"}
_KINDS = ("chance", "decision", "utility")


def _encode(name: Hashable, what: str) -> Any:
    if isinstance(name, str) or (isinstance(name, int) and not isinstance(name, bool)):
        return name
    if isinstance(name, tuple):
        return [_encode(x, what) for x in name]
    raise SchemaError(
        f"{what} {name!r} has type {type(name).__name__}, which JSON cannot hold exactly; "
        "use strings, integers or tuples of them (relabel the diagram first)"
    )


def _decode(value: Any, where: str, depth: int = 0) -> Hashable:
    if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, list) and depth < MAX_NESTING:
        return tuple(_decode(x, f"{where}[{i}]", depth + 1) for i, x in enumerate(value))
    if isinstance(value, list):
        raise SchemaError(f"{where}: the name nests arrays more than {MAX_NESTING} deep; use a "
                          "flatter name")
    raise SchemaError(
        f"{where}: {brief(value)} is not a valid name; use a string, an integer or an "
        "array of them"
    )


def to_document(spec: Mapping[str, Any]) -> dict[str, Any]:
    """Return the JSON-ready document of a diagram given by its constructor arguments.

    ``spec["kinds"]`` lists the decisions and utilities; every other node is a chance node.
    """
    kinds, owners = spec["kinds"], spec["owners"]
    labels, positions = spec["labels"], spec["positions"]
    nodes = []
    for n in sorted(spec["nodes"], key=node_key):
        entry: dict[str, Any] = {"name": _encode(n, "node"), "kind": str(kinds.get(n, "chance"))}
        if n in owners:
            entry["agent"] = _encode(owners[n], "agent")
        if n in labels:
            entry["label"] = labels[n]
        if n in positions:
            entry["position"] = list(positions[n])
        nodes.append(entry)
    edges = sorted(spec["edges"], key=lambda e: (node_key(e[0]), node_key(e[1])))
    return {
        "schema": SCHEMA_NAME,
        "version": SCHEMA_VERSION,
        "agents": [_encode(a, "agent") for a in sorted(spec["agents"], key=node_key)],
        "nodes": nodes,
        "edges": [[_encode(u, "node"), _encode(v, "node")] for u, v in edges],
    }


def _expect(value: Any, kind: type | tuple[type, ...], where: str, what: str) -> Any:
    if not isinstance(value, kind) or isinstance(value, bool):
        raise SchemaError(f"{where}: expected {what}, found {brief(value)}")
    return value


def _finite(number: float) -> bool:
    try:
        return math.isfinite(number)
    except OverflowError:  # an integer too large for a float
        return False


def _check_header(doc: object) -> Mapping[str, Any]:
    if not isinstance(doc, Mapping):
        raise SchemaError(f"$: expected a JSON object, found {brief(doc)}")
    for key in ("schema", "version", "nodes", "edges"):
        if key not in doc:
            raise SchemaError(f"$: missing key {key!r}; a diagram document needs "
                              "'schema', 'version', 'nodes' and 'edges'")
    unknown = set(doc) - {"schema", "version", "agents", "nodes", "edges"}
    if unknown:
        raise SchemaError(f"$: unknown key(s) {sorted(unknown)}")
    if doc["schema"] != SCHEMA_NAME:
        raise SchemaError(f"$.schema: expected {SCHEMA_NAME!r}, found {doc['schema']!r}")
    if doc["version"] != SCHEMA_VERSION or isinstance(doc["version"], bool):
        raise SchemaError(f"$.version: unknown schema version {doc['version']!r}; this cidlib "
                          f"reads version {SCHEMA_VERSION}")
    return doc


class _Spec:
    """The constructor arguments of a diagram, gathered while a document is read."""

    def __init__(self) -> None:
        self.where: dict[Hashable, str] = {}
        self.kinds: dict[Hashable, str] = {}
        self.owners: dict[Hashable, Hashable] = {}
        self.labels: dict[Hashable, str] = {}
        self.positions: dict[Hashable, tuple[float, float]] = {}
        self.edges: list[tuple[Hashable, Hashable]] = []

    def add_node(self, entry: Any, where: str) -> None:
        _expect(entry, Mapping, where, "an object with 'name' and 'kind'")
        if "name" not in entry or "kind" not in entry:
            raise SchemaError(f"{where}: a node needs 'name' and 'kind'")
        if set(entry) - _NODE_KEYS:
            raise SchemaError(f"{where}: unknown key(s) {sorted(set(entry) - _NODE_KEYS)}")
        name = _decode(entry["name"], f"{where}.name")
        if name in self.where:
            raise SchemaError(
                f"{where}.name: node {name!r} is already declared at {self.where[name]}"
            )
        self.where[name] = where
        kind = entry["kind"]
        if not isinstance(kind, str) or kind not in _KINDS:
            raise SchemaError(f"{where}.kind: unknown kind {kind!r}; use 'chance', 'decision' "
                              "or 'utility'")
        self.kinds[name] = kind
        if "agent" in entry:
            if kind == "chance":
                raise AgentError(f"{where}.agent: chance node {name!r} cannot have an agent")
            self.owners[name] = _decode(entry["agent"], f"{where}.agent")
        elif kind != "chance":
            raise AgentError(f"{where}: {kind} node {name!r} has no 'agent'; add one")
        if "label" in entry:
            self.labels[name] = _expect(entry["label"], str, f"{where}.label", "a string")
        if "position" in entry:
            pos = _expect(entry["position"], list, f"{where}.position", "an array [x, y]")
            if len(pos) != 2:
                raise SchemaError(f"{where}.position: expected [x, y], found {brief(pos)}")
            x, y = (_expect(c, (int, float), f"{where}.position", "numbers") for c in pos)
            if not (_finite(x) and _finite(y)):
                raise SchemaError(f"{where}.position: expected finite numbers, found "
                                  f"{brief(pos)}")
            self.positions[name] = (float(x), float(y))

    def add_edge(self, pair: Any, index: int) -> None:
        where = f"$.edges[{index}]"
        if not isinstance(pair, list) or len(pair) != 2:
            raise SchemaError(f"{where}: expected [parent, child], found "
                              f"{brief(pair)}")
        u, v = pair
        if type(u) is not str:  # the common case, a string, needs no decoding
            u = _decode(u, f"{where}[0]")
        if type(v) is not str:
            v = _decode(v, f"{where}[1]")
        for n in (u, v):
            if n not in self.where:
                raise SchemaError(f"{where}: node {n!r} is not declared in $.nodes; add it there")
        if u == v:
            raise SelfLoopError(f"{where}: self-loop on {u!r}; a node cannot be its own parent",
                                (u, u))
        if self.kinds[u] == "utility":
            raise UtilityChildError(f"{where}: utility node {u!r} has child {v!r}; utilities "
                                    "must be sinks")
        self.edges.append((u, v))


def from_document(doc: object) -> dict[str, Any]:
    """Return the constructor arguments of the diagram a document describes.

    Errors name the location in the document; the diagram's own checks (a cycle, say) are
    left to the constructor.
    """
    doc = _check_header(doc)
    raw_agents = _expect(doc.get("agents", []), list, "$.agents", "an array")
    agents = [_decode(a, f"$.agents[{i}]") for i, a in enumerate(raw_agents)]
    spec = _Spec()
    for i, entry in enumerate(_expect(doc["nodes"], list, "$.nodes", "an array")):
        spec.add_node(entry, f"$.nodes[{i}]")
    declared, kinds, edges = spec.where, spec.kinds, spec.edges
    for i, pair in enumerate(_expect(doc["edges"], list, "$.edges", "an array")):
        # the common case inline: two declared string names, no self-loop, no utility parent
        if type(pair) is list and len(pair) == 2:
            u, v = pair
            if (type(u) is str and type(v) is str and u in declared and v in declared
                    and u != v and kinds[u] != "utility"):
                edges.append((u, v))
                continue
        spec.add_edge(pair, i)  # everything else, with the error that names the place
    return {"nodes": list(spec.where), "edges": spec.edges, "kinds": spec.kinds,
            "owners": spec.owners, "agents": agents, "labels": spec.labels,
            "positions": spec.positions}


def parse_json(text: str | bytes) -> Any:
    """Parse JSON text, raising :class:`~cidlib.exceptions.SchemaError` when it is not JSON."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise SchemaError(
            f"line {err.lineno}, column {err.colno}: invalid JSON: {err.msg}"
        ) from None
    except RecursionError:
        raise SchemaError("$: the document is nested too deeply") from None
    except ValueError as err:  # e.g. an integer of more than 4300 digits
        raise SchemaError(f"invalid JSON: {err}") from None
