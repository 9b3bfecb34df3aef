"""Graphical incentive criteria, each a linear-time search.

Value of information, response incentives, value of control and instrumental control
incentives (Everitt et al. 2021).
"""

from cidlib.incentives.base import Incentive, IncentiveKind
from cidlib.incentives.control import admits_ici, admits_voc, ici_nodes, voc_nodes
from cidlib.incentives.response import admits_ri, ri_nodes
from cidlib.incentives.voi import admits_voi, voi_nodes

__all__ = [
    "Incentive",
    "IncentiveKind",
    "admits_ici",
    "admits_ri",
    "admits_voc",
    "admits_voi",
    "ici_nodes",
    "ri_nodes",
    "voc_nodes",
    "voi_nodes",
]
