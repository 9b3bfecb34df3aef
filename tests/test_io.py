from __future__ import annotations

import importlib.util
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cidlib
from cidlib.exceptions import CidlibError, ParseError, SchemaError
from cidlib.io import foreign, text
from cidlib.io.files import format_of, loads_any, read_diagram, write_diagram
from tests.diagrams import EXAMPLES, RECOMMENDER
from tests.strategies import diagrams

EXAMPLE_FILES = Path(__file__).parent.parent / "examples" / "diagrams"


# -- the text format ---------------------------------------------------------------------------

def test_text_format_example() -> None:
    d = text.loads(
        '# comment line\n'
        'decision P "Posts to show"   # trailing comment\n'
        'utility C "Clicks # not a comment" at 1.5, -2\n'
        '\n'
        'O -> M -> P -> I -> C\n'
        'O -> I\n'
        'P -> C\n'
    )
    assert d == cidlib.CID(
        [("O", "M"), ("M", "P"), ("P", "I"), ("I", "C"), ("O", "I"), ("P", "C")],
        decisions=["P"], utilities=["C"],
        labels={"P": "Posts to show", "C": "Clicks # not a comment"},
        positions={"C": (1.5, -2.0)},
    )


def test_text_format_names_agents_and_integers() -> None:
    d = text.loads('agent 1\nagent "team b"\ndecision 7 agent 1\nutility "my utility" '
                   'agent "team b"\n7 -> "my utility"\nchance lonely\n')
    assert d.agents == {1, "team b"}
    assert d.agent_of(7) == 1
    assert d.agent_of("my utility") == "team b"
    assert "lonely" in d.nodes


@pytest.mark.parametrize(("source", "line", "column", "needle"), [
    ("decison D", 1, 1, "did you mean 'decision'"),
    ("decision D\ndecision D", 2, 10, "already declared on line 1"),
    ("A -> A", 1, 3, "self-loop on 'A'"),
    ("A -> B ->", 1, 8, "expected -> NAME"),
    ("utility U\nU -> A", 2, 3, "utility node 'U' has child 'A'"),
    ("A -> B\nB -> C\nC -> A", 1, 3, "directed cycle"),
    ("chance X agent 1", 1, 10, "a chance node has no agent"),
    ('decision "open', 1, 10, "unterminated string"),
    ("decision D at 1", 1, 12, "at X, Y"),
    ("decision D at 1, x", 1, 18, "expected a number"),
    ("decision D at 1e999, 0", 1, 15, "finite"),
    ("decision D junk", 1, 12, "unexpected 'junk'"),
    ("agent", 1, 1, "agent NAME"),
    ("decision agent", 1, 10, "expected a node name"),
    ("A -> B @", 1, 8, "unexpected character '@'"),
    ('decision ""', 1, 10, "empty or blank"),
    ('A -> B\n\n" " -> C', 3, 1, "empty or blank"),
    ('decision D agent " "', 1, 18, "empty or blank"),
])
def test_text_errors_have_line_and_column(source: str, line: int, column: int,
                                          needle: str) -> None:
    with pytest.raises(ParseError) as info:
        text.loads(source, "design.cid")
    err = info.value
    assert (err.line, err.column) == (line, column)
    assert str(err).startswith(f"design.cid:{line}:{column}: ")
    assert needle in str(err)


@given(diagrams(labelled=True, agents=2))
def test_text_round_trip(d: cidlib.InfluenceDiagram) -> None:
    assert text.loads(text.dumps(d)) == d


def test_text_round_trip_awkward_names() -> None:
    d = cidlib.MACID([('say "hi"', "back\\slash"), (3, "agent"), ("x.y'z", "back\\slash")],
                     agents={"A b": {"decisions": [3], "utilities": ["back\\slash"]}},
                     labels={3: 'a "quoted" label'}, positions={3: (0.1, 1e-7)})
    assert text.loads(text.dumps(d)) == d
    with pytest.raises(SchemaError, match="strings and integers"):
        text.dumps(cidlib.CID([(("a", 1), "U")], decisions=[], utilities=["U"]))


# Names and labels cidlib accepts: no control characters, no lone surrogates.
ONE_LINE = st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1,
                   max_size=12).filter(lambda t: t.strip() and "\n" not in t and "\r" not in t)


