from __future__ import annotations

import pytest
from hypothesis import given

import cidlib
from cidlib.exceptions import (
    InvalidQueryError,
    UndeterminedError,
    UnknownNodeError,
    UnsupportedDiagramError,
)
from tests import oracle
from tests.strategies import diagrams

GRADE = [("R", "HS"), ("HS", "E"), ("HS", "P"), ("E", "Gr"), ("Gr", "Ac"), ("Ge", "P"),
         ("P", "Ac")]
RECOMMENDER = [("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("I", "C"), ("P", "C")]
FIXED = [("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("M", "PC"), ("P", "PC")]


def cid(edges, decisions, utilities, nodes=()):  # type: ignore[no-untyped-def]
    return cidlib.CID(edges, decisions=decisions, utilities=utilities, nodes=nodes)


# -- papers' examples, against the answers the papers state ------------------------------------

def test_grade_prediction_fig3a() -> None:
    """AI:ACP Fig. 3a: race has RI but no VoI; E, Gr have VoI but no RI; gender neither."""
    d = cid(GRADE, ["P"], ["Ac"])
    assert cidlib.admits_ri(d, "P", "R")
    assert not cidlib.admits_voi(d, "P", "R")
    for x in ("E", "Gr"):
        assert cidlib.admits_voi(d, "P", x)
        assert not cidlib.admits_ri(d, "P", x)
    assert not cidlib.admits_voi(d, "P", "Ge")
    assert not cidlib.admits_ri(d, "P", "Ge")
    assert cidlib.requisite_observations(d, "P") == {"HS"}
    assert str(cidlib.admits_ri(d, "P", "R").witness) == "R -> HS -> P"


def test_grade_prediction_fig3b_without_high_school_link() -> None:
    """Deleting HS -> P removes the RI on race and gives race VoI."""
    d = cid(GRADE, ["P"], ["Ac"]).remove_edges([("HS", "P")])
    assert not cidlib.admits_ri(d, "P", "R")
    voi = cidlib.admits_voi(d, "P", "R")
    assert voi
    assert str(voi.witness) == "R -> HS -> E -> Gr -> Ac"


def test_content_recommender() -> None:
    """TISB / AI:ACP Fig. 4a: ICI on influenced opinions; O has VoC but no ICI."""
    d = cid(RECOMMENDER, ["P"], ["C"])
    ici = cidlib.admits_ici(d, "P", "I")
    assert ici
    assert str(ici.witness) == "P -> I -> C"
    assert cidlib.admits_voc(d, "P", "O")
    assert not cidlib.admits_ici(d, "P", "O")
    assert cidlib.ici_nodes(d, "P") == {"P", "I", "C"}


def test_content_recommender_fix() -> None:
    """AI:ACP Fig. 4b: rewarding predicted clicks removes the ICI and VoC on I."""
    d = cid(FIXED, ["P"], ["PC"])
    assert not cidlib.admits_ici(d, "P", "I")
    assert not cidlib.admits_voc(d, "P", "I")
    assert cidlib.admits_ici(d, "P", "PC")
    assert cidlib.admits_ici(d, "P", "P")


def test_voc_counts_all_utilities_voi_only_those_below() -> None:
    """docs/theory.md#value-of-control: S -> U1 with U1 not below D: VoC but no VoI and no RI."""
    d = cid([("S", "U1"), ("D", "U2")], ["D"], ["U1", "U2"])
    assert str(cidlib.admits_voc(d, "D", "S").witness) == "S -> U1"
    assert not cidlib.admits_voi(d, "D", "S")
    assert not cidlib.admits_ri(d, "D", "S")


def test_voc_through_nonrequisite_link_only_is_absent() -> None:
    d = cid([("X", "D"), ("D", "U")], ["D"], ["U"])
    assert not cidlib.admits_voc(d, "D", "X")
    d2 = cid([("X", "D"), ("D", "U"), ("X", "U")], ["D"], ["U"])
    assert str(cidlib.admits_voc(d2, "D", "X").witness) == "X -> U"


def test_path_specific_objective_example() -> None:
    """Farquhar et al. (2022): replacing Z -> U by Zbar -> U removes the ICI and VoC on Z."""
    before = cid([("S", "A"), ("A", "Z"), ("A", "Y"), ("Z", "U"), ("Y", "U"), ("S", "Z")],
                 ["A"], ["U"])
    after = cid([("S", "A"), ("A", "Z"), ("A", "Y"), ("Zbar", "U"), ("Y", "U"), ("S", "Z"),
                 ("S", "Zbar")], ["A"], ["U"])
    assert cidlib.admits_ici(before, "A", "Z")
    assert not cidlib.admits_ici(after, "A", "Z")
    assert not cidlib.admits_voc(after, "A", "Z")
    assert cidlib.admits_ici(after, "A", "Y")


def test_reward_tampering_single_step() -> None:
    """Reward tampering (Everitt et al. 2021): A1 -> ThetaR2 -> R2 is an ICI; evaluating with
    the current reward function removes it."""
    before = cid([("A1", "S2"), ("A1", "ThetaR2"), ("S2", "R2"), ("ThetaR2", "R2")],
                 ["A1"], ["R2"])
    after = cid([("A1", "S2"), ("A1", "ThetaR2"), ("S2", "R2"), ("ThetaR1", "R2")],
                ["A1"], ["R2"])
    assert str(cidlib.admits_ici(before, "A1", "ThetaR2").witness) == "A1 -> ThetaR2 -> R2"
    assert not cidlib.admits_ici(after, "A1", "ThetaR2")
    assert not cidlib.admits_voc(after, "A1", "ThetaR2")


def test_multi_decision_voi_needs_the_reduction() -> None:
    """van Merwijk et al. (2022): S is d-connected to U2 below D1, yet has no VoI for D1."""
    d = cid([("D1", "U1"), ("D1", "D2"), ("S", "D2"), ("S", "U2"), ("D2", "U2")],
            ["D1", "D2"], ["U1", "U2"])
    assert not cidlib.admits_voi(d, "D1", "S")
    assert cidlib.admits_voi(d, "D2", "S")
    assert cidlib.voi_nodes(d, "D1") == frozenset()
    assert not cidlib.admits_voi(d, "D1", "S").generalised


def test_multi_decision_generalisations_are_marked() -> None:
    d = cid([("S", "D1"), ("D1", "D2"), ("D2", "U"), ("S", "U")], ["D1", "D2"], ["U"])
    ri = cidlib.admits_ri(d, "D1", "S")
    assert ri
    assert ri.generalised
    assert "generalisation" in ri.explain()
    assert str(ri.witness) == "S -> D1"
    ici = cidlib.admits_ici(d, "D1", "D2")
    assert ici.generalised
    assert str(ici.witness) == "D1 -> D2 -> U"


def test_not_soluble_is_a_clear_error() -> None:
    # Two decisions on one utility, neither seeing the other: each relies on the other.
    d = cid([("S", "D1"), ("S", "U"), ("D1", "U"), ("D2", "U")], ["D1", "D2"], ["U"])
    assert not cidlib.has_sufficient_recall(d, 0)
    with pytest.raises(UnsupportedDiagramError, match=r"not soluble: .*cycle D1 -> D2 -> D1"):
        cidlib.admits_voi(d, "D1", "S")
    # A link the reduction deletes has no value whether or not the diagram is soluble.
    assert not cidlib.admits_voi(d.remove_edges([("S", "U")]), "D1", "S")
    # Letting D2 observe what D1 saw and chose restores recall: D2 no longer relies on D1.
    recall = d.add_edges([("D1", "D2"), ("S", "D2")])
    assert cidlib.has_sufficient_recall(recall, 0)
    assert cidlib.relevance_graph(recall).edges == {("D1", "D2")}
    assert cidlib.admits_voi(recall, "D1", "S")


def test_multi_decision_voi_undetermined_when_link_breaks_recall() -> None:
    """D2 observes all D1 observed; giving X to D1 alone breaks recall, so CVOI is silent."""
    d = cid([("S", "D1"), ("D1", "D2"), ("S", "D2"), ("D1", "U"), ("D2", "U"), ("X", "U"),
             ("S", "U")], ["D1", "D2"], ["U"])
    assert cidlib.has_sufficient_recall(d, 0)
    with pytest.raises(UnsupportedDiagramError, match=r"once X -> D1 is added.*D1 -> D2 -> D1"):
        cidlib.admits_voi(d, "D1", "X")
    with pytest.raises(UnsupportedDiagramError, match="undetermined on X"):
        cidlib.voi_nodes(d, "D1")
    report = cidlib.analyze(d)
    assert report.undetermined("voi", "D1") == {"X"}
    with pytest.raises(UndeterminedError, match="undetermined on X"):
        report.nodes("voi", "D1")  # never a silent "no" for X
    assert report.nodes("voi", "D1", allow_undetermined=True) == {"S"}
    assert "? VoI of D1 undetermined on X" in str(report)
    assert report.to_dict()["undetermined"][0]["nodes"] == ["X"]
    assert cidlib.voi_nodes(d, "D2") == {"S", "X", "D1"}


# -- conventions and errors --------------------------------------------------------------------

def test_voi_undefined_is_an_error() -> None:
    d = cid(RECOMMENDER, ["P"], ["C"])
    for node, why in (("P", "decision itself"), ("C", "utility"), ("I", "descendant of P")):
        with pytest.raises(InvalidQueryError, match=why):
            cidlib.admits_voi(d, "P", node)


def test_ri_and_voc_false_for_decisions_and_trivial_marks() -> None:
    d = cid([("S", "D"), ("D", "U")], ["D"], ["U"])
    assert not cidlib.admits_ri(d, "D", "D")
    assert not cidlib.admits_voc(d, "D", "D")
    voc_u = cidlib.admits_voc(d, "D", "U")
    assert voc_u
    assert voc_u.trivial
    assert str(voc_u.witness) == "U"
    ici_d = cidlib.admits_ici(d, "D", "D")
    assert ici_d
    assert ici_d.trivial
    assert str(ici_d.witness) == "D -> U"
    assert not cidlib.admits_ri(d, "D", "U")


def test_query_errors() -> None:
    d = cid(RECOMMENDER, ["P"], ["C"])
    with pytest.raises(UnknownNodeError, match="'Q'"):
        cidlib.admits_ici(d, "P", "Q")
    with pytest.raises(InvalidQueryError, match="not a decision"):
        cidlib.admits_ici(d, "O", "I")
    with pytest.raises(InvalidQueryError, match="not a decision"):
        cidlib.voi_nodes(d, "O")


def test_several_agents_point_to_for_agent() -> None:
    g = cidlib.MACID([("D1", "U1"), ("D2", "U2")],
                     agents={1: {"decisions": ["D1"], "utilities": ["U1"]},
                             2: {"decisions": ["D2"], "utilities": ["U2"]}})
    for f in (cidlib.admits_voi, cidlib.admits_ri, cidlib.admits_voc, cidlib.admits_ici):
        with pytest.raises(UnsupportedDiagramError, match=r"for_agent\(1\)"):
            f(g, "D1", "U2")
    assert cidlib.admits_ici(g.for_agent(1), "D1", "U1")


def test_explanations() -> None:
    d = cid(GRADE, ["P"], ["Ac"])
    assert cidlib.admits_ri(d, "P", "R").explain() == (
        "P has a response incentive on R, because R -> HS -> P runs through requisite "
        "observations only, so every optimal policy responds to R.")
    assert cidlib.admits_voi(d, "P", "E").explain() == (
        "P has value of information on E, because E -> Gr -> Ac is an active path to its "
        "utility Ac, so observing E tells it something about Ac.")
    assert cidlib.admits_voi(d, "P", "R").explain().startswith(
        "P has no value of information on R: it is d-separated")
    assert cidlib.admits_ri(d, "P", "Ge").explain() == (
        "P has no response incentive on Ge: every directed path from Ge to P uses a "
        "nonrequisite information link, so none is left in the minimal reduction.")
    assert "no directed path from E to P" in cidlib.admits_ri(d, "P", "E").explain()
    assert "trivially" in cidlib.admits_ici(d, "P", "P").explain()
    assert repr(cidlib.admits_ri(d, "P", "R")) == (
        "Incentive(RI of P on R: present, witness='R -> HS -> P')")


def test_no_voi_explanation_names_the_separator_without_the_queried_node() -> None:
    """Issue 14, item 4: the conditioning set of the 'no VoI' sentence is Fa(D) - {X}."""
    d = cid([("Skill", "CV"), ("Skill", "Perf"), ("CV", "Hire"), ("Hire", "Perf")],
            ["Hire"], ["Perf"], nodes=["Hobby"])
    h2 = d.add_information_link("Hobby", "Hire")
    text = cidlib.admits_voi(h2, "Hire", "Hobby").explain()
    assert text == ("Hire has no value of information on Hobby: it is d-separated from every "
                    "utility below Hire given the decision's other observations and the "
                    "decision ({CV, Hire}).")
    assert "({CV, Hire})" in cidlib.admits_voi(d, "Hire", "Hobby").explain()


# -- properties against the brute-force oracle -------------------------------------------------

CRITERIA = {
    "ri": (cidlib.admits_ri, cidlib.ri_nodes),
    "voc": (cidlib.admits_voc, cidlib.voc_nodes),
    "ici": (cidlib.admits_ici, cidlib.ici_nodes),
}


def _check_witness(d: cidlib.InfluenceDiagram, kind: str, dec, node, inc) -> None:  # type: ignore[no-untyped-def]
    path = inc.witness
    red = cidlib.minimal_reduction(d)
    assert path is not None
    assert len(set(path.nodes)) == len(path.nodes)
    assert path.is_directed
    assert all(e in red.edges for e in path.edges)
    if kind == "ri":
        assert path.start == node
        assert path.end == dec
    elif kind == "voc":
        assert path.start == node
        assert path.end in d.utilities
    else:
        assert path.start == dec
        assert node in path.nodes
        assert path.end in d.utilities


@given(diagrams())
def test_ri_voc_ici_match_oracle(d: cidlib.InfluenceDiagram) -> None:
    model = oracle.Model.of(d)
    for dec in d.decisions:
        for kind, (admits, nodes) in CRITERIA.items():
            found = nodes(d, dec)
            for x in d.nodes:
                expected = getattr(model, kind)(dec, x)
                inc = admits(d, dec, x)
                assert bool(inc) == expected == (x in found), (kind, dec, x)
                assert inc.generalised == (len(d.decisions) > 1)
                if inc:
                    _check_witness(d, kind, dec, x, inc)


@given(diagrams())
def test_voi_matches_oracle(d: cidlib.InfluenceDiagram) -> None:
    model = oracle.Model.of(d)
    for dec in d.decisions:
        domain = [x for x in d.nodes if model.voi_defined(dec, x)]
        for x in d.nodes - set(domain):
            with pytest.raises(InvalidQueryError):
                cidlib.admits_voi(d, dec, x)
        expected: set[object] = set()
        unsupported = False
        for x in domain:
            extended = model.voi_graph(dec, x)
            survives = model.voi(dec, x)
            if len(d.decisions) > 1 and survives and not extended.soluble(0):
                unsupported = True
                with pytest.raises(UnsupportedDiagramError, match="not soluble"):
                    cidlib.admits_voi(d, dec, x)
                continue
            inc = cidlib.admits_voi(d, dec, x)
            assert bool(inc) == survives, (dec, x)
            if inc:
                expected.add(x)
                _check_voi_witness(d, dec, x, inc.witness)
        try:
            found = cidlib.voi_nodes(d, dec)
        except UnsupportedDiagramError:
            assert unsupported
            continue
        assert found == expected


def _check_voi_witness(d: cidlib.InfluenceDiagram, dec, x, path) -> None:  # type: ignore[no-untyped-def]
    """Active, from x to a utility below dec, given Fa(dec) - {x}, in the graph where VoI is
    decided: d itself (one decision) or the minimal d-reduction of d + x -> dec."""
    graph = d if x in d.parents(dec) else d.add_information_link(x, dec)
    if len(d.decisions) > 1:
        graph = cidlib.minimal_reduction(graph)
    assert path.start == x
    assert path.end in graph.descendants(dec) & d.utilities
    assert cidlib.is_active(graph, path, graph.family(dec) - {x})


@given(diagrams(max_decisions=1))
def test_single_decision_voi_is_one_pass_d_connection(d: cidlib.InfluenceDiagram) -> None:
    """AI:ACP Thm 9 read directly: X is d-connected to U^D given Fa(D) - {X} in G."""
    (dec,) = d.decisions
    model = oracle.Model.of(d)
    targets = model.targets(dec)
    for x in d.nodes:
        if model.voi_defined(dec, x):
            given_ = (d.family(dec)) - {x}
            expected = oracle.d_connected(d.nodes, d.edges, x, targets, set(given_))
            assert bool(cidlib.admits_voi(d, dec, x)) == expected


@given(diagrams())
def test_relabelling_invariance(d: cidlib.InfluenceDiagram) -> None:
    mapping = {n: f"renamed_{n}" for n in d.nodes}
    r = d.relabel(mapping)
    for dec in d.decisions:
        for _, nodes in CRITERIA.values():
            assert nodes(r, mapping[dec]) == {mapping[x] for x in nodes(d, dec)}
        try:
            voi = cidlib.voi_nodes(d, dec)
        except UnsupportedDiagramError:
            continue
        assert cidlib.voi_nodes(r, mapping[dec]) == {mapping[x] for x in voi}


@given(diagrams())
def test_queries_do_not_mutate(d: cidlib.InfluenceDiagram) -> None:
    snapshot = d.to_dict()
    for dec in d.decisions:
        for _, nodes in CRITERIA.values():
            nodes(d, dec)
    assert d.to_dict() == snapshot
    assert cidlib.minimal_reduction(d).nodes == d.nodes
    assert d.to_dict() == snapshot


@given(diagrams(min_nodes=6, max_nodes=18, max_decisions=4))
def test_batch_voi_matches_one_by_one(d: cidlib.InfluenceDiagram) -> None:
    """The bit-parallel multi-decision VoI equals one reduction per node, on larger graphs."""
    from cidlib.incentives.voi import exact_voi
    from cidlib.incentives.voi_batch import batch_voi

    for dec in d.decisions:
        candidates = sorted(x for x in d.nodes - d.descendants(dec) - d.utilities - {dec}
                            - d.parents(dec))
        found, unknown = batch_voi(d, dec, candidates)
        for x in candidates:
            try:
                expected = exact_voi(d, dec, x) is not None
            except UnsupportedDiagramError:
                assert x in unknown
                assert x not in found
                continue
            assert (x in found) == expected, (dec, x)
            assert x not in unknown
