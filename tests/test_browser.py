"""The interactive page and the editor, used as a person uses them: in a real Chromium.

Playwright's Python API drives Debian's ``chromium`` (never a downloaded browser); these
tests skip, with the reason, where either is missing (``.ci/run`` installs chromium). Each
checks a state against the library's own answers (``analyze``, ``incentives_on``,
``compare``, the Python API's edits) and saves a screenshot of it into
``$CIDLIB_SCREENSHOTS`` (a temporary folder by default).
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import cidlib
from cidlib.io.files import read_diagram
from cidlib.io.text import dumps
from tests.diagrams import MULTI_DECISION, RECOMMENDER, RECOMMENDER_FIX, random_cid
from tests.test_render_marks import UNDETERMINED

sync_api = pytest.importorskip("playwright.sync_api",
                               reason="Playwright is not installed (pip install -e '.[test]')")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium on PATH (apt-get install chromium); the browser tests need one")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
EXAMPLES = Path(__file__).parent.parent / "examples" / "diagrams"
TWO_DECISIONS = UNDETERMINED  # two decisions, generalised and undetermined incentives
SIXTY = random_cid(60, 60)
DIAGRAMS = {"recommender": RECOMMENDER, "recommender_fix": RECOMMENDER_FIX,
            "two_decisions": TWO_DECISIONS, "sixty": SIXTY}
VISIBLE_RINGS = """root => Array.from(root.querySelectorAll('.ring'))
    .filter(r => r.closest('g.rings').getAttribute('display') !== 'none'
                 && getComputedStyle(r).display !== 'none')
    .map(r => [r.dataset.kind, r.dataset.decision, r.dataset.node,
               r.classList.contains('undetermined')])"""
LIT_EDGES = """root => Array.from(root.querySelectorAll('.edge.cv-lit'))
    .map(e => [e.dataset.from, e.dataset.to])"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = os.environ.get("CIDLIB_SCREENSHOTS")
    folder = Path(where) if where else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pages")
    out = {}
    for name, d in DIAGRAMS.items():
        out[name] = folder / f"{name}.html"
        out[name].write_text(cidlib.to_html(d, title=name), encoding="utf-8")
    out["comparison"] = folder / "comparison.html"
    out["comparison"].write_text(cidlib.to_html(RECOMMENDER, compare_with=RECOMMENDER_FIX),
                                 encoding="utf-8")
    return out


