from __future__ import annotations

import json

import pytest
from hypothesis import given

import cidlib
from cidlib.exceptions import InvalidQueryError, UnknownNodeError, UnsupportedDiagramError
from tests.strategies import diagrams

RECOMMENDER = [("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("I", "C"), ("P", "C")]
FIXED = [("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("M", "PC"), ("P", "PC")]


@pytest.fixture
def rec() -> cidlib.InfluenceDiagram:
    return cidlib.CID(RECOMMENDER, decisions=["P"], utilities=["C"])


@pytest.fixture
def fixed() -> cidlib.InfluenceDiagram:
    return cidlib.CID(FIXED, decisions=["P"], utilities=["PC"])


def test_analyze_recommender(rec: cidlib.InfluenceDiagram) -> None:
    report = cidlib.analyze(rec)
    assert report.nodes("voi", "P") == {"O", "M"}
    assert report.nodes("ri", "P") == {"O", "M"}
    assert report.nodes("voc", "P") == {"O", "M", "I", "C"}
    assert report.nodes("ici", "P") == {"P", "I", "C"}
    ici = report.get("ici", "P", "I")
    assert ici is not None
    assert str(ici.witness) == "P -> I -> C"
    assert not ici.trivial
    assert report.get("ICI", "P", "C").trivial
    assert report.get("ici", "P", "O") is None
    assert not report.has("ici", "P", "O")
    assert len(report) == 11
    assert repr(report) == "IncentiveReport(5 nodes, VoI=2, RI=2, VoC=4, ICI=3)"


def test_filters(rec: cidlib.InfluenceDiagram) -> None:
    report = cidlib.analyze(rec)
    assert [i.node for i in report.filter(kind="ici", node="I")] == ["I"]
    assert {i.node for i in report.filter(kind="ici", trivial=False)} == {"I"}
    assert {i.kind.value for i in report.filter(node="O")} == {"voi", "ri", "voc"}
    assert len(report.filter(decision="P")) == len(report)
    with pytest.raises(InvalidQueryError, match="unknown incentive kind 'vio'"):
        report.filter(kind="vio")
    with pytest.raises(UnknownNodeError, match="'Q'"):
        report.filter(node="Q")
    with pytest.raises(InvalidQueryError, match="not a decision"):
        report.filter(decision="O")


def test_table_and_witness_listing(rec: cidlib.InfluenceDiagram) -> None:
    text = str(cidlib.analyze(rec))
    lines = text.splitlines()
    assert lines[0].split() == ["node", "kind", "VoI(P)", "RI(P)", "VoC(P)", "ICI(P)"]
    assert lines[2].split() == ["O", "chance", "x", "x", "x", "."]
    assert lines[5].split() == ["I", "chance", "-", ".", "x", "x"]
    assert lines[6].split() == ["C", "utility", "-", ".", "(x)", "(x)"]
    assert "  ICI  P on I: P -> I -> C" in lines


def read_witness(steps: list, walks: list) -> tuple[list, list]:
    """Decode a witness from a report's JSON form, as docs/reports.md describes it."""
    nodes: list = []
    forward: list = []
    for first, backwards in walks:
        walk_nodes, walk_forward = [], []
        row = first
        while row is not None:
            node, fwd, row = steps[row]
            walk_nodes.append(node)
            if row is not None:
                walk_forward.append(fwd)
        if backwards:
            walk_nodes.reverse()
            walk_forward = [not f for f in reversed(walk_forward)]
        if nodes:
            assert nodes[-1] == walk_nodes[0]
            walk_nodes = walk_nodes[1:]
        nodes += walk_nodes
        forward += walk_forward
    return nodes, forward


def test_to_dict_and_html(rec: cidlib.InfluenceDiagram) -> None:
    report = cidlib.analyze(rec)
    doc = json.loads(report.to_json())
    assert cidlib.InfluenceDiagram.from_dict(doc["diagram"]) == rec
    entry = next(e for e in doc["incentives"] if e["kind"] == "ici" and e["node"] == "I")
    steps = entry.pop("witness_steps")
    assert entry == {"kind": "ici", "decision": "P", "node": "I", "status": "present",
                     "present": True, "trivial": False, "generalised": False,
                     "witness": "P -> I -> C", "witness_length": 2}
    assert read_witness(doc["steps"], steps) == (["P", "I", "C"], [True, True])
    full = report.to_dict(full_witnesses=True)
    for entry in full["incentives"]:
        nodes, forward = read_witness(full["steps"], entry["witness_steps"])
        assert nodes == entry["witness_nodes"]
        text = str(nodes[0]) + "".join(f" {'->' if f else '<-'} {b}"
                                       for f, b in zip(forward, nodes[1:], strict=True))
        assert text == entry["witness"]  # short witnesses are written in full
    html = report._repr_html_()
    assert html.index('class="cidlib-view"') < html.index("<table>")  # the view, then the table
    assert "<table>" in html
    assert "<code>P -&gt; I -&gt; C</code>" in html


def test_compare_recommender_and_fix(rec: cidlib.InfluenceDiagram,
                                     fixed: cidlib.InfluenceDiagram) -> None:
    change = cidlib.compare(rec, fixed)
    gone = {(i.kind.value, i.node) for i in change.disappeared}
    assert {("ici", "I"), ("voc", "I")} <= gone
    assert ("ici", "PC") in {(i.kind.value, i.node) for i in change.appeared}
    assert ("ici", "P") in {(i.kind.value, i.node) for i in change.kept}
    text = str(change)
    assert "ICI  P on I: P -> I -> C" in text
    assert text.startswith("Disappeared (5):")
    assert change.to_dict()["disappeared"][0]["kind"] in {"voi", "voc", "ici"}
    # a report works in place of a diagram
    assert cidlib.compare(cidlib.analyze(rec), fixed).disappeared == change.disappeared


def test_incentives_on(rec: cidlib.InfluenceDiagram) -> None:
    on_i = cidlib.incentives_on(rec, "I")
    assert [(i.kind.value, str(i.witness)) for i in on_i] == [("voc", "I -> C"),
                                                             ("ici", "P -> I -> C")]
    assert on_i[1].explain() == ("P has an instrumental control incentive on I, because "
                                 "P -> I -> C lets it change C through I.")
    assert [i.kind.value for i in cidlib.incentives_on(rec, "O")] == ["voi", "ri", "voc"]
    with pytest.raises(UnknownNodeError):
        cidlib.incentives_on(rec, "Q")


def test_generalised_results_are_explained_in_the_table() -> None:
    d = cidlib.CID([("S", "D1"), ("D1", "D2"), ("D2", "U"), ("S", "U")], decisions=["D1", "D2"],
                   utilities=["U"])
    text = str(cidlib.analyze(d))
    assert "  [generalised]" in text
    assert "[generalised]: several decisions; evaluated on the minimal d-reduction" in text
    assert "[generalised]:" not in str(cidlib.analyze(d.remove_nodes(["D2"])))


def test_several_agents() -> None:
    g = cidlib.MACID([("D1", "U1"), ("D2", "U2")],
                     agents={1: {"decisions": ["D1"], "utilities": ["U1"]},
                             2: {"decisions": ["D2"], "utilities": ["U2"]}})
    with pytest.raises(UnsupportedDiagramError, match="for_agent"):
        cidlib.analyze(g)
    with pytest.raises(UnsupportedDiagramError, match="for_agent"):
        cidlib.incentives_on(g, "U1")


@given(diagrams())
def test_report_agrees_with_node_functions(d: cidlib.InfluenceDiagram) -> None:
    report = cidlib.analyze(d)
    funcs = {"voi": cidlib.voi_nodes, "ri": cidlib.ri_nodes, "voc": cidlib.voc_nodes,
             "ici": cidlib.ici_nodes}
    for dec in d.decisions:
        for kind, f in funcs.items():
            try:
                expected = f(d, dec)
            except UnsupportedDiagramError:
                assert kind == "voi"
                assert report.undetermined(kind, dec)
                continue
            assert report.nodes(kind, dec) == expected
            assert not report.undetermined(kind, dec)
    for inc in report:
        assert inc.witness is not None
        trivial = {"voi": False, "ri": False, "voc": inc.node in d.utilities,
                   "ici": inc.node == inc.decision or inc.node in d.utilities}
        assert inc.trivial == trivial[inc.kind.value]
    for node in d.nodes:
        on = cidlib.incentives_on(d, node)
        assert {i.key for i in on if i.status == "present"} == {
            i.key for i in report.filter(node=node)}
        assert {i.key for i in on if i.status == "undetermined"} == {
            (k, dec, node) for dec in d.decisions for k in cidlib.IncentiveKind
            if report.status(k, dec, node) == "undetermined"}
    assert len(str(report).splitlines()) >= len(d.nodes) + 2


def test_voc_routes_in_the_report_and_the_figure() -> None:
    """PyCID's fitness tracker: direct VoC on F (trivially) and P, indirect on SC only."""
    tracker = cidlib.catalogue.fitness_tracker()
    plain = cidlib.analyze(tracker)
    assert plain.voc_routes("C", "P") is None  # not asked for
    report = cidlib.analyze(tracker, voc_routes=True)
    routes = {n: report.voc_routes("C", n) for n in report.nodes("voc", "C")}
    assert {n for n, r in routes.items() if "direct" in r} == {"F", "P"}
    assert {n for n, r in routes.items() if "indirect" in r} == {"SC"}
    assert routes["TF"] == frozenset()  # VoC of neither kind
    text = str(report)
    assert "  VoC  C on SC: SC -> C -> F  [indirect; back door: SC <- P -> F]" in text
    assert "  VoC  C on TF: TF -> C -> F  [neither direct nor indirect]" in text
    row = next(line.split() for line in text.splitlines() if line.startswith("SC "))
    assert row[4:6] == ["x", "i"]
    entry = next(e for e in report.to_dict()["incentives"]
                 if e["kind"] == "voc" and e["node"] == "SC")
    assert entry["voc_routes"] == ["indirect"]
    assert entry["backdoor"] == "SC <- P -> F"
    ax = cidlib.draw(tracker, report=report)
    badges = {t.get_gid(): t.get_text() for t in ax.texts
              if (t.get_gid() or "").startswith("routes:")}
    assert badges == {"routes:voc:P": "d", "routes:voc:SC": "i"}
    with pytest.raises(UnknownNodeError):
        report.voc_routes("C", "Sc")


def test_json_witnesses_of_several_searches_stay_apart() -> None:
    """Each walk of the JSON form reads the witness it names, even when the searches build
    their trails on demand (a freed trail's identity must not be taken for a new one's)."""
    d = cidlib.CID([("S", "D1"), ("D1", "D2"), ("S", "D2"), ("D1", "U"), ("D2", "U"),
                    ("X", "U"), ("S", "U")], decisions=["D1", "D2"], utilities=["U"])
    full = cidlib.analyze(d).to_dict(full_witnesses=True)
    for entry in full["incentives"]:
        nodes, _ = read_witness(full["steps"], entry["witness_steps"])
        assert nodes == entry["witness_nodes"], entry

