"""Value of information with several decisions: each shortcut against one reduction per node.

docs/theory.md ("Several decisions") proves the shortcuts that decide most candidates
without a reduction of their own; here each is checked, on random diagrams, against
tests/voi_reference.py (networkx's d-separation, one minimal d-reduction and one relevance
graph per candidate, no code shared with cidlib) and, on the smallest, against the
path-enumeration oracle.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cidlib
from cidlib.exceptions import UnsupportedDiagramError
from cidlib.incentives.voi import exact_voi
from cidlib.incentives.voi_batch import (
    batch_voi,
    new_link_voi,
    reliance_with_link,
    survivors,
)
from tests import oracle
from tests.strategies import diagrams
from tests.voi_reference import Reference


@st.composite
def several(draw: st.DrawFn, *, max_nodes: int = 14) -> cidlib.InfluenceDiagram:
    """A random diagram with two to five decisions; half of them given perfect recall."""
    d = draw(diagrams(min_nodes=5, max_nodes=max_nodes, max_decisions=5)
             .filter(lambda d: len(d.decisions) >= 2))
    if draw(st.booleans()):
        order = [n for n in d.topological_order() if n in d.decisions]
        d = d.add_edges({(x, later) for i, earlier in enumerate(order) for later in order[i + 1:]
                         for x in d.family(earlier)} - d.edges)
    return d


def candidates(d: cidlib.InfluenceDiagram, decision: object) -> list[object]:
    return sorted(d.nodes - d.descendants(decision) - d.utilities - d.parents(decision)
                  - {decision}, key=str)


@settings(max_examples=400)
@given(several())
def test_new_links_match_one_reduction_per_candidate(d: cidlib.InfluenceDiagram) -> None:
    """Against the reference, and against cidlib's own one-node procedure (exact_voi)."""
    ref = Reference(d)
    for dec in d.decisions:
        xs = candidates(d, dec)
        answer = new_link_voi(d, dec, xs)
        for x in xs:
            expected = ref.voi(dec, x)
            assert (x in answer.found, x in answer.unknown) == (
                expected == "present", expected == "undetermined"), (dec, x, expected)
            try:
                assert (exact_voi(d, dec, x) is not None) == (x in answer.found)
            except UnsupportedDiagramError:
                assert x in answer.unknown


@settings(max_examples=400)
@given(several())
def test_links_said_to_survive_do_survive(d: cidlib.InfluenceDiagram) -> None:
    """Step 1: G* + (X -> D) is a post-fixpoint, so the link is in the reduction of G + X -> D."""
    ref = Reference(d)
    for dec in d.decisions:
        xs = candidates(d, dec)
        sure, rest = survivors(d, dec, xs)
        assert sure | rest == set(xs)
        assert not sure & rest
        for x in sure:
            assert (x, dec) in ref.reduced(ref.edges | {(x, dec)}), (dec, x)


def test_a_node_that_screens_off_a_requisite_parent_is_left_to_the_exact_procedure() -> None:
    """W -> D is requisite only through W -> X -> U: observing X too would screen W off, so
    G* + (X -> D) is not shown to keep its links requisite, and X is decided exactly."""
    d = cidlib.CID([("W", "D"), ("W", "X"), ("X", "U"), ("D", "U"), ("D2", "U2")],
                   decisions=["D", "D2"], utilities=["U", "U2"])
    assert cidlib.requisite_observations(d, "D") == {"W"}
    sure, rest = survivors(d, "D", ["X"])
    assert sure == frozenset()
    assert rest == {"X"}
    assert new_link_voi(d, "D", ["X"]).found == {"X"}
    assert Reference(d).voi("D", "X") == "present"
    # with a second route from W to U, X screens nothing and the shortcut decides
    d2 = d.add_edges([("W", "U")])
    assert survivors(d2, "D", ["X"]) == ({"X"}, frozenset())


@settings(max_examples=400)
@given(several())
def test_reliance_with_a_link_is_the_relevance_graph_of_each_diagram(
        d: cidlib.InfluenceDiagram) -> None:
    """Step 2: the relevance graph of G + (X -> D), for every X at once."""
    ref = Reference(d)
    for dec in d.decisions:
        xs = candidates(d, dec)
        pairs = reliance_with_link(d, dec, xs)
        for x in xs:
            found = {p for p, where in pairs.items() if x in where}
            assert found == ref.relevance(ref.edges | {(x, dec)}), (dec, x)


@settings(max_examples=100)
@given(several(max_nodes=22))
def test_fallback_batch_matches_one_reduction_per_candidate(d: cidlib.InfluenceDiagram) -> None:
    """The bit-parallel fallback alone, on larger diagrams."""
    ref = Reference(d)
    for dec in d.decisions:
        xs = candidates(d, dec)
        found, unknown = batch_voi(d, dec, xs)
        for x in xs:
            expected = ref.voi(dec, x)
            assert (x in found, x in unknown) == (
                expected == "present", expected == "undetermined"), (dec, x, expected)


@settings(max_examples=300)
@given(several())
def test_report_witnesses_are_active_in_the_reduction_with_the_link(
        d: cidlib.InfluenceDiagram) -> None:
    """Each VoI witness of analyze() runs from X to a utility below D, and the oracle finds it
    active given Fa(D) - {X} in the minimal d-reduction of G + (X -> D)."""
    ref = Reference(d)
    for inc in cidlib.analyze(d).filter(kind="voi"):
        dec, x, path = inc.decision, inc.node, inc.witness
        edges = ref.reduced(ref.edges | {(x, dec)})
        g = ref.graph(edges)
        given_ = (set(g.predecessors(dec)) | {dec}) - {x}
        steps = [*zip(path.nodes, path.forward, strict=False), (path.end, True)]
        assert path.start == x
        assert path.end in ref.targets(g, dec)
        assert all((a, b) in edges for a, b in path.edges)
        assert oracle.active(d.nodes, edges, steps, given_), (dec, x, str(path))


@settings(max_examples=200)
@given(several(max_nodes=8))
def test_voi_nodes_match_the_path_enumeration_oracle(d: cidlib.InfluenceDiagram) -> None:
    model = oracle.Model.of(d)
    for dec in d.decisions:
        expected, undetermined = set(), set()
        for x in d.nodes:
            if model.voi_defined(dec, x) and model.voi(dec, x):
                soluble = model.voi_graph(dec, x).soluble(0)
                (expected if soluble else undetermined).add(x)
        report = cidlib.analyze(d)
        assert report.nodes("voi", dec, allow_undetermined=True) == expected
        assert report.undetermined("voi", dec) == undetermined
        if undetermined:
            with pytest.raises(UnsupportedDiagramError, match="undetermined on"):
                cidlib.voi_nodes(d, dec)
        else:
            assert cidlib.voi_nodes(d, dec) == expected
