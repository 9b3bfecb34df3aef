"""The documentation: the site builds with ``--strict``, and every example in docs/ runs.

How each kind of fenced block in ``docs/**/*.md`` is checked:

- ``pycon`` (``>>>`` sessions): doctests, collected by pytest's ``--doctest-glob=*.md``
  (pyproject.toml); docs/conftest.py runs each page in a scratch directory.
- ``python``: executed here, one test per block, named ``docs/PAGE.md:LINE`` (the line of
  the opening fence). The blocks of a page run in order in one namespace, in a scratch
  directory holding a copy of ``examples/diagrams/`` (as if run from the root of a clone),
  with ``MPLBACKEND=Agg``. A traceback names the page and its line. A block that needs pgmpy
  is skipped when pgmpy is not installed.
- ``console``: each ``$ `` line is run by bash in a scratch directory (as above), with the
  installed ``cidlib`` command first on ``PATH``; the lines up to the next ``$ `` are its
  expected output (stdout and stderr), where a line ``...`` stands for any lines. ``$?``
  is the previous command's exit code, so ``$ echo $?`` checks one.
- Other blocks (``bash``, ``text``, ``yaml``, ...) are shown, not run.

A ``python`` or ``console`` block that genuinely cannot run in a test (it needs a network,
say) is skipped only when the line just before its opening fence is the marker
``<!-- docs-test: skip REASON -->``; the reason is reported with the skip.
"""

from __future__ import annotations

import html
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SKIP_MARKER = re.compile(r"<!--\s*docs-test:\s*skip\b\s*(.*?)\s*-->")
FENCE = re.compile(r"^```([\w+-]*)\s*$")


@dataclass(frozen=True)
class Block:
    page: Path
    line: int  # 1-based line of the opening fence
    language: str
    source: str
    skip: str | None  # the reason given by a skip marker

    @property
    def id(self) -> str:
        return f"{self.page.relative_to(ROOT).as_posix()}:{self.line}"


def read_blocks(page: Path) -> list[Block]:
    """Return the fenced blocks of a markdown page, in order."""
    lines = page.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        end = next((j for j in range(i + 1, len(lines)) if lines[j].rstrip() == "```"), None)
        if end is None:
            raise ValueError(f"{page}:{i + 1}: code block never closed")
        marker = SKIP_MARKER.fullmatch(lines[i - 1].strip()) if i else None
        skip = (marker.group(1) or "no reason given") if marker else None
        blocks.append(Block(page, i + 1, opening.group(1), "\n".join(lines[i + 1:end]) + "\n",
                            skip))
        i = end + 1
    return blocks


PAGES = sorted(DOCS.rglob("*.md"))
BLOCKS = [b for page in PAGES for b in read_blocks(page)]
PYTHON = [b for b in BLOCKS if b.language == "python"]
CONSOLE = [b for b in BLOCKS if b.language == "console"]


def scratch_directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh directory laid out like the root of a clone, for the examples to run in."""
    path = tmp_path_factory.mktemp("docs")
    shutil.copytree(ROOT / "examples" / "diagrams", path / "examples" / "diagrams")
    return path


# ---------------------------------------------------------------------------------------------
# The site


def test_site_builds_strictly(tmp_path: Path) -> None:
    if importlib.util.find_spec("mkdocs") is None:
        pytest.skip("mkdocs is not installed (pip install -e '.[docs]' or '.[test]')")
    site = tmp_path / "site"
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
         str(ROOT / "mkdocs.yml"), "--site-dir", str(site)],
        cwd=ROOT, capture_output=True, text=True, check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    elapsed = time.perf_counter() - start
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr}"
    assert "WARNING" not in result.stderr, result.stderr
    assert elapsed < 60, f"the docs build took {elapsed:.1f} s"

    # The changelog page is the repository's CHANGELOG.md, included when the site is built.
    changelog = (site / "changelog" / "index.html").read_text(encoding="utf-8")
    versions = [line for line in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").splitlines()
                if line.startswith("## ")]
    assert versions, "CHANGELOG.md has no '## ' version headings"
    assert changelog.count("<h2 ") == len(versions)
    assert "--8&lt;--" not in changelog
    assert "--8<--" not in changelog

    # The API pages render numpydoc sections as sections, and no reStructuredText leaks.
    draw_page = (site / "api" / "rendering" / "index.html").read_text(encoding="utf-8")
    assert 'id="cidlib.render.draw.draw"' in draw_page
    assert re.search(r'class="doc-section-title">\s*Parameters:', draw_page)
    assert re.search(r'href="[^"]*#cidlib\.core\.paths\.Path"', draw_page)  # :class:`~cidlib.Path`
    # Internal modules and names are not documented: the reference shows only public names.
    pages = "".join(p.read_text(encoding="utf-8") for p in (site / "api").rglob("*.html"))
    for internal in ("cidlib.core.search", "cidlib.core.names", "cidlib.render.layout",
                     "cidlib.incentives.base.Search", "cidlib.incentives.base.check_query"):
        assert f'id="{internal}' not in pages, internal
    assert 'id="cidlib.core.paths.Verdict"' in pages
    raw = re.compile(r"^\s*(?:Parameters|Returns|Raises|Examples|References)\n\s*-{3,}$"
                     r"|:(?:func|class|meth|mod):`|^\.\. \[|\w::$", flags=re.MULTILINE)
    for page in (site / "api").rglob("*.html"):
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
        leak = raw.search(text)
        assert leak is None, f"{page}: raw reStructuredText {leak.group(0)!r}"
    assert (site / "images" / "recommender.png").is_file()


def test_api_overview_lists_every_public_name() -> None:
    import cidlib

    overview = (DOCS / "api" / "index.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"`(\w+)`", overview))
    missing = sorted(set(cidlib.__all__) - listed - {"__version__"})
    assert not missing, f"add {missing} to the table in docs/api/index.md (and an API page)"


def test_blocks_are_found() -> None:
    # The marker is for blocks that cannot run, not for silencing failures: keep it rare.
    skipped = [b.id for b in BLOCKS if b.skip is not None]
    assert len(skipped) <= 2, f"too many skipped blocks: {skipped}"
    assert PYTHON, "no python blocks found in docs/: is the parser broken?"
    assert any(b.page.name == "check-in-ci.md" and "$ cidlib check" in b.source
               for b in CONSOLE), "the CI how-to's `cidlib check` session is not run"


# ---------------------------------------------------------------------------------------------
# python blocks


@dataclass
class PageRun:
    """A page's namespace and scratch directory after running its first ``done`` blocks."""

    directory: Path
    namespace: dict[str, Any] = field(default_factory=dict)
    done: int = 0


