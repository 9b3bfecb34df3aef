"""The core layer: the diagram model and the searches every other layer is built on.

:mod:`~cidlib.core.diagram` (the immutable, validated :class:`~cidlib.InfluenceDiagram`, with
its read-only adjacency views ``pred`` and ``succ``), :mod:`~cidlib.core.paths` (the
:class:`~cidlib.Path` evidence and the :class:`~cidlib.Verdict` protocol),
:mod:`~cidlib.core.search` (Bayes-ball and breadth-first search on adjacency mappings),
:mod:`~cidlib.core.names` (node names: order, display, did-you-mean) and
:mod:`~cidlib.core.document` (the JSON document form, without files). It imports nothing of
cidlib but :mod:`cidlib.exceptions`.
"""

__all__: list[str] = []  # the public names are in cidlib and in the modules' __all__
