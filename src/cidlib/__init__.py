"""cidlib: causal influence diagrams and the incentives they give an agent.

Build a diagram with :func:`CID` (one agent) or :func:`MACID` (several), ask where the agent
has an incentive with :func:`admits_voi`, :func:`admits_ri`, :func:`admits_voc`,
:func:`admits_ici` (each answer carries the witness path that explains it), or get all of
them at once with :func:`analyze`.

Examples
--------
>>> import cidlib
>>> d = cidlib.CID([("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("I", "C"), ("P", "C")],
...                decisions=["P"], utilities=["C"])
>>> print(cidlib.admits_ici(d, "P", "I").witness)
P -> I -> C

``import cidlib`` loads networkx and nothing heavier: the rendering functions (``draw``,
``draw_comparison``, ``to_tikz``, ``to_dot``) load on first use, matplotlib only when
drawing, and the quantitative layer (``cidlib.quant``, on numpy) only when used.

The package is layered: ``core`` (the diagram model and its searches), ``structure`` (what the
graph alone says), ``incentives`` and, beside it, ``quant`` (numbers), then ``io``, ``render``
and the catalogue, and the command line on top. See the architecture page of the docs.
"""

from __future__ import annotations

import importlib
from typing import Any

from cidlib import exceptions
from cidlib.core.diagram import CID, MACID, InfluenceDiagram, NodeKind
from cidlib.core.paths import Path, Verdict
from cidlib.incentives import (
    Incentive,
    IncentiveComparison,
    IncentiveKind,
    IncentiveReport,
    admits_ici,
    admits_ri,
    admits_voc,
    admits_voi,
    analyze,
    compare,
    ici_nodes,
    incentives_on,
    ri_nodes,
    voc_nodes,
    voi_nodes,
)
from cidlib.incentives.voc_kinds import (
    ControlValue,
    admits_direct_voc,
    admits_indirect_voc,
    direct_voc_nodes,
    indirect_voc_nodes,
)
from cidlib.io.files import load_json, save_json
from cidlib.structure.fairness import IntroducedVariation, admits_itv
from cidlib.structure.generate import random_cid, random_macid
from cidlib.structure.objectives import path_specific_objective
from cidlib.structure.reasoning import ReasoningPattern, effective_decisions, reasoning_patterns
from cidlib.structure.reduction import (
    ObservationCheck,
    check_observation,
    minimal_reduction,
    requisite_observations,
)
from cidlib.structure.relevance import (
    Reliance,
    condensed_relevance_graph,
    has_perfect_recall,
    has_sufficient_recall,
    r_reachable,
    relevance_graph,
    relies_on,
    s_reachable,
)
from cidlib.structure.separation import (
    d_connected,
    directed_path,
    find_active_path,
    is_active,
    is_d_separated,
)
from cidlib.structure.subgames import subgame_base, subgames

__version__ = "0.2.0"

__all__ = [
    "CID",
    "MACID",
    "ControlValue",
    "DecisionRule",
    "Equilibrium",
    "Incentive",
    "IncentiveComparison",
    "IncentiveKind",
    "IncentiveReport",
    "InfluenceDiagram",
    "IntroducedVariation",
    "Layout",
    "LocalOptimumWarning",
    "NodeKind",
    "ObservationCheck",
    "ParameterizedDiagram",
    "Path",
    "Policy",
    "QuantitativeIncentive",
    "ReasoningPattern",
    "Reliance",
    "StructuralModel",
    "Style",
    "Verdict",
    "__version__",
    "admits_direct_voc",
    "admits_ici",
    "admits_indirect_voc",
    "admits_itv",
    "admits_ri",
    "admits_voc",
    "admits_voi",
    "analyze",
    "bernoulli",
    "check_observation",
    "compare",
    "condensed_relevance_graph",
    "counterfactual",
    "d_connected",
    "deterministic",
    "direct_voc_nodes",
    "directed_path",
    "do",
    "draw",
    "draw_comparison",
    "draw_decisions",
    "draw_relevance_graph",
    "effective_decisions",
    "exceptions",
    "expected_utility",
    "find_active_path",
    "has_perfect_recall",
    "has_sufficient_recall",
    "ici_nodes",
    "incentives_on",
    "indirect_voc_nodes",
    "is_active",
    "is_d_separated",
    "layout",
    "load_json",
    "mechanism",
    "meu",
    "minimal_reduction",
    "mixed_nash_equilibria",
    "noisy_copy",
    "optimal_policy",
    "parameterize",
    "path_specific_objective",
    "policy",
    "pure_nash_equilibria",
    "quantitative_ici",
    "quantitative_ri",
    "quantitative_voc",
    "quantitative_voi",
    "query",
    "r_reachable",
    "random_cid",
    "random_macid",
    "random_parameterization",
    "random_policy",
    "reasoning_patterns",
    "relevance_graph",
    "relies_on",
    "requisite_observations",
    "responds",
    "ri_nodes",
    "s_reachable",
    "sample",
    "save_json",
    "structural_model",
    "subgame_base",
    "subgame_perfect_equilibria",
    "subgames",
    "table",
    "to_dot",
    "to_efg",
    "to_html",
    "to_svg",
    "to_tikz",
    "uniform",
    "uniform_policy",
    "voc_nodes",
    "voi_nodes",
]

_LAZY_MODULES = {"catalogue": "cidlib.catalogue", "quant": "cidlib.quant",
                 "render": "cidlib.render"}
_LAZY_NAMES = {
    **dict.fromkeys(["Style", "draw", "draw_comparison", "draw_relevance_graph", "to_dot",
                     "to_tikz"], "cidlib.render"),
    **dict.fromkeys(["Layout", "draw_decisions", "layout"], "cidlib.render"),
    **dict.fromkeys(["to_html", "to_svg"], "cidlib.render"),
    **dict.fromkeys(
        ["DecisionRule", "Equilibrium", "ParameterizedDiagram", "Policy", "bernoulli",
         "deterministic", "do", "expected_utility", "meu", "mixed_nash_equilibria", "noisy_copy",
         "optimal_policy", "parameterize", "policy", "pure_nash_equilibria", "quantitative_voc",
         "quantitative_voi", "query", "random_policy", "responds", "subgame_perfect_equilibria",
         "table", "to_efg", "uniform", "uniform_policy"],
        "cidlib.quant",
    ),
    **dict.fromkeys(
        ["LocalOptimumWarning", "QuantitativeIncentive", "StructuralModel", "counterfactual",
         "mechanism", "quantitative_ici", "quantitative_ri", "random_parameterization",
         "sample", "structural_model"],
        "cidlib.quant",
    ),
}


def __getattr__(name: str) -> Any:
    """Import heavy layers on first use (PEP 562)."""
    if name in _LAZY_MODULES:
        return importlib.import_module(_LAZY_MODULES[name])
    if name == "examples":  # deprecated alias of the catalogue; warns on first import
        return importlib.import_module("cidlib.examples")
    if name in _LAZY_NAMES:
        return getattr(importlib.import_module(_LAZY_NAMES[name]), name)
    raise AttributeError(f"module 'cidlib' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*__all__, *_LAZY_MODULES})
