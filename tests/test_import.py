"""`import cidlib` stays light; the quantitative layer needs numpy only, pgmpy only for interop."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, check=False)


def test_import_loads_no_heavy_modules() -> None:
    out = _run("import sys, cidlib; print(' '.join(m for m in ('matplotlib', 'numpy', 'pgmpy', "
               "'pandas', 'scipy') if m in sys.modules))")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


def test_quant_works_without_pgmpy() -> None:
    """Solving, equilibria and queries run on numpy; only the pgmpy exchange needs pgmpy."""
    out = _run("""
        import sys; sys.modules['pgmpy'] = None  # as if not installed: importing it fails
        import cidlib
        d = cidlib.CID([("S", "D"), ("S", "U"), ("D", "U")], decisions=["D"], utilities=["U"])
        pd = cidlib.parameterize(d, S=cidlib.uniform([-1, 1]), D=[-1, 1], U=lambda S, D: S * D)
        print(cidlib.meu(pd), cidlib.optimal_policy(pd)["D"].array.tolist())
        print(cidlib.query(pd, ["S"], given={"U": 1}, policy=cidlib.uniform_policy(pd)))
        years = {"cc": (-1, -1), "cd": (-3, 0), "dc": (0, -3), "dd": (-2, -2)}
        pd2 = cidlib.parameterize(cidlib.catalogue.prisoners_dilemma(), D1=["c", "d"],
                                  D2=["c", "d"], U1=lambda D1, D2: years[D1 + D2][0],
                                  U2=lambda D1, D2: years[D1 + D2][1])
        print([dict(e.utilities) for e in cidlib.pure_nash_equilibria(pd2)])
        try:
            cidlib.quant.to_pgmpy(pd, cidlib.uniform_policy(pd))
        except ImportError as e:
            print(type(e).__name__, isinstance(e, cidlib.exceptions.CidlibError), e)
        print("pgmpy" in sys.modules and sys.modules["pgmpy"] is not None)
    """)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "1.0 [[1.0, 0.0], [0.0, 1.0]]"
    assert lines[1] == "{-1: 0.5, 1: 0.5}"
    assert lines[2] == "[{1: -2.0, 2: -2.0}]"
    assert lines[3].startswith("MissingDependencyError True")
    assert "pip install 'cidlib[quant]'" in lines[3]
    assert lines[4] == "False"


def test_unknown_attribute() -> None:
    out = _run("import cidlib; cidlib.nonexistent")
    assert "module 'cidlib' has no attribute 'nonexistent'" in out.stderr
