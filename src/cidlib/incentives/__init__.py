"""The incentives layer: the four graphical criteria, reports and comparisons.

Value of information (:mod:`~cidlib.incentives.voi`), response incentives
(:mod:`~cidlib.incentives.response`), value of control and instrumental control incentives
(:mod:`~cidlib.incentives.control`), each a linear-time search with witness paths (Everitt et
al. 2021), value of control split into direct and indirect (:mod:`~cidlib.incentives.voc_kinds`),
and the reports that gather them (:mod:`~cidlib.incentives.report`). It imports
only :mod:`cidlib.structure` and :mod:`cidlib.core`, except for the notebook display hook.
"""

from cidlib.incentives.base import Incentive, IncentiveKind
from cidlib.incentives.control import admits_ici, admits_voc, ici_nodes, voc_nodes
from cidlib.incentives.report import (
    IncentiveComparison,
    IncentiveReport,
    analyze,
    compare,
    incentives_on,
)
from cidlib.incentives.response import admits_ri, ri_nodes
from cidlib.incentives.voc_kinds import (
    ControlValue,
    admits_direct_voc,
    admits_indirect_voc,
    direct_voc_nodes,
    indirect_voc_nodes,
)
from cidlib.incentives.voi import admits_voi, voi_nodes

__all__ = [
    "ControlValue",
    "Incentive",
    "IncentiveComparison",
    "IncentiveKind",
    "IncentiveReport",
    "admits_direct_voc",
    "admits_ici",
    "admits_indirect_voc",
    "admits_ri",
    "admits_voc",
    "admits_voi",
    "analyze",
    "compare",
    "direct_voc_nodes",
    "ici_nodes",
    "incentives_on",
    "indirect_voc_nodes",
    "ri_nodes",
    "voc_nodes",
    "voi_nodes",
]
