"""The quantitative layer: probabilities, expected utility, policies, incentive values, games.

Attach numbers to a diagram with :func:`parameterize` (or draw them with
:func:`random_parameterization`), then ask for distributions (:func:`query`, :func:`do`,
:func:`sample`), counterfactuals (:func:`counterfactual`, on the structural reading shown by
:func:`structural_model`; :func:`mechanism` gives a node its own noise), expected utilities
(:func:`expected_utility`), optimal policies (:func:`optimal_policy`, :func:`meu`),
quantitative incentives (:func:`quantitative_voi`, :func:`quantitative_voc`,
:func:`quantitative_ri`, :func:`quantitative_ici`, :func:`responds`) and equilibria of games
(:func:`pure_nash_equilibria`, :func:`mixed_nash_equilibria`,
:func:`subgame_perfect_equilibria`, :func:`to_efg`). The same names are available from
``cidlib`` directly. Tables too large for memory are refused up front
(:mod:`cidlib.quant.limits`).

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
from cidlib.quant.generate import random_parameterization
from cidlib.quant.incentive_values import QuantitativeIncentive, quantitative_ici, quantitative_ri
from cidlib.quant.model import ParameterizedDiagram, do, parameterize
from cidlib.quant.policy import (
    DecisionRule,
    Policy,
    policy,
    random_policy,
    uniform_policy,
)
from cidlib.quant.query import query, to_pgmpy
from cidlib.quant.solve import LocalOptimumWarning, expected_utility, meu, optimal_policy
from cidlib.quant.specs import bernoulli, deterministic, mechanism, noisy_copy, table, uniform
from cidlib.quant.structural import StructuralModel, counterfactual, sample, structural_model
from cidlib.quant.values import quantitative_voc, quantitative_voi, responds

__all__ = [
    "DecisionRule",
    "Equilibrium",
    "LocalOptimumWarning",
    "ParameterizedDiagram",
    "Policy",
    "QuantitativeIncentive",
    "StructuralModel",
    "bernoulli",
    "counterfactual",
    "deterministic",
    "do",
    "expected_utility",
    "mechanism",
    "meu",
    "mixed_nash_equilibria",
    "noisy_copy",
    "optimal_policy",
    "parameterize",
    "policy",
    "pure_nash_equilibria",
    "quantitative_ici",
    "quantitative_ri",
    "quantitative_voc",
    "quantitative_voi",
    "query",
    "random_parameterization",
    "random_policy",
    "responds",
    "sample",
    "structural_model",
    "subgame_perfect_equilibria",
    "table",
    "to_efg",
    "to_pgmpy",
    "uniform",
    "uniform_policy",
]
