"""The SVG back-end, the interactive page (to_html), notebook views and ``cidlib explore``.

What the page does in a browser is tested in tests/test_browser.py; here, what it holds: the
figure's semantic ids, the embedded report (checked against ``analyze``), self-containment,
escaping, and sizes that grow with the diagram.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

import cidlib
from cidlib.exceptions import ArgumentTypeError, InvalidQueryError
from cidlib.render import notebook
from tests.diagrams import MULTI_DECISION, RECOMMENDER, RECOMMENDER_FIX, TAXI, random_cid
from tests.test_render_marks import UNDETERMINED

EXAMPLES = Path(__file__).parent.parent / "examples" / "diagrams"
SVG = "{http://www.w3.org/2000/svg}"
# the recommender's incentives as the paper states them (Everitt et al. 2021, Fig. 4a)
PAPER_RINGS = {("voi", "O"), ("ri", "O"), ("voc", "O"), ("voi", "M"), ("ri", "M"),
               ("voc", "M"), ("voc", "I"), ("ici", "I")}


def page_data(page: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" class="cv-data">(.*?)</script>', page,
                      re.DOTALL)
    assert found, "no data in the page"
    doc: dict[str, Any] = json.loads(found.group(1))
    return doc


def walk(panel: dict[str, Any], row: list[Any]) -> list[str]:
    """The nodes of a witness, read from the page's table of steps (as the script does)."""
    nodes: list[str] = []
    for start, backwards in row[4]:
        seq = []
        at = start
        while at is not None:
            node, _, at = panel["steps"][at]
            seq.append(panel["nodes"][node][1])
        seq = seq[::-1] if backwards else seq
        nodes += seq[1:] if nodes else seq
    return nodes


# -- the SVG back-end ---------------------------------------------------------------------------

def test_svg_names_every_node_edge_and_ring() -> None:
    svg = cidlib.to_svg(RECOMMENDER, report=cidlib.analyze(RECOMMENDER))
    root = ET.fromstring(svg)  # well-formed XML
    nodes = {g.get("id"): g.get("class") for g in root.iter(f"{SVG}g")
             if (g.get("class") or "").startswith("node ")}
    assert nodes == {"node-O": "node chance", "node-M": "node chance", "node-P": "node decision",
                     "node-I": "node chance", "node-C": "node utility"}
    edges = {g.get("id"): g.get("class") for g in root.iter(f"{SVG}g")
             if (g.get("class") or "").startswith("edge ") or g.get("class") == "edge"}
    assert edges == {"edge-O-M": "edge", "edge-M-P": "edge information", "edge-O-I": "edge",
                     "edge-P-I": "edge", "edge-I-C": "edge", "edge-P-C": "edge"}
    rings = {(e.get("data-kind"), e.get("data-node")) for e in root.iter()
             if (e.get("class") or "").startswith("ring ")}
    assert rings == PAPER_RINGS
    assert root.find(f".//{SVG}circle[@id='ring-ici-P-I']").get("stroke") == "#d62728"
    labels = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "Influenceduser opinions" in labels  # wrapped onto two lines, kept as text


def test_svg_marks_undetermined_and_generalised_rings() -> None:
    report = cidlib.analyze(UNDETERMINED)
    root = ET.fromstring(cidlib.to_svg(UNDETERMINED, report=report, decision="D1"))
    unknown = root.find(".//*[@id='ring-voi-D1-X']")
    assert unknown is not None
    assert unknown.get("class") == "ring voi undetermined"
    assert unknown.get("stroke") == cidlib.Style().undetermined_colour
    badge = root.find(f".//{SVG}g[@class='badge voi']")
    assert badge is not None
    assert "".join(badge.itertext()) == "?"
    classes = {e.get("class") for e in root.iter() if (e.get("class") or "").startswith("ring")}
    assert "ring voc generalised" in classes  # RI, VoC, ICI with two decisions: generalised
    assert all(e.get("data-decision") == "D1" for e in root.iter()
               if (e.get("class") or "").startswith("ring "))


def test_svg_highlights_a_witness_and_escapes_names() -> None:
    report = cidlib.analyze(RECOMMENDER)
    root = ET.fromstring(cidlib.to_svg(RECOMMENDER, report=report,
                                       highlight=report.get("ici", "P", "I")))
    lit = {g.get("id") for g in root.iter(f"{SVG}g") if g.find(f"{SVG}path[@class='highlight']")
           is not None}
    assert lit == {"edge-P-I", "edge-I-C"}
    odd = cidlib.CID([("a b", "D"), (1, "D"), ("1", "D"), ("D", "<U>")], decisions=["D"],
                     utilities=["<U>"])
    root = ET.fromstring(cidlib.to_svg(odd))
    ids = {g.get("id") for g in root.iter(f"{SVG}g") if g.get("id", "").startswith("node-")}
    # letters and digits stay; repr() where two names print alike (1 and "1")
    assert ids == {"node-_27_a_20_b_27_", "node-1", "node-_27_1_27_", "node-_27_D_27_",
                   "node-_27__3c_U_3e__27_"}
    with pytest.raises(InvalidQueryError, match="belongs to another diagram"):
        cidlib.to_svg(RECOMMENDER_FIX, report=report)


