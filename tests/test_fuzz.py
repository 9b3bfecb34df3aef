"""Fuzzing what people feed cidlib: names, files and command lines.

Whatever the input, the answer is a diagram or a cidlib error with a message, and the
command line exits 0 or 2 (3 and 1 are findings of ``check``; 4, a bug, must never happen).
The readers' own fuzzing of random and near-valid text is in tests/test_io.py.
"""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cidlib
from cidlib import cli
from cidlib.exceptions import CidlibError
from cidlib.io import files, foreign, text

NAMES = st.one_of(
    st.text(min_size=1, max_size=12),  # any characters: spaces, quotes, surrogates, ...
    st.integers(-10**6, 10**6),
    st.sampled_from(["", " ", "->", '"', "#", "\\", "a b", "007", "nan", "True", "\ud800"]),
)


@st.composite
def named_diagrams(draw: st.DrawFn) -> tuple[list[tuple[object, object]], list[object],
                                             list[object]]:
    names = draw(st.lists(NAMES, min_size=2, max_size=6))
    edges = [(names[i], names[j]) for i in range(len(names)) for j in range(i + 1, len(names))
             if draw(st.booleans())]
    decisions = draw(st.lists(st.sampled_from(names), max_size=2))
    utilities = [n for n in draw(st.lists(st.sampled_from(names), max_size=2))
                 if n not in decisions]
    return edges, decisions, utilities


WRITERS = [text.dumps, foreign.dumps_fastid, foreign.dumps_dagitty, foreign.dumps_bifxml,
           lambda d: d.to_json()]


@given(named_diagrams())
def test_any_names_build_and_write_or_fail_clearly(spec) -> None:  # type: ignore[no-untyped-def]
    edges, decisions, utilities = spec
    try:
        d = cidlib.CID(edges, decisions=decisions, utilities=utilities)
    except CidlibError as err:
        message = str(err)
        assert message
        return
    written = {}
    for write in WRITERS:
        try:
            written[write] = write(d)
        except CidlibError as err:
            message = str(err)
            assert message
            continue
        written[write].encode("utf-8")  # every format is UTF-8 text
    if text.dumps in written:  # the text format holds one-line names; when written, exactly
        assert text.loads(written[text.dumps]) == d
    if all(isinstance(n, str | int) for n in d.nodes):
        assert cidlib.InfluenceDiagram.from_json(d.to_json()) == d
    report = cidlib.analyze(d)
    assert str(report)
    report.to_json()


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")  # matplotlib: emoji etc.
@settings(max_examples=25, deadline=None)
@given(named_diagrams())
def test_any_names_draw(spec) -> None:  # type: ignore[no-untyped-def]
    edges, decisions, utilities = spec
    try:
        d = cidlib.CID(edges, decisions=decisions, utilities=utilities)
    except CidlibError:
        return
    buffer = io.BytesIO()
    cidlib.draw(d, report=cidlib.analyze(d)).figure.savefig(buffer, format="svg")
    assert buffer.getvalue().startswith(b"<?xml")
    assert cidlib.to_tikz(d)
    assert cidlib.to_dot(d)


def _cli(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(list(args))
    return code, err.getvalue()


SUFFIXES = [".cid", ".json", ".fastid", ".dagitty", ".bifxml", ".txt"]
SEEDS = [text.dumps(cidlib.catalogue.content_recommender()),
         cidlib.catalogue.content_recommender().to_json(),
         text.dumps(cidlib.catalogue.taxi_competition()), "A->*D->$U<-A", "dag { X -> Y }"]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(SEEDS), st.lists(st.tuples(st.integers(0, 400), st.sampled_from(
    ["", "->", "\n", '"', "#", "*", "$", "{", "}", "[", "]", ",", "9" * 400, "decision X",
     "utility", "agent 1", "\ud800", "\x00", "@"])), max_size=3), st.sampled_from(SUFFIXES),
       st.sampled_from([("analyze",), ("analyze", "--format", "json"),
                        ("check", "--forbid", "ici"), ("check", "--forbid", "voi:P"),
                        ("game",), ("convert",), ("analyze", "--node", "I")]))
def test_the_command_line_never_crashes(tmp_path_factory: pytest.TempPathFactory, seed: str,
                                        edits: list[tuple[int, str]], suffix: str,
                                        command: tuple[str, ...]) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    data = seed
    for where, insert in edits:
        pos = where % (len(data) + 1)
        data = data[:pos] + insert + data[pos + 1:]
    path = folder / f"design{suffix}"
    path.write_bytes(data.encode("utf-8", errors="surrogatepass"))
    args = [command[0], str(path), *command[1:]]
    if command[0] == "convert":
        args.append(str(folder / "out.json"))
    code, err = _cli(*args)
    allowed = {0, 1, 2, 3} if command[0] == "check" else {0, 2}
    assert code in allowed, err
    assert "Traceback" not in err
    assert "internal error" not in err
    if code == 2:
        assert err.startswith("cidlib: error: ")


def test_the_command_line_refuses_what_it_cannot_write(tmp_path: Path) -> None:
    src = tmp_path / "d.cid"
    src.write_text(text.dumps(cidlib.catalogue.content_recommender()))
    for target in ("x.gif", "x", "x.cid.png.bak"):
        code, err = _cli("draw", str(src), "-o", str(tmp_path / target))
        assert code == 2
        assert "write the figure as" in err
        assert not (tmp_path / target).exists()
    assert files.format_of("x.cid") == "text"
