from __future__ import annotations

import math
import shutil
import subprocess
import sys
from pathlib import Path as FilePath

import matplotlib as mpl
import pytest
from hypothesis import given
from matplotlib import patches
from matplotlib.colors import to_hex

import cidlib
from cidlib.exceptions import InvalidQueryError, UnknownNodeError
from cidlib.render.layout import _bezier, _control, clearance, compute_layout
from cidlib.render.style import Style
from tests.diagrams import EXAMPLES, GRADE, RECOMMENDER, RECOMMENDER_FIX, TAXI
from tests.strategies import diagrams

mpl.use("Agg")
STYLE = Style()


@pytest.fixture(autouse=True)
def _close_figures():  # type: ignore[no-untyped-def]
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


def _by_gid(ax, prefix: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {a.get_gid(): a for a in [*ax.patches, *ax.texts]
            if (a.get_gid() or "").startswith(prefix)}


# -- shapes, rings, highlights, legend ---------------------------------------------------------

def test_shapes_by_kind() -> None:
    ax = cidlib.draw(RECOMMENDER)
    nodes = _by_gid(ax, "node:")
    assert isinstance(nodes["node:chance:O"], patches.Circle)
    assert isinstance(nodes["node:decision:P"], patches.Rectangle)
    assert isinstance(nodes["node:utility:C"], patches.Polygon)
    assert len(nodes["node:utility:C"].get_xy()) in (4, 5)  # a diamond (closed polygon)
    assert to_hex(nodes["node:decision:P"].get_facecolor()) == STYLE.decision_fill
    assert to_hex(nodes["node:utility:C"].get_facecolor()) == STYLE.utility_fill
    assert to_hex(nodes["node:chance:O"].get_facecolor()) == STYLE.chance_fill


def test_labels_are_wrapped() -> None:
    ax = cidlib.draw(RECOMMENDER)
    label = _by_gid(ax, "label:")["label:O"]
    assert label.get_text() == "Original user\nopinions"


def test_incentive_rings_colours_and_nesting() -> None:
    report = cidlib.analyze(RECOMMENDER)
    ax = cidlib.draw(RECOMMENDER, report=report)
    rings = _by_gid(ax, "ring:")
    assert set(rings) == {"ring:voi:O", "ring:ri:O", "ring:voc:O", "ring:voi:M", "ring:ri:M",
                          "ring:voc:M", "ring:voc:I", "ring:ici:I"}
    for gid, ring in rings.items():
        kind = cidlib.IncentiveKind(gid.split(":")[1])
        assert to_hex(ring.get_edgecolor()) == STYLE.ring_colours[kind]
        assert ring.get_linestyle() not in ("-", "solid")  # dashed
    # nested: the second ring around I is larger than the first
    assert rings["ring:ici:I"].get_radius() > rings["ring:voc:I"].get_radius()


def test_trivial_incentives_not_ringed_unless_asked() -> None:
    report = cidlib.analyze(RECOMMENDER)
    assert "ring:voc:C" not in _by_gid(cidlib.draw(RECOMMENDER, report=report), "ring:")
    rings = _by_gid(cidlib.draw(RECOMMENDER, report=report, show_trivial=True), "ring:")
    assert {"ring:voc:C", "ring:ici:C", "ring:ici:P"} <= set(rings)


def test_highlighted_witness_paths() -> None:
    report = cidlib.analyze(RECOMMENDER)
    ax = cidlib.draw(RECOMMENDER, report=report, highlight=report.filter(kind="ici", node="I"))
    lit = _by_gid(ax, "highlight:")
    assert set(lit) == {"highlight:P->I", "highlight:I->C"}
    for arrow in lit.values():
        assert to_hex(arrow.get_edgecolor()) == STYLE.ring_colours[cidlib.IncentiveKind.ICI]
        assert arrow.get_linewidth() == STYLE.highlight_line_width
    plain = _by_gid(ax, "edge:")
    assert "edge:O->I" in plain
    assert plain["edge:O->I"].get_linewidth() == STYLE.edge_line_width


def test_highlight_accepts_incentive_path_and_lists() -> None:
    ici = cidlib.admits_ici(RECOMMENDER, "P", "I")
    path = cidlib.Path.directed(["O", "M"])
    ax = cidlib.draw(RECOMMENDER, highlight=[ici, path])
    lit = _by_gid(ax, "highlight:")
    assert to_hex(lit["highlight:O->M"].get_edgecolor()) == STYLE.highlight_colour
    assert "highlight:P->I" in lit


def test_highlight_errors() -> None:
    with pytest.raises(InvalidQueryError, match="absent"):
        cidlib.draw(RECOMMENDER, highlight=cidlib.admits_ici(RECOMMENDER, "P", "O"))
    with pytest.raises(InvalidQueryError, match="'O' -> 'C' is not in the diagram"):
        cidlib.draw(RECOMMENDER, highlight=cidlib.Path.directed(["O", "C"]))
    with pytest.raises(InvalidQueryError, match="cannot highlight 3"):
        cidlib.draw(RECOMMENDER, highlight=[3])  # type: ignore[list-item]


def test_information_links_are_dotted() -> None:
    ax = cidlib.draw(RECOMMENDER)
    edges = _by_gid(ax, "edge:")
    assert edges["edge:M->P"].get_linestyle() != edges["edge:O->I"].get_linestyle()
    assert edges["edge:O->I"].get_linestyle() in ("-", "solid")


def test_legend_lists_only_what_is_used() -> None:
    report = cidlib.analyze(RECOMMENDER)
    ax = cidlib.draw(RECOMMENDER, report=report, highlight=report.filter(kind="ici", node="I"))
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts == ["chance node", "decision node", "utility node", "information link",
                     "value of information", "response incentive", "value of control",
                     "instrumental control incentive", "ICI witness path"]
    bare = [t.get_text() for t in cidlib.draw(RECOMMENDER_FIX).get_legend().get_texts()]
    assert bare == ["chance node", "decision node", "utility node", "information link"]
    assert cidlib.draw(RECOMMENDER, legend=False).get_legend() is None


def test_several_agents_get_their_own_fills() -> None:
    ax = cidlib.draw(TAXI)
    nodes = _by_gid(ax, "node:")
    d1 = to_hex(nodes["node:decision:D1"].get_facecolor())
    d2 = to_hex(nodes["node:decision:D2"].get_facecolor())
    assert d1 != d2
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "agent 1 decision" in texts
    assert "agent 2 utility" in texts


def test_title_given_axes_and_no_show(monkeypatch: pytest.MonkeyPatch) -> None:
    import matplotlib.pyplot as plt

    def refuse() -> None:
        raise AssertionError("the library must not call plt.show()")

    monkeypatch.setattr(plt, "show", refuse)
    _, ax = plt.subplots()
    out = cidlib.draw(GRADE, ax=ax, title="Grade prediction")
    assert out is ax
    assert ax.get_title() == "Grade prediction"


def test_user_positions_win() -> None:
    ax = cidlib.draw(GRADE, layout={"R": (10.0, 5.0)})
    assert _by_gid(ax, "node:")["node:chance:R"].center == (10.0, 5.0)
    moved = GRADE.with_positions({"Ge": (-3.0, 2.0)})
    assert compute_layout(moved).boxes["Ge"].x == -3.0
    with pytest.raises(UnknownNodeError):
        cidlib.draw(GRADE, layout={"Nope": (0.0, 0.0)})


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_save_formats(tmp_path: FilePath, fmt: str) -> None:
    ax = cidlib.draw(RECOMMENDER, report=cidlib.analyze(RECOMMENDER))
    path = tmp_path / f"figure.{fmt}"
    ax.figure.savefig(path)
    magic = {"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}[fmt]
    assert path.read_bytes().startswith(magic)


def test_notebook_reprs() -> None:
    svg = RECOMMENDER._repr_svg_()
    assert svg is not None
    assert "<svg" in svg
    html = cidlib.analyze(RECOMMENDER)._repr_html_()
    assert html.startswith("<svg")


def test_comparison_figure() -> None:
    fig = cidlib.draw_comparison(RECOMMENDER, RECOMMENDER_FIX,
                                 titles=("Clicks", "Predicted clicks"))
    left, right = fig.axes
    assert (left.get_title(), right.get_title()) == ("Clicks", "Predicted clicks")
    captions = {t.get_gid(): t.get_text() for t in fig.texts}
    assert captions["caption:disappears"] == "Disappears: VoI on O, VoC on I, ICI on I"
    assert captions["caption:appears"] == "Appears: none"
    lit = _by_gid(left, "highlight:")
    assert {"highlight:P->I", "highlight:I->C", "highlight:O->I"} <= set(lit)
    assert not _by_gid(right, "highlight:")
    # shared positions for the nodes both designs have
    for node in ("O", "M", "P", "I"):
        a = _by_gid(left, "label:")[f"label:{node}"].get_position()
        b = _by_gid(right, "label:")[f"label:{node}"].get_position()
        assert a == b


# -- layout -------------------------------------------------------------------------------------

def _boxes_overlap(a, b) -> bool:  # type: ignore[no-untyped-def]
    return (abs(a.x - b.x) < (a.width + b.width) / 2
            and abs(a.y - b.y) < (a.height + b.height) / 2)


def _check_layout(d: cidlib.InfluenceDiagram) -> None:
    lay = compute_layout(d)
    boxes = list(lay.boxes.items())
    for i, (n1, a) in enumerate(boxes):
        for n2, b in boxes[i + 1:]:
            assert not _boxes_overlap(a, b), (n1, n2)
    for u, v in d.edges:
        a, b = lay.boxes[u], lay.boxes[v]
        bend = lay.bends.get((u, v), 0.0)
        points = _bezier((a.x, a.y), _control((a.x, a.y), (b.x, b.y), bend), (b.x, b.y))
        for n, box in lay.boxes.items():
            if n not in (u, v) and bend == 0.0:
                assert clearance(points, box) > 0, f"straight edge {u}->{v} crosses {n}"


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_layout_of_examples(name: str) -> None:
    _check_layout(EXAMPLES[name])


@given(diagrams(max_nodes=14))
def test_layout_of_random_diagrams(d: cidlib.InfluenceDiagram) -> None:
    _check_layout(d)


def test_layout_is_deterministic_and_layered() -> None:
    a, b = compute_layout(EXAMPLES["random40"]), compute_layout(EXAMPLES["random40"])
    assert a == b
    for u, v in EXAMPLES["random40"].edges:
        assert a.boxes[u].x < a.boxes[v].x


def test_bent_edges_clear_nodes_in_examples() -> None:
    for d in EXAMPLES.values():
        lay = compute_layout(d)
        for (u, v), bend in lay.bends.items():
            a, b = lay.boxes[u], lay.boxes[v]
            control = _control((a.x, a.y), (b.x, b.y), bend)
            points = _bezier((a.x, a.y), control, (b.x, b.y))
            worst = min(clearance(points, box) for n, box in lay.boxes.items()
                        if n not in (u, v))
            assert worst > 0, (u, v)


# -- exports -------------------------------------------------------------------------------

def test_tikz_document() -> None:
    report = cidlib.analyze(RECOMMENDER)
    tex = cidlib.to_tikz(RECOMMENDER, report=report,
                         highlight=report.filter(kind="ici", node="I"))
    assert tex.startswith("\\documentclass[tikz,border=4pt]{standalone}")
    assert tex.count("\\node[cidnode") == len(RECOMMENDER.nodes)
    assert tex.count("\\draw[edge") == len(RECOMMENDER.edges)
    assert tex.count("% ICI on I") == 1
    assert "information link" in tex
    assert "highlight, draw=cd62728" in tex
    assert "Original user\\\\opinions" in tex
    body = cidlib.to_tikz(RECOMMENDER, standalone=False)
    assert body.startswith("\\definecolor")
    assert "documentclass" not in body


def test_tikz_escapes_latex() -> None:
    d = cidlib.CID([("a_1", "D&"), ("D&", "U%")], decisions=["D&"], utilities=["U%"])
    tex = cidlib.to_tikz(d)
    assert "{a\\_1}" in tex
    assert "{D\\&}" in tex
    assert "{U\\%}" in tex


@pytest.mark.skipif(shutil.which("pdflatex") is None,
                    reason="pdflatex is not installed; the TikZ output is checked as text only")
@pytest.mark.parametrize("name", ["recommender", "taxi", "chain6"])
def test_tikz_compiles(tmp_path: FilePath, name: str) -> None:
    d = EXAMPLES[name]
    report = None if len(d.agents) > 1 else cidlib.analyze(d)
    (tmp_path / "figure.tex").write_text(cidlib.to_tikz(d, report=report))
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error",
                          "figure.tex"], cwd=tmp_path, capture_output=True, text=True,
                         check=False, timeout=120)
    assert run.returncode == 0, run.stdout[-2000:]
    assert (tmp_path / "figure.pdf").read_bytes().startswith(b"%PDF")


