from __future__ import annotations

import io
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
from cidlib.exceptions import (
    ArgumentTypeError,
    DiagramError,
    InvalidQueryError,
    MissingDependencyError,
    StyleError,
    UnknownNodeError,
)
from cidlib.io.files import read_diagram
from cidlib.render import graphviz
from cidlib.render.routes import polyline_hits
from cidlib.render.style import Style
from tests.diagrams import EXAMPLES, GRADE, RECOMMENDER, RECOMMENDER_FIX, TAXI, random_cid
from tests.strategies import diagrams

mpl.use("Agg")
STYLE = Style()
ROOT = FilePath(__file__).resolve().parent.parent


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
        assert to_hex(ring.get_edgecolor()) == STYLE.ring_colour(kind)
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
        assert to_hex(arrow.get_edgecolor()) == STYLE.ring_colour(cidlib.IncentiveKind.ICI)
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


def test_shared_edges_are_drawn_side_by_side_and_labelled() -> None:
    report = cidlib.analyze(RECOMMENDER)
    voi = report.get("voi", "P", "O")  # O -> I -> C
    ici = report.get("ici", "P", "I")  # P -> I -> C
    ax = cidlib.draw(RECOMMENDER, highlight=[voi, ici, cidlib.Path.directed(["O", "M"])])
    shared = [p for p in ax.patches if p.get_gid() == "highlight:I->C"]
    assert sorted(to_hex(p.get_edgecolor()) for p in shared) == sorted(
        [STYLE.ring_colour(cidlib.IncentiveKind.VOI), STYLE.ring_colour(cidlib.IncentiveKind.ICI)])
    starts = {tuple(p.get_path().vertices[0]) for p in shared}
    assert len(starts) == 2  # offset, not on top of each other
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "VoI witness path" in texts
    assert "ICI witness path / highlighted path" in texts  # same red: both named


def test_report_highlight_skips_trivial_witnesses() -> None:
    report = cidlib.analyze(RECOMMENDER)
    lit = _by_gid(cidlib.draw(RECOMMENDER, highlight=report.filter(kind="ici")), "highlight:")
    assert set(lit) == {"highlight:P->I", "highlight:I->C"}  # not P -> C (trivial ICI on C)


def test_rings_of_several_decisions_are_tagged_with_their_decision() -> None:
    d = EXAMPLES["multi_decision"]
    report = cidlib.analyze(d)
    ax = cidlib.draw(d, report=report)
    rings = _by_gid(ax, "ring:")
    # every ring names its decision: "ring:KIND:NODE@DECISION", and each is in the report
    assert rings
    for gid in rings:
        kind, rest = gid.split(":")[1:]
        node, decision = rest.split("@")
        assert report.has(kind, decision, node), gid
    tags = {t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("tag:")}
    assert tags == {"D1", "D2"}
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "tag: the decision of the rings" in legend
    only = _by_gid(cidlib.draw(d, report=report, decision="D1"), "ring:")
    assert only
    assert all(report.has(g.split(":")[1], "D1", g.split(":")[2]) for g in only)
    assert not [t for t in cidlib.draw(d, report=report, decision="D1").texts
                if (t.get_gid() or "").startswith("tag:")]
    with pytest.raises(InvalidQueryError, match="not a decision"):
        cidlib.draw(d, report=report, decision="S")


def test_names_are_not_math_text() -> None:
    d = cidlib.CID([("$x^$", "D"), ("D", "U")], decisions=["D"], utilities=["U"])
    ax = cidlib.draw(d)
    ax.figure.savefig(io.BytesIO(), format="png")
    assert d._repr_svg_() is not None


def test_legend_fits_given_axes() -> None:
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(6, 3))
    report = cidlib.analyze(RECOMMENDER)
    ax = cidlib.draw(RECOMMENDER, report=report, ax=axes[0],
                     highlight=report.filter(kind="ici", node="I"))
    fig.canvas.draw()
    box = ax.get_legend().get_window_extent()
    assert box.width <= fig.bbox.width / 2 + 1


def test_style_validates_colours_and_is_hashable() -> None:
    with pytest.raises(StyleError, match="voi_colour is 'blue'"):
        Style(voi_colour="blue")
    with pytest.raises(StyleError, match="agent_fills"):
        Style(agent_fills=("#ffffff", "pink"))
    assert hash(Style()) == hash(Style())
    custom = Style(ici_colour="#000000")
    ax = cidlib.draw(RECOMMENDER, report=cidlib.analyze(RECOMMENDER), style=custom)
    assert to_hex(_by_gid(ax, "ring:")["ring:ici:I"].get_edgecolor()) == "#000000"


