"""Never a silent "ok": the answers, crashes, lost files and costs a trust review found.

Each test is named after the item of the review it keeps fixed (``item_01`` ... ``item_09``,
then the smaller ones). Items 3 (figures), 4 and 11 (VoI explanations and the reduction) and
the quantitative size guards are tested beside their code.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import cidlib
from cidlib.core import atomic
from cidlib.exceptions import (
    ArgumentTypeError,
    CidlibError,
    CycleError,
    DiagramError,
    FormatError,
    InvalidNodeError,
    InvalidQueryError,
    ParseError,
    SchemaError,
    TimeLimitError,
    UndeterminedError,
    UnknownNodeError,
)
from cidlib.io.files import read_diagram, write_diagram

EXAMPLES = Path(__file__).parent.parent / "examples" / "diagrams"
REC = str(EXAMPLES / "recommender.cid")

# Two decisions that do not see each other's observations: giving X to D1 alone breaks
# sufficient recall, so the complete VoI criterion cannot decide X for D1.
UNDETERMINED = """\
decision D1
decision D2
utility U
S -> D1 -> D2 -> U
S -> D2
D1 -> U
X -> U
S -> U
"""

HIRING = cidlib.CID([("Gender", "CV"), ("CV", "Hire"), ("Hobby", "Fit"), ("Fit", "Hire"),
                     ("CV", "Perf"), ("Perf", "U"), ("Hire", "U")],
                    decisions=["Hire"], utilities=["U"])


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cidlib", *args], capture_output=True,
                          text=True, check=False, timeout=120, cwd=cwd)


def read_diagram_text(content: str) -> cidlib.InfluenceDiagram:
    from cidlib.io import text

    return text.loads(content)


@pytest.fixture
def undetermined(tmp_path: Path) -> Path:
    path = tmp_path / "design.cid"
    path.write_text(UNDETERMINED)
    return path


# -- silent answers ----------------------------------------------------------------------------

def test_item_01_check_fails_closed_on_undetermined_voi(undetermined: Path) -> None:
    out = run("check", str(undetermined), "--forbid", "voi:X@D1")
    assert out.returncode == 3, out.stdout + out.stderr
    assert "undetermined" in out.stdout
    assert "ok" not in out.stdout.splitlines()[-1]
    allowed = run("check", str(undetermined), "--forbid", "voi:X@D1", "--allow-undetermined")
    assert allowed.returncode == 0
    assert "1 undetermined, accepted" in allowed.stdout
    # A present forbidden incentive wins: D2 does have VoI on X.
    assert run("check", str(undetermined), "--forbid", "voi:X").returncode == 1
    report = cidlib.analyze(read_diagram(undetermined))
    assert report.status("voi", "D1", "X") == "undetermined"
    with pytest.raises(UndeterminedError, match="X"):
        report.has("voi", "D1", "X")
    with pytest.raises(UndeterminedError):
        bool(report.get("voi", "D1", "X"))
    assert report.get("voi", "D1", "X").status == "undetermined"  # type: ignore[union-attr]
    with pytest.raises(UndeterminedError, match="allow_undetermined"):
        report.nodes("voi", "D1")
    assert report.nodes("voi", "D1", allow_undetermined=True) == {"S"}
    on_x = cidlib.incentives_on(report.diagram, "X")
    assert [(i.decision, i.status) for i in on_x if i.kind.value == "voi"] == [
        ("D1", "undetermined"), ("D2", "present")]


def test_item_01_check_forbids_a_kind_anywhere_and_per_decision() -> None:
    anywhere = run("check", REC, "--forbid", "ici")
    assert anywhere.returncode == 1
    assert anywhere.stdout.splitlines() == [  # the trivial ICIs on P and C do not count
        "forbidden: P has an instrumental control incentive on I, because P -> I -> C lets "
        "it change C through I."]
    assert run("check", REC, "--forbid", "ici:I@P").returncode == 1
    assert run("check", REC, "--forbid", "ri:I@P").returncode == 0


def test_item_02_report_accessors_validate_every_name() -> None:
    report = cidlib.analyze(HIRING)
    for call in (lambda: report.has("ri", "Hire", "Gendr"),
                 lambda: report.get("ri", "Hire", "Gendr"),
                 lambda: report.status("ri", "Hire", "Gendr")):
        with pytest.raises(UnknownNodeError, match="did you mean 'Gender'"):
            call()
    with pytest.raises(UnknownNodeError, match="did you mean 'Hire'"):
        report.nodes("ri", "Hier")
    with pytest.raises(UnknownNodeError, match="did you mean 'Hire'"):
        report.undetermined("voi", "Hier")
    with pytest.raises(InvalidQueryError, match="not a decision"):
        report.has("ri", "CV", "Gender")
    with pytest.raises(InvalidQueryError, match="unknown incentive kind"):
        report.has("rx", "Hire", "Gender")
    with pytest.raises(ArgumentTypeError, match="hashable"):
        report.has("ri", "Hire", ["Gender"])  # type: ignore[arg-type]
    with pytest.raises(InvalidQueryError, match="undefined"):
        report.has("voi", "Hire", "U")  # VoI of a utility: undefined, not False
    assert report.has("ri", "Hire", "Gender")
    assert report.status("voi", "Hire", "Hobby") == "absent"
    assert report.status("voi", "Hire", "U") == "undefined"
    # questions ignore filters: a filter narrows what is listed, not what is true
    assert report.filter(kind="voi", node="CV").has("ri", "Hire", "Gender")


def test_item_05_is_active_refuses_nodes_not_in_the_diagram() -> None:
    with pytest.raises(UnknownNodeError, match="did you mean 'CV'"):
        cidlib.is_active(HIRING, cidlib.Path.directed(["Gender", "Cv"]))
    with pytest.raises(ArgumentTypeError, match=r"cidlib\.Path"):
        cidlib.is_active(HIRING, ["Gender", "CV"])  # type: ignore[arg-type]
    assert not cidlib.is_active(HIRING, cidlib.Path.directed(["Gender", "Hire"]))  # no edge


# -- crashes that look like findings -------------------------------------------------------------

@pytest.mark.parametrize(("content", "needle"), [
    ('{"schema": "cidlib.diagram", "version": 1, "nodes": [{"name": "\\ud800", '
     '"kind": "chance"}], "edges": []}', "lone surrogate"),
    ('{"schema": "cidlib.diagram", "version": 1, "nodes": [{"name": "A", "kind": "chance", '
     '"position": [1' + "0" * 400 + ', 0]}], "edges": []}', "finite numbers"),
    ('{"schema": "cidlib.diagram", "version": 1, "nodes": [{"name": ' + "[" * 500 + '"a"'
     + "]" * 500 + ', "kind": "chance"}], "edges": []}', "nests arrays more than 16 deep"),
])
def test_item_06_bad_files_exit_2_with_a_message(tmp_path: Path, content: str,
                                                 needle: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    for command in (["analyze", str(path)], ["draw", str(path), "-o", str(tmp_path / "f.png")]):
        out = run(*command)
        assert out.returncode == 2, out.stderr
        assert needle in out.stderr
        assert out.stderr.startswith("cidlib: error: ")
        assert "Traceback" not in out.stderr


def test_item_06_names_and_positions_are_checked_in_python_too() -> None:
    with pytest.raises(InvalidNodeError, match="lone surrogate"):
        cidlib.CID([("\ud800", "D"), ("D", "U")], decisions=["D"], utilities=["U"])
    with pytest.raises(DiagramError, match="finite numbers"):
        cidlib.CID([("A", "D"), ("D", "U")], decisions=["D"], utilities=["U"],
                   positions={"A": (10**400, 0)})


def test_item_06_output_names_are_checked_before_any_work(tmp_path: Path) -> None:
    game = run("game", str(EXAMPLES / "taxi.cid"), "-o", str(tmp_path / "rel.cid"))
    assert game.returncode == 2
    assert "write the figure as .png, .svg, .pdf; not .cid" in game.stderr
    assert game.stdout == ""
    noext = run("draw", REC, "-o", str(tmp_path / "noext"))
    assert noext.returncode == 2
    assert "not a name without extension" in noext.stderr
    assert not (tmp_path / "noext").exists()


def test_item_06_an_internal_error_exits_4_never_1(monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from cidlib import cli

    def boom(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(cli, "analyze", boom)
    assert cli.main(["check", REC, "--forbid", "ici:I"]) == 4
    err = capsys.readouterr().err
    assert "internal error: ZeroDivisionError: a bug" in err
    assert "please report" in err
    assert cli.main(["--debug", "check", REC, "--forbid", "ici:I"]) == 4
    assert "Traceback" in capsys.readouterr().err


# -- lost data -----------------------------------------------------------------------------------

def test_item_07_a_failed_write_leaves_the_old_file_intact(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target, figure = tmp_path / "design.json", tmp_path / "figure.png"
    cidlib.save_json(HIRING, target)
    cidlib.draw(HIRING).figure.savefig(figure)
    before, old_figure = target.read_bytes(), figure.read_bytes()

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", disk_full)
    smaller = HIRING.remove_nodes(["Hobby"])
    for write in (lambda: cidlib.save_json(smaller, target),
                  lambda: write_diagram(smaller, target),
                  lambda: cidlib.draw(smaller).figure.savefig(figure),
                  lambda: cidlib.draw_comparison(HIRING, smaller).savefig(figure)):
        with pytest.raises(OSError, match="No space left"):
            write()
    assert target.read_bytes() == before
    assert figure.read_bytes() == old_figure
    assert sorted(p.name for p in tmp_path.iterdir()) == ["design.json", "figure.png"]


def test_item_07_convert_that_cannot_encode_keeps_the_target(tmp_path: Path) -> None:
    target = tmp_path / "existing.fastid"
    target.write_text("A->*D\n")
    out = run("convert", str(EXAMPLES / "taxi.cid"), str(target))  # two agents: no fastID
    assert out.returncode == 2
    assert target.read_text() == "A->*D\n"


def test_item_07_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "design.cid"
    target.write_text("decision D\n")
    target.chmod(0o640)
    write_diagram(HIRING, target)
    assert target.stat().st_mode & 0o777 == 0o640
    assert read_diagram(target) == HIRING


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_item_07_killing_a_drawing_never_leaves_a_partial_file(tmp_path: Path) -> None:
    big = tmp_path / "big.cid"
    lines = ["decision D", "utility U"] + [f"X{i} -> X{i + 1}" for i in range(120)]
    big.write_text("\n".join([*lines, "X120 -> D -> U", "X0 -> U"]) + "\n")
    target = tmp_path / "figure.png"
    assert run("draw", str(big), "-o", str(target)).returncode == 0
    complete = target.read_bytes()
    assert complete.startswith(b"\x89PNG")
    assert complete.endswith(b"IEND\xaeB`\x82")
    for delay in (0.3, 0.8, 1.3, 1.8, 2.5):
        process = subprocess.Popen([sys.executable, "-m", "cidlib", "draw", str(big), "-o",
                                    str(target)], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        data = target.read_bytes()  # the old figure or the new one, whole
        assert data.startswith(b"\x89PNG"), delay
        assert data.endswith(b"IEND\xaeB`\x82"), delay
    leftovers = [p.name for p in tmp_path.iterdir() if p.name not in {"big.cid", "figure.png"}]
    assert all(name.endswith(".tmp") for name in leftovers)  # a kill can orphan a temporary


# -- unbounded cost ------------------------------------------------------------------------------

@pytest.mark.parametrize("spaces", [2_000, 50_000])
def test_item_08_the_fastid_reader_is_linear(spaces: int) -> None:
    from cidlib.io import foreign

    with pytest.raises(ParseError, match="expected a node"):
        foreign.loads_fastid("A" + " " * spaces + "[")  # used to backtrack for minutes


def _chain(n: int) -> cidlib.InfluenceDiagram:
    edges = [(f"X{i}", f"X{i + 1}") for i in range(n)]
    return cidlib.CID([*edges, (f"X{n}", "D"), ("D", "U"), ("X0", "U")], decisions=["D"],
                      utilities=["U"])


def test_item_09_report_output_grows_with_the_diagram_not_its_square() -> None:
    small, large = cidlib.analyze(_chain(400)), cidlib.analyze(_chain(1600))
    for form in (str, lambda r: r.to_markdown(), lambda r: r.to_json()):
        ratio = len(form(large)) / len(form(small))
        assert ratio < 4.6, ratio  # 4x the nodes: about 4x the text, not 16x
    full = len(large.to_json(full_witnesses=True)) / len(small.to_json(full_witnesses=True))
    assert full > 10  # the full witnesses, on request, do grow with the square
    line = next(ln for ln in str(large).splitlines() if ln.startswith("  RI   D on X0:"))
    assert line == "  RI   D on X0: X0 -> X1 -> X2 -> X3 -> X4 -> X5 -> X6 … D (1,601 edges)"


def test_item_09_long_messages_are_shortened() -> None:
    design = read_diagram_text(UNDETERMINED).add_edges([(f"X{i}", "U") for i in range(3000)])
    with pytest.raises(UndeterminedError, match=r"on X, X0, X1, .* and 2,991 more") as error:
        cidlib.voi_nodes(design, "D1")
    assert len(str(error.value)) < 1000
    d = _chain(5000)
    with pytest.raises(UnknownNodeError) as info:
        d.require("X5001")
    assert len(str(info.value)) < 200
    many = cidlib.CID([(f"N{i}", "D") for i in range(3000)] + [("D", "U")],
                      decisions=["D"], utilities=["U"]).add_nodes(["W"], kind="utility")
    with pytest.raises(DiagramError) as error:
        many.with_kind("D", "utility")  # a utility with 1 child: lists it, no more
    assert len(str(error.value)) < 300
    ring = [(f"X{i}", f"X{(i + 1) % 5000}") for i in range(5000)]
    with pytest.raises(CycleError, match=r"'X9' -> … 4,990 more -> 'X0';") as cycle:
        cidlib.InfluenceDiagram(edges=ring)
    assert len(str(cycle.value)) < 300
    assert len(cycle.value.cycle) == 5001  # the whole cycle stays on the error


def test_small_check_refuses_a_diagram_without_decisions(tmp_path: Path) -> None:
    for content in ("", "# only a comment\n", "A -> B\n"):
        empty = tmp_path / "empty.cid"
        empty.write_text(content, encoding="utf-8")
        done = run("check", str(empty), "--forbid", "voi")
        assert done.returncode == 2, (content, done.stdout)
        assert "no decision node" in done.stderr
        assert "ok" not in done.stdout


def test_small_analyze_node_answers_from_the_report() -> None:
    done = run("analyze", REC, "--node", "I", "--voc-routes")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "P has value of control on I, because I -> C lets control over I change its utility C."
        "  [direct]",
        "P has an instrumental control incentive on I, because P -> I -> C lets it change C "
        "through I.",
    ]


def test_small_edge_names_are_checked_when_removing_and_named_when_ambiguous() -> None:
    with pytest.raises(ArgumentTypeError, match="not list"):
        HIRING.remove_edges([(["CV"], "Hire")])
    with pytest.raises(UnknownNodeError, match="did you mean 'Gender'"):
        HIRING.remove_edges([("Gendr", "CV")])
    with pytest.raises(InvalidNodeError, match=r"^edge #1: the names 1 and True"):
        cidlib.InfluenceDiagram(edges=[(1, 2), (True, 3)])
    with pytest.raises(InvalidNodeError, match=r"^edge #2: node name nan"):
        cidlib.InfluenceDiagram(edges=[(1, 2), (2, 3), (3, float("nan"))])


def test_item_10_long_analyses_show_progress_and_can_be_bounded(
        capsys: pytest.CaptureFixture[str]) -> None:
    from cidlib.core.progress import Progress

    d = _chain(200)
    with pytest.raises(TimeLimitError, match=r"analyze stopped after .* 1 of 4 steps done"):
        cidlib.analyze(d, time_limit=1e-9)
    with pytest.raises(ArgumentTypeError, match="time_limit"):
        cidlib.analyze(d, time_limit=0)
    with pytest.raises(ArgumentTypeError, match="progress"):
        cidlib.analyze(d, progress="yes")  # type: ignore[arg-type]
    assert len(cidlib.analyze(d, progress=True, time_limit=600)) > 0
    assert "analyze" in capsys.readouterr().err  # the bar, on standard error
    cidlib.analyze(d)  # not a terminal here: silent
    assert capsys.readouterr().err == ""
    with Progress(2, "work", show=False, time_limit=3600) as progress:
        progress.step(2)
    assert progress.done == 2
    out = run("check", REC, "--forbid", "ici", "--time-limit", "0.000001")
    assert out.returncode == 3
    assert "time_limit" in out.stderr
    assert run("check", REC, "--forbid", "ici", "--time-limit", "-1").returncode == 2


def test_draw_one_decision_or_each_from_the_command_line(undetermined: Path,
                                                        tmp_path: Path) -> None:
    each = tmp_path / "each.png"
    assert run("draw", str(undetermined), "--each-decision", "-o", str(each)).returncode == 0
    assert each.read_bytes().startswith(b"\x89PNG")
    only = tmp_path / "d1.tex"
    assert run("draw", str(undetermined), "--decision", "D1", "-o", str(only)).returncode == 0
    tikz = only.read_text()
    both = run("draw", str(undetermined), "-o", str(tmp_path / "both.tex"))
    assert both.returncode == 0
    assert len(tikz) < len((tmp_path / "both.tex").read_text())  # fewer rings
    refused = run("draw", str(undetermined), "--each-decision", "-o", str(tmp_path / "x.tex"))
    assert refused.returncode == 2


# -- smaller ones -------------------------------------------------------------------------------

def test_small_diagram_cannot_be_mutated_by_del() -> None:
    with pytest.raises(AttributeError, match="immutable"):
        del HIRING._edges
    assert len(HIRING.edges) == 7


def test_small_nan_and_ambiguous_names_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidNodeError, match="NaN"):
        cidlib.CID([(float("nan"), "D"), ("D", "U")], decisions=["D"], utilities=["U"])
    with pytest.raises(InvalidNodeError, match="1 and True are equal"):
        cidlib.CID([(1, "D"), (True, "D"), ("D", "U")], decisions=["D"], utilities=["U"])
    text = tmp_path / "t.cid"
    text.write_text("decision D\n007 -> D\n7 -> D\n")
    with pytest.raises(ParseError, match=r"007 is not how the integer 7 is written"):
        read_diagram(text)


def test_small_fastid_blank_chunks_and_the_empty_diagram(tmp_path: Path) -> None:
    from cidlib.io import foreign

    assert foreign.loads_fastid("A->*D; ").edges == {("A", "D")}
    empty = cidlib.InfluenceDiagram(agents=[0])
    assert foreign.loads_fastid(foreign.dumps_fastid(empty)) == empty
    path = tmp_path / "e.fastid"
    write_diagram(empty, path)
    assert read_diagram(path) == empty


def test_small_agent_names_that_print_alike_are_told_apart(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    doc = cidlib.MACID([("D1", "U1"), ("D2", "U2")],
                       agents={1: {"decisions": ["D1"], "utilities": ["U1"]},
                               "1": {"decisions": ["D2"], "utilities": ["U2"]}}).to_dict()
    path.write_text(json.dumps(doc))
    out = run("analyze", str(path), "--agent", "1")
    assert out.returncode == 2
    assert "agent '1' names several agents of" in out.stderr
    assert "its agents are 1, '1'" in out.stderr


def test_small_every_error_is_a_cidlib_error_of_the_right_builtin() -> None:
    assert issubclass(UndeterminedError, ValueError)
    assert issubclass(FormatError, SchemaError)
    assert issubclass(FormatError, CidlibError)
    with pytest.raises(FormatError, match="cannot write this format"):
        write_diagram(HIRING, "design.gif")
    assert not os.path.exists("design.gif")


def test_small_load_json_fails_like_read_diagram(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    with pytest.raises(SchemaError, match=r"missing\.json: cannot read"):
        cidlib.load_json(missing)
    (tmp_path / "latin1.json").write_bytes(b'{"schema": "\xe9"}')
    with pytest.raises(SchemaError, match=r"latin1\.json: not UTF-8 text"):
        cidlib.load_json(tmp_path / "latin1.json")