def test_dot_export() -> None:
    report = cidlib.analyze(RECOMMENDER)
    dot = cidlib.to_dot(RECOMMENDER, report=report,
                        highlight=report.filter(kind="ici", node="I"))
    lines = dot.splitlines()
    assert lines[0] == 'digraph "influence diagram" {'
    assert lines[-1] == "}"
    assert '  "P" [shape=box, fillcolor="#cfe2f3", label="Posts to show"];' in lines
    assert '  "M" -> "P" [style=dotted];' in lines
    assert '  "P" -> "I" [color="#d62728", penwidth=3];' in lines
    assert sum(" -> " in line for line in lines) == len(RECOMMENDER.edges)
    assert 'font color="#d62728">ICI</font>' in dot
    quoted = cidlib.CID([('say "hi"', "U")], decisions=[], utilities=["U"])
    assert '"say \\"hi\\"" -> "U";' in cidlib.to_dot(quoted)


def test_exports_do_not_import_matplotlib() -> None:
    code = ("import sys, cidlib; cidlib.to_dot(cidlib.CID([('D', 'U')], decisions=['D'], "
            "utilities=['U'])); cidlib.to_tikz(cidlib.CID([('D', 'U')], decisions=['D'], "
            "utilities=['U'])); print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_ring_geometry_matches_style() -> None:
    report = cidlib.analyze(GRADE)
    ax = cidlib.draw(GRADE, report=report)
    node = _by_gid(ax, "node:")["node:chance:R"]
    ring = _by_gid(ax, "ring:")["ring:ri:R"]
    assert math.isclose(ring.get_radius() - node.get_radius(), STYLE.ring_gap)
