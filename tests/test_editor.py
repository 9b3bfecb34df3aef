"""The editor of ``cidlib edit``: its session (edits through the model), its server (token,
host, origin, malformed requests) and a fuzz run of 1,000 random requests through its API.

The page itself is driven in a real browser in tests/test_browser.py.
"""

from __future__ import annotations

import errno
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import cidlib
from cidlib.exceptions import CidlibError, CycleError, FormatError, UtilityChildError
from cidlib.io.files import read_diagram, write_diagram
from cidlib.web.server import EditorServer
from cidlib.web.session import EditSession

EXAMPLES = Path(__file__).parent.parent / "examples" / "diagrams"


@pytest.fixture
def rec(tmp_path: Path) -> Path:
    path = tmp_path / "rec.cid"
    shutil.copy(EXAMPLES / "recommender.cid", path)
    return path


# -- the session: edits through the model -------------------------------------------------------

def test_every_edit_is_the_models_own_transformation(rec: Path) -> None:
    session = EditSession(rec)
    d = read_diagram(rec)
    steps: list[tuple[dict[str, Any], cidlib.InfluenceDiagram]] = [
        ({"op": "add_node", "name": "X"}, d.add_nodes(["X"])),
        ({"op": "add_edge", "from": "X", "to": "I"}, d.add_nodes(["X"]).add_edges([("X", "I")])),
    ]
    expected = steps[-1][1]
    for request, want in steps:
        session.apply(request)
        assert session.diagram == want
    more: list[tuple[dict[str, Any], cidlib.InfluenceDiagram]] = [
        ({"op": "kind", "node": "X", "kind": "decision"}, expected.with_kind("X", "decision")),
        ({"op": "rename", "node": "X", "to": "Y"}, expected.relabel({"X": "Y"})),
        ({"op": "label", "node": "I", "label": "Opinions"},
         expected.with_labels({"I": "Opinions"})),
        ({"op": "remove_edge", "from": "P", "to": "C"}, expected.remove_edges([("P", "C")])),
        ({"op": "move", "positions": [["O", 1, 2.5]]}, expected.with_positions({"O": (1, 2.5)})),
        ({"op": "remove_node", "node": "M"}, expected.remove_nodes(["M"])),
    ]
    for request, want in more:
        session.apply(request)
        assert session.diagram == want
        session.undo()
        assert session.diagram == expected
    session.apply({"op": "add_node", "name": "R", "kind": "utility", "agent": "1"})
    assert session.diagram.agent_of("R") == 1  # "1" typed in the page is the agent 1, as in .cid
    session.apply({"op": "label", "node": "O", "label": ""})
    assert "O" not in session.diagram.labels
    assert session.diagram.labels["I"] == "Influenced user opinions"


@pytest.mark.parametrize(("request_", "error", "message"), [
    ({"op": "add_edge", "from": "I", "to": "O"}, CycleError, "directed cycle 'I' -> 'O' -> 'I'"),
    ({"op": "add_edge", "from": "C", "to": "I"}, UtilityChildError, "utility node 'C' has child"),
    ({"op": "add_edge", "from": "Q", "to": "I"}, CidlibError, "'Q' is not a node"),
    ({"op": "add_node", "name": "O"}, CidlibError, "already in the diagram"),
    ({"op": "add_node", "name": "Z", "kind": "oracle"}, CidlibError, "oracle"),
    ({"op": "rename", "node": "O", "to": "M"}, CidlibError, "names must stay distinct"),
    ({"op": "remove_edge", "from": "O", "to": "C"}, CidlibError, "not in the diagram"),
    ({"op": "move", "positions": [["O", "left", 0]]}, CidlibError, "give [x, y]"),
    ({"op": "move", "positions": [["O", 1e300, 0]]}, CidlibError, "within"),
    ({"op": "move", "positions": [["O", 10**400, 0]]}, CidlibError, "within"),  # float() overflows
    ({"op": "add_node", "name": "Z", "at": [10**400, 1]}, CidlibError, "within"),
    ({"op": "add_node", "name": True}, CidlibError, "text or a whole number"),
    ({"op": "add_node", "name": "x" * 600}, CidlibError, "600 characters"),
    ({"op": "teleport"}, CidlibError, "unknown edit 'teleport'; use one of add_node"),
    ({"op": "add_edge", "from": "O"}, CidlibError, "the edit add_edge needs to"),
    ({"op": "add_edge", "from": "O", "to": "M", "via": "I"}, CidlibError, "has no field 'via'"),
    (["add_edge"], CidlibError, "an edit is a JSON object"),
    ({"op": "agent", "node": "O", "agent": 1}, CidlibError, "chance node, which no agent owns"),
])
def test_invalid_edits_are_refused_with_the_librarys_message_and_change_nothing(
        rec: Path, request_: Any, error: type[Exception], message: str) -> None:
    before = rec.read_bytes()
    session = EditSession(rec)
    with pytest.raises(error) as caught:
        session.apply(request_)
    assert message in str(caught.value)
    assert session.diagram == read_diagram(rec)
    assert not session.state()["undo"]
    assert not session.dirty
    assert rec.read_bytes() == before


