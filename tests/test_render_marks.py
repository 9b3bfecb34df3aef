"""What figures say: whose report, which decision, undetermined and generalised incentives,
and paper-ready files."""

from __future__ import annotations

import io
import re
from pathlib import Path as FilePath

import matplotlib as mpl
import pytest
from matplotlib.colors import to_hex

import cidlib
from cidlib.exceptions import InvalidQueryError
from cidlib.render.style import Style
from tests.diagrams import EXAMPLES, RECOMMENDER, RECOMMENDER_FIX

mpl.use("Agg")
STYLE = Style()

# Two decisions; giving X to D1 alone would break sufficient recall, so VoI of D1 on X is
# undetermined (the multi-decision criterion is silent there).
UNDETERMINED = cidlib.CID([("S", "D1"), ("D1", "D2"), ("S", "D2"), ("D1", "U"), ("D2", "U"),
                           ("X", "U"), ("S", "U")], decisions=["D1", "D2"], utilities=["U"])


def _gids(ax, prefix: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {a.get_gid(): a for a in [*ax.patches, *ax.texts]
            if (a.get_gid() or "").startswith(prefix)}


def _legend(ax) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.get_text() for t in ax.get_legend().get_texts()]


# -- a report belongs to its diagram (issue 14, item 3) -----------------------------------------

def test_a_report_of_another_diagram_is_refused_by_every_renderer() -> None:
    clicks, fixed = RECOMMENDER, RECOMMENDER_FIX
    report = cidlib.analyze(clicks)
    for render in (cidlib.draw, cidlib.to_tikz, cidlib.to_dot, cidlib.layout):
        with pytest.raises(InvalidQueryError, match="belongs to another diagram"):
            render(fixed, report=report)
    with pytest.raises(InvalidQueryError, match="belongs to another diagram"):
        cidlib.draw_decisions(fixed, report)
    # as a highlight: a report, or an incentive whose decision is not in the drawn diagram
    with pytest.raises(InvalidQueryError, match="another diagram"):
        cidlib.draw(fixed, highlight=report.filter(kind="voi"))
    other = cidlib.CID([("O", "Q"), ("O", "C"), ("Q", "C")], decisions=["Q"], utilities=["C"])
    with pytest.raises(InvalidQueryError, match="another diagram"):
        cidlib.to_dot(RECOMMENDER, highlight=cidlib.admits_voc(other, "Q", "O"))
    # labels and positions do not change any incentive: a relabelled copy is the same diagram
    renamed = clicks.with_labels({"I": "Influenced"}).with_positions({"O": (0.0, 0.0)})
    assert "% ICI on I" in cidlib.to_tikz(renamed, report=report)


# -- undetermined and generalised incentives -------------------------------------------------

def test_undetermined_incentives_get_a_grey_ring_with_a_question_mark() -> None:
    report = cidlib.analyze(UNDETERMINED)
    assert report.undetermined("voi", "D1") == {"X"}
    ax = cidlib.draw(UNDETERMINED, report=report, decision="D1")
    ring = _gids(ax, "ring:")["ring:voi?:X"]
    assert to_hex(ring.get_edgecolor()) == STYLE.undetermined_colour
    assert _gids(ax, "undetermined:")["undetermined:voi:X"].get_text() == "?"
    assert "value of information: undetermined (?)" in _legend(ax)
    assert ax.get_legend().get_title().get_text() == "Rings: incentives of D1"
    assert "ring:voi:X" not in _gids(ax, "ring:")  # not drawn as present
    tex = cidlib.to_tikz(UNDETERMINED, report=report, decision="D1")
    assert "% VoI? on X" in tex
    assert "undetermined, draw=c8c8c8c" in tex
    assert re.search(r'"X" \[.*xlabel=<<font color="#8c8c8c">VoI\?</font>',
                     cidlib.to_dot(UNDETERMINED, report=report, decision="D1"))
    # D2 decides X: no undetermined ring for it
    assert "ring:voi?:X" not in _gids(cidlib.draw(UNDETERMINED, report=report, decision="D2"),
                                      "ring:")