_RUNS: dict[Path, PageRun] = {}


def run_python(block: Block, namespace: dict[str, Any]) -> None:
    # Pad with newlines so that a traceback names the markdown page and its line.
    code = compile("\n" * block.line + block.source, str(block.page), "exec")
    try:
        exec(code, namespace)
    except ImportError as err:
        from cidlib.exceptions import MissingDependencyError

        if isinstance(err, MissingDependencyError) and importlib.util.find_spec("pgmpy") is None:
            pytest.skip(f"{block.id} needs pgmpy, which is not installed")
        raise
    finally:
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")


@pytest.mark.parametrize("block", PYTHON, ids=[b.id for b in PYTHON])
def test_python_block(block: Block, tmp_path_factory: pytest.TempPathFactory,
                      monkeypatch: pytest.MonkeyPatch) -> None:
    if block.skip is not None:
        pytest.skip(f"marked in the page: {block.skip}")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    page = [b for b in PYTHON if b.page == block.page and b.skip is None]
    index = page.index(block)
    run = _RUNS.get(block.page)
    if run is None or run.done != index:  # run alone, or after a failure: replay the page
        run = PageRun(scratch_directory(tmp_path_factory), {"__name__": "__docs__"})
        monkeypatch.chdir(run.directory)
        earlier = None
        try:
            for earlier in page[:index]:
                run_python(earlier, run.namespace)
        except Exception as err:
            assert earlier is not None
            pytest.fail(f"cannot run: the earlier block {earlier.id} fails: {err!r}")
    _RUNS[block.page] = run
    monkeypatch.chdir(run.directory)
    run.done = -1  # until this block succeeds
    run_python(block, run.namespace)
    run.done = index + 1


# ---------------------------------------------------------------------------------------------
# console blocks


def session(source: str) -> list[tuple[str, list[str]]]:
    """Split a console block into (command, expected output lines)."""
    steps: list[tuple[str, list[str]]] = []
    for line in source.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps:
            steps[-1][1].append(line.rstrip())
        elif line.strip():
            raise ValueError(f"output before the first command: {line!r}")
    return steps


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` lines match ``expected``, where a line ``...`` is any lines."""
    pattern = "".join(r"(?:.*\n)*?" if line == "..." else re.escape(line) + r"\n"
                      for line in expected)
    return re.fullmatch(pattern, "".join(line + "\n" for line in actual)) is not None


def test_console_matching() -> None:
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert matches(["a", "...", "d"], ["a", "d"])
    assert not matches(["a", "...", "d"], ["a", "b"])
    assert not matches(["a"], ["a", "b"])
    assert session("$ x\n1\n$ y\n") == [("x", ["1"]), ("y", [])]


@pytest.mark.parametrize("block", CONSOLE, ids=[b.id for b in CONSOLE])
def test_console_block(block: Block, tmp_path_factory: pytest.TempPathFactory) -> None:
    if block.skip is not None:
        pytest.skip(f"marked in the page: {block.skip}")
    bash = shutil.which("bash")
    bindir = str(Path(sys.executable).parent)
    if bash is None:
        pytest.skip("bash is not available")
    if shutil.which("cidlib", path=bindir) is None:
        pytest.skip(f"the cidlib command is not installed beside {sys.executable}")
    steps = session(block.source)
    # One shell, so that $? carries over; a separator line before each command's output.
    separator = "\x1e--docs-step--"
    script = ["__rc=0"]
    for command, _ in steps:
        script += [f"printf '%s\\n' '{separator}'", f"(exit $__rc); {command} 2>&1; __rc=$?"]
    result = subprocess.run(
        [bash, "--noprofile", "--norc", "-c", "\n".join(script)],
        cwd=scratch_directory(tmp_path_factory), capture_output=True, text=True, check=False,
        env={**os.environ, "PATH": bindir + os.pathsep + os.environ.get("PATH", ""),
             "MPLBACKEND": "Agg", "COLUMNS": "100"},
    )
    assert result.stderr == "", result.stderr
    outputs = result.stdout.split(separator + "\n")[1:]
    assert len(outputs) == len(steps), result.stdout
    for (command, expected), output in zip(steps, outputs, strict=True):
        actual = [line.rstrip() for line in output.splitlines()]
        assert matches(expected, actual), (
            f"{block.id}: $ {command}\nexpected:\n" + "\n".join(expected)
            + "\ngot:\n" + "\n".join(actual)
        )
