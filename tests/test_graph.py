from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cidlib
from cidlib import Path
from cidlib.exceptions import InvalidQueryError, UnknownNodeError
from tests import oracle
from tests.strategies import diagrams


@pytest.fixture
def collider() -> cidlib.InfluenceDiagram:
    # X -> C <- Y -> U, C -> D, X -> D, D -> U   (docs/theory.md#requisite-observations)
    return cidlib.CID([("X", "C"), ("Y", "C"), ("Y", "U"), ("C", "D"), ("X", "D"), ("D", "U")],
                      decisions=["D"], utilities=["U"])


def test_path_value_object() -> None:
    p = Path(("X", "D", "Z"), (True, False))
    assert str(p) == "X -> D <- Z"
    assert p.edges == (("X", "D"), ("Z", "D"))
    assert p.start == "X"
    assert p.end == "Z"
    assert p.length == 2
    assert not p.is_directed
    assert p.reversed() == Path(("Z", "D", "X"), (True, False))
    assert Path.directed(["A", "B"]) + Path.directed(["B", "C"]) == Path.directed("ABC")
    assert Path(("A",), ()).length == 0
    assert str(Path(("A",), ())) == "A"
    assert repr(p) == "Path('X -> D <- Z')"
    with pytest.raises(ValueError, match="edge directions"):
        Path(("A", "B"), ())
    with pytest.raises(ValueError, match="at least one node"):
        Path((), ())
    with pytest.raises(ValueError, match="cannot join"):
        Path.directed("AB") + Path.directed("CD")


def test_d_separation_basics(collider: cidlib.InfluenceDiagram) -> None:
    assert cidlib.is_d_separated(collider, "X", "Y")
    assert not cidlib.is_d_separated(collider, "X", "Y", given=["C"])
    assert not cidlib.is_d_separated(collider, "X", "Y", given=["D"])  # descendant of collider
    assert cidlib.is_d_separated(collider, ["X", "C"], "U", given=["Y", "D"])
    path = cidlib.find_active_path(collider, "X", "U", given=["C", "D"])
    assert str(path) == "X -> C <- Y -> U"
    assert cidlib.is_active(collider, path, given=["C", "D"])
    assert cidlib.d_connected(collider, "X", given=["D"]) == {"X", "C", "Y", "U"}


def test_query_errors(collider: cidlib.InfluenceDiagram) -> None:
    with pytest.raises(InvalidQueryError, match="disjoint"):
        cidlib.is_d_separated(collider, "X", "Y", given=["X"])
    with pytest.raises(UnknownNodeError, match="'Q'"):
        cidlib.is_d_separated(collider, "Q", "Y")
    with pytest.raises(UnknownNodeError, match="'Q'"):
        cidlib.is_d_separated(collider, ["X", "Q"], "Y")
    with pytest.raises(InvalidQueryError, match="empty"):
        cidlib.is_d_separated(collider, [], "Y")


def test_is_active_rejects_bad_paths(collider: cidlib.InfluenceDiagram) -> None:
    assert not cidlib.is_active(collider, Path(("X", "Y"), (True,)))  # no such edge
    assert not cidlib.is_active(collider, Path(("X", "C", "X"), (True, False)), given=["C"])
    assert not cidlib.is_active(collider, Path(("X", "D", "U"), (True, True)), given=["D"])
    assert not cidlib.is_active(collider, Path(("X", "D"), (True,)), given=["X"])
    assert cidlib.is_active(collider, Path(("X", "D", "U"), (True, True)))


def test_directed_path(collider: cidlib.InfluenceDiagram) -> None:
    assert str(cidlib.directed_path(collider, "X", "U")) == "X -> D -> U"
    assert cidlib.directed_path(collider, "U", "X") is None
    assert cidlib.directed_path(collider, "X", "X") == Path(("X",), ())


@given(diagrams(), st.data())
def test_d_separation_matches_oracle(d: cidlib.InfluenceDiagram, data: st.DataObject) -> None:
    names = sorted(d.nodes, key=str)
    roles = data.draw(st.lists(st.sampled_from("xyz-"), min_size=len(names),
                               max_size=len(names)))
    xs = {n for n, r in zip(names, roles, strict=False) if r == "x"}
    ys = {n for n, r in zip(names, roles, strict=False) if r == "y"}
    zs = {n for n, r in zip(names, roles, strict=False) if r == "z"}
    if not xs or not ys:
        return
    expected = not any(oracle.d_connected(d.nodes, d.edges, x, ys, zs) for x in xs)
    assert cidlib.is_d_separated(d, xs, ys, zs) == expected
    path = cidlib.find_active_path(d, xs, ys, zs)
    assert (path is None) == expected
    if path is not None:
        assert path.start in xs
        assert path.end in ys
        assert cidlib.is_active(d, path, zs)
    connected = cidlib.d_connected(d, xs, zs)
    for v in d.nodes - zs - xs:
        assert (v in connected) == any(oracle.d_connected(d.nodes, d.edges, x, {v}, zs)
                                       for x in xs)
