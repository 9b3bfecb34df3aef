"""The :class:`Incentive` result shared by every criterion, and the checks every query makes."""

from __future__ import annotations

import enum
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from cidlib.core.checks import ensure_diagram, require_decision
from cidlib.core.diagram import InfluenceDiagram
from cidlib.core.names import node_key
from cidlib.core.paths import Path
from cidlib.core.search import Segment, Trail, lazy_path
from cidlib.exceptions import InvalidQueryError, UndeterminedError, UnsupportedDiagramError

__all__ = ["Incentive", "IncentiveKind"]


class IncentiveKind(str, enum.Enum):
    """The four incentive concepts of Everitt et al. (2021)."""

    VOI = "voi"
    RI = "ri"
    VOC = "voc"
    ICI = "ici"

    @property
    def title(self) -> str:  # type: ignore[override]  # str.title is shadowed on purpose
        """The concept's full name, e.g. ``'instrumental control incentive'``."""
        return _TITLES[self]

    @property
    def abbreviation(self) -> str:
        """The short name used in the papers, e.g. ``'ICI'``."""
        return _ABBREVIATIONS[self]

    def __str__(self) -> str:
        return self.value


_TITLES = {
    IncentiveKind.VOI: "value of information",
    IncentiveKind.RI: "response incentive",
    IncentiveKind.VOC: "value of control",
    IncentiveKind.ICI: "instrumental control incentive",
}
_ABBREVIATIONS = {
    IncentiveKind.VOI: "VoI",
    IncentiveKind.RI: "RI",
    IncentiveKind.VOC: "VoC",
    IncentiveKind.ICI: "ICI",
}


def parse_kind(kind: IncentiveKind | str) -> IncentiveKind:
    """Return the :class:`IncentiveKind` named by ``kind`` (``'ici'``, ``'ICI'``, ...)."""
    try:
        return IncentiveKind(str(kind).lower())
    except ValueError:
        raise InvalidQueryError(
            f"unknown incentive kind {kind!r}; use one of 'voi', 'ri', 'voc', 'ici'"
        ) from None


def _article(title: str) -> str:
    if title.startswith("value"):
        return ""  # "has value of information", a mass noun
    return "an " if title[0] in "aeiou" else "a "


@dataclass(frozen=True, slots=True)
class Incentive:
    """Whether a decision has an incentive of some kind on a node, and why.

    Truthy iff the incentive is present; follows the :class:`~cidlib.Verdict` protocol. The
    witness path is materialised on demand from the search that found it, so a report over a
    large diagram stays linear in memory.

    Attributes
    ----------
    kind : IncentiveKind
        Which of VoI, RI, VoC, ICI.
    decision, node
        The decision whose agent has (or lacks) the incentive, and the node it is about.
    present : bool
        The graphical criterion's verdict: some model compatible with the graph has it.
    trivial : bool
        Present only through a path of length 0 (VoC on a utility; ICI on the decision
        itself or on a utility): true by the definition, rarely interesting.
    generalised : bool
        The diagram has several decisions and the criterion is the natural generalisation
        evaluated on the minimal d-reduction, with no published completeness proof.
    undetermined : bool
        The criterion cannot decide (multi-decision value of information where adding the
        link breaks solubility). Such an incentive is neither present nor absent: using it
        as a truth value raises :class:`~cidlib.exceptions.UndeterminedError`, so that an
        unknown is never read as "no"; :meth:`explain` says why.
    """

    kind: IncentiveKind
    decision: Hashable
    node: Hashable
    present: bool
    trivial: bool = False
    generalised: bool = False
    undetermined: bool = False
    _witness: Callable[[], Path | None] | None = field(
        default=None, repr=False, compare=False, hash=False
    )
    _reason: str = field(default="", repr=False, compare=False, hash=False)

    def __bool__(self) -> bool:
        if self.undetermined:
            raise UndeterminedError(self.explain())
        return self.present

    @property
    def status(self) -> str:
        """``'present'``, ``'absent'`` or ``'undetermined'``."""
        return "undetermined" if self.undetermined else "present" if self.present else "absent"

    @property
    def witness(self) -> Path | None:
        """The path that explains a present incentive (None when absent)."""
        return self._witness() if self._witness is not None and self.present else None

    @property
    def key(self) -> tuple[IncentiveKind, Hashable, Hashable]:
        """``(kind, decision, node)``, which identifies the question answered."""
        return (self.kind, self.decision, self.node)

    def explain(self) -> str:
        """One plain-English sentence: the verdict and its reason, with the witness.

        Examples
        --------
        >>> import cidlib
        >>> d = cidlib.CID([("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("I", "C"),
        ...                 ("P", "C")], decisions=["P"], utilities=["C"])
        >>> print(cidlib.admits_ici(d, "P", "I").explain())  # doctest: +NORMALIZE_WHITESPACE
        P has an instrumental control incentive on I, because P -> I -> C lets it change C
        through I.
        """
        title = self.kind.title
        if self.undetermined:
            return (f"Whether {self.decision} has {_article(title)}{title} on {self.node} is "
                    f"undetermined: {self._reason}")
        if not self.present:
            return f"{self.decision} has no {title} on {self.node}: {self._reason}."
        path = self.witness
        assert path is not None, "a present incentive always has a witness"
        head = f"{self.decision} has {_article(title)}{title} on {self.node}"
        if self.kind is IncentiveKind.VOI:
            body = (f", because {path} is an active path to its utility {path.end}, so "
                    f"observing {self.node} tells it something about {path.end}")
        elif self.kind is IncentiveKind.RI:
            body = (f", because {path} runs through requisite observations only, so every "
                    f"optimal policy responds to {self.node}")
        elif self.kind is IncentiveKind.VOC:
            body = (f" (trivially: {self.node} is a utility)" if self.trivial else
                    f", because {path} lets control over {self.node} change its utility "
                    f"{path.end}")
        elif self.trivial and self.node == self.decision:
            body = f" (trivially: its own choice changes {path.end} through {path})"
        elif self.trivial:
            body = f" (trivially: {self.node} is a utility it changes through {path})"
        else:
            body = f", because {path} lets it change {path.end} through {self.node}"
        note = " (multi-decision generalisation on the minimal d-reduction)" if (
            self.generalised) else ""
        return head + body + note + "."

    def to_dict(self, *, witness: bool = True) -> dict[str, Any]:
        """Return a JSON-ready summary, with the witness as text and as a node list.

        ``witness=False`` leaves the witness out (a report stores witnesses its own way).
        """
        path = self.witness if witness else None
        entry: dict[str, Any] = {
            "kind": self.kind.value,
            "decision": self.decision,
            "node": self.node,
            "status": self.status,
            "present": self.present,
            "trivial": self.trivial,
            "generalised": self.generalised,
        }
        if witness:
            entry["witness"] = None if path is None else str(path)
            entry["witness_nodes"] = None if path is None else list(path.nodes)
        return entry

    def __repr__(self) -> str:
        verdict = self.status
        extra = ", trivial" if self.trivial else ""
        extra += ", generalised" if self.generalised else ""
        shown = f", witness='{self.witness}'" if self.present else ""
        return (f"Incentive({self.kind.abbreviation} of {self.decision!s} on {self.node!s}: "
                f"{verdict}{extra}{shown})")


