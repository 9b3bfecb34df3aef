"""The catalogue of paper diagrams (cidlib.catalogue) and the example scripts in examples/.

Every answer expected here is written from the papers (as summarised in docs/theory.md), not from
running cidlib: ``PAPERS`` repeats each stated answer independently of the catalogue, and
every catalogue claim must agree with both the papers and cidlib.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Hashable
from pathlib import Path

import networkx as nx
import pytest

import cidlib
from cidlib import catalogue
from cidlib.catalogue import CATALOGUE, Claim, Example
from cidlib.exceptions import ArgumentTypeError, CidlibError

ROOT = Path(__file__).parents[1]

# (kind, subject, node, present) as the papers state them.
PAPERS: dict[str, set[tuple[str, Hashable, Hashable, bool]]] = {
    # AI:ACP Fig. 3a: race RI but no VoI; E, Gr VoI but no RI; gender neither (nonrequisite).
    "grade_prediction": {
        ("ri", "P", "R", True), ("voi", "P", "R", False), ("voi", "P", "E", True),
        ("voi", "P", "Gr", True), ("ri", "P", "E", False), ("ri", "P", "Gr", False),
        ("voi", "P", "Ge", False), ("ri", "P", "Ge", False), ("requisite", "P", "HS", True),
        ("requisite", "P", "Ge", False)},
    # AI:ACP Fig. 3b: without HS -> P the RI on race disappears and race gains VoI.
    "grade_prediction_without_high_school": {("ri", "P", "R", False), ("voi", "P", "R", True)},
    # TISB; AI:ACP Fig. 4a: ICI on I; O has VoC but no ICI.
    "content_recommender": {("ici", "P", "I", True), ("voc", "P", "O", True),
                            ("ici", "P", "O", False)},
    # AI:ACP Fig. 4b: no ICI or VoC on I; ICI on the posts and the predicted clicks.
    "content_recommender_fix": {("ici", "P", "I", False), ("voc", "P", "I", False),
                                ("ici", "P", "PC", True), ("ici", "P", "P", True)},
    "fitness_tracker": set(),  # stated incentives not verified: none claimed
    # RT single step: A1 -> ThetaR2 -> R2; current-RF fix: no ICI or VoC on ThetaR2.
    "reward_tampering": {("ici", "A1", "ThetaR2", True)},
    "reward_tampering_current_rf": {("ici", "A1", "ThetaR2", False),
                                    ("voc", "A1", "ThetaR2", False)},
    # FAIR: hiring ITV under 0-1 loss but not P-admissible; music school under both; music
    # school with A as a feature: not under P-admissible losses.
    "hiring": {("itv", "Yh", "A", True), ("itv_p_admissible", "Yh", "A", False)},
    "music_school": {("itv", "Yh", "A", True), ("itv_p_admissible", "Yh", "A", True)},
    "music_school_with_sensitive_feature": {("itv_p_admissible", "Yh", "A", False)},
    # docs/theory.md, "Strategic relevance and recall": PD a cycle; taxi D1 relies on D2, not
    # conversely; tree killer acyclic with
    # PT -> BP, PT -> TDoc, BP -> TDoc and TDoc relying on nothing; road: each plot's builders
    # an SCC, plot i relying on plot i+1; job market cyclic; movie star: no sufficient recall.
    "prisoners_dilemma": {("relies_on", "D1", "D2", True), ("relies_on", "D2", "D1", True)},
    "taxi_competition": {("relies_on", "D1", "D2", True), ("relies_on", "D2", "D1", False)},
    "tree_killer": {("relies_on", "PT", "BP", True), ("relies_on", "PT", "TDoc", True),
                    ("relies_on", "BP", "TDoc", True), ("relies_on", "TDoc", "PT", False),
                    ("relies_on", "TDoc", "BP", False), ("relies_on", "BP", "PT", False),
                    ("sufficient_recall", "Alice", None, True)},
    "road": {*(("scc", frozenset({f"B{i}W", f"B{i}E"}), None, True) for i in (1, 2, 3)),
             *(("relies_on", f"B{i}{s}", f"B{i + 1}{s}", True) for i in (1, 2) for s in "WE")},
    "job_market": {("relies_on", "E", "W", True), ("relies_on", "W", "E", True)},
    "forgetful_movie_star": {("sufficient_recall", 1, None, False)},
}

CLAIMS = [pytest.param(e, c, id=f"{e.name}: {c}") for e in catalogue.catalogue() for c in e.claims]


def test_the_catalogue_states_exactly_the_papers_answers() -> None:
    assert set(CATALOGUE) == set(PAPERS)
    for name, example in CATALOGUE.items():
        stated = {(c.kind, c.subject, c.node, c.present) for c in example.claims}
        assert stated == PAPERS[name], name
        assert len(example.claims) == len(stated), f"{name} repeats a claim"


@pytest.mark.parametrize(("example", "claim"), CLAIMS)
def test_cidlib_agrees_with_every_stated_answer(example: Example, claim: Claim) -> None:
    assert claim.evaluate(example.diagram()) is claim.present


def test_no_mismatches() -> None:
    assert all(e.mismatches() == () for e in catalogue.catalogue())


@pytest.mark.parametrize("example", catalogue.catalogue(), ids=lambda e: e.name)
def test_every_entry_is_a_valid_fresh_diagram_with_a_reference(example: Example) -> None:
    a, b = example.diagram(), example.diagram()
    assert isinstance(a, cidlib.InfluenceDiagram)
    assert a == b
    assert a is not b
    assert cidlib.InfluenceDiagram.from_dict(a.to_dict()) == a
    assert example.reference
    assert example.build.__doc__
    assert set(a.labels) <= a.nodes
    if len(a.agents) == 1:
        assert len(cidlib.analyze(a)) > 0
    else:
        assert set(cidlib.relevance_graph(a).nodes) == a.decisions
    for claim in example.claims:
        assert claim.where


def test_claims_evaluate_without_changing_the_diagram() -> None:
    d = catalogue.tree_killer()
    before = d.to_dict()
    for claim in CATALOGUE["tree_killer"].claims:
        claim.evaluate(d)
    assert d.to_dict() == before


# -- structure, from the papers and the issue ---------------------------------------------------

def _edges(text: str) -> set[tuple[str, str]]:
    return {(u, v) for u, v in (e.split("->") for e in text.split())}


def test_structures() -> None:
    assert catalogue.grade_prediction().edges == _edges(
        "R->HS HS->E HS->P E->Gr Gr->Ac Ge->P P->Ac")
    assert catalogue.grade_prediction_without_high_school().edges == _edges(
        "R->HS HS->E E->Gr Gr->Ac Ge->P P->Ac")
    assert catalogue.content_recommender().edges == _edges("O->M M->P O->I P->I I->C P->C")
    assert catalogue.content_recommender_fix().edges == _edges(
        "O->M M->P O->I P->I M->PC P->PC")
    fitness = catalogue.fitness_tracker()
    assert fitness.edges == _edges(
        "TD->TF TF->SC TF->C EF->EWD EWD->C C->F P->D P->SC P->F SC->C SC->EWD")
    assert (fitness.decisions, fitness.utilities) == ({"C"}, {"F"})
    assert catalogue.hiring().edges == _edges("A->D D->Y D->Yh Y->U Yh->U")
    assert catalogue.music_school().edges == _edges("A->T M->T M->Y T->Yh Yh->U Y->U")
    assert catalogue.music_school_with_sensitive_feature().edges == (
        catalogue.music_school().edges | {("A", "Yh")})
    assert catalogue.prisoners_dilemma().edges == _edges("D1->U1 D1->U2 D2->U1 D2->U2")
    assert catalogue.taxi_competition().edges == _edges("D1->D2 D1->U1 D1->U2 D2->U1 D2->U2")
    assert catalogue.job_market().edges == _edges("A->E E->W A->UW E->UW W->UW A->UF W->UF")
    star = catalogue.forgetful_movie_star()
    assert star.edges == _edges(
        "S->D11 S->D12 D2->U2 D2->U11 D11->U2 D11->U11 D11->U12 D12->U12")
    assert star.decisions_of(1) == {"D11", "D12"}
    assert star.utilities_of(1) == {"U11", "U12"}


def test_tree_killer_agents() -> None:
    tk = catalogue.tree_killer()
    assert tk.edges == _edges("PT->E PT->TS PT->BP TS->TDoc TS->TDead TDead->V TDead->Tree "
                              "TDoc->TDead TDoc->Cost TDoc->BP BP->V")
    assert tk.decisions_of("Alice") == {"PT", "BP"}
    assert tk.utilities_of("Alice") == {"E", "V"}
    assert tk.decisions_of("Bob") == {"TDoc"}
    assert tk.utilities_of("Bob") == {"Tree", "Cost"}
    assert tk.labels["TDoc"] == "Tree doctor"


def test_road_with_three_plots_matches_the_issue() -> None:
    r = catalogue.road()
    assert r.agents == {f"{i}{s}" for i in (1, 2, 3) for s in "WE"}
    for i in (1, 2, 3):
        for s, o in (("W", "E"), ("E", "W")):
            assert r.decisions_of(f"{i}{s}") == {f"B{i}{s}"}
            assert r.parents(f"U{i}{s}") >= {f"S{i}{s}", f"B{i}{s}", f"B{i}{o}"}
    assert r.parents("B2W") == {"S2W", "B1W", "B1E"}
    assert r.parents("U2W") == {"S2W", "B2W", "B2E", "B1W", "B3W"}
    assert r.parents("U3E") == {"S3E", "B3E", "B3W", "B2E"}
    assert len(r.edges) == 6 * 4 + 2 * 8


@pytest.mark.parametrize("n", [1, 2, 4, 6])
def test_road_has_one_component_per_plot_for_any_length(n: int) -> None:
    """KM: the builders of a plot form an SCC and plot i relies on plot i+1.

    See docs/theory.md, "Strategic relevance and recall".
    """
    graph = cidlib.relevance_graph(catalogue.road(n))
    sccs = {frozenset(c) for c in nx.strongly_connected_components(graph)}
    assert sccs == {frozenset({f"B{i}W", f"B{i}E"}) for i in range(1, n + 1)}
    for i in range(1, n):
        assert graph.has_edge(f"B{i}W", f"B{i + 1}W")
        assert graph.has_edge(f"B{i}E", f"B{i + 1}E")


@pytest.mark.parametrize("n", [0, -1, 2.0, True, "3"])
def test_road_rejects_a_bad_number_of_plots(n: object) -> None:
    with pytest.raises(ArgumentTypeError, match="whole number of plots"):
        catalogue.road(n)  # type: ignore[arg-type]


# -- the claim type -----------------------------------------------------------------------------

def test_claim_validation() -> None:
    with pytest.raises(ArgumentTypeError, match="unknown claim kind 'vio'"):
        Claim("vio", "P", "I")  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="takes a node"):
        Claim("ici", "P")
    with pytest.raises(ArgumentTypeError, match="takes no node"):
        Claim("sufficient_recall", 1, "D")
    with pytest.raises(ArgumentTypeError, match="True or False"):
        Claim("ici", "P", "I", 1)  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="frozenset of decisions"):
        Claim("scc", ("B1W", "B1E")).evaluate(catalogue.road())
    with pytest.raises(CidlibError, match="'X' is not a node"):
        Claim("ici", "P", "X").evaluate(catalogue.content_recommender())


def test_the_old_catalogue_name_still_works_with_a_deprecation_warning() -> None:
    code = """if True:
        import sys, warnings, cidlib
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            from cidlib.examples import CATALOGUE, road
        print(road is cidlib.catalogue.road, len(CATALOGUE))
        print([(w.category.__name__, str(w.message)) for w in caught])
        print(cidlib.examples is sys.modules["cidlib.examples"])
    """
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=False)
    assert run.returncode == 0, run.stderr
    found, warned, same = run.stdout.splitlines()
    assert found == f"True {len(CATALOGUE)}"
    assert "DeprecationWarning" in warned
    assert "use cidlib.catalogue" in warned
    assert same == "True"
    strict = subprocess.run([sys.executable, "-W", "error::DeprecationWarning", "-c",
                             "import cidlib.examples"], capture_output=True, text=True,
                            check=False)
    assert strict.returncode != 0
    assert "cidlib.examples is deprecated" in strict.stderr


def test_claim_text() -> None:
    assert str(Claim("ri", "P", "R", True, "Fig. 3a")) == "RI of P on R: present (Fig. 3a)"
    assert str(Claim("relies_on", "D2", "D1", False)) == "D2 relies on D1: absent"
    assert str(Claim("scc", frozenset({"B1W", "B1E"}))) == "{B1E, B1W} a relevance SCC: present"
    assert str(Claim("sufficient_recall", 1, present=False)) == (
        "sufficient recall of agent 1: absent")


def test_catalogue_is_read_only_and_ordered() -> None:
    assert [e.name for e in catalogue.catalogue()] == list(CATALOGUE)
    with pytest.raises(TypeError):
        CATALOGUE["x"] = CATALOGUE["road"]  # type: ignore[index]
    assert cidlib.catalogue is catalogue


# -- the example scripts, run as a user runs them ----------------------------------------------

def _run(script: str, out: Path) -> str:
    run = subprocess.run([sys.executable, str(ROOT / "examples" / script), str(out)],
                         capture_output=True, text=True, check=True, cwd=out.parent)
    return run.stdout


def test_fairness_script(tmp_path: Path) -> None:
    """Hiring: A -> D -> Yh with D requisite gives an RI on A (AI:ACP Thm 12); FAIR's answers;
    grade prediction: deleting HS -> P removes the RI on race (AI:ACP Fig. 3b)."""
    out = _run("fairness.py", tmp_path / "out")
    assert "Response incentive on A: yes, A -> D -> Yh" in out
    assert "Introduced total variation possible under some loss: yes" in out
    assert "Introduced total variation possible under a P-admissible loss: no" in out
    assert "music school, P-admissible loss: yes" in out
    assert "music school with A as a feature, P-admissible loss: no" in out
    assert "Grade prediction, response incentive on race R: yes (R -> HS -> P)" in out
    assert ("Without HS -> P, response incentive on race R: no; "
            "value of information on R: yes") in out
    assert (tmp_path / "out" / "fairness.png").stat().st_size > 0
    assert (tmp_path / "out" / "fairness_hiring.png").stat().st_size > 0


def test_reward_tampering_script(tmp_path: Path) -> None:
    """RT: the tampering ICI A1 -> ThetaR2 -> R2 and its removal by current-RF optimisation
    and by a path-specific objective with ThetaR2 delicate (docs/theory.md, "Path-specific
    objectives" and "Reward tampering")."""
    out = _run("reward_tampering.py", tmp_path / "out")
    assert "A1 -> ThetaR2 -> R2" in out
    assert "Current-RF optimisation: ICI on ThetaR2: no; VoC on ThetaR2: no" in out
    assert "Path-specific objective: ICI on ThetaR2: no; ICI on S2: yes" in out
    assert (tmp_path / "out" / "reward_tampering.png").stat().st_size > 0
    assert (tmp_path / "out" / "reward_tampering_pso.png").stat().st_size > 0
