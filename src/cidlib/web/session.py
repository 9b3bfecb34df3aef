"""An edit session: one diagram file, the edits made to it, and what the page shows.

An edit is a JSON object such as ``{"op": "add_edge", "from": "A", "to": "B"}``. It is
applied by the model's own transformations (``add_nodes``, ``remove_nodes``, ``add_edges``,
``remove_edges``, ``with_kind``, ``relabel``, ``with_labels``, ``with_positions``), which
validate the whole diagram: an edit that would make a cycle, give a utility a child or
name an unknown node is refused with the library's message, and nothing changes. A valid
edit is then analysed and drawn; only if that succeeds does it join the history (undo,
redo). Nothing is written until :meth:`EditSession.save`, which writes the file whole or
not at all, and refuses to overwrite a file someone else changed meanwhile (unless forced).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from cidlib.core.diagram import InfluenceDiagram, NodeKind
from cidlib.core.names import brief
from cidlib.exceptions import (
    ArgumentTypeError,
    CidlibError,
    FormatError,
    InvalidQueryError,
    TimeLimitError,
)
from cidlib.incentives.report import IncentiveReport, analyze
from cidlib.io.files import format_of, read_diagram, write_diagram
from cidlib.io.text import dumps
from cidlib.render.dot import to_dot
from cidlib.render.html import Panel, analysed, panel
from cidlib.render.style import Style
from cidlib.render.svg import node_ids
from cidlib.render.tikz import to_tikz

__all__: list[str] = []  # internal: the editor's state, driven by cidlib.web.server

EDITABLE = ("text", "json")
"""The formats the editor writes: they keep labels, agents and positions."""
MAX_HISTORY = 500
MAX_TEXT = 500
"""Characters of a name or label typed in the editor."""
ANALYSIS_SECONDS = 20.0
Edit = Callable[[InfluenceDiagram, Mapping[str, Any]], tuple[InfluenceDiagram, str]]


def _decode(value: object, what: str, depth: int = 0) -> Hashable:
    """Return a name sent as JSON: text, a whole number, or an array of them (a tuple)."""
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise InvalidQueryError(f"{what} is {len(value):,} characters long; the editor takes "
                                    f"up to {MAX_TEXT}")
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, list) and depth < 4:
        return tuple(_decode(v, what, depth + 1) for v in value)
    raise ArgumentTypeError(f"{what} must be text or a whole number, not {brief(value, 40)}")


def _node(diagram: InfluenceDiagram, value: object, what: str = "node") -> Hashable:
    """Return the existing node that ``value`` names (did-you-mean when it names none)."""
    return diagram.require(_decode(value, what))


def _agent(diagram: InfluenceDiagram, value: object) -> Hashable | None:
    """Return the agent ``value`` names: an existing one (also by its text), or a new one."""
    if value is None or value == "":
        return None
    agent = _decode(value, "agent")
    if agent in diagram.agents:
        return agent
    same = [a for a in diagram.agents if str(a) == str(agent)]
    if len(same) == 1:
        return same[0]
    if isinstance(agent, str) and re.fullmatch(r"-?\d{1,18}", agent.strip()):
        return int(agent)  # as the text format reads it: agent 1 is the number 1
    return agent


def _owner(diagram: InfluenceDiagram, kind: object, agent: Hashable | None) -> Hashable | None:
    """Return the owner of a new decision or utility: agent 0 when there is none (as .cid)."""
    if agent is None and kind in ("decision", "utility") and not diagram.agents:
        return 0
    return agent


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise ArgumentTypeError(f"{what} must be text, not {brief(value, 40)}")
    if len(value) > MAX_TEXT:
        raise InvalidQueryError(f"{what} is {len(value):,} characters long; the editor takes up "
                                f"to {MAX_TEXT}")
    return value


def _xy(value: object, node: Hashable) -> tuple[float, float]:
    # bounds checked before float(), which overflows on a huge whole number; NaN fails too
    if (isinstance(value, list) and len(value) == 2
            and all(isinstance(c, (int, float)) and not isinstance(c, bool) and abs(c) <= 1e5
                    for c in value)):
        return round(float(value[0]), 3), round(float(value[1]), 3)
    raise InvalidQueryError(f"position of {node!r} is {brief(value, 40)}; give [x, y], two "
                            "numbers within +-100000 layout units")


def _free_spot(diagram: InfluenceDiagram) -> tuple[float, float] | None:
    """Where a new node goes when every other node has a position: right of them all."""
    if not diagram.nodes or len(diagram.positions) < len(diagram):
        return None
    xs = [p[0] for p in diagram.positions.values()]
    ys = [p[1] for p in diagram.positions.values()]
    return round(max(xs) + 2.2, 3), round(min(ys), 3)


def _add_node(d: InfluenceDiagram, a: Mapping[str, Any]) -> tuple[InfluenceDiagram, str]:
    name = _decode(a["name"], "the new node's name")
    kind = a.get("kind", "chance")
    new = d.add_nodes([name], kind=kind, agent=_owner(d, kind, _agent(d, a.get("agent"))))
    if a.get("label"):
        new = new.with_labels({name: _text(a["label"], "label")})
    at = _xy(a["at"], name) if a.get("at") is not None else _free_spot(d)
    if at is not None:
        new = new.with_positions({name: at})
    return new, f"added {new.kind(name).value} node {name}"


def _remove_node(d: InfluenceDiagram, a: Mapping[str, Any]) -> tuple[InfluenceDiagram, str]:
    node = _node(d, a["node"])
    return d.remove_nodes([node]), f"removed node {node} and its edges"


def _rename(d: InfluenceDiagram, a: Mapping[str, Any]) -> tuple[InfluenceDiagram, str]:
    node = _node(d, a["node"])
    to = _decode(a["to"], "the new name")
    return d.relabel({node: to}), f"renamed {node} to {to}"


def _label(d: InfluenceDiagram, a: Mapping[str, Any]) -> tuple[InfluenceDiagram, str]:
    node = _node(d, a["node"])
    text = _text(a["label"], "label")
    if text.strip():
        return d.with_labels({node: text}), f"labelled {node} {text!r}"
    owned = d.decisions | d.utilities
    plain = InfluenceDiagram(  # the same diagram, built anew without that label
        d.nodes, d.edges, kinds={n: d.kind(n) for n in owned},
        owners={n: d.agent_of(n) for n in owned}, agents=d.agents,
        labels={n: t for n, t in d.labels.items() if n != node}, positions=d.positions)
    return plain, f"removed the label of {node}"


def _kind(d: InfluenceDiagram, a: Mapping[str, Any]) -> tuple[InfluenceDiagram, str]:
    node = _node(d, a["node"])
    kind = a["kind"]
    agent = _owner(d, kind, _agent(d, a.get("agent")))
    new = d.with_kind(node, kind, agent=agent)
    return new, f"made {node} a {new.kind(node).value} node"


def _set_agent(d: InfluenceDiagram, a: Mapping[str, Any]) -> tuple[InfluenceDiagram, str]:
    node = _node(d, a["node"])
    if d.kind(node) is NodeKind.CHANCE:
        raise InvalidQueryError(f"{node!r} is a chance node, which no agent owns; make it a "
                                "decision or a utility first")
    agent = _agent(d, a["agent"])
    return d.with_kind(node, d.kind(node), agent=agent), f"gave {node} to agent {agent}"


def _edge(d: InfluenceDiagram, a: Mapping[str, Any]) -> tuple[Hashable, Hashable]:
    return _node(d, a["from"], "the edge's tail"), _node(d, a["to"], "the edge's head")


def _add_edge(d: InfluenceDiagram, a: Mapping[str, Any]) -> tuple[InfluenceDiagram, str]:
    u, v = _edge(d, a)
    return d.add_edges([(u, v)]), f"added the edge {u} -> {v}"


def _remove_edge(d: InfluenceDiagram, a: Mapping[str, Any]) -> tuple[InfluenceDiagram, str]:
    u, v = _edge(d, a)
    return d.remove_edges([(u, v)]), f"removed the edge {u} -> {v}"


def _move(d: InfluenceDiagram, a: Mapping[str, Any]) -> tuple[InfluenceDiagram, str]:
    items = a["positions"]
    if not isinstance(items, list) or len(items) > len(d):
        raise ArgumentTypeError("positions must be a list of [node, x, y], one per node at most")
    moves: dict[Hashable, tuple[float, float]] = {}
    for item in items:
        if not (isinstance(item, list) and len(item) == 3):
            raise ArgumentTypeError(f"a position is [node, x, y], not {brief(item, 40)}")
        node = _node(d, item[0])
        moves[node] = _xy(item[1:], node)
    return d.with_positions(moves), f"moved {len(moves)} node(s)"


EDITS: dict[str, tuple[Edit, tuple[str, ...], tuple[str, ...]]] = {
    # op: (how, required fields, optional fields)
    "add_node": (_add_node, ("name",), ("kind", "agent", "label", "at")),
    "remove_node": (_remove_node, ("node",), ()),
    "rename": (_rename, ("node", "to"), ()),
    "label": (_label, ("node", "label"), ()),
    "kind": (_kind, ("node", "kind"), ("agent",)),
    "agent": (_set_agent, ("node", "agent"), ()),
    "add_edge": (_add_edge, ("from", "to"), ()),
    "remove_edge": (_remove_edge, ("from", "to"), ()),
    "move": (_move, ("positions",), ()),
}


def parse(request: object) -> tuple[Edit, dict[str, Any]]:
    """Check an edit's shape: a known op with exactly its fields."""
    if not isinstance(request, dict):
        raise ArgumentTypeError('an edit is a JSON object, e.g. {"op": "add_edge", "from": "A", '
                                f'"to": "B"}}, not {brief(request, 40)}')
    op = request.get("op")
    if not isinstance(op, str) or op not in EDITS:
        raise InvalidQueryError(f"unknown edit {brief(op, 40)}; use one of {', '.join(EDITS)}")
    how, required, optional = EDITS[op]
    fields = set(request) - {"op"}
    missing = [f for f in required if f not in fields]
    extra = sorted(fields - set(required) - set(optional))
    if missing or extra:
        wrong = (f"needs {', '.join(missing)}" if missing else
                 f"has no field {', '.join(brief(f, 30) for f in extra)}")
        allowed = ", ".join([*required, *(f"[{f}]" for f in optional)])
        raise InvalidQueryError(f"the edit {op} {wrong}; its fields are {allowed}")
    return how, request


