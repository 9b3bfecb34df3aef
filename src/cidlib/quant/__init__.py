"""The quantitative layer: probabilities, expected utility and policies, on pgmpy.

Requires the optional dependency pgmpy: ``pip install 'cidlib[quant]'``. Importing this
package without it raises :class:`~cidlib.exceptions.MissingDependencyError` with that hint.
"""

from __future__ import annotations

from cidlib.exceptions import MissingDependencyError

try:
    import pgmpy  # noqa: F401 -- only checks that the engine is installed
except ImportError as err:  # pragma: no cover -- exercised in a subprocess by the tests
    raise MissingDependencyError(
        "cidlib.quant needs pgmpy, which is not installed; install it with "
        "pip install 'cidlib[quant]'"
    ) from err

__all__: list[str] = []
