"""Direct and indirect value of control: PyCID's expected answers and a path-enumeration oracle.

The oracle applies PyCID's definitions literally, on plain edge sets: direct VoC is a directed
path to a utility in the minimal reduction with no decision on it; indirect VoC (for D) needs
VoC, a directed path to a utility U through D, and a simple path from X to that U whose first
edge points into X, active given Fa(D) - {X}, descendants read in the minimal reduction.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings

import cidlib
from cidlib import catalogue
from cidlib.exceptions import UnknownNodeError, UnsupportedDiagramError
from tests import oracle
from tests.strategies import diagrams


def direct(model: oracle.Model, x) -> bool:
    if x in model.decisions:
        return False
    red = model.reduced()
    return any(not set(path) & model.decisions
               for u in model.utilities for path in oracle.directed_paths(red.edges, x, u))


def indirect(model: oracle.Model, decision, x) -> bool:
    if not model.voc(decision, x):
        return False
    red = model.reduced()
    given = (model.parents(decision) | {decision}) - {x}
    for u in model.utilities:
        if not any(decision in p for p in oracle.directed_paths(red.edges, x, u)):
            continue
        for path in oracle.undirected_paths(red.edges, x, u):
            backdoor = len(path) > 1 and not path[0][1]  # the first edge points into x
            if backdoor and oracle.active(red.nodes, red.edges, path, given):
                return True
    return False


def _valid_backdoor(diagram, decision, node, path) -> None:
    red = cidlib.minimal_reduction(diagram)
    assert path.start == node
    assert path.end in diagram.utilities
    assert not path.forward[0]  # into the node
    assert len(set(path.nodes)) == len(path.nodes)
    steps = list(zip(path.nodes, [*path.forward, True], strict=True))
    given = (diagram.family(decision)) - {node}
    assert oracle.active(red.nodes, red.edges, steps, set(given))
    for a, b in path.edges:
        assert (a, b) in red.edges


# -- PyCID's tests (tests/test_analyze.py), ported --------------------------------------------


def test_has_indir_voc_fitness_tracker() -> None:
    assert cidlib.admits_indirect_voc(catalogue.fitness_tracker(), "C", "SC")


def test_no_indir_voc_fitness_tracker() -> None:
    assert not cidlib.admits_indirect_voc(catalogue.fitness_tracker(), "C", "TF")


def test_indir_voc_invalid_decision_and_target() -> None:
    tracker = catalogue.fitness_tracker()
    with pytest.raises(KeyError):
        cidlib.admits_indirect_voc(tracker, "_", "TF")
    with pytest.raises(UnknownNodeError):
        cidlib.admits_indirect_voc(tracker, "C", "_")


def test_indir_voc_list_fitness_tracker() -> None:
    assert cidlib.indirect_voc_nodes(catalogue.fitness_tracker(), "C") == {"SC"}


def test_has_dir_voc_fitness_tracker() -> None:
    assert cidlib.admits_direct_voc(catalogue.fitness_tracker(), "C", "F")
    assert cidlib.admits_direct_voc(catalogue.fitness_tracker(), "C", "P")


def test_no_dir_voc_fitness_tracker() -> None:
    assert not cidlib.admits_direct_voc(catalogue.fitness_tracker(), "C", "TF")


def test_dir_voc_invalid_target() -> None:
    with pytest.raises(KeyError):
        cidlib.admits_direct_voc(catalogue.fitness_tracker(), "C", "_")


def test_dir_voc_list_fitness_tracker() -> None:
    assert cidlib.direct_voc_nodes(catalogue.fitness_tracker(), "C") == {"F", "P"}


def test_several_agents_are_refused() -> None:
    game = catalogue.taxi_competition()
    for check in (cidlib.admits_direct_voc, cidlib.admits_indirect_voc):
        with pytest.raises(UnsupportedDiagramError):
            check(game, "D2", "D1")
    with pytest.raises(UnsupportedDiagramError):
        cidlib.direct_voc_nodes(game, "D2")
    with pytest.raises(UnsupportedDiagramError):
        cidlib.indirect_voc_nodes(game, "D2")


# -- witnesses and explanations ---------------------------------------------------------------


def test_fitness_tracker_witnesses_and_explanations() -> None:
    tracker = catalogue.fitness_tracker()
    sc = cidlib.admits_indirect_voc(tracker, "C", "SC")
    assert isinstance(sc, cidlib.Verdict)
    assert str(sc.witness) == "SC -> C -> F"
    assert str(sc.backdoor) == "SC <- P -> F"
    assert sc.key == ("indir_voc", "C", "SC")
    assert sc.to_dict()["backdoor_nodes"] == ["SC", "P", "F"]
    tf = cidlib.admits_indirect_voc(tracker, "C", "TF")
    assert tf.witness is None
    assert tf.backdoor is None
    assert "no back-door path from TF" in tf.explain()
    f = cidlib.admits_direct_voc(tracker, "C", "F")
    assert f.trivial
    assert str(f.witness) == "F"
    assert f.explain() == "C has direct value of control on F (trivially: it is a utility)."
    assert "passes through a decision" in cidlib.admits_direct_voc(tracker, "C", "TF").explain()
    assert "is a decision" in cidlib.admits_direct_voc(tracker, "C", "C").explain()
    # TF has value of control, of neither kind
    assert cidlib.admits_voc(tracker, "C", "TF")


def test_the_recommender_controls_opinions_directly() -> None:
    rec = catalogue.content_recommender()
    assert cidlib.direct_voc_nodes(rec, "P") == {"O", "I", "C"}
    assert cidlib.indirect_voc_nodes(rec, "P") == {"M"}  # M -> P -> C, and M <- O -> I -> C
    assert str(cidlib.admits_indirect_voc(rec, "P", "M").backdoor) == "M <- O -> I -> C"


# -- against the oracle -----------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(diagrams(max_nodes=7, max_decisions=2))
def test_direct_and_indirect_voc_agree_with_the_definitions(diagram) -> None:
    model = oracle.Model.of(diagram)
    for decision in sorted(diagram.decisions):
        dir_nodes = cidlib.direct_voc_nodes(diagram, decision)
        ind_nodes = cidlib.indirect_voc_nodes(diagram, decision)
        for node in sorted(diagram.nodes):
            assert (node in dir_nodes) is direct(model, node), node
            assert (node in ind_nodes) is indirect(model, decision, node), (decision, node)
            found = cidlib.admits_indirect_voc(diagram, decision, node)
            assert bool(found) is (node in ind_nodes)
            if found:
                path = found.witness
                assert path.is_directed
                assert decision in path.nodes
                assert path.start == node
                assert path.end == found.backdoor.end
                _valid_backdoor(diagram, decision, node, found.backdoor)
            d = cidlib.admits_direct_voc(diagram, decision, node)
            assert bool(d) is (node in dir_nodes)
            if d:
                assert d.witness.is_directed
                assert d.witness.end in diagram.utilities
                assert not set(d.witness.nodes) & diagram.decisions


def test_both_branches_of_the_indirect_search_meet_the_oracle() -> None:
    """Candidates in D's family (one ball) and outside it (dominators), on random diagrams."""
    import random

    inside = outside = 0
    for seed in range(400):
        rnd = random.Random(seed)
        diagram = cidlib.random_cid(rnd.randint(4, 8), decisions=rnd.randint(1, 2),
                                    utilities=rnd.randint(1, 2), density=rnd.choice([.3, .5, .7]),
                                    seed=seed)
        model = oracle.Model.of(diagram)
        for decision in sorted(diagram.decisions):
            found = cidlib.indirect_voc_nodes(diagram, decision)
            for node in sorted(diagram.nodes):
                expected = indirect(model, decision, node)
                assert (node in found) is expected, (seed, decision, node)
                if expected and node in diagram.family(decision):
                    inside += 1
                elif expected:
                    outside += 1
    assert inside > 20, inside
    assert outside > 5, outside
