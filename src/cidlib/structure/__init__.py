"""The structure layer: what the graph alone says, built on the core's searches.

d-separation (:mod:`~cidlib.structure.separation`), requisite observations and the minimal
d-reduction (:mod:`~cidlib.structure.reduction`), strategic relevance and recall
(:mod:`~cidlib.structure.relevance`), subgames (:mod:`~cidlib.structure.subgames`), reasoning
patterns (:mod:`~cidlib.structure.reasoning`), path-specific objectives
(:mod:`~cidlib.structure.objectives`) and introduced total variation
(:mod:`~cidlib.structure.fairness`). It imports only :mod:`cidlib.core`.
"""

__all__: list[str] = []  # the public names are in cidlib and in the modules' __all__
