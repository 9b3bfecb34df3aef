from __future__ import annotations

import copy

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cidlib
from cidlib.exceptions import (
    AgentError,
    ArgumentTypeError,
    CidlibError,
    CycleError,
    DiagramError,
    InvalidNodeError,
    InvalidQueryError,
    KindConflictError,
    MalformedEdgeError,
    SelfLoopError,
    UnknownNodeError,
    UtilityChildError,
)
from tests.strategies import diagrams

RECOMMENDER = [("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("I", "C"), ("P", "C")]


@pytest.fixture
def rec() -> cidlib.InfluenceDiagram:
    return cidlib.CID(RECOMMENDER, decisions=["P"], utilities=["C"])


@pytest.fixture
def game() -> cidlib.InfluenceDiagram:
    return cidlib.MACID(
        [("D1", "D2"), ("D1", "U1"), ("D2", "U1"), ("D1", "U2"), ("D2", "U2"), ("X", "D2")],
        agents={1: {"decisions": ["D1"], "utilities": ["U1"]},
                2: {"decisions": ["D2"], "utilities": ["U2"]}},
    )


# -- constructors and attributes ---------------------------------------------------------------

def test_cid_attributes(rec: cidlib.InfluenceDiagram) -> None:
    assert rec.nodes == {"O", "M", "P", "I", "C"}
    assert rec.edges == frozenset(RECOMMENDER)
    assert rec.decisions == {"P"}
    assert rec.utilities == {"C"}
    assert rec.chance == {"O", "M", "I"}
    assert rec.agents == {0}
    assert all(isinstance(a, frozenset) for a in
               (rec.nodes, rec.edges, rec.decisions, rec.utilities, rec.chance, rec.agents))
    assert rec.information_links == {("M", "P")}


def test_macid_attributes(game: cidlib.InfluenceDiagram) -> None:
    assert game.agents == {1, 2}
    assert game.decisions_of(1) == {"D1"}
    assert game.utilities_of(2) == {"U2"}
    assert game.agent_of("D2") == 2
    assert game.agent_of("X") is None
    assert game.information_links == {("D1", "D2"), ("X", "D2")}


def test_isolated_nodes_and_any_hashable_names() -> None:
    d = cidlib.CID([(1, ("a", 2))], decisions=[1], utilities=[("a", 2)], nodes=["lonely"])
    assert d.nodes == {1, ("a", 2), "lonely"}
    assert d.kind("lonely") is cidlib.NodeKind.CHANCE
    assert d.parents(("a", 2)) == {1}


def test_edges_may_be_lists_and_duplicates_collapse() -> None:
    d = cidlib.CID([["S", "D"], ("S", "D"), ("D", "U")], decisions=["D"], utilities=["U"])
    assert d.edges == {("S", "D"), ("D", "U")}


def test_structural_queries(rec: cidlib.InfluenceDiagram) -> None:
    assert rec.parents("I") == {"O", "P"}
    assert rec.children("P") == {"I", "C"}
    assert rec.family("P") == {"M", "P"}
    assert rec.ancestors("C") == {"O", "M", "P", "I"}
    assert rec.descendants("O") == {"M", "P", "I", "C"}
    assert rec.descendants("C") == frozenset()
    order = rec.topological_order()
    assert sorted(order) == sorted(rec.nodes)
    assert all(order.index(u) < order.index(v) for u, v in rec.edges)
    assert rec.kind("P") is cidlib.NodeKind.DECISION
    assert str(rec.kind("C")) == "utility"
    assert len(rec) == 5
    assert list(rec) == list(order)
    assert "P" in rec
    assert "Z" not in rec
    assert ["unhashable"] not in rec


def test_topological_order_is_deterministic() -> None:
    a = cidlib.CID([("b", "D"), ("a", "D"), ("D", "U")], decisions=["D"], utilities=["U"])
    b = cidlib.CID([("a", "D"), ("D", "U"), ("b", "D")], decisions=["D"], utilities=["U"])
    assert a.topological_order() == b.topological_order() == ("a", "b", "D", "U")


def test_immutable(rec: cidlib.InfluenceDiagram) -> None:
    with pytest.raises(AttributeError, match="immutable"):
        rec._edges = frozenset()  # type: ignore[misc]
    with pytest.raises(TypeError):
        rec.labels["O"] = "x"  # type: ignore[index]


def test_equality_and_hash_by_value(rec: cidlib.InfluenceDiagram) -> None:
    same = cidlib.CID(list(reversed(RECOMMENDER)), decisions=["P"], utilities=["C"])
    assert rec == same
    assert hash(rec) == hash(same)
    assert rec != rec.with_labels({"O": "Original opinions"})
    assert rec != rec.remove_edges([("P", "C")])
    assert rec != "not a diagram"
    assert len({rec, same}) == 1


def test_repr(rec: cidlib.InfluenceDiagram) -> None:
    assert repr(rec) == ("InfluenceDiagram(nodes=5, edges=6, decisions=['P'], utilities=['C'], "
                         "agents=[0])")


# -- transformations ---------------------------------------------------------------------------

def test_strings_are_not_lists_of_names(rec: cidlib.InfluenceDiagram) -> None:
    d = rec.add_nodes(["SD"])
    with pytest.raises(ArgumentTypeError, match="not the string 'SD'"):
        d.remove_nodes("SD")  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="not the string 'AB'"):
        rec.add_nodes("AB")  # type: ignore[arg-type]
    with pytest.raises(InvalidNodeError, match=r"\['x'\]"):
        rec.add_nodes([["x"]])  # type: ignore[list-item]
    with pytest.raises(InvalidNodeError, match="new name of 'O'"):
        rec.relabel({"O": ["x"]})  # type: ignore[dict-item]
    with pytest.raises(UnknownNodeError, match="agent"):
        rec.decisions_of([])  # type: ignore[arg-type]


def test_not_a_diagram() -> None:
    for call in (lambda: cidlib.analyze("x"), lambda: cidlib.admits_voi(None, "D", "S"),
                 lambda: cidlib.is_d_separated("x", "a", "b"),
                 lambda: cidlib.requisite_observations(3, "D"),
                 lambda: cidlib.minimal_reduction("x"), lambda: cidlib.relevance_graph(3),
                 lambda: cidlib.has_sufficient_recall(None, 0),
                 lambda: cidlib.save_json("x", "/tmp/never-written.json")):
        with pytest.raises(ArgumentTypeError, match="expected an InfluenceDiagram"):
            call()  # type: ignore[no-untyped-call]


def test_wrong_argument_types(rec: cidlib.InfluenceDiagram) -> None:
    with pytest.raises(ArgumentTypeError, match="not None"):
        rec.relabel(None)  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match=r"networkx\.DiGraph"):
        cidlib.InfluenceDiagram.from_networkx(5)  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="file path"):
        cidlib.save_json(rec, 1)  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="file path"):
        cidlib.load_json(1)  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="node names are hashable"):
        cidlib.check_observation(rec, "P", ["x"])  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="positions must be a mapping"):
        rec.with_positions([("O", (0, 0))])  # type: ignore[arg-type]