@given(st.lists(ONE_LINE | st.integers(-10**6, 10**6), min_size=2, max_size=6, unique=True),
       st.dictionaries(st.integers(0, 5), ONE_LINE, max_size=3),
       st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=2, max_size=2))
def test_text_round_trip_any_names(names, labels, xy) -> None:  # type: ignore[no-untyped-def]
    d = cidlib.CID(list(pairwise(names)), decisions=[names[0]], utilities=[names[-1]],
                   labels={names[i]: t for i, t in labels.items() if i < len(names)},
                   positions={names[1]: (xy[0], xy[1])})
    assert text.loads(text.dumps(d)) == d


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_text_round_trip_examples(name: str) -> None:
    assert text.loads(text.dumps(EXAMPLES[name])) == EXAMPLES[name]


# -- fastID, DAGitty, BIFXML --------------------------------------------------------------------

def test_fastid() -> None:
    d = foreign.loads_fastid("A->*D->$U<-A; B[3]->D; C{x|y}<-B; x.y->D; A'->D; my var->D")
    assert d.edges == {("A", "D"), ("D", "U"), ("A", "U"), ("B", "D"), ("B", "C"),
                       ("x.y", "D"), ("A'", "D"), ("my var", "D")}
    assert d.decisions == {"D"}
    assert d.utilities == {"U"}
    for bad, needle, col in (("A->", "expected a node", 4), ("->A", "expected a node", 1),
                             ("*A->$A", "both decision and utility", 5),
                             ("A->B->A", "cycle", 2), ("A{}->B", "expected a node", 1),
                             ("A[]->B", "expected a node", 1), ("$U->A", "utilities must be",
                                                                3)):
        with pytest.raises(ParseError, match=needle) as info:
            foreign.loads_fastid(bad)
        assert info.value.column == col, bad


def test_foreign_writers_round_trip() -> None:
    d = cidlib.CID([("S", "D"), ("D", "U"), ("S", "U"), ("S", "T")], decisions=["D"],
                   utilities=["U"], nodes=["alone"], positions={"S": (1.5, -2.0)})
    assert foreign.loads_dagitty(foreign.dumps_dagitty(d)) == d
    back = foreign.loads_fastid(foreign.dumps_fastid(d))  # structure only: no positions
    assert (back.nodes, back.edges, back.decisions, back.utilities) == (
        d.nodes, d.edges, d.decisions, d.utilities)
    assert back.positions == {}
    with pytest.raises(SchemaError, match="one agent"):
        foreign.dumps_dagitty(EXAMPLES["taxi"])


def test_dagitty() -> None:
    d = foreign.loads_dagitty(
        'dag {\nX [exposure,pos="1,2"]\nY [outcome]\nZ [latent]\nZ -> X -> Y <- Z\n}'
    )
    assert d.edges == {("Z", "X"), ("X", "Y"), ("Z", "Y")}
    assert d.decisions == {"X"}
    assert d.utilities == {"Y"}
    assert d.positions == {"X": (1.0, -2.0)}
    edge_attrs = foreign.loads_dagitty(
        'dag {\nbb="-3.6,-2.6,5.9,2.5"\nA [pos="0,0"]\nB [pos="1,1"]\n'
        'A -> B [pos="0.5,-3"]\nA -> C [outcome]\n{X V} -> U\n}')
    assert edge_attrs.positions == {"A": (0.0, -0.0), "B": (1.0, -1.0)}
    assert edge_attrs.utilities == frozenset()
    assert {("X", "U"), ("V", "U")} <= edge_attrs.edges
    for bad, needle in (("graph { A -> B }", "dag {"), ("dag { A <-> B }", "no meaning"),
                        ("dag { A -- B }", "no meaning"), ("dag { -> B }", "both sides"),
                        ('dag { A [pos="x"] }', "pos must be"), ("dag { A [exposure }",
                                                                 "unclosed"),
                        ("dag { Y [outcome]\nY -> A }", "utilities must be sinks")):
        with pytest.raises(ParseError, match=needle):
            foreign.loads_dagitty(bad)


