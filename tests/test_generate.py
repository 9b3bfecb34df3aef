"""Random diagrams and parameterisations: the public generators the tests and benches use."""

from __future__ import annotations

import random

import numpy as np
import pytest

import cidlib
from cidlib.exceptions import (
    ArgumentTypeError,
    InvalidQueryError,
    ParameterError,
)


@pytest.mark.parametrize(("n", "decisions", "utilities"), [(4, 1, 1), (8, 2, 2), (12, 3, 3)])
def test_random_cid_create(n: int, decisions: int, utilities: int) -> None:
    """PyCID's test_random_cid_create, ported: a valid diagram of the sizes asked for."""
    for seed in range(20):
        d = cidlib.random_cid(n, decisions=decisions, utilities=utilities, seed=seed)
        assert isinstance(d, cidlib.InfluenceDiagram)
        assert d.agents == {0}
        assert (len(d.nodes), len(d.decisions), len(d.utilities)) == (n, decisions, utilities)
        for decision in d.decisions:  # every decision can matter
            assert d.descendants(decision) & d.utilities


def test_random_macid_gives_each_agent_its_nodes() -> None:
    for seed in range(30):
        g = cidlib.random_macid(10, agents=3, decisions=[1, 2, 0], utilities=[1, 1, 2],
                                seed=seed)
        assert [len(g.decisions_of(a)) for a in (1, 2, 3)] == [1, 2, 0]
        assert [len(g.utilities_of(a)) for a in (1, 2, 3)] == [1, 1, 2]
        for decision in g.decisions:
            assert g.descendants(decision) & g.utilities_of(g.agent_of(decision))


def test_sufficient_recall_is_restored() -> None:
    lacking = 0
    for seed in range(60):
        raw = cidlib.random_macid(9, agents=2, decisions=2, utilities=2, seed=seed)
        lacking += not all(cidlib.has_sufficient_recall(raw, a) for a in raw.agents)
        fixed = cidlib.random_macid(9, agents=2, decisions=2, utilities=2, seed=seed,
                                    sufficient_recall=True)
        assert all(cidlib.has_sufficient_recall(fixed, a) for a in fixed.agents)
        assert raw.edges <= fixed.edges
        assert raw.nodes == fixed.nodes
    assert lacking > 5  # the option is needed


def test_the_same_seed_gives_the_same_diagram() -> None:
    assert cidlib.random_cid(8, seed=4) == cidlib.random_cid(8, seed=4)
    assert {cidlib.random_cid(8, seed=s).edges for s in range(10)}.__len__() > 5
    rng = random.Random(1)
    first = cidlib.random_cid(6, seed=rng)
    assert first != cidlib.random_cid(6, seed=rng)  # a shared generator moves on


def test_density_and_in_degree() -> None:
    assert not cidlib.random_cid(10, density=0.0, seed=1).edges - {
        (d, u) for d in ("D1",) for u in ("U1",)}
    full = cidlib.random_cid(7, density=1.0, seed=1)
    order = full.topological_order()
    utilities = full.utilities
    assert len(full.edges) == sum(1 for i, a in enumerate(order) for _ in order[i + 1:]
                                  if a not in utilities)
    capped = cidlib.random_cid(12, density=0.6, max_in_degree=3, seed=2)
    assert max(len(capped.pred[v]) for v in capped.nodes) <= 3
    for seed in range(20):
        tight = cidlib.random_macid(9, agents=2, density=0.9, max_in_degree=2, seed=seed,
                                    sufficient_recall=True)
        assert max(len(tight.pred[v]) for v in tight.nodes) <= 2


def test_generator_argument_errors() -> None:
    with pytest.raises(InvalidQueryError, match="do not fit in 2 nodes"):
        cidlib.random_cid(2, decisions=2, utilities=1)
    with pytest.raises(InvalidQueryError, match="agent 2 has decisions but no utility"):
        cidlib.random_macid(6, agents=2, decisions=1, utilities=[1, 0])
    with pytest.raises(InvalidQueryError, match="lists 3 numbers for 2 agents"):
        cidlib.random_macid(6, agents=2, decisions=[1, 1, 1])
    with pytest.raises(ArgumentTypeError, match="density"):
        cidlib.random_cid(5, density=2)
    with pytest.raises(ArgumentTypeError, match="n must be an int"):
        cidlib.random_cid("5")


def test_random_parameterization() -> None:
    d = cidlib.random_cid(7, decisions=2, utilities=2, seed=3)
    pd = cidlib.random_parameterization(d, seed=5, domain_size=3, min_probability=0.1)
    assert pd == cidlib.random_parameterization(d, seed=5, domain_size=3, min_probability=0.1)
    for node in d.nodes:
        if node in d.decisions:
            assert pd.domain(node) == (0, 1, 2)
        elif node in d.utilities:
            assert all(-3 <= v <= 3 for v in pd.domain(node))
            assert np.all((pd.table(node) == 0) | (pd.table(node) == 1))
        else:
            table = pd.table(node)
            np.testing.assert_allclose(table.sum(axis=-1), 1.0)
            assert table.min() >= 0.1 - 1e-12
    certain = cidlib.random_parameterization(d, seed=5, deterministic=1.0)
    assert all(np.all((certain.table(n) == 0) | (certain.table(n) == 1)) for n in d.chance)
    structural = cidlib.random_parameterization(d, seed=5, mechanisms=True)
    assert set(structural.noise) == set(d.chance)
    cidlib.meu(cidlib.random_parameterization(d, seed=0), method="spu")  # usable as is
    with pytest.raises(ParameterError, match="more than 1/domain_size"):
        cidlib.random_parameterization(d, domain_size=4, min_probability=0.3)
    with pytest.raises(ParameterError, match="deterministic must be a probability"):
        cidlib.random_parameterization(d, deterministic=2)
    with pytest.raises(ArgumentTypeError, match="domain_size"):
        cidlib.random_parameterization(d, domain_size=0)