def test_add_and_remove_nodes(rec: cidlib.InfluenceDiagram) -> None:
    d = rec.add_nodes(["Z"])
    assert d.kind("Z") is cidlib.NodeKind.CHANCE
    assert "Z" not in rec
    d2 = rec.add_nodes(["U2"], kind="utility")
    assert d2.utilities == {"C", "U2"}
    assert d2.agent_of("U2") == 0
    r = rec.remove_nodes(["I"])
    assert "I" not in r.nodes
    assert ("O", "I") not in r.edges
    assert ("I", "C") not in r.edges
    assert "I" in rec.nodes


def test_add_and_remove_edges(rec: cidlib.InfluenceDiagram) -> None:
    d = rec.add_edges([("O", "P")])
    assert ("O", "P") in d.edges
    assert ("O", "P") not in rec.edges
    assert rec.add_edges([("New", "P")]).kind("New") is cidlib.NodeKind.CHANCE
    assert ("P", "C") not in rec.remove_edges([("P", "C")]).edges
    with pytest.raises(UnknownNodeError, match=r"\('C', 'P'\)"):
        rec.remove_edges([("C", "P")])
    with pytest.raises(CycleError):
        rec.add_edges([("I", "O")])


def test_information_links(rec: cidlib.InfluenceDiagram) -> None:
    d = rec.add_information_link("O", "P")
    assert d.information_links == {("M", "P"), ("O", "P")}
    assert d.remove_information_link("M", "P").information_links == {("O", "P")}
    with pytest.raises(InvalidQueryError, match="'I' is a chance node"):
        rec.add_information_link("O", "I")
    with pytest.raises(UnknownNodeError, match="'Q'"):
        rec.add_information_link("Q", "P")