# -- the page -----------------------------------------------------------------------------------

def test_the_page_is_self_contained() -> None:
    page = cidlib.to_html(RECOMMENDER)
    assert page.startswith("<!DOCTYPE html>")
    assert "default-src 'none'" in page  # the browser itself forbids any request
    without_namespace = page.replace("http://www.w3.org/2000/svg", "")  # a name, not a link
    assert not re.search(r"https?://", without_namespace)
    assert not re.search(r"""\s(src|href)\s*=\s*["'](?!#)""", page)  # nothing to load
    assert "<script src" not in page
    assert "<link" not in page


def test_the_page_holds_exactly_the_report() -> None:
    for d in (RECOMMENDER, MULTI_DECISION, UNDETERMINED, random_cid(40, 3)):
        report = cidlib.analyze(d)
        (panel,) = page_data(cidlib.to_html(d, report))["panels"]
        names = [n[1] for n in panel["nodes"]]
        shown = {(r[0], names[r[1]], names[r[2]]): r for r in panel["incentives"]}
        present = {(i.kind.value, str(i.decision), str(i.node)): i for i in report}
        unknown = {(k.value, str(dec), str(n))
                   for dec in d.decisions for k in cidlib.IncentiveKind
                   for n in report.undetermined(k, dec)}
        assert set(shown) == set(present) | unknown
        for key, row in shown.items():
            if key in unknown:
                assert row[3] & 4
                assert row[4] == []
                continue
            incentive = present[key]
            assert [str(n) for n in incentive.witness.nodes] == walk(panel, row)
            assert row[5] == incentive.explain()
            assert bool(row[3] & 1) == incentive.trivial
            assert bool(row[3] & 2) == incentive.generalised


def test_the_page_grows_linearly_and_shortens_long_witnesses() -> None:
    def line(n: int) -> cidlib.InfluenceDiagram:  # every witness runs to the end
        names = [f"X{i}" for i in range(n)]
        return cidlib.CID([("D", names[0]), *itertools.pairwise(names), (names[-1], "U")],
                          decisions=["D"], utilities=["U"])

    small, large = (len(cidlib.to_html(line(n)).encode()) for n in (150, 300))
    assert large / small < 2.2  # the witnesses' total length grows with the square
    (panel,) = page_data(cidlib.to_html(line(150)))["panels"]
    far = next(r for r in panel["incentives"] if r[0] == "ici" and panel["nodes"][r[2]][1] == "X1")
    assert "…" in far[5]
    assert "(151 edges)" in far[5]
    assert len(walk(panel, far)) == 152  # D, X1 ... X149, U: lit in full


def test_the_page_escapes_what_files_say() -> None:
    evil = "</script><script>window.hit = 1</script><b>"
    d = cidlib.CID([("S", "D"), ("D", "U")], decisions=["D"], utilities=["U"],
                   labels={"S": evil})
    page = cidlib.to_html(d, title=evil)
    assert "window.hit = 1</script>" not in page
    assert "<b>" not in page
    (panel,) = page_data(page)["panels"]
    assert [n[2] for n in panel["nodes"] if n[1] == "S"] == [evil]


def test_the_comparison_lists_what_compare_lists() -> None:
    page = cidlib.to_html(RECOMMENDER, compare_with=RECOMMENDER_FIX)
    doc = page_data(page)
    change = cidlib.compare(RECOMMENDER, RECOMMENDER_FIX)
    for name in ("disappeared", "appeared", "kept", "undetermined"):
        listed = []
        for side, index in doc["change"][name]:
            panel = doc["panels"][side]
            kind, dec, node = panel["incentives"][index][:3]
            listed.append((kind, panel["nodes"][dec][1], panel["nodes"][node][1]))
        assert listed == [(i.kind.value, str(i.decision), str(i.node))
                          for i in getattr(change, name)]
    assert ("ici", "P", "I") in [tuple(x) for x in [
        (doc["panels"][0]["incentives"][i][0], "P", doc["panels"][0]["nodes"][
            doc["panels"][0]["incentives"][i][2]][1]) for _, i in doc["change"]["disappeared"]]]
    assert 'id="before-node-I"' in page
    assert 'id="after-node-PC"' in page
    # a report as the second design, and the panels share one scale and region
    again = cidlib.to_html(RECOMMENDER, compare_with=cidlib.analyze(RECOMMENDER_FIX))
    boxes = re.findall(r'<svg[^>]* viewBox="([^"]+)"', again)
    assert len(boxes) == 2
    assert boxes[0] == boxes[1]


