from __future__ import annotations

import json
from pathlib import Path

import pytest

import cidlib
from cidlib.exceptions import (
    AgentError,
    CycleError,
    SchemaError,
    SelfLoopError,
    UtilityChildError,
)


def _doc() -> dict:  # type: ignore[type-arg]
    return {
        "schema": "cidlib.diagram",
        "version": 1,
        "agents": [0],
        "nodes": [
            {"name": "S", "kind": "chance", "label": "State", "position": [0, 1]},
            {"name": "D", "kind": "decision", "agent": 0},
            {"name": "U", "kind": "utility", "agent": 0},
        ],
        "edges": [["S", "D"], ["S", "U"], ["D", "U"]],
    }


def test_documented_example_parses() -> None:
    d = cidlib.InfluenceDiagram.from_dict(_doc())
    assert d == cidlib.CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"],
                           utilities=["U"], labels={"S": "State"}, positions={"S": (0, 1)})


def test_to_dict_is_sorted_and_exact() -> None:
    d = cidlib.InfluenceDiagram.from_dict(_doc())
    out = d.to_dict()
    assert out["nodes"][0] == {"name": "D", "kind": "decision", "agent": 0}
    assert out["edges"] == [["D", "U"], ["S", "D"], ["S", "U"]]
    assert out["nodes"][1]["position"] == [0.0, 1.0]
    assert json.loads(json.dumps(out)) == out


def test_tuple_and_int_names_round_trip() -> None:
    d = cidlib.MACID([(("X", 1), 7), (7, "U")],
                     agents={("a", 1): {"decisions": [7], "utilities": ["U"]}})
    doc = d.to_dict()
    assert doc["agents"] == [["a", 1]]
    assert cidlib.InfluenceDiagram.from_json(d.to_json()) == d


def test_unserialisable_name_is_a_clear_error() -> None:
    d = cidlib.CID([(1.5, "U")], decisions=[], utilities=["U"])
    with pytest.raises(SchemaError, match=r"node 1\.5 has type float"):
        d.to_dict()


def _broken(path: str, value: object) -> dict:  # type: ignore[type-arg]
    doc = _doc()
    target: object = doc
    keys = path.split(".")
    for k in keys[:-1]:
        target = target[int(k)] if isinstance(target, list) else target[k]  # type: ignore[index]
    last = keys[-1]
    if value is KeyError:
        del target[last]  # type: ignore[attr-defined]
    elif isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value  # type: ignore[index]
    return doc


@pytest.mark.parametrize(
    ("doc", "error", "needle"),
    [
        ([], SchemaError, "$: expected a JSON object"),
        (_broken("schema", "other"), SchemaError, "$.schema"),
        (_broken("version", 2), SchemaError, "$.version: unknown schema version 2"),
        (_broken("version", True), SchemaError, "$.version"),
        (_broken("edges", KeyError), SchemaError, "missing key 'edges'"),
        (_broken("extra", 1), SchemaError, "unknown key(s) ['extra']"),
        (_broken("nodes", {}), SchemaError, "$.nodes: expected an array"),
        (_broken("nodes.1", "D"), SchemaError, "$.nodes[1]: expected an object"),
        (_broken("nodes.1.kind", "decison"), SchemaError, "$.nodes[1].kind: unknown kind"),
        (_broken("nodes.1.kind", []), SchemaError, "$.nodes[1].kind: unknown kind []"),
        (_broken("nodes.0.position", [float("nan"), 0]), SchemaError,
         "$.nodes[0].position: expected finite numbers"),
        (_broken("nodes.1.kind", KeyError), SchemaError, "$.nodes[1]: a node needs"),
        (_broken("nodes.1.agent", KeyError), AgentError, "$.nodes[1]: decision node 'D'"),
        (_broken("nodes.0.agent", 1), AgentError, "$.nodes[0].agent: chance node 'S'"),
        (_broken("nodes.0.name", 1.5), SchemaError, "$.nodes[0].name"),
        (_broken("nodes.0.name", "D"), SchemaError, "already declared at $.nodes[0]"),
        (_broken("nodes.0.label", 3), SchemaError, "$.nodes[0].label: expected a string"),
        (_broken("nodes.0.position", [1]), SchemaError, "$.nodes[0].position"),
        (_broken("nodes.0.position", [1, "a"]), SchemaError, "$.nodes[0].position"),
        (_broken("nodes.0.colour", "red"), SchemaError, "$.nodes[0]: unknown key(s) ['colour']"),
        (_broken("edges.0", ["S"]), SchemaError, "$.edges[0]: expected [parent, child]"),
        (_broken("edges.0", ["S", "Q"]), SchemaError, "$.edges[0]: node 'Q' is not declared"),
        (_broken("edges.0", ["S", "S"]), SelfLoopError, "$.edges[0]: self-loop on 'S'"),
        (_broken("edges.0", ["U", "S"]), UtilityChildError, "$.edges[0]: utility node 'U'"),
        (_broken("edges.2", ["D", "S"]), CycleError, "$.edges: the edges contain a directed cycle"),
        (_broken("agents", "0"), SchemaError, "$.agents: expected an array"),
    ],
)
def test_malformed_documents(doc, error, needle) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error) as info:
        cidlib.InfluenceDiagram.from_dict(doc)
    assert needle in str(info.value)


def test_invalid_json_text_names_line_and_column() -> None:
    with pytest.raises(SchemaError, match="line 2, column 1"):
        cidlib.InfluenceDiagram.from_json('{"schema":\n}')


def test_deeply_nested_json_is_a_clear_error() -> None:
    with pytest.raises(SchemaError):
        cidlib.InfluenceDiagram.from_json("[" * 100000 + "]" * 100000)


def test_files(tmp_path: Path) -> None:
    d = cidlib.InfluenceDiagram.from_dict(_doc())
    path = tmp_path / "d.json"
    cidlib.save_json(d, path)
    assert cidlib.load_json(path) == d
    path.write_text('{"schema": "nope"}')
    with pytest.raises(SchemaError, match=r"d\.json: \$: missing key"):
        cidlib.load_json(path)


def test_from_dict_does_not_mutate_document() -> None:
    doc = _doc()
    snapshot = json.dumps(doc)
    cidlib.InfluenceDiagram.from_dict(doc)
    assert json.dumps(doc) == snapshot