def test_relabel(rec: cidlib.InfluenceDiagram) -> None:
    d = rec.relabel({"C": "Clicks", "P": "Posts"})
    assert d.utilities == {"Clicks"}
    assert d.decisions == {"Posts"}
    assert ("Posts", "Clicks") in d.edges
    with pytest.raises(DiagramError, match="both"):
        rec.relabel({"O": "M"})
    with pytest.raises(UnknownNodeError, match="'Nope'"):
        rec.relabel({"Nope": "X"})


def test_with_kind(rec: cidlib.InfluenceDiagram) -> None:
    d = rec.with_kind("M", "decision")
    assert d.decisions == {"M", "P"}
    assert d.agent_of("M") == 0
    assert rec.with_kind("P", "chance").decisions == frozenset()
    with pytest.raises(UtilityChildError, match="'O'"):
        rec.with_kind("O", "utility")
    with pytest.raises(DiagramError, match="unknown kind 'boss'"):
        rec.with_kind("O", "boss")


def test_with_kind_needs_agent_when_ambiguous(game: cidlib.InfluenceDiagram) -> None:
    with pytest.raises(AgentError, match="pass agent="):
        game.with_kind("X", "decision")
    assert game.with_kind("X", "decision", agent=2).agent_of("X") == 2


def test_for_agent(game: cidlib.InfluenceDiagram) -> None:
    v = game.for_agent(2)
    assert v.agents == {2}
    assert v.decisions == {"D2"}
    assert v.utilities == {"U2"}
    assert v.chance == {"D1", "U1", "X"}
    assert v.edges == game.edges
    with pytest.raises(UnknownNodeError, match="agent"):
        game.for_agent(3)


def test_labels_and_positions(rec: cidlib.InfluenceDiagram) -> None:
    d = rec.with_labels({"O": "Original opinions"}).with_positions({"O": (0, 1)})
    assert d.labels == {"O": "Original opinions"}
    assert d.positions == {"O": (0.0, 1.0)}
    with pytest.raises(DiagramError, match="position of node 'O'"):
        rec.with_positions({"O": (0, "a")})  # type: ignore[dict-item]
    with pytest.raises(DiagramError, match="label of node 'O'"):
        rec.with_labels({"O": 3})  # type: ignore[dict-item]
    with pytest.raises(UnknownNodeError, match="'Q'"):
        rec.with_labels({"Q": "q"})


def test_networkx_round_trip(game: cidlib.InfluenceDiagram) -> None:
    d = game.with_labels({"X": "Signal"}).with_positions({"X": (1.0, 2.0)})
    g = d.to_networkx()
    assert isinstance(g, nx.DiGraph)
    assert g.nodes["D1"] == {"kind": "decision", "agent": 1}
    assert g.nodes["X"] == {"kind": "chance", "label": "Signal", "pos": (1.0, 2.0)}
    before = copy.deepcopy(g.nodes(data=True))
    assert cidlib.InfluenceDiagram.from_networkx(g) == d
    assert dict(g.nodes(data=True)) == dict(before)


def test_from_networkx_plain_graph_is_all_chance() -> None:
    g = nx.DiGraph([("a", "b")])
    d = cidlib.InfluenceDiagram.from_networkx(g)
    assert d.chance == {"a", "b"}
    assert d.agents == frozenset()


# -- validation: every error has its class and names the offender ------------------------------

