"""`import cidlib` stays light; the quantitative layer fails clearly without pgmpy."""

from __future__ import annotations

import subprocess
import sys


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)


def test_import_loads_no_heavy_modules() -> None:
    out = _run("import sys, cidlib; print(' '.join(m for m in ('matplotlib', 'pgmpy', 'pandas', "
               "'scipy') if m in sys.modules))")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


def test_quant_without_pgmpy_raises_install_hint() -> None:
    code = (
        "import sys; sys.modules['pgmpy'] = None\n"
        "import cidlib\n"
        "try:\n"
        "    cidlib.quant\n"
        "except ImportError as e:\n"
        "    print(type(e).__name__, isinstance(e, cidlib.exceptions.CidlibError), e)\n"
    )
    out = _run(code)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("MissingDependencyError True")
    assert "pip install 'cidlib[quant]'" in out.stdout


def test_unknown_attribute() -> None:
    out = _run("import cidlib; cidlib.nonexistent")
    assert "module 'cidlib' has no attribute 'nonexistent'" in out.stderr