def test_bifxml_round_trip_and_errors() -> None:
    d = RECOMMENDER
    back = foreign.loads_bifxml(foreign.dumps_bifxml(d))
    assert back == d
    with pytest.raises(ParseError, match="DOCTYPE"):
        foreign.loads_bifxml('<!DOCTYPE x [<!ENTITY a "b">]><BIF/>')
    with pytest.raises(ParseError, match=r":1:15: invalid XML: no element found"):
        foreign.loads_bifxml("<BIF><NETWORK>")
    with pytest.raises(ParseError, match="undeclared variable 'Q'"):
        foreign.loads_bifxml("<BIF><NETWORK><VARIABLE TYPE='nature'><NAME>A</NAME>"
                             "</VARIABLE><DEFINITION><FOR>A</FOR><GIVEN>Q</GIVEN>"
                             "</DEFINITION></NETWORK></BIF>")
    with pytest.raises(SchemaError, match="one agent"):
        foreign.dumps_bifxml(EXAMPLES["taxi"])
    with pytest.raises(SchemaError, match="BIFXML name"):
        foreign.dumps_bifxml(cidlib.CID([("a b", "U")], decisions=[], utilities=["U"]))


@pytest.mark.skipif(importlib.util.find_spec("pyagrum") is None,
                    reason="pyAgrum is not installed; interop is checked against our own files")
def test_pyagrum_interop(tmp_path: Path) -> None:
    import warnings

    # pyAgrum's SWIG bindings emit DeprecationWarnings (no __module__ on builtin types) while
    # loading; our warnings-as-errors setting turns them into errors inside the C extension,
    # which crashes it. So pyAgrum runs with those warnings ignored.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import pyagrum as gum

        gum.saveID(gum.fastID("A->*D->$U<-A;B->D"), str(tmp_path / "theirs.bifxml"))
        write_diagram(cidlib.minimal_reduction(RECOMMENDER), tmp_path / "ours.bifxml")
        loaded = gum.loadID(str(tmp_path / "ours.bifxml"))
        names = {loaded.variable(n).name() for n in loaded.nodes()}
        arcs = {(loaded.variable(a).name(), loaded.variable(b).name())
                for a, b in loaded.arcs()}
        kinds = (loaded.isDecisionNode(loaded.idFromName("P")),
                 loaded.isUtilityNode(loaded.idFromName("C")))
    assert read_diagram(tmp_path / "theirs.bifxml") == foreign.loads_fastid("A->*D->$U<-A;B->D")
    assert names == {str(n) for n in RECOMMENDER.nodes}
    assert arcs == cidlib.minimal_reduction(RECOMMENDER).edges
    assert kinds == (True, True)


# -- files ---------------------------------------------------------------------------------------

def test_formats_by_extension_and_content(tmp_path: Path) -> None:
    assert format_of("a.cid") == "text"
    assert format_of("a.JSON") == "json"
    assert format_of("x", '  {"schema": 1}') == "json"
    assert format_of("x", "<BIF/>") == "bifxml"
    assert format_of("x", "dag { }") == "dagitty"
    assert format_of("x", "A -> B") is None
    assert loads_any("A->*D->$U") == foreign.loads_fastid("A->*D->$U")
    assert loads_any("decision D\nD -> U\nutility U").decisions == {"D"}
    for suffix in (".cid", ".json", ".bifxml"):
        write_diagram(RECOMMENDER.remove_nodes([]), tmp_path / f"r{suffix}")
        assert read_diagram(tmp_path / f"r{suffix}").edges == RECOMMENDER.edges
    with pytest.raises(SchemaError, match="cannot write"):
        write_diagram(RECOMMENDER, tmp_path / "r.gif")
    with pytest.raises(SchemaError, match="not a DAGitty name"):
        write_diagram(cidlib.CID([("a b", "U")], decisions=[], utilities=["U"]),
                      tmp_path / "r.dagitty")
    (tmp_path / "bom.cid").write_bytes("\ufeffdecision D\nD -> U\nutility U\n".encode())
    assert read_diagram(tmp_path / "bom.cid").decisions == {"D"}
    (tmp_path / "model.txt").write_text("dag {\nA -> B\n}")
    assert read_diagram(tmp_path / "model.txt").edges == {("A", "B")}
    (tmp_path / "fast.txt").write_text("A->*D->$U")
    assert read_diagram(tmp_path / "fast.txt").decisions == {"D"}
    (tmp_path / "bad.cid").write_bytes(b"\xff\xfe")
    with pytest.raises(SchemaError, match="not UTF-8"):
        read_diagram(tmp_path / "bad.cid")
    with pytest.raises(SchemaError, match="cannot read"):
        read_diagram(tmp_path / "missing.cid")


