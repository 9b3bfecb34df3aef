"""The command line, run as a user runs it: in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import cidlib
from cidlib.io.files import read_diagram

EXAMPLES = Path(__file__).parent.parent / "examples" / "diagrams"
REC = str(EXAMPLES / "recommender.cid")
FIX = str(EXAMPLES / "recommender_fix.cid")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cidlib", *args], capture_output=True,
                          text=True, check=False, timeout=120)


def test_analyze_text() -> None:
    out = run("analyze", REC)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0].split() == ["node", "kind", "VoI(P)", "RI(P)", "VoC(P)",
                                                 "ICI(P)"]
    assert "  ICI  P on I: P -> I -> C" in out.stdout


def test_analyze_node_json_markdown() -> None:
    node = run("analyze", REC, "--node", "I")
    assert node.stdout.splitlines() == [
        "P has value of control on I, because I -> C lets control over I change its utility C.",
        "P has an instrumental control incentive on I, because P -> I -> C lets it change C "
        "through I.",
    ]
    doc = json.loads(run("analyze", REC, "--format", "json", "--decision", "P").stdout)
    assert {(i["kind"], i["node"]) for i in doc["incentives"]} >= {("ici", "I"), ("voc", "O")}
    md = run("analyze", REC, "--format", "markdown").stdout
    assert md.startswith("| node | kind | VoI(P) |")
    assert "- **ICI** P on I: `P -> I -> C`" in md


def test_check_exit_codes() -> None:
    bad = run("check", REC, "--forbid", "ici:I")
    assert bad.returncode == 1
    assert bad.stdout.startswith("forbidden: P has an instrumental control incentive on I")
    good = run("check", FIX, "--forbid", "ici:I", "--forbid", "ri:I")
    assert good.returncode == 0
    assert good.stdout.startswith("ok:")


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf", ".tex", ".dot"])
def test_draw(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"figure{suffix}"
    result = run("draw", REC, "-o", str(out), "--highlight", "ici:I", "--title", "Recommender")
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    magic = {".png": b"\x89PNG", ".svg": b"<?xml", ".pdf": b"%PDF", ".tex": b"\\documentclass",
             ".dot": b"digraph"}[suffix]
    assert data.startswith(magic)
    if suffix == ".dot":
        assert b'"P" -> "I" [color="#d62728", penwidth=3];' in data


def test_compare(tmp_path: Path) -> None:
    out = run("compare", REC, FIX, "-o", str(tmp_path / "cmp.png"))
    assert out.returncode == 0, out.stderr
    assert "ICI  P on I: P -> I -> C" in out.stdout.split("Appeared")[0]
    assert (tmp_path / "cmp.png").read_bytes().startswith(b"\x89PNG")


def test_convert_between_formats(tmp_path: Path) -> None:
    original = read_diagram(REC)
    path = REC
    for suffix in (".json", ".bifxml", ".cid"):
        target = str(tmp_path / f"design{suffix}")
        result = run("convert", path, target)
        assert result.returncode == 0, result.stderr
        path = target
    assert read_diagram(path) == original
    dag = tmp_path / "model.dagitty"
    dag.write_text("dag { X [exposure]\nY [outcome]\nZ -> X -> Y <- Z }")
    assert run("convert", str(dag), str(tmp_path / "model.cid")).returncode == 0
    assert read_diagram(tmp_path / "model.cid").decisions == {"X"}


def test_multi_agent_needs_agent_option() -> None:
    taxi = str(EXAMPLES / "taxi.cid")
    refused = run("analyze", taxi)
    assert refused.returncode == 2
    assert "add --agent 1" in refused.stderr
    view = run("analyze", taxi, "--agent", "2")
    assert view.returncode == 0, view.stderr
    assert "VoI(D2)" in view.stdout.splitlines()[0]


@pytest.mark.parametrize(("args", "needle"), [
    (("analyze", "missing.cid"), "missing.cid: cannot read"),
    (("analyze", REC, "--node", "Q"), "'Q' is not a node"),
    (("check", REC, "--forbid", "ici:"), "write KIND, KIND:NODE or KIND:NODE@DECISION"),
    (("check", REC, "--forbid", "ici:I@O"), "'O' is a chance node, not a decision"),
    (("check", REC, "--forbid", "xyz:I"), "unknown incentive kind 'xyz'"),
    (("draw", REC, "-o", "figure.gif"), "write the figure as .png, .svg, .pdf, .tex, .dot"),
    (("convert", REC, "out.gif"), "cannot write this format"),
    (("analyze", REC, "--agent", "7"), "agent '7' is not an agent of"),
    (("draw", REC, "-o", "figure.png", "--highlight", "ici:O"), "no witness to draw"),
])
def test_errors_are_one_clear_line(args: tuple[str, ...], needle: str) -> None:
    out = run(*args)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1
    assert out.stderr.startswith("cidlib: error: ")
    assert needle in out.stderr
    assert "Traceback" not in out.stderr


def test_filtered_tables_show_only_what_was_asked() -> None:
    md = run("analyze", REC, "--node", "I", "--format", "markdown").stdout.splitlines()
    assert md[:3] == ["| node | kind | VoI(P) | RI(P) | VoC(P) | ICI(P) |",
                      "|---|---|---|---|---|---|", "| I | chance | - | . | x | x |"]
    assert md[3] == ""


def test_debug_keeps_exit_code_and_compare_checks_output_first(tmp_path: Path) -> None:
    debug = run("--debug", "analyze", "missing.cid")
    assert debug.returncode == 2
    assert "Traceback" in debug.stderr
    early = run("compare", REC, FIX, "-o", str(tmp_path / "c.jpg"))
    assert early.returncode == 2
    assert early.stdout == ""


def test_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.cid"
    bad.write_text("decision D\nD -> D\n")
    out = run("analyze", str(bad))
    assert out.returncode == 2
    assert f"{bad}:2:3: self-loop on 'D'" in out.stderr
    debug = run("--debug", "analyze", str(bad))
    assert "Traceback" in debug.stderr


def test_usage_errors_exit_2() -> None:
    assert run().returncode == 2
    assert run("bogus").returncode == 2
    help_text = run("--help")
    assert help_text.returncode == 0
    assert "exit codes: 0 ok; 1 a forbidden incentive" in " ".join(help_text.stdout.split())


def test_console_script_is_declared() -> None:
    pyproject = (Path(__file__).parent.parent / "pyproject.toml").read_text()
    assert '[project.scripts]\ncidlib = "cidlib.cli:main"' in pyproject
    assert cidlib.__version__


def test_game_describes_the_taxi_competition(tmp_path: Path) -> None:
    # Hammond et al. (2021): D1 relies on D2 and not conversely; {D2} is a proper subgame.
    figure = tmp_path / "relevance.png"
    out = run("game", str(EXAMPLES / "taxi.cid"), "-o", str(figure))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert "  D1 relies on D2: D2 -> U1" in lines
    assert not any(line.startswith("  D2 relies on") for line in lines)
    assert "  {D2}: {D2, U2}" in lines
    assert "  D1: direct effect; manipulation through D2" in lines
    assert figure.stat().st_size > 5_000


def test_game_names_a_missing_file() -> None:
    out = run("game", "no-such-file.cid")
    assert out.returncode == 2
    assert "no-such-file.cid" in out.stderr


def test_check_with_one_rule_says_so_in_the_singular() -> None:
    out = run("check", FIX, "--forbid", "ici:I")
    assert out.returncode == 0
    assert out.stdout.strip() == "ok: the forbidden incentive is not present"