def test_a_filtered_report_shows_only_the_undetermined_incentives_it_lists() -> None:
    report = cidlib.analyze(UNDETERMINED)
    assert "ring-voi-D1-X" in cidlib.to_svg(UNDETERMINED, report=report)
    for narrowed in (report.filter(node="S"), report.filter(kind="ri")):
        assert narrowed.undetermined_incentives() == ()
        assert "ring-voi-D1-X" not in cidlib.to_svg(UNDETERMINED, report=narrowed)
        assert "ring:voi?:X@D1" not in _gids(cidlib.draw(UNDETERMINED, report=narrowed),
                                             "ring:")
        assert "ring-voi-D1-X" not in cidlib.to_html(UNDETERMINED, narrowed)
    kept = report.filter(node="X").undetermined_incentives()
    assert [(i.kind.value, i.decision, i.node, i.undetermined) for i in kept] == [
        ("voi", "D1", "X", True)]
    assert "ring:voi?:X@D1" in _gids(cidlib.draw(UNDETERMINED, report=report.filter(node="X")),
                                     "ring:")


def test_generalised_incentives_are_dash_dotted_and_named_in_the_legend() -> None:
    single = cidlib.draw(RECOMMENDER, report=cidlib.analyze(RECOMMENDER))
    d = EXAMPLES["multi_decision"]
    report = cidlib.analyze(d)
    generalised = [i for i in report if i.generalised and not i.trivial]
    assert generalised
    ax = cidlib.draw(d, report=report, decision=generalised[0].decision)
    gid = f"ring:{generalised[0].kind.value}:{generalised[0].node}"
    ring = _gids(ax, "ring:")[gid]
    plain = _gids(single, "ring:")["ring:voc:I"]
    assert ring.get_linestyle() != plain.get_linestyle()
    assert any(label.startswith(f"{generalised[0].kind.title} (generalised)")
               for label in _legend(ax))
    assert "generalised, draw=" in cidlib.to_tikz(d, report=report)


# -- one decision at a time ---------------------------------------------------------------------

def test_draw_decisions_draws_one_panel_per_decision_with_one_layout_and_legend() -> None:
    d = EXAMPLES["multi_decision"]
    report = cidlib.analyze(d)
    fig = cidlib.draw_decisions(d, report)
    assert [ax.get_title() for ax in fig.axes] == ["Decision D1", "Decision D2"]
    assert len(fig.legends) == 1
    for ax, decision in zip(fig.axes, ["D1", "D2"], strict=True):
        rings = _gids(ax, "ring:")
        assert {g.split(":")[2] for g in rings} == {
            i.node for i in report.filter(decision=decision) if not i.trivial}
        assert not _gids(ax, "tag:")  # one decision per panel: no tags needed
    first, second = (_gids(ax, "label:") for ax in fig.axes)
    assert all(first[g].get_position() == second[g].get_position() for g in first)
    with pytest.raises(InvalidQueryError, match="no decision"):
        cidlib.draw_decisions(cidlib.CID([("A", "U")], decisions=[], utilities=["U"]))
    with pytest.raises(InvalidQueryError, match="columns"):
        cidlib.draw_decisions(d, columns=0)


def test_draw_decisions_is_detached_from_pyplot() -> None:
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    cidlib.draw_decisions(EXAMPLES["multi_decision"])
    assert plt.get_fignums() == before


def test_a_report_of_several_decisions_shows_each_decision_in_notebooks() -> None:
    html = cidlib.analyze(EXAMPLES["multi_decision"])._repr_html_()
    assert 'data-for="D1"' in html
    assert 'data-for="D2"' in html


# -- paper-ready files ----------------------------------------------------------------------------

def test_pdf_and_postscript_embed_truetype_fonts() -> None:
    fig = cidlib.draw(RECOMMENDER, report=cidlib.analyze(RECOMMENDER)).figure
    pdf, ps = io.BytesIO(), io.BytesIO()
    fig.savefig(pdf, format="pdf")
    fig.savefig(ps, format="ps")
    assert b"/FontFile2" in pdf.getvalue()  # an embedded TrueType font program
    assert b"/Type3" not in pdf.getvalue().replace(b" ", b"")
    assert b"/FontType 42" in ps.getvalue()


