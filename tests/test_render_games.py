"""Drawing the relevance graph, and the multi-agent example script."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

import cidlib
from cidlib import catalogue
from cidlib.exceptions import ArgumentTypeError

ROOT = Path(__file__).resolve().parent.parent


def _arrows(ax):
    return [p for p in ax.patches if isinstance(p, FancyArrowPatch)]


def _frames(ax):
    return [p for p in ax.patches if isinstance(p, FancyBboxPatch) and p.get_zorder() == 0]


def test_relevance_graph_draws_one_arrow_per_reliance_and_frames_each_cycle():
    road = catalogue.road(3)
    ax = cidlib.draw_relevance_graph(road, ax=Figure().add_subplot())
    assert len(_arrows(ax)) == cidlib.relevance_graph(road).number_of_edges() == 10
    assert len(_frames(ax)) == 3  # one per plot: its two builders rely on each other
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [f"agent {a}" for a in sorted(road.agents)] + ["relies on"]


def test_relevance_graph_uses_labels_and_agent_colours():
    tree = catalogue.tree_killer()
    ax = cidlib.draw_relevance_graph(tree, title=None, ax=Figure().add_subplot())
    texts = {t.get_text() for t in ax.texts}
    assert texts == {"Poison tree", "Build patio", "Tree doctor"}
    style = cidlib.Style()
    fills = {p.get_facecolor()[:3] for p in ax.patches
             if isinstance(p, FancyBboxPatch) and p.get_zorder() == 2}
    from matplotlib.colors import to_rgb
    assert fills == {to_rgb(style.agent_fill(tree, "Alice")), to_rgb(style.agent_fill(tree, "Bob"))}
    assert not _frames(ax)  # acyclic: no component of several decisions


def test_relevance_graph_rejects_a_bad_style():
    with pytest.raises(ArgumentTypeError, match="Style"):
        cidlib.draw_relevance_graph(catalogue.taxi_competition(), style="red")


def test_taxi_script_reports_the_equilibria_and_writes_its_files(tmp_path):
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, str(ROOT / "examples" / "taxi_game.py"), str(out)],
                         capture_output=True, text=True, check=True, cwd=tmp_path)
    # Hammond et al. (2021): three pure NE, one subgame perfect, {D2} a proper subgame.
    assert "3 pure Nash equilibria" in run.stdout
    assert "1 subgame-perfect equilibrium" in run.stdout
    assert "Subgames: {D2, U2}; {D1, D2, U1, U2}" in run.stdout
    assert "D2 does not rely on D1" in run.stdout
    assert (out / "taxi_game.png").stat().st_size > 10_000
    assert (out / "taxi_game.efg").read_text().startswith('EFG 2 R "Taxi competition"')