@pytest.mark.parametrize(
    ("build", "error", "needle"),
    [
        (lambda: cidlib.CID([("A", "B"), ("B", "C"), ("C", "A")], decisions=[], utilities=[]),
         CycleError, "'A' -> 'B' -> 'C' -> 'A'"),
        (lambda: cidlib.CID([("A", "A")], decisions=[], utilities=[]), SelfLoopError, "'A'"),
        (lambda: cidlib.CID([("D", "U"), ("U", "X")], decisions=["D"], utilities=["U"]),
         UtilityChildError, "'U' has children 'X'"),
        (lambda: cidlib.CID([("D", "U")], decisions=["D", "U"], utilities=["U"]),
         KindConflictError, "'U' is both"),
        (lambda: cidlib.CID([("D", "U")], decisions=["D", "Dx"], utilities=["U"]),
         UnknownNodeError, "'Dx'"),
        (lambda: cidlib.CID([("D", "U")], decisions=["D"], utilities=["V"]),
         UnknownNodeError, "utility 'V' is not a node"),
        (lambda: cidlib.MACID([("D", "U")], agents={1: {"decisions": ["D"], "utilities": ["U"]},
                                                   2: {"decisions": ["D"], "utilities": []}}),
         AgentError, "'D' belongs to two agents"),
        (lambda: cidlib.MACID([("D", "U")], agents={1: {"decisions": ["D"], "utility": ["U"]}}),
         AgentError, "agent 1"),
        (lambda: cidlib.MACID([("D", "U")], agents=[1, 2]),  # type: ignore[arg-type]
         AgentError, "mapping"),
        (lambda: cidlib.CID([("D", "U")], decisions="D", utilities=["U"]),
         ArgumentTypeError, "not the string 'D'"),
        (lambda: cidlib.CID([("D", "U")], decisions=None, utilities=["U"]),  # type: ignore[arg-type]
         ArgumentTypeError, "not NoneType"),
        (lambda: cidlib.CID(None, decisions=[], utilities=[]),  # type: ignore[arg-type]
         MalformedEdgeError, "not None"),
        (lambda: cidlib.CID([("D", "U")], decisions=["D"], utilities=["U"], nodes=None),  # type: ignore[arg-type]
         ArgumentTypeError, "nodes must be a collection"),
        (lambda: cidlib.CID([("D", "U")], decisions=["D"], utilities=["U"],
                            labels=[("D", "d")]),  # type: ignore[arg-type]
         ArgumentTypeError, "labels must be a mapping"),
        (lambda: cidlib.InfluenceDiagram(["X"], agents=[[1]]), InvalidNodeError, "[1]"),
        (lambda: cidlib.CID([("D", "U")], decisions=["D"], utilities=["U"],
                            positions={"D": (float("nan"), 0.0)}),
         DiagramError, "finite numbers"),
        (lambda: cidlib.InfluenceDiagram(["D"], kinds={"D": "decision"}), AgentError, "'D'"),
        (lambda: cidlib.InfluenceDiagram(["X"], owners={"X": 1}), AgentError, "chance node 'X'"),
        (lambda: cidlib.CID([("", "U")], decisions=[], utilities=["U"]), InvalidNodeError, "''"),
        (lambda: cidlib.CID([(None, "U")], decisions=[], utilities=["U"]), InvalidNodeError,
         "None"),
        (lambda: cidlib.CID([(["a"], "U")], decisions=[], utilities=["U"]), InvalidNodeError,
         "['a']"),
        (lambda: cidlib.CID([("A", "B", "C")], decisions=[], utilities=[]), MalformedEdgeError,
         "('A', 'B', 'C')"),
        (lambda: cidlib.CID(["AB"], decisions=[], utilities=[]), MalformedEdgeError, "'AB'"),
        (lambda: cidlib.CID("AB", decisions=[], utilities=[]), MalformedEdgeError, "not 'AB'"),
        (lambda: cidlib.InfluenceDiagram(["X"], kinds={"X": "dec"}), DiagramError,
         "unknown kind 'dec'"),
    ],
)
def test_validation_errors(build, error, needle) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error) as info:
        build()
    assert needle in str(info.value)
    assert isinstance(info.value, CidlibError)


def test_errors_subclass_builtins() -> None:
    with pytest.raises(ValueError, match="cycle"):
        cidlib.CID([("A", "B"), ("B", "A")], decisions=[], utilities=[])
    with pytest.raises(KeyError):
        cidlib.CID([("D", "U")], decisions=["D"], utilities=["U"]).parents("Q")
    with pytest.raises(TypeError):
        cidlib.CID([(["x"], "U")], decisions=[], utilities=["U"])


def test_unknown_node_suggests_close_names(rec: cidlib.InfluenceDiagram) -> None:
    with pytest.raises(UnknownNodeError, match="did you mean 'P'") as info:
        rec.children("p")
    assert str(info.value).startswith("'p' is not a node")  # no KeyError quoting


def test_cycle_error_carries_the_cycle() -> None:
    with pytest.raises(CycleError) as info:
        cidlib.CID([("S", "A"), ("A", "B"), ("B", "A")], decisions=[], utilities=[])
    cycle = info.value.cycle
    assert cycle[0] == cycle[-1]
    assert set(cycle) == {"A", "B"}


def test_inputs_are_not_mutated() -> None:
    edges = [["S", "D"], ["D", "U"]]
    decisions = ["D"]
    agents = {1: {"decisions": decisions, "utilities": ["U"]}}
    snapshot = copy.deepcopy((edges, agents))
    cidlib.MACID(edges, agents=agents)
    assert (edges, agents) == snapshot