def test_long_labels_do_not_overlap() -> None:
    long = "a rather long label that wraps onto several lines"
    d = cidlib.CID([("A", "D"), ("B", "D"), ("C", "D"), ("D", "U")], decisions=["D"],
                   utilities=["U"], labels=dict.fromkeys("ABC", long))
    for engine in ENGINES:
        _check_layout(d, cidlib.layout(d, report=cidlib.analyze(d), engine=engine))


@pytest.mark.parametrize(("kwargs", "error", "needle"), [
    ({"style": {}}, ArgumentTypeError, "cidlib.Style"),
    ({"report": [1]}, ArgumentTypeError, "IncentiveReport"),
    ({"layout": {"P": "ab"}}, DiagramError, "finite numbers"),
    ({"layout": [1]}, ArgumentTypeError, "mapping"),
    ({"layout": {"P": (1e308, 0.0)}}, InvalidQueryError, "within"),
    ({"layout": cidlib.layout(GRADE)}, InvalidQueryError, "another diagram"),
    ({"layout": cidlib.layout(RECOMMENDER), "report": cidlib.analyze(RECOMMENDER)},
     InvalidQueryError, "less room around"),
])
def test_draw_argument_errors(kwargs, error, needle) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=needle):
        cidlib.draw(RECOMMENDER, **kwargs)


@pytest.mark.parametrize(("field", "value"), [("inch_per_unit", 0), ("wrap", 0),
                                              ("font_size", "9"), ("font_family", 3)])
def test_style_rejects_bad_values(field: str, value: object) -> None:
    with pytest.raises(StyleError, match=field):
        Style(**{field: value})  # type: ignore[arg-type]


def test_unusual_diagrams_draw() -> None:
    cases = [
        cidlib.CID([], decisions=[], utilities=[]),
        cidlib.CID([], decisions=["D"], utilities=[], nodes=["D"]),
        cidlib.CID([(1, ("t", 2))], decisions=[1], utilities=[("t", 2)]),
        cidlib.CID([("D", "U")], decisions=["D"], utilities=["U"],
                   positions={"D": (0.0, 0.0), "U": (0.0, 0.0)}),
    ]
    for d in cases:
        ax = cidlib.draw(d, title=r"cost $\foo$")
        ax.figure.savefig(io.BytesIO(), format="png")
        assert ax.get_title() == r"cost $\foo$"


def _inside_saved_image(figure, artist) -> bool:  # type: ignore[no-untyped-def]
    """Whether ``artist`` lies inside the image ``figure.savefig`` writes (no tight bbox)."""
    figure.canvas.draw()
    box = artist.get_window_extent()
    return (box.x0 >= -0.5 and box.y0 >= -0.5 and box.x1 <= figure.bbox.width + 0.5
            and box.y1 <= figure.bbox.height + 0.5)


@pytest.mark.parametrize("style", [Style(), Style(font_size=14), Style(font_size=6),
                                   Style(inch_per_unit=0.4), Style(inch_per_unit=1.5)])
def test_legend_is_inside_the_figure(style: Style) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    rt = cidlib.catalogue.reward_tampering()
    report = cidlib.analyze(rt)
    cases = [
        cidlib.draw(rt, report=report, highlight=report.filter(kind="ici"), style=style).figure,
        cidlib.draw(EXAMPLES["multi_decision"], report=cidlib.analyze(EXAMPLES["multi_decision"]),
                    style=style).figure,
        cidlib.draw(cidlib.CID([("D", "U")], decisions=["D"], utilities=["U"]),
                    style=style).figure,
        cidlib.draw_comparison(RECOMMENDER, RECOMMENDER_FIX, style=style),
        cidlib.draw_decisions(EXAMPLES["multi_decision"], style=style),
    ]
    for figure in cases:
        FigureCanvasAgg(figure)
        legends = [*figure.legends, *(ax.get_legend() for ax in figure.axes if ax.get_legend())]
        assert len(legends) == 1
        assert _inside_saved_image(figure, legends[0])
        for text in figure.texts:  # captions
            assert _inside_saved_image(figure, text)
        for ax in figure.axes:
            assert _inside_saved_image(figure, ax.title)