@pytest.mark.parametrize("path", sorted(EXAMPLE_FILES.glob("*.cid")), ids=lambda p: p.stem)
def test_example_files_parse_and_round_trip(path: Path) -> None:
    d = read_diagram(path)
    assert text.loads(text.dumps(d)) == d


def test_example_files_state_the_papers_answers() -> None:
    def load(name: str) -> cidlib.InfluenceDiagram:
        return read_diagram(EXAMPLE_FILES / f"{name}.cid")

    rec, fix = load("recommender"), load("recommender_fix")
    assert cidlib.admits_ici(rec, "P", "I")
    assert not cidlib.admits_ici(fix, "P", "I")
    assert cidlib.admits_ici(fix, "P", "PC")
    grade, no_hs = load("grade_prediction"), load("grade_prediction_no_hs")
    assert cidlib.admits_ri(grade, "P", "R")
    assert not cidlib.admits_voi(grade, "P", "R")
    assert cidlib.voi_nodes(grade, "P") >= {"E", "Gr"}
    assert not cidlib.ri_nodes(grade, "P") & {"E", "Gr", "Ge"}
    assert not cidlib.admits_ri(no_hs, "P", "R")
    assert cidlib.admits_voi(no_hs, "P", "R")
    assert cidlib.admits_ici(load("reward_tampering"), "A1", "ThetaR2")
    assert not cidlib.admits_ici(load("reward_tampering_fix"), "A1", "ThetaR2")
    assert set(cidlib.relevance_graph(load("taxi")).edges) == {("D1", "D2")}


# -- robustness: every parser either parses or raises a clear cidlib error ------------------------

PARSERS = [text.loads, foreign.loads_fastid, foreign.loads_dagitty, foreign.loads_bifxml,
           cidlib.InfluenceDiagram.from_json, loads_any]


def _parses_or_clear_error(parse, data: str) -> None:  # type: ignore[no-untyped-def]
    """Either a diagram or a CidlibError with a message; any other exception fails."""
    try:
        result = parse(data)
    except CidlibError as err:
        message = str(err)
        assert message
    else:
        assert isinstance(result, cidlib.InfluenceDiagram)


@pytest.mark.parametrize("parse", PARSERS, ids=lambda f: f.__module__ + "." + f.__name__)
@given(st.text(max_size=200))
def test_fuzz_random_text(parse, data: str) -> None:  # type: ignore[no-untyped-def]
    _parses_or_clear_error(parse, data)


@pytest.mark.parametrize("parse", PARSERS, ids=lambda f: f.__module__ + "." + f.__name__)
@given(st.binary(max_size=200))
def test_fuzz_random_bytes(parse, data: bytes) -> None:  # type: ignore[no-untyped-def]
    _parses_or_clear_error(parse, data.decode("utf-8", errors="replace"))


SEEDS = [
    text.dumps(RECOMMENDER),
    "A->*D->$U<-A;B->D",
    'dag {\nX [exposure,pos="1,2"]\nY [outcome]\nX -> Y\n}',
    foreign.dumps_bifxml(RECOMMENDER),
    RECOMMENDER.to_json(),
]


@pytest.mark.parametrize("parse", PARSERS, ids=lambda f: f.__module__ + "." + f.__name__)
@given(st.sampled_from(SEEDS), st.lists(st.tuples(st.integers(0, 2000), st.sampled_from(
    ["", "->", "<-", "\n", '"', "#", "*", "$", "{", "}", "[", "]", "<", ">", ",", "9" * 400,
     "1e999", "nan", "utility", "agent", "[" * 50, "{" * 50, "\\", "at 1, 2"])), max_size=4))
def test_fuzz_near_valid(parse, seed: str, edits) -> None:  # type: ignore[no-untyped-def]
    data = seed
    for where, insert in edits:
        pos = where % (len(data) + 1)
        data = data[:pos] + insert + data[pos + 1:]
    _parses_or_clear_error(parse, data)


def test_deep_nesting_and_huge_numbers() -> None:
    for data in ("[" * 100_000, "{" * 100_000, "<a>" * 50_000, "decision D at " + "9" * 5000
                 + ", 1", "9" * 5000 + " -> A"):
        for parse in PARSERS:
            _parses_or_clear_error(parse, data)
