"""Argument checks shared by every layer: each raises a named error that says how to fix it."""

from __future__ import annotations

from collections.abc import Hashable

from cidlib.core.diagram import InfluenceDiagram, NodeKind
from cidlib.exceptions import ArgumentTypeError, InvalidQueryError

__all__: list[str] = []  # internal: the public functions call these on their arguments


def ensure_diagram(value: object) -> InfluenceDiagram:
    """Return ``value`` if it is an :class:`~cidlib.InfluenceDiagram`, else raise a clear error."""
    if not isinstance(value, InfluenceDiagram):
        raise ArgumentTypeError(
            f"expected an InfluenceDiagram (build one with cidlib.CID or cidlib.MACID), got "
            f"{type(value).__name__} {value!r:.60}"
        )
    return value


def require_decision(diagram: object, decision: Hashable) -> Hashable:
    """Return ``decision`` if it is a decision node of ``diagram``, else raise a clear error."""
    return ensure_diagram(diagram).require(decision, NodeKind.DECISION)


def owner_utilities(diagram: InfluenceDiagram, decision: Hashable) -> frozenset[Hashable]:
    """Return the utilities of the agent that owns ``decision``."""
    return diagram.utilities_of(diagram.agent_of(decision))


def require_observable(diagram: InfluenceDiagram, decision: Hashable, node: Hashable) -> None:
    """Raise :class:`~cidlib.exceptions.InvalidQueryError` unless ``decision`` can see ``node``.

    Value of information is defined only for such nodes: not the decision, not a descendant
    of it (the link would close a cycle) and not a utility (utilities have no children).
    """
    if node == decision:
        why = "it is the decision itself"
    elif node in diagram.utilities:
        why = "it is a utility node, and utilities cannot be observed (they have no children)"
    elif node in diagram.descendants(decision):
        why = f"it is a descendant of {decision}, so observing it would close a cycle"
    else:
        return
    raise InvalidQueryError(
        f"value of information of {node!r} for {decision!r} is undefined: {why}; VoI is "
        f"defined for nodes that are not {decision!r}, its descendants or utilities"
    )