def check_single_agent(diagram: InfluenceDiagram) -> None:
    """Raise :class:`UnsupportedDiagramError` for a diagram with several agents."""
    if len(ensure_diagram(diagram).agents) > 1:
        agents = ", ".join(repr(a) for a in sorted(diagram.agents, key=node_key))
        first = sorted(diagram.agents, key=node_key)[0]
        raise UnsupportedDiagramError(
            f"this diagram has several agents ({agents}); the incentive criteria are for one "
            f"agent: analyse one agent's view, e.g. diagram.for_agent({first!r})"
        )


def check_query(
    diagram: InfluenceDiagram, decision: Hashable, node: Hashable | None = None
) -> None:
    """Raise a clear error unless the diagram has one agent and the names are valid."""
    check_single_agent(diagram)
    if node is not None:
        diagram.require(node)
    require_decision(diagram, decision)


@dataclass(frozen=True)
class Search:
    """The outcome of one criterion's search for one decision.

    The nodes where the incentive is present, a function giving each such node's witness
    from the search's pointers, the nodes where it holds only trivially, and the nodes the
    criterion cannot decide (multi-decision VoI where adding the link breaks solubility),
    with the reason.
    """

    nodes: frozenset[Hashable]
    witness: Callable[[Hashable], Path]
    generalised: bool = False
    trivial: frozenset[Hashable] = frozenset()
    undetermined: frozenset[Hashable] = frozenset()
    why_undetermined: str = ""
    segments: Callable[[Hashable], tuple[Segment, ...]] | None = None

    @classmethod
    def along(cls, nodes: frozenset[Hashable],
              segments: Callable[[Hashable], tuple[Segment, ...]], **options: Any) -> Search:
        """Return a search whose witnesses are walks of back pointers (a node's ``segments``)."""
        return cls(nodes, lambda node: lazy_path(segments(node)), segments=segments, **options)

    def route(self, node: Hashable) -> tuple[Segment, ...]:
        """Return the witness of ``node`` as walks of the search's back pointers.

        Walks of one search share their tails, so describing every witness costs linear
        time and space (see :func:`cidlib.core.search.brief_text`). A search that gives no
        ``segments`` has its witness wrapped as one walk.
        """
        if self.segments is not None:
            return self.segments(node)
        return (Segment(Trail.of_path(self.witness(node)), 0),)

    def incentive(
        self, kind: IncentiveKind, decision: Hashable, node: Hashable, *, reason: str = ""
    ) -> Incentive:
        """Return the :class:`Incentive` of ``node`` according to this search."""
        present = node in self.nodes
        undetermined = node in self.undetermined
        return Incentive(
            kind=kind,
            decision=decision,
            node=node,
            present=present,
            trivial=present and node in self.trivial,
            generalised=self.generalised,
            undetermined=undetermined,
            _witness=partial(self.witness, node) if present else None,
            _reason=self.why_undetermined if undetermined else reason,
        )
