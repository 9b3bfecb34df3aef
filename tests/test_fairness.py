"""Introduced total variation (Ashurst et al. 2022): the conditions, against brute force."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import cidlib
from cidlib.exceptions import InvalidQueryError, UnknownNodeError
from tests import oracle
from tests.strategies import diagrams


def _expected(d: cidlib.InfluenceDiagram, predictor: str, sensitive: str,
              p_admissible: bool) -> bool:
    """The conditions, by path enumeration."""
    nodes, edges = d.nodes, d.edges
    family = set(d.parents(predictor)) | {predictor}
    loss = {u for u in d.utilities if oracle.has_directed_path(edges, predictor, u)}
    requisite = [w for w in d.parents(predictor)
                 if oracle.d_connected(nodes, edges, w, loss, family - {w})]
    possible = any(w == sensitive or oracle.d_connected(nodes, edges, sensitive, {w}, set())
                   for w in requisite)
    if not p_admissible or not possible:
        return possible
    return sensitive not in d.parents(predictor) and oracle.d_connected(
        nodes, edges, sensitive, loss - family, family)


@given(diagrams(min_nodes=3, max_nodes=8, max_decisions=1), st.data())
def test_admits_itv_matches_the_conditions(d: cidlib.InfluenceDiagram, data: st.DataObject):
    chance = sorted(d.chance)
    assume(chance)
    sensitive = data.draw(st.sampled_from(chance))
    (predictor,) = d.decisions
    for p_admissible in (False, True):
        answer = cidlib.admits_itv(d, predictor, sensitive, p_admissible=p_admissible)
        assert bool(answer) is _expected(d, predictor, sensitive, p_admissible)
        assert isinstance(answer, cidlib.Verdict)
        if answer:
            w = answer.witness
            assert w is not None
            assert w.start == sensitive
            assert w.end in cidlib.requisite_observations(d, predictor)
            assert cidlib.is_active(d, w)
            assert answer.explain().startswith(f"{predictor} can introduce")
        else:
            assert answer.witness is None
            assert answer.loss_path is None
            assert "cannot" in answer.explain()
        if answer and p_admissible:
            loss = answer.loss_path
            assert loss is not None
            assert loss.start == sensitive
            assert loss.end in d.utilities
            assert cidlib.is_active(d, loss, given=d.family(predictor))


def test_the_papers_examples() -> None:
    # Hiring: possible under 0-1 loss, not under a P-admissible loss; music school: both;
    # with A as a feature, not under a P-admissible loss (Ashurst et al. 2022).
    hiring = cidlib.catalogue.hiring()
    assert cidlib.admits_itv(hiring, "Yh", "A")
    assert not cidlib.admits_itv(hiring, "Yh", "A", p_admissible=True)
    school = cidlib.catalogue.music_school()
    assert str(cidlib.admits_itv(school, "Yh", "A").witness) == "A -> T"
    assert cidlib.admits_itv(school, "Yh", "A", p_admissible=True)
    featured = cidlib.catalogue.music_school_with_sensitive_feature()
    answer = cidlib.admits_itv(featured, "Yh", "A", p_admissible=True)
    assert not answer
    assert "A is a feature of Yh" in answer.explain()


def test_bad_questions_raise() -> None:
    hiring = cidlib.catalogue.hiring()
    with pytest.raises(InvalidQueryError, match="must be a chance node"):
        cidlib.admits_itv(hiring, "Yh", "U")
    with pytest.raises(InvalidQueryError, match="not a decision"):
        cidlib.admits_itv(hiring, "D", "A")
    with pytest.raises(UnknownNodeError, match="did you mean 'A'"):
        cidlib.admits_itv(hiring, "Yh", "a")