# -- properties --------------------------------------------------------------------------------

@given(diagrams(labelled=True, agents=2))
def test_json_round_trip(d: cidlib.InfluenceDiagram) -> None:
    assert cidlib.InfluenceDiagram.from_dict(d.to_dict()) == d
    assert cidlib.InfluenceDiagram.from_json(d.to_json()) == d
    assert cidlib.InfluenceDiagram.from_networkx(d.to_networkx()) == d


@given(diagrams(labelled=True), st.randoms(use_true_random=False))
def test_relabelling_invariance(d: cidlib.InfluenceDiagram, rnd) -> None:  # type: ignore[no-untyped-def]
    names = sorted(d.nodes, key=str)
    shuffled = list(names)
    rnd.shuffle(shuffled)
    mapping = {a: f"X{b}" for a, b in zip(names, shuffled, strict=False)}
    r = d.relabel(mapping)
    assert r.edges == {(mapping[u], mapping[v]) for u, v in d.edges}
    assert {mapping[n] for n in d.decisions} == r.decisions
    assert {mapping[n] for n in d.utilities} == r.utilities
    assert r.relabel({v: k for k, v in mapping.items()}) == d


@given(diagrams(agents=2))
def test_equal_diagrams_hash_equal(d: cidlib.InfluenceDiagram) -> None:
    rebuilt = cidlib.InfluenceDiagram(
        reversed(d.topological_order()), sorted(d.edges, reverse=True),
        kinds={n: d.kind(n) for n in d.nodes}, owners={n: d.agent_of(n) for n in
                                                       d.decisions | d.utilities},
        agents=d.agents,
    )
    assert rebuilt == d
    assert hash(rebuilt) == hash(d)


@given(diagrams())
def test_transformations_do_not_mutate(d: cidlib.InfluenceDiagram) -> None:
    snapshot = d.to_dict()
    node = sorted(d.nodes, key=str)[0]
    d.add_nodes(["fresh"])
    d.remove_nodes([node])
    d.relabel({node: "renamed"})
    d.with_labels({node: "label"})
    if d.edges:
        d.remove_edges([sorted(d.edges)[0]])
    assert d.to_dict() == snapshot


@given(diagrams())
def test_queries_agree_with_networkx(d: cidlib.InfluenceDiagram) -> None:
    g = d.to_networkx()
    for n in d.nodes:
        assert d.ancestors(n) == nx.ancestors(g, n)
        assert d.descendants(n) == nx.descendants(g, n)
        assert d.parents(n) == set(g.predecessors(n))
    order = d.topological_order()
    assert all(order.index(u) < order.index(v) for u, v in d.edges)


# -- the public seams: adjacency views and checks ---------------------------------------------

def test_adjacency_views_are_read_only_and_ordered() -> None:
    d = cidlib.CID([("b", "D"), ("a", "D"), ("a", "U"), ("D", "U")], decisions=["D"],
                   utilities=["U"])
    assert d.pred["D"] == ("a", "b")
    assert d.succ["a"] == ("D", "U")
    assert d.pred["a"] == ()
    assert set(d.pred) == set(d.succ) == d.nodes
    assert all(frozenset(d.pred[n]) == d.parents(n) for n in d.nodes)
    assert all(frozenset(d.succ[n]) == d.children(n) for n in d.nodes)
    with pytest.raises(TypeError):
        d.pred["D"] = ()  # type: ignore[index]
    with pytest.raises(AttributeError):
        d.pred = {}  # type: ignore[misc]


def test_require_names_the_node_kind_and_agent() -> None:
    d = cidlib.CID([("Age", "D"), ("D", "U")], decisions=["D"], utilities=["U"])
    assert d.require("Age") == "Age"
    assert d.require("D", "decision") == "D"
    assert d.require_agent(0) == 0
    with pytest.raises(UnknownNodeError, match="did you mean 'Age'"):
        d.require("age")
    with pytest.raises(ArgumentTypeError, match="node names are hashable"):
        d.require(["unhashable"])
    with pytest.raises(InvalidQueryError, match="'Age' is a chance node, not a decision; "
                                                "the decisions are: 'D'"):
        d.require("Age", cidlib.NodeKind.DECISION)
    with pytest.raises(UnknownNodeError, match="is not an agent"):
        d.require_agent(1)