def test_legend_of_a_drawing_at_fixed_positions_is_inside() -> None:
    d = cidlib.CID([("X", "D1"), ("D1", "Y"), ("Y", "D2"), ("D2", "U"), ("X", "U"), ("Y", "U")],
                   decisions=["D1", "D2"], utilities=["U"])
    ax = cidlib.draw(d, layout={"X": (0, 0), "D1": (0, 1), "Y": (0, 2), "D2": (0, 3),
                                "U": (0, 4)})
    assert _inside_saved_image(ax.figure, ax.get_legend())


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


def test_several_agents_get_one_pastel_fill_each() -> None:
    ax = cidlib.draw(TAXI)
    nodes = _by_gid(ax, "node:")
    fill = {n: to_hex(nodes[f"node:{TAXI.kind(n)}:{n}"].get_facecolor()) for n in TAXI.nodes}
    assert fill["D1"] == fill["U1"] == STYLE.agent_fills[0]
    assert fill["D2"] == fill["U2"] == STYLE.agent_fills[1]
    assert STYLE.agent_fills[0] not in (STYLE.decision_fill, STYLE.utility_fill)
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts == ["decision node", "utility node", "agent 1", "agent 2",
                     "information link"]


def test_title_given_axes_and_no_show(monkeypatch: pytest.MonkeyPatch) -> None:
    import matplotlib.pyplot as plt

    def refuse() -> None:
        raise AssertionError("the library must not call plt.show()")

    monkeypatch.setattr(plt, "show", refuse)
    _, ax = plt.subplots()
    out = cidlib.draw(GRADE, ax=ax, title="Grade prediction")
    assert out is ax
    assert ax.get_title() == "Grade prediction"


def test_figures_are_detached_from_pyplot_unless_asked() -> None:
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    for _ in range(25):  # no "More than 20 figures" warning (warnings are errors here)
        cidlib.draw(GRADE)
    fig = cidlib.draw_comparison(RECOMMENDER, RECOMMENDER_FIX)
    cidlib.draw_relevance_graph(TAXI)
    assert plt.get_fignums() == before
    assert fig.canvas is not None  # a detached figure still saves and renders
    ax = cidlib.draw(GRADE, pyplot=True)
    assert plt.gcf() is ax.figure
    assert len(plt.get_fignums()) == len(before) + 1
    cidlib.draw_comparison(RECOMMENDER, RECOMMENDER_FIX, pyplot=True)
    cidlib.draw_relevance_graph(TAXI, pyplot=True)
    assert len(plt.get_fignums()) == len(before) + 3
    with pytest.raises(ArgumentTypeError, match="pyplot must be True or False"):
        cidlib.draw(GRADE, pyplot="yes")  # type: ignore[arg-type]


def test_user_positions_win() -> None:
    ax = cidlib.draw(GRADE, layout={"R": (10.0, 5.0)})
    assert _by_gid(ax, "node:")["node:chance:R"].center == (10.0, 5.0)
    moved = GRADE.with_positions({"Ge": (-3.0, 2.0)})
    assert cidlib.layout(moved).positions["Ge"] == (-3.0, 2.0)
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
    assert "<svg" in html
    assert 'class="ring ici"' in html


def test_comparison_figure() -> None:
    fig = cidlib.draw_comparison(RECOMMENDER, RECOMMENDER_FIX,
                                 titles=("Clicks", "Predicted clicks"))
    left, right = fig.axes
    assert (left.get_title(), right.get_title()) == ("Clicks", "Predicted clicks")
    captions = {t.get_gid(): t.get_text() for t in fig.texts}
    assert captions["caption:disappears"] == (
        "Disappears: VoI on Original user opinions, VoC on Influenced user opinions, "
        "ICI on Influenced user opinions")
    assert captions["caption:appears"] == "Appears: none"
    lit = _by_gid(left, "highlight:")
    assert {"highlight:P->I", "highlight:I->C", "highlight:O->I"} <= set(lit)
    assert not _by_gid(right, "highlight:")
    # one legend for both panels, listing what either uses
    assert left.get_legend() is None
    assert right.get_legend() is None
    (legend,) = fig.legends
    texts = [t.get_text() for t in legend.get_texts()]
    assert len(texts) == len(set(texts))
    assert "ICI witness path" in texts
    assert "value of information" in texts
    # shared positions for the nodes both designs have
    for node in ("O", "M", "P", "I"):
        a = _by_gid(left, "label:")[f"label:{node}"].get_position()
        b = _by_gid(right, "label:")[f"label:{node}"].get_position()
        assert a == b