@dataclass
class Log:
    """What a page did: console errors, uncaught exceptions and every request."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


def open_page(browser: Any, url: str, **context: Any) -> tuple[Any, Log]:
    page = browser.new_page(viewport={"width": 1300, "height": 900}, accept_downloads=True,
                            **context)
    log = Log()
    page.on("console", lambda m: log.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log.errors.append(str(e)))
    page.on("request", lambda r: log.requests.append(r.url))
    page.goto(url)
    if context.get("java_script_enabled", True):
        page.wait_for_selector(".cidlib-view[data-ready=true]")
    return page, log


def shoot(page: Any, shots: Path, name: str) -> None:
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def items(page: Any, where: str = ".cv-info") -> list[tuple[str, str, str, str]]:
    return [(li.get_attribute("data-kind"), li.get_attribute("data-decision"),
             li.get_attribute("data-status"), li.query_selector("span:not(.cv-chip)").inner_text())
            for li in page.query_selector_all(f"{where} .cv-item")]


def explained(incentive: cidlib.Incentive) -> str:
    text = incentive.explain()
    extra = [t for t, on in (("trivial", incentive.trivial),
                             ("generalised", incentive.generalised),
                             ("undetermined", incentive.undetermined)) if on]
    return text + "".join(extra)  # the item's tags follow its sentence


# -- the page -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [*DIAGRAMS, "comparison"])
def test_pages_load_with_no_error_and_no_request(browser: Any, pages: dict[str, Path],
                                                 shots: Path, name: str) -> None:
    url = pages[name].as_uri()
    page, log = open_page(browser, url)
    assert log.errors == []
    assert log.requests == [url]  # the page itself, nothing else
    shoot(page, shots, f"page-{name}")
    page.close()


@pytest.mark.parametrize("name", list(DIAGRAMS))
def test_hovering_a_node_shows_exactly_its_incentives(browser: Any, pages: dict[str, Path],
                                                      name: str) -> None:
    d = DIAGRAMS[name]
    page, log = open_page(browser, pages[name].as_uri())
    for node in sorted(d.nodes, key=str):
        page.hover(f"#node-{node}")
        expected = sorted((i.kind.value, str(i.decision), i.status, explained(i))
                          for i in cidlib.incentives_on(d, node))
        assert sorted(items(page)) == expected, node
    assert log.errors == []
    page.close()


@pytest.mark.parametrize(("name", "key"), [
    ("recommender", ("ici", "P", "I")), ("two_decisions", ("ici", "D1", "D2")),
    ("sixty", None)])
def test_clicking_an_incentive_lights_exactly_its_witness(
        browser: Any, pages: dict[str, Path], shots: Path, name: str,
        key: tuple[str, str, str] | None) -> None:
    d = DIAGRAMS[name]
    report = cidlib.analyze(d)
    if key is None:  # the 60-node diagram: its longest witness
        found = max(report, key=lambda i: i.witness.length)  # type: ignore[union-attr]
        key = (found.kind.value, str(found.decision), str(found.node))
    kind, decision, node = key
    incentive = report.get(kind, decision, node)
    assert incentive is not None
    assert incentive.witness is not None
    page, _ = open_page(browser, pages[name].as_uri())
    page.click(f"#node-{node}")
    page.click(f'.cv-info .cv-item[data-kind="{kind}"][data-decision="{decision}"] button')
    lit = {tuple(e) for e in page.evaluate(LIT_EDGES, page.query_selector(".cidlib-view"))}
    assert lit == {(str(u), str(v)) for u, v in incentive.witness.edges}
    shoot(page, shots, f"witness-{name}-{kind}-{node}")
    page.click(f'.cv-info .cv-item[data-kind="{kind}"][data-decision="{decision}"] button')
    assert page.evaluate(LIT_EDGES, page.query_selector(".cidlib-view")) == []  # off again
    page.close()


def test_the_decision_selector_shows_that_decisions_rings(browser: Any, pages: dict[str, Path],
                                                         shots: Path) -> None:
    d = TWO_DECISIONS
    report = cidlib.analyze(d)

    def rings(decisions: list[str]) -> set[tuple[str, str, str, bool]]:
        out = {(i.kind.value, str(i.decision), str(i.node), False)
               for i in report if not i.trivial and str(i.decision) in decisions}
        out |= {(k.value, dec, str(n), True) for dec in decisions
                for k in cidlib.IncentiveKind for n in report.undetermined(k, dec)}
        return out

    page, log = open_page(browser, pages["two_decisions"].as_uri())
    root = page.query_selector(".cidlib-view")
    assert {tuple(r) for r in page.evaluate(VISIBLE_RINGS, root)} == rings(["D1", "D2"])
    for decision in ("D1", "D2"):
        page.select_option(".cv-decision", decision)
        assert {tuple(r) for r in page.evaluate(VISIBLE_RINGS, root)} == rings([decision])
        shoot(page, shots, f"decision-{decision}")
        page.hover("#node-S")  # the node's list follows the selector
        assert {i[1] for i in items(page)} == {decision}
    assert log.errors == []
    page.close()


def test_kind_toggles_hide_rings_and_list_items(browser: Any, pages: dict[str, Path]) -> None:
    page, _ = open_page(browser, pages["recommender"].as_uri())
    root = page.query_selector(".cidlib-view")
    page.uncheck('.cv-kinds input[value="voi"]')
    shown = page.evaluate(VISIBLE_RINGS, root)
    assert shown
    assert all(r[0] != "voi" for r in shown)
    page.hover("#node-O")
    visible = [li.get_attribute("data-kind") for li in page.query_selector_all(".cv-info .cv-item")
               if li.is_visible()]
    assert visible == ["ri", "voc"]
    page.check('.cv-kinds input[value="voi"]')
    assert any(r[0] == "voi" for r in page.evaluate(VISIBLE_RINGS, root))
    page.close()


def test_the_comparison_lists_what_compare_lists(browser: Any, pages: dict[str, Path],
                                                 shots: Path) -> None:
    change = cidlib.compare(RECOMMENDER, RECOMMENDER_FIX)
    page, _ = open_page(browser, pages["comparison"].as_uri())
    for name in ("disappeared", "appeared", "kept", "undetermined"):
        listed = [(li.get_attribute("data-kind"), li.get_attribute("data-decision"),
                   li.get_attribute("data-node"))
                  for li in page.query_selector_all(f'.cv-changes li[data-list="{name}"]')]
        assert listed == [(i.kind.value, str(i.decision), str(i.node))
                          for i in getattr(change, name)], name
    lit = {tuple(e) for e in page.evaluate(LIT_EDGES, page.query_selector(".cv-panel"))}
    assert lit == {(str(u), str(v)) for i in change.disappeared if not i.trivial
                   for u, v in i.witness.edges}  # type: ignore[union-attr]
    changed = page.eval_on_selector_all(".ring.cv-changed", "rs => rs.map(r => r.id)")
    assert set(changed) == {f"before-ring-{i.kind.value}-P-{i.node}" for i in change.disappeared
                            if not i.trivial}
    shoot(page, shots, "comparison")
    page.close()


def test_the_keyboard_reaches_nodes_and_incentives(browser: Any, pages: dict[str, Path]) -> None:
    page, _ = open_page(browser, pages["recommender"].as_uri())
    page.focus("#node-I")
    assert "Influenced user opinions" in page.inner_text(".cv-info")
    page.keyboard.press("Enter")  # pins it, and moves on to its incentives
    for _ in range(5):  # Tab on to the ICI's button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.cv-item')?.dataset.kind") == "ici":
            break
    page.keyboard.press("Enter")
    root = page.query_selector(".cidlib-view")
    assert {tuple(e) for e in page.evaluate(LIT_EDGES, root)} == {("P", "I"), ("I", "C")}
    page.keyboard.press("Escape")
    assert page.evaluate(LIT_EDGES, root) == []
    assert "Hover over" in page.inner_text(".cv-info")
    page.close()


def test_pan_and_zoom(browser: Any, pages: dict[str, Path]) -> None:
    page, _ = open_page(browser, pages["sixty"].as_uri())

    def box() -> list[float]:
        return [float(v) for v in page.get_attribute(".cv-canvas svg", "viewBox").split()]

    fit = box()
    canvas = page.query_selector(".cv-canvas").bounding_box()
    page.mouse.move(canvas["x"] + canvas["width"] / 2, canvas["y"] + 30)
    page.mouse.wheel(0, -400)
    zoomed = box()
    assert zoomed[2] < fit[2] / 1.5
    page.mouse.move(canvas["x"] + 5, canvas["y"] + 5)
    page.mouse.down()
    page.mouse.move(canvas["x"] + 105, canvas["y"] + 65, steps=5)
    page.mouse.up()
    assert box()[0] < zoomed[0]
    assert box()[2] == pytest.approx(zoomed[2])
    page.click('[data-act="fit"]')
    assert box() == pytest.approx(fit)
    page.focus(".cv-canvas")
    page.keyboard.press("+")
    assert box()[2] < fit[2]
    page.close()


def test_downloads_are_the_picture_shown(browser: Any, pages: dict[str, Path]) -> None:
    page, _ = open_page(browser, pages["two_decisions"].as_uri())
    page.select_option(".cv-decision", "D2")
    with page.expect_download() as got:
        page.click('[data-act="svg"]')
    svg = ET.parse(got.value.path()).getroot()
    groups = [g.get("data-for") for g in svg.iter("{http://www.w3.org/2000/svg}g")
              if g.get("class") == "rings"]
    assert groups == ["D2"]  # the rings shown, and only those
    assert not any("cv-" in (e.get("class") or "") for e in svg.iter())
    with page.expect_download() as got:
        page.click('[data-act="png"]')
    assert Path(got.value.path()).read_bytes().startswith(b"\x89PNG")
    page.close()


def test_printing_shows_the_figure_and_every_incentive(browser: Any, pages: dict[str, Path],
                                                       shots: Path) -> None:
    page, _ = open_page(browser, pages["recommender"].as_uri())
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    assert not page.is_visible(".cv-bar")
    assert page.evaluate("document.querySelector('.cv-summary').open")
    summary = [(k, d) for k, d, _, _ in items(page, ".cv-summary")]
    report = cidlib.analyze(RECOMMENDER)
    assert sorted(summary) == sorted((i.kind.value, "P") for i in report if not i.trivial)
    shoot(page, shots, "print")
    page.close()


def test_notebook_views_share_a_page_and_fall_back_to_the_figure(
        browser: Any, tmp_path: Path, shots: Path) -> None:
    outputs = [RECOMMENDER._repr_html_(), cidlib.analyze(MULTI_DECISION)._repr_html_()]
    notebook = tmp_path / "notebook.html"
    notebook.write_text("<!DOCTYPE html><meta charset='utf-8'><body>" + "".join(
        f'<div class="output">{html}</div>' for html in outputs) + "</body>", encoding="utf-8")
    page, log = open_page(browser, notebook.as_uri())
    page.wait_for_function("document.querySelectorAll('[data-ready=true]').length === 2")
    views = page.query_selector_all(".cidlib-view")
    views[1].query_selector('.node[data-node="S"]').hover()
    assert "S" in views[1].query_selector(".cv-info").inner_text()
    assert "Hover over" in views[0].query_selector(".cv-info").inner_text()  # untouched
    assert log.errors == []
    assert log.requests == [notebook.as_uri()]
    page.close()
    # where the output's script does not run, the annotated figure and the legend remain
    page, _ = open_page(browser, notebook.as_uri(), java_script_enabled=False)
    assert not page.is_visible(".cv-bar")
    assert page.is_visible(".cv-legend")
    rings = page.query_selector_all('.output:first-child g.rings:not([display]) .ring')
    assert len(rings) == 8  # the paper's eight incentives of the recommender
    shoot(page, shots, "notebook-without-script")
    page.close()


# -- the editor ---------------------------------------------------------------------------------

@pytest.fixture
def editor(tmp_path: Path) -> Iterator[Any]:
    from cidlib.web.server import EditorServer
    from cidlib.web.session import EditSession

    path = tmp_path / "rec.cid"
    shutil.copy(EXAMPLES / "recommender.cid", path)
    server = EditorServer(EditSession(path))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def settle(page: Any) -> None:
    """Wait until the page's pending requests are answered (the editor's page cannot be
    asked to evaluate code: its policy forbids eval, so waits use selectors)."""
    page.wait_for_load_state("networkidle")


def test_editing_through_the_page_equals_the_python_api(browser: Any, editor: Any,
                                                         shots: Path) -> None:
    path = Path(editor.session.path)
    original = path.read_bytes()
    page, log = open_page(browser, editor.url)
    settle(page)
    page.fill(".ed-add-form input[name=name]", "X")
    page.click(".ed-add-form button[type=submit]")
    page.wait_for_selector("#node-X")  # added, and pinned: its tools show
    page.select_option(".ed-adder select", label="I")
    page.click('.ed-adder button[data-dir="out"]')
    page.wait_for_selector("#edge-X-I")
    page.click("#node-I")
    page.select_option(".ed-adder select", label="X")
    page.click('.ed-adder button[data-dir="out"]')  # I -> X: a cycle
    page.wait_for_selector(".ed-message.ed-error")
    assert "directed cycle 'I' -> 'X' -> 'I'" in page.inner_text(".ed-message")
    assert page.query_selector("#edge-I-X") is None
    assert path.read_bytes() == original  # nothing is written before a save
    shoot(page, shots, "editor-refused")
    page.click('[data-ed="undo"]')
    page.wait_for_selector("#edge-X-I", state="detached")
    page.click('[data-ed="save"]')
    sync_api.expect(page.locator(".ed-status")).to_have_text(re.compile(r": saved$"))
    expected = read_diagram(EXAMPLES / "recommender.cid").add_nodes(["X"])
    assert path.read_text(encoding="utf-8") == dumps(expected)
    assert [e for e in log.errors if "favicon" not in e] == []
    shoot(page, shots, "editor-saved")
    page.close()


def test_the_editor_refuses_requests_without_its_token(browser: Any, editor: Any) -> None:
    page = browser.new_page()
    base = f"http://127.0.0.1:{editor.server_port}/"
    for url in (base, base + "api/state", base + "not-the-token/"):
        answer = page.goto(url)
        assert answer.status == 403
        assert "token" in page.inner_text("body")
    page.close()


def test_dragging_moves_nodes_and_shift_drag_adds_edges(browser: Any, editor: Any,
                                                        shots: Path) -> None:
    path = Path(editor.session.path)
    page, log = open_page(browser, editor.url)
    settle(page)
    before = dict(editor.session.panel.layout.positions)
    node = page.query_selector("#node-O .shape").bounding_box()
    x, y = node["x"] + node["width"] / 2, node["y"] + node["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 60, y + 40, steps=6)
    page.mouse.up()
    sync_api.expect(page.locator(".ed-message")).to_have_text(re.compile(r"^moved"))
    positions = editor.session.diagram.positions
    assert set(positions) == set(before)  # every node pinned where it was, O moved
    assert positions["O"][0] > before["O"][0] + 0.3
    assert positions["O"][1] < before["O"][1] - 0.2
    assert all(positions[n] == pytest.approx(before[n], abs=1e-3) for n in before if n != "O")
    start = page.query_selector("#node-M .shape").bounding_box()
    end = page.query_selector("#node-C .shape").bounding_box()
    page.keyboard.down("Shift")
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=8)
    page.mouse.up()
    page.keyboard.up("Shift")
    page.wait_for_selector("#edge-M-C")
    page.keyboard.press("Control+s")
    sync_api.expect(page.locator(".ed-status")).to_have_text(re.compile(r": saved$"))
    saved = read_diagram(path)
    assert ("M", "C") in saved.edges
    assert saved.positions == positions
    shoot(page, shots, "editor-moved")
    assert log.errors == []
    page.close()


def test_the_editor_exports_tikz_and_json(browser: Any, editor: Any) -> None:
    page, _ = open_page(browser, editor.url)
    settle(page)
    with page.expect_download() as got:
        page.click('[data-ed="export"][data-format="tikz"]')
    assert got.value.suggested_filename == "rec.tex"
    tex = Path(got.value.path()).read_text(encoding="utf-8")
    assert "\\begin{tikzpicture}" in tex
    assert "% ICI on I" in tex
    with page.expect_download() as got:
        page.click('[data-ed="export"][data-format="json"]')
    exported = cidlib.InfluenceDiagram.from_json(Path(got.value.path()).read_text())
    assert exported == editor.session.diagram
    page.close()
