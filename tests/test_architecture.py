"""The folders are the layers, and the seams between modules are public.

import-linter checks the layer contracts (pyproject.toml) in the README's test command; these
tests show that the contracts do catch a violation, and check what import-linter and ruff
cannot: that no module imports another module's underscore names, and that the API
reference documents exactly the public names.
"""

from __future__ import annotations

import ast
import importlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import cidlib

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "cidlib"
LINT_IMPORTS = shutil.which("lint-imports", path=str(Path(sys.executable).parent))


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out.append((name, path))
    return out


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def test_no_module_imports_another_modules_private_names() -> None:
    found = []
    for module, path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("cidlib"):
                names = [*node.module.split("."), *(a.name for a in node.names)]
                found += [f"{module}: from {node.module} import {a.name}"
                          for a in node.names if any(map(_private, names))]
            elif isinstance(node, ast.Import):
                found += [f"{module}: import {a.name}" for a in node.names
                          if a.name.startswith("cidlib") and any(map(_private, a.name.split(".")))]
    assert found == []


def _run_lint_imports(src: Path) -> subprocess.CompletedProcess[str]:
    assert LINT_IMPORTS is not None
    return subprocess.run([LINT_IMPORTS, "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
                          cwd=src.parent, capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": str(src)})


@pytest.mark.skipif(LINT_IMPORTS is None, reason="import-linter is not installed")
@pytest.mark.parametrize(("module", "line", "contract"), [
    # a deferred import inside a function counts as much as one at the top
    ("core/paths.py", "def _f() -> None:\n    import cidlib.render.draw\n", "Layers"),
    ("structure/reduction.py", "import cidlib.incentives.voi\n", "Layers"),
    ("quant/values.py", "import cidlib.incentives.voi\n", "Layers"),  # siblings stay apart
    ("render/draw.py", "import cidlib.cli\n", "entry point"),
    ("render/html.py", "import cidlib.web.session\n", "Layers"),
    ("examples.py", "import cidlib.web.server\n", "editor"),  # only cli imports the editor
    ("core/names.py", "import cidlib.core.diagram\n", "circles"),  # diagram imports names
])
def test_the_contracts_catch_a_forbidden_import(tmp_path: Path, module: str, line: str,
                                                contract: str) -> None:
    copy = tmp_path / "src"
    shutil.copytree(SRC, copy / "cidlib", ignore=shutil.ignore_patterns("__pycache__"))
    with (copy / "cidlib" / module).open("a", encoding="utf-8") as f:
        f.write("\n" + line)
    result = _run_lint_imports(copy)
    assert result.returncode != 0, result.stdout
    broken = [line for line in result.stdout.splitlines() if line.endswith("BROKEN")
              or " BROKEN (" in line]
    assert broken, result.stdout
    assert any(contract in b for b in broken), result.stdout


@pytest.mark.skipif(LINT_IMPORTS is None, reason="import-linter is not installed")
def test_the_contracts_hold() -> None:
    result = _run_lint_imports(SRC.parent)
    assert result.returncode == 0, result.stdout
    assert "Contracts: 4 kept, 0 broken." in result.stdout


def _documented_modules() -> set[str]:
    pages = (ROOT / "docs" / "api").glob("*.md")
    return {m for page in pages
            for m in re.findall(r"^::: (cidlib[\w.]*)$", page.read_text(), re.MULTILINE)}


def test_the_api_reference_shows_exactly_the_public_names() -> None:
    """Documented modules list users' names in ``__all__``; internal modules list none."""
    documented = _documented_modules()
    public: set[str] = set()
    for name, _ in _modules():
        if name in {"cidlib.__main__", "cidlib.examples"}:
            continue
        module = importlib.import_module(name)
        assert hasattr(module, "__all__"), f"{name} has no __all__"
        if name in documented:
            assert module.__all__, f"{name} is documented but exports nothing"
            public.update(module.__all__)
        elif name.count(".") > 1:  # a module (not a package) that is not documented
            assert module.__all__ == [], f"{name} exports {module.__all__} but is not documented"
    missing = set(cidlib.__all__) - public - {"__version__", "exceptions"}
    assert missing == set(), f"public names not on any API page: {sorted(missing)}"


def test_every_public_name_resolves() -> None:
    for name in cidlib.__all__:
        assert getattr(cidlib, name) is not None
    assert sorted(dir(cidlib)) == sorted({*cidlib.__all__, "catalogue", "quant", "render"})


def test_every_yes_no_answer_is_a_verdict() -> None:
    """Incentive, ObservationCheck, Reliance and IntroducedVariation share one protocol."""
    d = cidlib.catalogue.content_recommender()
    taxi = cidlib.catalogue.taxi_competition()
    answers = [cidlib.admits_ici(d, "P", "I"), cidlib.admits_ici(d, "P", "O"),
               cidlib.check_observation(d, "P", "M"), cidlib.relies_on(taxi, "D1", "D2"),
               cidlib.relies_on(taxi, "D2", "D1"),
               cidlib.admits_itv(cidlib.catalogue.hiring(), "Yh", "A")]
    assert [bool(a) for a in answers] == [True, False, True, True, False, True]
    for answer in answers:
        assert isinstance(answer, cidlib.Verdict)
        assert (answer.witness is not None) is bool(answer)
        assert answer.explain().endswith(".")
    assert not isinstance(cidlib.Path.directed("AB"), cidlib.Verdict)