# -- layout -------------------------------------------------------------------------------------

ENGINES = ["cidlib"] + (["dot"] if graphviz.command() else [])


def _check_layout(d: cidlib.InfluenceDiagram, lay: cidlib.Layout) -> None:
    """No two nodes (rings included) overlap; no edge enters a node or ring but its own."""
    boxes = {n: lay.box(n) for n in d.nodes}
    items = sorted(boxes.items(), key=lambda item: item[1].x)
    for i, (n1, a) in enumerate(items):  # sweep by x: only near neighbours can overlap
        for n2, b in items[i + 1:]:
            if b.x - a.x >= (a.width + b.width) / 2:
                break
            assert abs(a.y - b.y) >= (a.height + b.height) / 2, (n1, n2)
    for (u, v), route in lay.routes.items():
        assert lay.box(u).contains(route[0], 0.05), (u, v)  # dot: within 0.01
        assert lay.box(v).contains(route[-1], 0.05), (u, v)
        for n, box in boxes.items():
            if n not in (u, v):
                assert not polyline_hits(route, box), f"{u} -> {v} passes through {n}"


def _corpus() -> list[tuple[str, cidlib.InfluenceDiagram]]:
    from cidlib import catalogue

    return ([(e.name, e.diagram()) for e in catalogue.catalogue()]
            + [(f"file:{p.stem}", read_diagram(p))
               for p in sorted((ROOT / "examples" / "diagrams").glob("*.cid"))]
            + sorted(EXAMPLES.items()) + [("random60", random_cid(60, 7))])


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("name", "d"), _corpus(), ids=[n for n, _ in _corpus()])
def test_layout_geometry_of_the_corpus(name: str, d: cidlib.InfluenceDiagram,
                                       engine: str) -> None:
    report = cidlib.analyze(d) if len(d.agents) == 1 else None
    lay = cidlib.layout(d, report=report, engine=engine)
    _check_layout(d, lay)
    assert set(lay.positions) == set(lay.sizes) == set(d.nodes)
    assert set(lay.routes) == set(d.edges)
    for u, v in d.edges:  # layered: every edge points right
        assert lay.positions[u][0] < lay.positions[v][0], (u, v)


@given(diagrams(max_nodes=14))
def test_layout_of_random_diagrams(d: cidlib.InfluenceDiagram) -> None:
    _check_layout(d, cidlib.layout(d, engine="cidlib"))


def test_layout_is_deterministic() -> None:
    for engine in ENGINES:
        a = cidlib.layout(EXAMPLES["random40"], engine=engine)
        assert a == cidlib.layout(EXAMPLES["random40"], engine=engine)


def test_layout_keeps_room_for_rings_and_ends_edges_at_them() -> None:
    report = cidlib.analyze(RECOMMENDER)
    bare, ringed = cidlib.layout(RECOMMENDER), cidlib.layout(RECOMMENDER, report=report)
    # O has three rings (VoI, RI, VoC): its size grows by three ring gaps on each side
    grown = ringed.sizes["O"][0] - bare.sizes["O"][0]
    assert math.isclose(grown, 2 * (STYLE.ring_room(3) - STYLE.ring_room(0)))
    assert math.isclose(ringed.margins["O"], STYLE.ring_room(3))
    outline = ringed.outline("O")
    start = ringed.routes[("O", "M")][0]
    assert not outline.contains(start)  # the edge starts at the outer ring, not the node
    assert ringed.box("O").contains(start, 0.05)