def test_several_agents_and_bad_arguments() -> None:
    page = cidlib.to_html(TAXI)
    assert "several agents" in page
    (panel,) = page_data(page)["panels"]
    assert panel["incentives"] == []
    assert not panel["analysed"]
    view = TAXI.for_agent(1)
    assert page_data(cidlib.to_html(view))["panels"][0]["incentives"]
    with pytest.raises(ArgumentTypeError, match="IncentiveReport"):
        cidlib.to_html(RECOMMENDER, "report")  # type: ignore[arg-type]
    with pytest.raises(InvalidQueryError, match="another diagram"):
        cidlib.to_html(RECOMMENDER_FIX, cidlib.analyze(RECOMMENDER))


# -- notebooks ----------------------------------------------------------------------------------

def test_notebooks_show_the_view_with_the_figure_as_fallback(
        monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = RECOMMENDER._repr_html_(), RECOMMENDER._repr_html_()
    assert first is not None
    assert second is not None
    prefixes = [re.search(r'id="(cidlib-[0-9a-f]+)-node-O"', h) for h in (first, second)]
    assert all(prefixes)
    assert prefixes[0].group(1) != prefixes[1].group(1)
    assert 'class="ring ici"' in first  # the static figure carries the rings
    assert re.search(r'<div class="cv-bar cv-live-only" hidden>', first)  # the script shows it
    report = cidlib.analyze(MULTI_DECISION)._repr_html_()
    assert 'data-for="D1"' in report
    assert 'data-for="D2"' in report
    assert "<table>" in report
    assert "several agents" in (TAXI._repr_html_() or "")
    monkeypatch.setattr(notebook, "MAX_INLINE_VIEW", 3)
    assert RECOMMENDER._repr_html_() is None  # large: text only


# -- cidlib explore, and CI ---------------------------------------------------------------------

def test_ci_installs_the_browser_then_runs_the_readme_test_command() -> None:
    root = Path(__file__).parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    command = next(line for line in readme.splitlines()
                   if line.startswith("python3 -m venv") and "pytest" in line)
    lines = (root / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert lines[-1] == command
    assert any(line.startswith("command -v chromium") for line in lines[:-1])


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cidlib", *args], capture_output=True,
                          text=True, check=False, timeout=120, cwd=cwd)


def test_explore_writes_the_page(tmp_path: Path) -> None:
    out = run("explore", str(EXAMPLES / "recommender.cid"), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    page = (tmp_path / "recommender.html").read_text(encoding="utf-8")
    assert "<title>Incentives of recommender.cid</title>" in page
    assert 'id="ring-ici-P-I"' in page
    both = tmp_path / "both.html"
    out = run("explore", str(EXAMPLES / "recommender.cid"), "--compare",
              str(EXAMPLES / "recommender_fix.cid"), "-o", str(both))
    assert out.returncode == 0, out.stderr
    assert len(page_data(both.read_text(encoding="utf-8"))["change"]["disappeared"]) == 5
    taxi = run("explore", str(EXAMPLES / "taxi.cid"), "-o", str(tmp_path / "taxi.html"))
    assert taxi.returncode == 0
    assert "several agents" in (tmp_path / "taxi.html").read_text()
    one = run("explore", str(EXAMPLES / "taxi.cid"), "--agent", "1", "-o",
              str(tmp_path / "one.html"))
    assert one.returncode == 0, one.stderr


def test_explore_checks_its_output_first(tmp_path: Path) -> None:
    out = run("explore", str(EXAMPLES / "recommender.cid"), "-o", str(tmp_path / "page.png"))
    assert out.returncode == 2
    assert out.stderr.strip() == (f"cidlib: error: {tmp_path / 'page.png'}: write the page as "
                                  ".html, .htm; not .png")
    assert list(tmp_path.iterdir()) == []
    source = tmp_path / "d.html"
    source.write_text((EXAMPLES / "recommender.cid").read_text())
    out = run("explore", str(source), "-o", str(source))
    assert out.returncode == 2
    assert "that is an input file" in out.stderr
    assert source.read_text() == (EXAMPLES / "recommender.cid").read_text()
    missing = run("explore", str(tmp_path / "none.cid"), "-o", str(tmp_path / "x.html"))
    assert missing.returncode == 2
    assert missing.stderr.startswith("cidlib: error: ")