def test_undo_redo_and_saving(rec: Path) -> None:
    session = EditSession(rec)
    session.apply({"op": "add_node", "name": "X"})
    assert session.dirty
    assert session.state()["undo"]
    session.undo()
    assert not session.dirty  # back where the file is
    session.redo()
    with pytest.raises(CidlibError, match="nothing to redo"):
        session.redo()
    assert rec.read_text() == (EXAMPLES / "recommender.cid").read_text()  # nothing written yet
    session.save()
    assert read_diagram(rec) == session.diagram
    assert not session.dirty
    assert sorted(p.name for p in rec.parent.iterdir()) == ["rec.cid"]  # no temporary left
    rec.write_text(rec.read_text() + "chance Extra\n")  # someone else edits the file
    session.apply({"op": "add_node", "name": "Y"})
    with pytest.raises(CidlibError, match="changed on disk since the editor read it"):
        session.save()
    assert "Extra" in rec.read_text()
    session.save(force=True)
    assert read_diagram(rec) == session.diagram


def test_a_new_file_and_formats_that_would_lose_information(tmp_path: Path) -> None:
    session = EditSession(tmp_path / "new.json")
    assert len(session.diagram) == 0
    assert not session.dirty
    session.apply({"op": "add_node", "name": "D", "kind": "decision"})
    session.apply({"op": "add_node", "name": "U", "kind": "utility"})
    session.apply({"op": "add_edge", "from": "D", "to": "U"})
    session.save()
    assert read_diagram(tmp_path / "new.json") == cidlib.CID([("D", "U")], decisions=["D"],
                                                              utilities=["U"])
    write_diagram(cidlib.CID([("D", "U")], decisions=["D"], utilities=["U"]),
                  tmp_path / "d.dagitty")
    with pytest.raises(FormatError, match=r"\.cid and \.json.*cidlib convert"):
        EditSession(tmp_path / "d.dagitty")


def test_a_new_file_in_a_missing_folder_is_refused_at_the_start(tmp_path: Path) -> None:
    with pytest.raises(CidlibError, match=r"the folder .*nodir does not exist"):
        EditSession(tmp_path / "nodir" / "x.cid")


def test_a_save_the_system_refuses_is_the_librarys_error_and_keeps_the_edits(
        tmp_path: Path) -> None:
    folder = tmp_path / "sub"
    folder.mkdir()
    session = EditSession(folder / "x.cid")
    session.apply({"op": "add_node", "name": "A"})
    folder.rmdir()  # the folder went away while the editor ran
    reason = re.escape(os.strerror(errno.ENOENT))
    with pytest.raises(CidlibError, match=rf"x\.cid: cannot save: {reason}"):
        session.save()
    assert session.dirty
    assert "A" in session.diagram


def test_exports_use_the_pages_layout(rec: Path) -> None:
    session = EditSession(rec)
    name, tex = session.export("tikz", "P")
    assert name == "rec.tex"
    assert "% ICI on I" in tex
    assert session.export("json")[1] == session.diagram.to_json() + "\n"
    assert 'pos="' in session.export("dot")[1]
    with pytest.raises(CidlibError, match="cannot export as 'pdf'"):
        session.export("pdf")
    with pytest.raises(CidlibError, match="not a decision"):
        session.export("tikz", "O")


# -- the server ----------------------------------------------------------------------------------

@pytest.fixture
def server(rec: Path) -> Iterator[EditorServer]:
    running = EditorServer(EditSession(rec))
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    yield running
    running.shutdown()
    running.server_close()