def _fingerprint(path: str) -> str | None:
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except FileNotFoundError:
        return None


class EditSession:
    """The diagram of one file as it is edited: history, saving, and what the page shows.

    A missing file starts an empty diagram, written on the first save. Only ``.cid`` and
    ``.json`` files are edited: the other formats would lose labels or positions.
    """

    def __init__(self, path: str | os.PathLike[str], style: Style | None = None) -> None:
        self.path = os.fspath(path)
        if format_of(self.path) not in EDITABLE:
            raise FormatError(f"{self.path}: the editor writes .cid and .json files, which keep "
                              "labels, agents and positions; convert the diagram first: "
                              f"cidlib convert {self.path} diagram.cid")
        folder = os.path.dirname(self.path)
        if folder and not os.path.isdir(folder):  # else the first save would fail
            raise CidlibError(f"{self.path}: the folder {folder} does not exist; create it or "
                              "edit a file in an existing folder")
        self.style = style or Style()
        self._disk = _fingerprint(self.path)
        diagram = read_diagram(self.path) if self._disk is not None else InfluenceDiagram()
        self._saved: InfluenceDiagram | None = diagram if self._disk is not None else None
        self._history = [diagram]
        self._at = 0
        # drawn now: a file the page cannot show fails at the start
        self._panel = (diagram, self._draw(diagram))

    # -- state --------------------------------------------------------------------------------

    @property
    def diagram(self) -> InfluenceDiagram:
        """The diagram as edited so far."""
        return self._history[self._at]

    @property
    def dirty(self) -> bool:
        """Whether the diagram differs from the file (a new file: whether it has nodes)."""
        if self._saved is None:
            return len(self.diagram) > 0
        return self.diagram != self._saved

    def state(self) -> dict[str, Any]:
        """Return what the page's tool bar shows."""
        return {"file": os.path.basename(self.path), "dirty": self.dirty,
                "undo": self._at > 0, "redo": self._at + 1 < len(self._history),
                "nodes": len(self.diagram), "edges": len(self.diagram.edges)}

    @property
    def panel(self) -> Panel:
        """The current diagram laid out, drawn and analysed, as the page shows it."""
        if self._panel[0] is not self.diagram:
            self._panel = (self.diagram, self._draw(self.diagram))
        return self._panel[1]

    def _draw(self, diagram: InfluenceDiagram) -> Panel:
        report: IncentiveReport | None = None
        note = None
        try:
            if len(diagram.agents) > 1:
                report, note = analysed(diagram)
            elif diagram.decisions:
                report = analyze(diagram, progress=False, time_limit=ANALYSIS_SECONDS)
            else:
                note = "No decision yet: incentives show once the diagram has one."
        except TimeLimitError as err:
            note = f"No incentives shown: {err}"
        return panel(diagram, report, self.style, note=note)

    # -- edits --------------------------------------------------------------------------------

    def apply(self, request: object) -> str:
        """Apply one edit; return what it did. An invalid edit raises and changes nothing."""
        how, fields = parse(request)
        new, done = how(self.diagram, fields)
        if new == self.diagram:
            return f"{done}: no change"
        self._check_writable(new)  # a diagram the file cannot hold is refused too,
        drawn = self._draw(new)  # and one the page cannot show
        del self._history[self._at + 1:]
        self._history.append(new)
        if len(self._history) > MAX_HISTORY:
            del self._history[0]
        self._at = len(self._history) - 1
        self._panel = (new, drawn)
        return done

    def _check_writable(self, diagram: InfluenceDiagram) -> None:
        """Raise unless the file's format can hold ``diagram`` (text: no tuple names)."""
        if format_of(self.path) == "text":
            dumps(diagram)
        else:
            diagram.to_json()

    def undo(self) -> str:
        """Go back one edit."""
        if self._at == 0:
            raise InvalidQueryError("nothing to undo")
        self._at -= 1
        return "undone"

    def redo(self) -> str:
        """Go forward one edit."""
        if self._at + 1 >= len(self._history):
            raise InvalidQueryError("nothing to redo")
        self._at += 1
        return "redone"

    def save(self, *, force: bool = False) -> str:
        """Write the diagram to the file, whole or not at all.

        Raises
        ------
        CidlibError
            When the file changed on disk since it was read or saved here (someone else
            edited it), unless ``force``; when the system refuses to write it (a folder
            without write permission, or gone). The edits stay in the session either way.
        """
        try:
            if not force and _fingerprint(self.path) != self._disk:
                raise CidlibError(f"{os.path.basename(self.path)} changed on disk since the "
                                  "editor read it; save again to overwrite those changes, or "
                                  "restart cidlib edit to load them")
            write_diagram(self.diagram, self.path)
            self._disk = _fingerprint(self.path)
        except OSError as err:
            raise CidlibError(f"{self.path}: cannot save: {err.strerror or err}; the edits are "
                              "kept: fix that and save again") from err
        self._saved = self.diagram
        return f"saved {os.path.basename(self.path)}"

    # -- exports ------------------------------------------------------------------------------

    def export(self, fmt: object, decision: object = None) -> tuple[str, str]:
        """Return a file name and the text of the diagram as TikZ, DOT or JSON.

        Figures have the page's layout and rings (one decision's, given its id).
        """
        drawn = self.panel
        stem = os.path.splitext(os.path.basename(self.path))[0] or "diagram"
        if fmt == "json":
            return f"{stem}.json", self.diagram.to_json() + "\n"
        if fmt not in ("tikz", "dot"):
            raise InvalidQueryError(f"cannot export as {brief(fmt, 30)}; use tikz, dot or json "
                                    "(the page itself saves SVG and PNG)")
        chosen = None
        if decision not in (None, "", "*"):
            ids = {i: n for n, i in node_ids(self.diagram).items()}
            if decision not in ids:
                raise InvalidQueryError(f"no decision with id {brief(decision, 40)}")
            chosen = self.diagram.require(ids[decision], "decision")
        report = drawn.report
        if fmt == "tikz":
            return f"{stem}.tex", to_tikz(self.diagram, report=report, layout=drawn.layout,
                                          style=self.style, decision=chosen)
        return f"{stem}.dot", to_dot(self.diagram, report=report, layout=drawn.layout,
                                     style=self.style, decision=chosen)