def test_arrowheads_into_one_node_land_apart() -> None:
    """The ten-node test-then-treat diagram: information links end at separate points."""
    d = cidlib.CID([("Age", "Symptoms"), ("Age", "Test?"), ("Symptoms", "Test?"),
                    ("Test?", "Test result"), ("Condition", "Test result"),
                    ("Condition", "Symptoms"), ("Test result", "Treat"), ("Age", "Treat"),
                    ("Symptoms", "Treat"), ("Test?", "Treat"), ("Treat", "Health"),
                    ("Condition", "Health"), ("Test?", "Cost"), ("Treat", "Cost")],
                   decisions=["Test?", "Treat"], utilities=["Health", "Cost"])
    for engine in ENGINES:
        lay = cidlib.layout(d, report=cidlib.analyze(d), engine=engine)
        _check_layout(d, lay)
        tips = [lay.routes[(p, "Treat")][-1] for p in d.pred["Treat"]]
        assert all(math.dist(a, b) > 0.05 for i, a in enumerate(tips) for b in tips[i + 1:])


def test_moving_nodes_reroutes_their_edges() -> None:
    lay = cidlib.layout(GRADE)
    x, y = lay.positions["E"]
    moved = lay.with_positions({"Ge": (x, y - 3.0)})
    assert moved.positions["Ge"] == (x, y - 3.0)
    assert moved.routes[("R", "HS")] == lay.routes[("R", "HS")]  # untouched
    assert moved.routes[("Ge", "P")] != lay.routes[("Ge", "P")]
    _check_layout(GRADE, moved)
    ax = cidlib.draw(GRADE, layout=moved)
    assert _by_gid(ax, "node:")["node:chance:Ge"].center == (x, y - 3.0)
    with pytest.raises(UnknownNodeError, match="did you mean 'Ge'"):
        lay.with_positions({"ge": (0.0, 0.0)})
    with pytest.raises(InvalidQueryError, match="finite"):
        lay.with_positions({"Ge": (math.nan, 0.0)})


def test_engine_choice() -> None:
    with pytest.raises(InvalidQueryError, match="engine must be one of"):
        cidlib.layout(GRADE, engine="neato")


def test_engine_dot_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(graphviz, "command", lambda: None)
    with pytest.raises(MissingDependencyError, match="pip install graphviz-pure"):
        cidlib.layout(GRADE, engine="dot")
    assert cidlib.layout(GRADE) == cidlib.layout(GRADE, engine="cidlib")  # auto falls back


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
    assert "edge, information link" in tex
    assert "Original user\\\\opinions" in tex
    body = cidlib.to_tikz(RECOMMENDER, standalone=False)
    assert body.startswith("\\definecolor")
    assert "documentclass" not in body


def test_tikz_escapes_latex() -> None:
    d = cidlib.CID([("a_1", "D&"), ("D&", "U%"), ("A\n\\def\\x{1}%", "D&")],
                   decisions=["D&"], utilities=["U%"])
    tex = cidlib.to_tikz(d)
    assert not any(line.startswith("\\def\\x") for line in tex.splitlines())
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
    clash = cidlib.CID([(1, "1")], decisions=[], utilities=[])
    assert '  "1" -> "\'1\'";' in cidlib.to_dot(clash).splitlines()
    shared = cidlib.to_dot(RECOMMENDER, highlight=[report.get("voi", "P", "O"),
                                                   report.get("ici", "P", "I")])
    assert '"I" -> "C" [color="#1f5fbf:#d62728", penwidth=3];' in shared


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


def test_png_saves_take_matplotlibs_arguments_and_compress_large_images_fast(
        monkeypatch: pytest.MonkeyPatch, tmp_path: FilePath) -> None:
    from PIL import Image

    levels: list[object] = []
    save = Image.Image.save

    def spy(image: Image.Image, fp: object, format: object = None, **params: object) -> None:
        levels.append(params.get("compress_level"))
        save(image, fp, format, **params)  # type: ignore[arg-type]

    monkeypatch.setattr(Image.Image, "save", spy)
    figure = cidlib.draw(RECOMMENDER).figure
    for options in ({"dpi": None}, {"dpi": "figure"}, {"format": "PNG"}, {"dpi": 50}):
        buffer = io.BytesIO()
        figure.savefig(buffer, **options)
        assert buffer.getvalue().startswith(b"\x89PNG"), options
    figure.savefig(tmp_path / "small.png")
    assert levels == [6] * 5  # PIL's default for ordinary figures
    figure.set_size_inches(60, 60)  # 18.7 megapixels at 72 dpi
    figure.savefig(tmp_path / "large.png", dpi=72)
    figure.savefig(tmp_path / "mine.png", dpi=72, pil_kwargs={"compress_level": 9})
    assert levels[5:] == [1, 9]  # the fastest level for large images, unless asked otherwise