def call(url: str, body: object = None, *, raw: bytes | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    request = urllib.request.Request(url, data=data, headers={
        "Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            status, text = answer.status, answer.read()
    except urllib.error.HTTPError as err:
        status, text = err.code, err.read()
    return status, json.loads(text)


def test_the_server_refuses_requests_without_the_token(server: EditorServer) -> None:
    base = f"http://127.0.0.1:{server.server_port}/"
    for path in ("", "api/state", "wrong-token/", f"{server.token}x/api/state"):
        status, doc = call(base + path)
        assert status == 403
        assert "token" in doc["error"]
    status, doc = call(base + "nope/api/edit", {"op": "add_node", "name": "X"})
    assert status == 403
    assert "X" not in server.session.diagram
    status, doc = call(server.url + "api/state")
    assert status == 200
    assert doc["ok"]
    assert doc["svg"].startswith("<svg")


def test_the_server_checks_host_origin_and_body(server: EditorServer) -> None:
    edit = server.url + "api/edit"
    status, doc = call(edit, {"op": "add_node", "name": "X"},
                       headers={"Host": f"evil.example:{server.server_port}"})
    assert status == 403
    assert "127.0.0.1" in doc["error"]
    status, doc = call(edit, {"op": "add_node", "name": "X"},
                       headers={"Origin": "http://evil.example"})
    assert status == 403
    assert "evil.example" in doc["error"]
    status, doc = call(edit, raw=b"{not json")
    assert status == 400
    assert doc["error"].startswith("the request is not JSON")
    status, doc = call(edit, raw=b"{}", headers={"Content-Type": "text/plain"})
    assert status == 400
    assert "application/json" in doc["error"]
    status, doc = call(server.url + "api/teleport")
    assert status == 404
    status, doc = call(server.url + "api/edit")  # a GET
    assert status == 405
    status, doc = call(edit, {"op": "add_edge", "from": "I", "to": "O"})
    assert status == 200
    assert not doc["ok"]
    assert "directed cycle" in doc["error"]
    assert "X" not in server.session.diagram
    with urllib.request.urlopen(server.url, timeout=30) as page:
        assert "default-src 'none'" in page.headers["Content-Security-Policy"]
        assert page.headers["Cache-Control"] == "no-store"
        assert b"cidlib-editor" in page.read()


def test_a_position_too_large_for_a_float_is_a_refused_edit(
        server: EditorServer, rec: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = rec.read_bytes()
    status, doc = call(server.url + "api/edit", raw=b'{"op": "add_node", "name": "A", "at": [1'
                       + b"0" * 400 + b', 1]}')
    assert status == 200
    assert not doc["ok"]
    assert "within +-100000" in doc["error"]
    assert "A" not in server.session.diagram
    assert rec.read_bytes() == before
    assert "internal error" not in capsys.readouterr().err


def test_a_save_the_system_refuses_is_answered_with_its_reason(
        server: EditorServer, rec: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    def refuse(diagram: object, path: str) -> None:  # a folder this user cannot write to
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)

    monkeypatch.setattr("cidlib.web.session.write_diagram", refuse)
    before = rec.read_bytes()
    call(server.url + "api/edit", {"op": "add_node", "name": "X"})
    status, doc = call(server.url + "api/save", {})
    assert status == 200  # the library's error, not the Origin refusal (403) or a bug (500)
    assert not doc["ok"]
    assert doc["error"].startswith(f"{rec}: cannot save: {os.strerror(errno.EACCES)}")
    assert "requests from" not in doc["error"]
    assert server.session.dirty
    assert rec.read_bytes() == before
    assert "internal error" not in capsys.readouterr().err


# -- fuzzing: 1,000 random requests --------------------------------------------------------------

NAMES: list[Any] = ["O", "M", "P", "I", "C", 7, "a b", "ü", ["t", 1], *(f"N{i}" for i in range(12))]
KINDS = ["chance"] * 6 + ["decision", "utility"] * 2 + ["oracle", 3, None]


def random_request(rnd: random.Random, nodes: list[Any],
                   edges: list[list[Any]]) -> tuple[str, bytes, str]:
    """A random request: (path, body, what it is); valid, invalid and malformed alike.

    Names are mostly the diagram's ``nodes``, else from a pool (new or gone), else junk;
    an edge to remove is often one of ``edges``.
    """
    def name(new: bool = False) -> Any:
        luck = rnd.random()
        if luck < 0.75 and nodes and not new:
            return rnd.choice(nodes)
        return rnd.choice(NAMES) if luck < 0.95 else rnd.choice(
            [None, True, 1.5, "", " ", {"a": 1}, [[[[["deep"]]]]], "x" * 700, -3])

    kind = rnd.random()
    if kind < 0.05:
        return "api/undo", b"{}", "undo"
    if kind < 0.08:
        return "api/redo", b"{}", "redo"
    if kind < 0.12:
        return "api/save", json.dumps({"force": rnd.random() < 0.5}).encode(), "save"
    if kind < 0.18:
        return "api/edit", rnd.choice([b"", b"{", b"[]", b"null", b"\xff\xfe", b'{"op": 1}',
                                       b'"add_node"', b"1e999"]), "garbage"
    op = rnd.choice(["add_node"] * 5 + ["remove_node"] + ["add_edge"] * 6 + ["remove_edge"] * 2
                    + ["kind"] * 2 + ["agent"] * 2 + ["rename", "label", "move", "teleport"])
    body: dict[str, Any] = {"op": op}
    if op == "add_node":
        body["name"] = name(new=True)
        if rnd.random() < 0.5:
            body["kind"] = rnd.choice(KINDS)
        if rnd.random() < 0.2:
            body["agent"] = rnd.choice([0, 1, "1", "two", None, [1]])
        if rnd.random() < 0.2:
            body["at"] = [rnd.uniform(-5, 5), rnd.choice([0, 1e9, "x", None])]
    elif op in ("remove_node", "kind", "rename", "label", "agent"):
        body["node"] = name()
        body.update({"kind": {"kind": rnd.choice(KINDS)}, "rename": {"to": name()},
                     "label": {"label": rnd.choice(["", "A label", 5, "<b>x</b>"])},
                     "agent": {"agent": rnd.choice([0, 1, "z"])}}.get(op, {}))
    elif op == "remove_edge" and edges and rnd.random() < 0.5:
        body["from"], body["to"] = rnd.choice(edges)
    elif op in ("add_edge", "remove_edge"):
        body["from"], body["to"] = name(), name()
    elif op == "move":
        body["positions"] = [[name(), rnd.uniform(-9, 9), rnd.uniform(-9, 9)]
                             for _ in range(rnd.randint(0, 3))]
    if rnd.random() < 0.05:
        body[rnd.choice(["extra", "op"])] = "surprise"
    return "api/edit", json.dumps(body).encode(), op


def test_a_thousand_random_requests(server: EditorServer, rec: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    rnd = random.Random(16)
    outcomes: dict[str, int] = {}
    for _ in range(1000):
        now = json.loads(server.session.diagram.to_json())  # names as JSON has them
        path, body, what = random_request(rnd, [n["name"] for n in now["nodes"]], now["edges"])
        before = rec.read_bytes()
        status, doc = call(server.url + path, raw=body)
        assert status in (200, 400), (what, body, doc)
        assert isinstance(doc.get("ok"), bool)
        assert (doc["ok"] or doc["error"])
        key = f"{what}:{'ok' if doc['ok'] else 'refused'}"
        outcomes[key] = outcomes.get(key, 0) + 1
        if what == "save" and doc["ok"]:
            assert read_diagram(rec) == server.session.diagram  # written whole
        else:
            assert rec.read_bytes() == before  # only a save writes the file
    assert read_diagram(rec) is not None
    assert sorted(p.name for p in rec.parent.iterdir()) == ["rec.cid"]
    assert "internal error" not in capsys.readouterr().err
    # the run reached every kind of edit, accepted and refused
    for op in ("add_node", "add_edge", "remove_node", "remove_edge", "kind", "rename", "label",
               "agent", "move", "save", "undo", "redo"):
        assert outcomes.get(f"{op}:ok", 0) >= 1, (op, outcomes)
    for op in ("add_node", "add_edge", "remove_node", "remove_edge", "kind", "rename", "label",
               "agent", "move", "redo"):
        assert outcomes.get(f"{op}:refused", 0) >= 1, (op, outcomes)
    assert outcomes["add_edge:ok"] > 50  # the diagram grew and changed: edits were real
    assert outcomes.get("garbage:refused", 0) > 30


# -- the command ---------------------------------------------------------------------------------

def test_cidlib_edit_serves_until_interrupted(rec: Path) -> None:
    command = subprocess.Popen([sys.executable, "-m", "cidlib", "edit", str(rec), "--no-browser"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert command.stdout is not None
        first = command.stdout.readline()
        url = re.search(r"at (http://127\.0\.0\.1:\d+/[\w-]+/)", first)
        assert url, first
        status, doc = call(url.group(1) + "api/edit", {"op": "add_node", "name": "X"})
        assert status == 200
        assert doc["state"]["dirty"]
    finally:
        command.send_signal(signal.SIGINT)
        _, err = command.communicate(timeout=30)
    assert command.returncode == 0
    assert "unsaved changes" in err  # it says so, and leaves the file as it was
    assert rec.read_text() == (EXAMPLES / "recommender.cid").read_text()


@pytest.mark.parametrize(("args", "message"), [
    (["edit", "design.dagitty"], "the editor writes .cid and .json files"),
    (["edit", "design.cid", "--port", "70000"], "--port 70000: give a port from 1 to 65535"),
    (["edit", "bad.cid"], "bad.cid:1:"),
    (["edit", "nodir/x.cid", "--no-browser"], "the folder nodir does not exist"),
])
def test_cidlib_edit_fails_early_with_one_line(tmp_path: Path, args: list[str],
                                               message: str) -> None:
    (tmp_path / "bad.cid").write_text("decision -> ->\n")
    out = subprocess.run([sys.executable, "-m", "cidlib", *args], capture_output=True,
                         text=True, check=False, timeout=60, cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr.startswith("cidlib: error: ")
    assert message in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
