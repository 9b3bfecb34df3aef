"""The quantitative layer: probabilities, expected utility, policies, incentive values, games.

Attach numbers to a diagram with :func:`parameterize`, then ask for distributions
(:func:`query`, :func:`do`), expected utilities (:func:`expected_utility`), optimal policies
(:func:`optimal_policy`, :func:`meu`), quantitative incentives (:func:`quantitative_voi`,
:func:`quantitative_voc`, :func:`responds`) and equilibria of games
(:func:`pure_nash_equilibria`, :func:`mixed_nash_equilibria`,
:func:`subgame_perfect_equilibria`, :func:`to_efg`). The same names are available from
``cidlib`` directly.

Everything runs on numpy, through cidlib's own variable elimination. pgmpy (``pip install
'cidlib[quant]'``) is needed only to exchange models with it: CPDs given as its
``TabularCPD``, :meth:`ParameterizedDiagram.cpd` and :func:`to_pgmpy`. The layer sits beside
:mod:`cidlib.incentives`, above :mod:`cidlib.structure`.
"""

from __future__ import annotations

from cidlib.quant.efg import to_efg
from cidlib.quant.equilibria import (
    Equilibrium,
    mixed_nash_equilibria,
    pure_nash_equilibria,
    subgame_perfect_equilibria,
)
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
    "Equilibrium",
    "ParameterizedDiagram",
    "Policy",
    "bernoulli",
    "deterministic",
    "do",
    "expected_utility",
    "meu",
    "mixed_nash_equilibria",
    "noisy_copy",
    "optimal_policy",
    "parameterize",
    "policy",
    "pure_nash_equilibria",
    "quantitative_voc",
    "quantitative_voi",
    "query",
    "random_policy",
    "responds",
    "subgame_perfect_equilibria",
    "table",
    "to_efg",
    "to_pgmpy",
    "uniform",
    "uniform_policy",
]
