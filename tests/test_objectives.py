"""Path-specific objectives (Farquhar, Carey & Everitt 2022; see docs/theory.md)."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import cidlib
from cidlib.exceptions import (
    ArgumentTypeError,
    DiagramError,
    InvalidQueryError,
    UnknownNodeError,
    UnsupportedDiagramError,
)
from tests.diagrams import PSO, RECOMMENDER, random_cid
from tests.strategies import diagrams


def _graph(d: cidlib.InfluenceDiagram) -> nx.DiGraph:  # type: ignore[type-arg]
    g: nx.DiGraph = nx.DiGraph()  # type: ignore[type-arg]
    g.add_nodes_from(d.nodes)
    g.add_edges_from(d.edges)
    return g


def _through(d: cidlib.InfluenceDiagram, decision: object, z: object) -> bool:
    """Brute force: a directed path decision -> ... -> z -> ... -> one of the owner's utilities."""
    g = _graph(d)
    owner = d.agent_of(decision)
    return nx.has_path(g, decision, z) and any(
        nx.has_path(g, z, u) for u in d.utilities_of(owner))


# -- the papers' examples ---------------------------------------------------------------------

def test_recommender_loses_the_incentive_on_opinions_and_keeps_the_task() -> None:
    """TISB/AI:ACP Fig. 4a with I delicate: no ICI or VoC on I; the ICI on P and C remains."""
    before = cidlib.InfluenceDiagram.from_dict(RECOMMENDER.to_dict())
    assert cidlib.admits_ici(RECOMMENDER, "P", "I")
    pso = cidlib.path_specific_objective(RECOMMENDER, "P", delicate=["I"])
    assert not cidlib.admits_ici(pso, "P", "I")
    assert not cidlib.admits_voc(pso, "P", "I")
    assert cidlib.admits_ici(pso, "P", "C")
    assert cidlib.admits_ici(pso, "P", "P")
    assert str(cidlib.admits_ici(pso, "P", "C").witness) == "P -> C"
    assert before == RECOMMENDER  # the argument is untouched


def test_recommender_structure() -> None:
    """I under the default policy: the default posts (chosen from M) and O; C sees it."""
    pso = cidlib.path_specific_objective(RECOMMENDER, "P", delicate=["I"])
    assert pso.parents("C") == {"P", "I_default"}
    assert pso.parents("I_default") == {"O", "P_default"}
    assert pso.parents("P_default") == {"M"}
    assert pso.children("I") == set()
    assert pso.nodes == RECOMMENDER.nodes | {"I_default", "P_default"}
    assert pso.chance >= {"I_default", "P_default"}
    assert pso.decisions == {"P"}
    assert pso.utilities == {"C"}
    assert pso.labels["I_default"] == "Influenced user opinions (default policy)"
    assert pso.labels["P_default"] == "Posts to show (default policy)"


def test_theory_section_14_example() -> None:
    """S->A, A->Z, A->Y, Z->U, Y->U, S->Z: ICI on Z before; after, no ICI or VoC on Z and
    the ICI on Y remains (docs/theory.md#path-specific-objectives)."""
    assert cidlib.admits_ici(PSO, "A", "Z")
    pso = cidlib.path_specific_objective(PSO, "A", ["Z"])
    assert not cidlib.admits_ici(pso, "A", "Z")
    assert not cidlib.admits_voc(pso, "A", "Z")
    assert cidlib.admits_ici(pso, "A", "Y")
    assert pso.parents("U") == {"Y", "Z_default"}
    assert "S" in pso.parents("Z_default")  # Z keeps the parent A does not influence


def test_reward_tampering_as_a_path_specific_objective() -> None:
    """RT single step with ThetaR2 delicate: the tampering ICI disappears (Everitt et al. 2021)."""
    d = cidlib.catalogue.reward_tampering()
    pso = cidlib.path_specific_objective(d, "A1", ["ThetaR2"])
    assert not cidlib.admits_ici(pso, "A1", "ThetaR2")
    assert cidlib.admits_ici(pso, "A1", "S2")


def test_several_delicate_nodes_in_a_chain() -> None:
    d = cidlib.CID([("D", "Z1"), ("Z1", "Z2"), ("Z2", "U"), ("D", "U")],
                   decisions=["D"], utilities=["U"])
    pso = cidlib.path_specific_objective(d, "D", ["Z1", "Z2", "Z1"])
    assert pso.parents("Z2_default") == {"Z1_default"}
    assert pso.parents("U") == {"D", "Z2_default"}
    assert not _through(pso, "D", "Z1")
    assert not _through(pso, "D", "Z2")


def test_edges_to_nodes_off_the_utility_paths_are_kept() -> None:
    d = cidlib.CID([("D", "Z"), ("Z", "U"), ("Z", "Log")], decisions=["D"], utilities=["U"])
    pso = cidlib.path_specific_objective(d, "D", ["Z"])
    assert ("Z", "Log") in pso.edges
    assert ("Z", "U") not in pso.edges


