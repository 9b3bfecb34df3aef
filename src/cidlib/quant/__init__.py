"""The quantitative layer: probabilities, expected utility, policies and incentive values.

Attach numbers to a diagram with :func:`parameterize`, then ask for distributions
(:func:`query`, :func:`do`), expected utilities (:func:`expected_utility`), optimal policies
(:func:`optimal_policy`, :func:`meu`) and quantitative incentives
(:func:`quantitative_voi`, :func:`quantitative_voc`, :func:`responds`). The same names are
available from ``cidlib`` directly.

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

from cidlib.quant.model import ParameterizedDiagram, do, parameterize
from cidlib.quant.policy import (
    DecisionRule,
    Policy,
    policy,
    random_policy,
    uniform_policy,
)
from cidlib.quant.query import query, to_pgmpy
from cidlib.quant.solve import expected_utility, meu, optimal_policy
from cidlib.quant.specs import bernoulli, deterministic, noisy_copy, table, uniform
from cidlib.quant.values import quantitative_voc, quantitative_voi, responds

__all__ = [
    "DecisionRule",
    "ParameterizedDiagram",
    "Policy",
    "bernoulli",
    "deterministic",
    "do",
    "expected_utility",
    "meu",
    "noisy_copy",
    "optimal_policy",
    "parameterize",
    "policy",
    "quantitative_voc",
    "quantitative_voi",
    "query",
    "random_policy",
    "responds",
    "table",
    "to_pgmpy",
    "uniform",
    "uniform_policy",
]