def test_svg_text_is_real_text_when_asked() -> None:
    paths, texts = io.BytesIO(), io.BytesIO()
    cidlib.draw(RECOMMENDER).figure.savefig(paths, format="svg")
    cidlib.draw(RECOMMENDER, style=Style(svg_text=True)).figure.savefig(texts, format="svg")
    assert b"<text" not in paths.getvalue()
    assert b"<text" in texts.getvalue()
    assert b"Posts to show" in texts.getvalue()


def test_style_fonts_reach_legend_titles_and_captions() -> None:
    serif = Style(font_family="DejaVu Serif", font_size=11)
    fig = cidlib.draw_comparison(RECOMMENDER, RECOMMENDER_FIX, style=serif)
    texts = [*fig.legends[0].get_texts(), *fig.texts, *(ax.title for ax in fig.axes)]
    assert texts
    assert all(t.get_fontfamily() == ["DejaVu Serif"] for t in texts)


def test_saving_a_figure_replaces_the_file_whole(tmp_path: FilePath,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib.figure import Figure

    target = tmp_path / "figure.png"
    target.write_bytes(b"the old figure")
    fig = cidlib.draw(RECOMMENDER).figure

    def fail_midway(self, fname, *args, **kwargs):  # type: ignore[no-untyped-def]
        fname.write(b"\x89PNG half a file")  # the figure is drawn into memory first
        raise OSError("disk full")

    monkeypatch.setattr(Figure, "savefig", fail_midway)
    with pytest.raises(OSError, match="disk full"):
        fig.savefig(target)
    assert target.read_bytes() == b"the old figure"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figure.png"]
    monkeypatch.undo()
    fig.savefig(target)
    assert target.read_bytes().startswith(b"\x89PNG")
    fig.savefig(tmp_path / "no-suffix")  # matplotlib's default format, as before
    assert (tmp_path / "no-suffix").read_bytes().startswith(b"\x89PNG")


# -- every back-end draws one layout ---------------------------------------------------------------

def test_tikz_and_dot_draw_the_layout_they_are_given() -> None:
    lay = cidlib.layout(RECOMMENDER)
    x, y = lay.positions["P"]
    tex = cidlib.to_tikz(RECOMMENDER, layout=lay, style=STYLE)
    assert f"at ({x:.3f},{y:.3f}) {{Posts to show}}; % P" in tex
    assert tex.count(".. controls") == sum((len(c) - 1) // 3 for c in lay.curves.values())
    dot = cidlib.to_dot(RECOMMENDER, layout=lay)
    points = 72 * STYLE.inch_per_unit
    assert f'pos="{x * points:.2f},{y * points:.2f}!"' in dot
    tip = lay.curves[("P", "I")][-1]
    assert f'pos="e,{tip[0] * points:.2f},{tip[1] * points:.2f} ' in dot


def test_the_gallery_shows_every_catalogue_diagram() -> None:
    from cidlib import catalogue

    docs = FilePath(__file__).resolve().parent.parent / "docs"
    page = (docs / "gallery.md").read_text(encoding="utf-8")
    for entry in catalogue.catalogue():
        assert f"](images/gallery/{entry.name}.png)" in page, entry.name
        assert (docs / "images" / "gallery" / f"{entry.name}.png").is_file(), entry.name
    assert page.count("## A random diagram of") == 2


def test_a_saved_figure_is_readable_like_any_new_file(tmp_path: FilePath) -> None:
    import os

    umask = os.umask(0o022)
    try:
        target = tmp_path / "figure.png"
        cidlib.draw(RECOMMENDER).figure.savefig(target)
        assert target.stat().st_mode & 0o777 == 0o644
        target.chmod(0o600)  # an existing file keeps its mode
        cidlib.draw(RECOMMENDER).figure.savefig(target)
        assert target.stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(umask)