def test_non_string_names_get_tuple_copies_and_a_custom_suffix() -> None:
    d = cidlib.CID([(1, 2), (2, 3)], decisions=[1], utilities=[3])
    pso = cidlib.path_specific_objective(d, 1, [2])
    assert pso.parents(3) == {(2, "_default")}
    named = cidlib.path_specific_objective(PSO, "A", ["Z"], suffix="_bar")
    assert {"Z_bar", "A_bar"} <= named.nodes


# -- errors ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("decision", "delicate", "error", "message"), [
    ("P", ["X"], UnknownNodeError, "'X' is not a node"),
    ("P", ["i"], UnknownNodeError, "did you mean 'I'"),
    ("Q", ["I"], UnknownNodeError, "'Q' is not a node"),
    ("I", ["C"], InvalidQueryError, "'I' is a chance node, not a decision"),
    ("P", ["P"], InvalidQueryError, "'P' is the decision itself"),
    ("P", ["C"], InvalidQueryError, "'C' is a utility node"),
    ("P", [], InvalidQueryError, "delicate is empty"),
    ("P", ["O"], InvalidQueryError, "'O' is not a descendant of decision 'P'.*drop it"),
    ("P", "I", ArgumentTypeError, r"not the string 'I'; write \['I'\]"),
])
def test_clear_errors(decision: str, delicate: object, error: type[Exception],
                      message: str) -> None:
    with pytest.raises(error, match=message):
        cidlib.path_specific_objective(RECOMMENDER, decision, delicate)  # type: ignore[arg-type]


def test_a_delicate_node_observed_by_a_decision_is_unsupported() -> None:
    d = cidlib.CID([("D1", "Z"), ("Z", "D2"), ("D2", "U"), ("Z", "U")],
                   decisions=["D1", "D2"], utilities=["U"])
    with pytest.raises(UnsupportedDiagramError, match="'Z' is observed by decision 'D2'"):
        cidlib.path_specific_objective(d, "D1", ["Z"])


def test_a_copy_name_that_is_taken_asks_for_another_suffix() -> None:
    d = RECOMMENDER.add_nodes(["I_default"])
    with pytest.raises(DiagramError, match=r"'I_default' is already in the diagram.*suffix"):
        cidlib.path_specific_objective(d, "P", ["I"])
    assert cidlib.path_specific_objective(d, "P", ["I"], suffix="_0").parents("C") == {
        "P", "I_0"}
    with pytest.raises(ArgumentTypeError, match="suffix must be a non-empty string"):
        cidlib.path_specific_objective(RECOMMENDER, "P", ["I"], suffix="")


def test_not_a_diagram() -> None:
    with pytest.raises(ArgumentTypeError, match="expected an InfluenceDiagram"):
        cidlib.path_specific_objective("not a diagram", "P", ["I"])  # type: ignore[arg-type]


# -- properties on random diagrams -------------------------------------------------------------

def _check_property(d: cidlib.InfluenceDiagram, decision: object, delicate: list[object]) -> None:
    before = cidlib.InfluenceDiagram.from_dict(d.to_dict())
    pso = cidlib.path_specific_objective(d, decision, delicate)
    assert d == before
    # The rest of the diagram is the original's: only delicate out-edges change.
    assert {(u, v) for u, v in d.edges if u not in delicate} <= pso.edges
    for z in delicate:
        assert not _through(pso, decision, z)
        assert not cidlib.admits_ici(pso, decision, z)
    # An ICI whose witness avoids every delicate node survives (Farquhar et al. 2022). With several
    # decisions ICI is read on the minimal reduction, which the new utility paths can change.
    if len(d.decisions) > 1:
        return
    g = _graph(d).subgraph(d.nodes - set(delicate))
    owner_utilities = d.utilities_of(d.agent_of(decision))
    for x in g.nodes:
        if nx.has_path(g, decision, x) and any(
                u in g and nx.has_path(g, x, u) for u in owner_utilities):
            assert cidlib.admits_ici(pso, decision, x)


def _eligible(d: cidlib.InfluenceDiagram, decision: object) -> list[object]:
    return sorted((z for z in d.descendants(decision) & d.chance
                   if not d.children(z) & d.decisions), key=str)


@settings(max_examples=200, deadline=None)
@given(diagrams(max_decisions=3), st.data())
def test_no_directed_path_through_a_delicate_node(d: cidlib.InfluenceDiagram,
                                                  data: st.DataObject) -> None:
    decision = data.draw(st.sampled_from(sorted(d.decisions, key=str)))
    eligible = _eligible(d, decision)
    assume(eligible)
    delicate = data.draw(st.lists(st.sampled_from(eligible), min_size=1, unique=True))
    _check_property(d, decision, delicate)


def test_no_directed_path_through_a_delicate_node_larger() -> None:
    checked = 0
    for seed in range(20):
        d = random_cid(30, seed)
        decision = next(iter(d.decisions))
        eligible = _eligible(d, decision)
        if eligible:
            _check_property(d, decision, eligible[::2])
            checked += 1
    assert checked >= 10
