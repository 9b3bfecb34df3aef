r"""A catalogue of diagrams from the papers, each with its source and the answers it states.

Every function builds a fresh :class:`~cidlib.InfluenceDiagram` of one figure or example from
the literature. :func:`catalogue` (or the read-only mapping :data:`CATALOGUE`) lists them as
:class:`Example` records: the builder, the reference, and the :class:`Claim`\ s the paper
makes about the diagram (an incentive present or absent, a decision relying on another, an
agent with or without sufficient recall, ...). A claim records the paper's answer; its
:meth:`Claim.evaluate` asks cidlib, so ``example.mismatches()`` lists the claims that cidlib
disagrees with (none, for every entry here).

Where a paper's figure could not be checked in print, the entry's ``note`` says so, and only
answers that could be traced to a source are claimed.

Examples
--------
>>> from cidlib import catalogue
>>> d = catalogue.content_recommender()
>>> sorted(d.decisions), sorted(d.utilities)
(['P'], ['C'])
>>> [e.name for e in catalogue.catalogue()][:3]
['grade_prediction', 'grade_prediction_without_high_school', 'content_recommender']
>>> catalogue.CATALOGUE["taxi_competition"].mismatches()
()

References
----------
.. [1] T. Everitt, R. Carey, E. Langlois, P. A. Ortega, S. Legg. "Agent Incentives: A Causal
   Perspective." AAAI 2021 (arXiv 2102.01685).
.. [2] R. Carey, E. Langlois, T. Everitt, S. Legg. "The Incentives that Shape Behaviour."
   arXiv 2001.07118, 2020.
.. [3] T. Everitt, M. Hutter, R. Kumar, V. Krakovna. "Reward Tampering Problems and Solutions
   in Reinforcement Learning: A Causal Influence Diagram Perspective." Synthese 198, 2021.
.. [4] C. Ashurst, R. Carey, S. Chiappa, T. Everitt. "Why Fair Labels Can Yield Unfair
   Predictions: Graphical Conditions for Introduced Unfairness." AAAI 2022.
.. [5] D. Koller, B. Milch. "Multi-agent influence diagrams for representing and solving
   games." Games and Economic Behavior 45, 2003.
.. [6] L. Hammond, J. Fox, T. Everitt, A. Abate, M. Wooldridge. "Equilibrium Refinements for
   Multi-Agent Influence Diagrams: Theory and Practice." AAMAS 2021.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, get_args

import networkx as nx

from cidlib.core.checks import ensure_diagram, require_decision
from cidlib.core.diagram import CID, MACID, InfluenceDiagram
from cidlib.exceptions import ArgumentTypeError
from cidlib.incentives import admits_ici, admits_ri, admits_voc, admits_voi
from cidlib.structure.fairness import admits_itv
from cidlib.structure.reduction import requisite_observations
from cidlib.structure.relevance import has_sufficient_recall, relevance_graph, s_reachable

__all__ = [
    "CATALOGUE",
    "Claim",
    "ClaimKind",
    "Example",
    "catalogue",
    "content_recommender",
    "content_recommender_fix",
    "fitness_tracker",
    "forgetful_movie_star",
    "grade_prediction",
    "grade_prediction_without_high_school",
    "hiring",
    "job_market",
    "music_school",
    "music_school_with_sensitive_feature",
    "prisoners_dilemma",
    "reward_tampering",
    "reward_tampering_current_rf",
    "road",
    "taxi_competition",
    "tree_killer",
]

ClaimKind = Literal["voi", "ri", "voc", "ici", "requisite", "relies_on", "sufficient_recall",
                    "scc", "itv", "itv_p_admissible"]
"""What a :class:`Claim` is about.

* ``"voi"``, ``"ri"``, ``"voc"``, ``"ici"``: the incentive of decision ``subject`` on ``node``.
* ``"requisite"``: ``node`` is a requisite observation of decision ``subject``.
* ``"relies_on"``: decision ``subject`` relies on (strategic relevance) decision ``node``.
* ``"sufficient_recall"``: agent ``subject`` has sufficient recall (``node`` is None).
* ``"scc"``: the decisions in ``subject`` (a frozenset) form one maximal strongly connected
  component of the relevance graph (``node`` is None).
* ``"itv"``, ``"itv_p_admissible"``: some loss function (any loss, or a P-admissible one
  such as squared error) lets an optimal predictor ``subject`` introduce total variation
  with respect to the sensitive attribute ``node`` (Ashurst et al. 2022).
"""

_INCENTIVES = {"voi": admits_voi, "ri": admits_ri, "voc": admits_voc, "ici": admits_ici}
_NO_NODE = ("sufficient_recall", "scc")


@dataclass(frozen=True)
class Claim:
    """One answer a paper states about a diagram.

    Parameters
    ----------
    kind : ClaimKind
        What the claim is about; see :data:`ClaimKind`.
    subject : hashable
        The decision asked about (for ``"sufficient_recall"`` the agent, for ``"scc"`` a
        frozenset of decisions).
    node : hashable, optional
        The other node of the claim (none for ``"sufficient_recall"`` and ``"scc"``).
    present : bool
        The paper's answer: whether the property holds.
    where : str
        Where the paper states it, e.g. ``"Fig. 3a"``.

    Examples
    --------
    >>> from cidlib.catalogue import Claim, content_recommender
    >>> claim = Claim("ici", "P", "I", True, "Fig. 4a")
    >>> print(claim)
    ICI of P on I: present (Fig. 4a)
    >>> claim.evaluate(content_recommender())
    True
    """

    kind: ClaimKind
    subject: Hashable
    node: Hashable | None = None
    present: bool = True
    where: str = ""

    def __post_init__(self) -> None:
        if self.kind not in get_args(ClaimKind):
            raise ArgumentTypeError(
                f"unknown claim kind {self.kind!r}; use one of {', '.join(get_args(ClaimKind))}"
            )
        if (self.node is None) != (self.kind in _NO_NODE):
            need = "no node" if self.kind in _NO_NODE else "a node"
            raise ArgumentTypeError(f"a {self.kind!r} claim takes {need}, got node={self.node!r}")
        if not isinstance(self.present, bool):
            raise ArgumentTypeError(f"present must be True or False, not {self.present!r}")

    def evaluate(self, diagram: InfluenceDiagram) -> bool:
        """Return what cidlib computes for this claim on ``diagram`` (compare with ``present``).

        Raises
        ------
        UnknownNodeError, InvalidQueryError
            When the claim's nodes do not fit ``diagram``.
        """
        d = ensure_diagram(diagram)
        if self.kind in _INCENTIVES:
            return bool(_INCENTIVES[self.kind](d, self.subject, self.node))
        if self.kind == "requisite":
            return self.node in requisite_observations(d, self.subject)
        if self.kind == "relies_on":
            d.require(self.node)
            return self.node in s_reachable(d, self.subject)
        if self.kind == "sufficient_recall":
            return has_sufficient_recall(d, self.subject)
        if self.kind == "scc":
            return _is_scc(d, self.subject)
        return bool(admits_itv(d, self.subject, self.node,
                               p_admissible=self.kind == "itv_p_admissible"))

    def __str__(self) -> str:
        answer = "present" if self.present else "absent"
        where = f" ({self.where})" if self.where else ""
        if self.kind in _INCENTIVES:
            text = f"{self.kind.upper()} of {self.subject} on {self.node}"
        elif self.kind == "requisite":
            text = f"{self.node} requisite for {self.subject}"
        elif self.kind == "relies_on":
            text = f"{self.subject} relies on {self.node}"
        elif self.kind == "sufficient_recall":
            text = f"sufficient recall of agent {self.subject}"
        elif self.kind == "scc":
            names = ", ".join(sorted(map(str, self._members())))
            text = f"{{{names}}} a relevance SCC"
        else:
            loss = "a P-admissible loss" if self.kind == "itv_p_admissible" else "some loss"
            text = f"introduced total variation of {self.subject} in {self.node} under {loss}"
        return f"{text}: {answer}{where}"

    def _members(self) -> frozenset[Hashable]:
        subject = self.subject
        if not isinstance(subject, frozenset):
            raise ArgumentTypeError(f"an 'scc' claim needs a frozenset of decisions, not "
                                    f"{subject!r}")
        return subject


def _is_scc(diagram: InfluenceDiagram, members: Hashable) -> bool:
    if not isinstance(members, frozenset):
        raise ArgumentTypeError(f"an 'scc' claim needs a frozenset of decisions, not {members!r}")
    for m in members:
        require_decision(diagram, m)
    return any(frozenset(c) == members
               for c in nx.strongly_connected_components(relevance_graph(diagram)))


@dataclass(frozen=True)
class Example:
    """A catalogue entry: a diagram from a paper, its reference and the answers it states.

    Parameters
    ----------
    name : str
        Identifier, also the key in :data:`CATALOGUE`.
    build : callable
        Returns a fresh diagram each call.
    reference : str
        Authors, title, venue, year and figure.
    claims : tuple of Claim
        The answers the paper states about the diagram.
    note : str
        Caveats, e.g. what could not be verified in print.

    Examples
    --------
    >>> from cidlib.catalogue import CATALOGUE
    >>> ex = CATALOGUE["reward_tampering"]
    >>> [str(c) for c in ex.claims]
    ['ICI of A1 on ThetaR2: present (Sec. 3)']
    >>> ex.diagram() == ex.diagram()
    True
    """

    name: str
    build: Callable[[], InfluenceDiagram]
    reference: str
    claims: tuple[Claim, ...] = ()
    note: str = ""

    def diagram(self) -> InfluenceDiagram:
        """Build the diagram (a new, equal one each call)."""
        return self.build()

    def mismatches(self) -> tuple[Claim, ...]:
        """Return the claims on which cidlib's answer differs from the paper's."""
        d = self.build()
        return tuple(c for c in self.claims if c.evaluate(d) is not c.present)


# -- single-agent diagrams --------------------------------------------------------------------

_GRADE_LABELS: dict[Hashable, str] = {
    "R": "Race", "Ge": "Gender", "HS": "High school", "E": "Education", "Gr": "Grade",
    "P": "Predicted grade", "Ac": "Accuracy"}
_GRADE_EDGES = [("R", "HS"), ("HS", "E"), ("HS", "P"), ("E", "Gr"), ("Gr", "Ac"), ("Ge", "P"),
                ("P", "Ac")]


def grade_prediction() -> InfluenceDiagram:
    """Build grade prediction (Everitt et al. 2021, Fig. 3a).

    From "Agent Incentives: A Causal Perspective", AAAI 2021.
    A predictor P of a student's grade observes the high school HS (influenced by race R)
    and gender Ge, and is rewarded for accuracy Ac. The paper states: race has a response
    incentive but no value of information; education E and grade Gr have value of
    information but no response incentive; gender is a nonrequisite observation with
    neither.

    Examples
    --------
    >>> from cidlib import admits_ri, catalogue
    >>> print(admits_ri(catalogue.grade_prediction(), "P", "R").witness)
    R -> HS -> P
    """
    return CID(_GRADE_EDGES, decisions=["P"], utilities=["Ac"], labels=_GRADE_LABELS)


def grade_prediction_without_high_school() -> InfluenceDiagram:
    """Build grade prediction without the high-school observation (Everitt et al. 2021, Fig. 3b).

    Removing the link HS -> P removes the response incentive on race R, and race gains
    value of information.
    """
    edges = [e for e in _GRADE_EDGES if e != ("HS", "P")]
    return CID(edges, decisions=["P"], utilities=["Ac"], labels=_GRADE_LABELS)


_RECOMMENDER_LABELS: dict[Hashable, str] = {
    "O": "Original user opinions", "M": "Model of original opinions", "P": "Posts to show",
    "I": "Influenced user opinions"}


def content_recommender() -> InfluenceDiagram:
    """Build content recommendation rewarded for clicks (Everitt et al. 2021, Fig. 4a).

    From Carey et al., "The Incentives that Shape Behaviour", arXiv 2020, and Everitt et
    al., "Agent Incentives: A Causal Perspective", AAAI 2021.

    The recommender chooses posts P from a model M of the users' original opinions O; the
    posts influence the opinions I, and clicks C depend on I and P. Stated: an instrumental
    control incentive on the influenced opinions I (witness P -> I -> C); the original
    opinions O have value of control but no instrumental control incentive.
    """
    return CID([("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("I", "C"), ("P", "C")],
               decisions=["P"], utilities=["C"],
               labels={**_RECOMMENDER_LABELS, "C": "Clicks"})


def content_recommender_fix() -> InfluenceDiagram:
    """Build content recommendation rewarded for predicted clicks (Everitt et al. 2021, Fig. 4b).

    The utility PC is computed from the model M and the posts P. Stated: the instrumental
    control incentive and the value of control on the influenced opinions I disappear; the
    incentive to choose posts (ICI on P and PC) remains.
    """
    return CID([("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("M", "PC"), ("P", "PC")],
               decisions=["P"], utilities=["PC"],
               labels={**_RECOMMENDER_LABELS, "PC": "Predicted clicks"})


def fitness_tracker() -> InfluenceDiagram:
    """Build the fitness tracker of Carey et al., "The Incentives that Shape Behaviour" (2020).

    From arXiv 2001.07118; decision C, utility F. The structure follows the PyCID example
    of the same name (edges TD -> TF, TF -> SC, TF -> C, EF -> EWD, EWD -> C, C -> F,
    P -> D, P -> SC, P -> F, SC -> C, SC -> EWD). The meaning of the abbreviations and the
    incentives the paper states about this figure could not be verified in print, so the
    diagram carries no labels and no claims.
    """
    return CID([("TD", "TF"), ("TF", "SC"), ("TF", "C"), ("EF", "EWD"), ("EWD", "C"),
                ("C", "F"), ("P", "D"), ("P", "SC"), ("P", "F"), ("SC", "C"), ("SC", "EWD")],
               decisions=["C"], utilities=["F"])


_RT_LABELS: dict[Hashable, str] = {
    "A1": "Action", "S2": "Next state", "ThetaR2": "Reward parameters", "R2": "Reward"}


def reward_tampering() -> InfluenceDiagram:
    """Build reward-function tampering, one step (Everitt et al. 2021, single-step abstraction).

    From Everitt, Hutter, Kumar, Krakovna, "Reward Tampering Problems and Solutions in
    Reinforcement Learning: A Causal Influence Diagram Perspective", Synthese 2021.

    The action A1 changes the next state S2 and can change the reward parameters ThetaR2
    that compute the reward R2: an instrumental control incentive A1 -> ThetaR2 -> R2
    (RF tampering).
    """
    return CID([("A1", "S2"), ("S2", "R2"), ("A1", "ThetaR2"), ("ThetaR2", "R2")],
               decisions=["A1"], utilities=["R2"], labels=_RT_LABELS)


def reward_tampering_current_rf() -> InfluenceDiagram:
    """Build current-reward-function optimisation (Everitt et al., Synthese 2021).

    The next state is evaluated with the current reward parameters ThetaR1, so the
    tampered parameters ThetaR2 lie on no path to the objective: no instrumental control
    incentive and no value of control on ThetaR2.
    """
    return CID([("A1", "S2"), ("S2", "R2"), ("A1", "ThetaR2"), ("ThetaR1", "R2")],
               decisions=["A1"], utilities=["R2"],
               labels={**_RT_LABELS, "ThetaR1": "Current reward parameters"})


def hiring() -> InfluenceDiagram:
    """Build the hiring example of Ashurst et al. (AAAI 2022).

    From Ashurst, Carey, Chiappa, Everitt, "Why Fair Labels Can Yield Unfair Predictions:
    Graphical Conditions for Introduced Unfairness", AAAI 2022.

    Sensitive attribute A influences the feature D, which influences the label Y; the
    predictor Yh observes D and is scored by U on Y and Yh (edges as in the paper's
    accompanying PyCID notebook). Stated: introduced total variation is possible under the
    0-1 loss but not under a P-admissible loss. The labels name each node's role; the
    paper's wording for D was not verified.
    """
    return CID([("A", "D"), ("D", "Y"), ("D", "Yh"), ("Y", "U"), ("Yh", "U")],
               decisions=["Yh"], utilities=["U"],
               labels={"A": "Sensitive attribute", "D": "Feature", "Y": "Label",
                       "Yh": "Prediction", "U": "Accuracy"})


_MUSIC_EDGES = [("A", "T"), ("M", "T"), ("M", "Y"), ("T", "Yh"), ("Yh", "U"), ("Y", "U")]
_MUSIC_LABELS: dict[Hashable, str] = {
    "A": "Sensitive attribute", "M": "Cause of the label", "T": "Feature", "Y": "Label",
    "Yh": "Prediction", "U": "Accuracy"}


def music_school() -> InfluenceDiagram:
    """Build the music-school example of Ashurst et al. (AAAI 2022).

    The feature T depends on the sensitive attribute A and on M, which also causes the label
    Y (edges as in the paper's accompanying PyCID notebook). Stated: introduced total
    variation is possible under both the 0-1 loss and a P-admissible loss. The labels name
    each node's role; the paper's wording for M and T was not verified.
    """
    return CID(_MUSIC_EDGES, decisions=["Yh"], utilities=["U"], labels=_MUSIC_LABELS)


def music_school_with_sensitive_feature() -> InfluenceDiagram:
    """Build the music-school example with A as a feature (Ashurst et al., AAAI 2022).

    The sensitive attribute is observed by the predictor: A -> Yh.

    Stated (the paper's corollary): making A a feature removes introduced total variation
    under P-admissible losses.
    """
    return CID([*_MUSIC_EDGES, ("A", "Yh")], decisions=["Yh"], utilities=["U"],
               labels=_MUSIC_LABELS)


# -- multi-agent games (structure only) --------------------------------------------------------

def _two_players(edges: list[tuple[str, str]], labels: Mapping[Hashable, str]) -> InfluenceDiagram:
    return MACID(edges, agents={1: {"decisions": ["D1"], "utilities": ["U1"]},
                                2: {"decisions": ["D2"], "utilities": ["U2"]}},
                 labels=labels)


def prisoners_dilemma() -> InfluenceDiagram:
    """Build the prisoner's dilemma, a simultaneous game (Hammond et al. 2021).

    Each prisoner's payoff depends on both choices and neither observes the other: each
    decision relies on the other, a cycle in the relevance graph.
    """
    return _two_players([("D1", "U1"), ("D1", "U2"), ("D2", "U1"), ("D2", "U2")],
                        {"D1": "Prisoner 1", "D2": "Prisoner 2", "U1": "Payoff 1",
                         "U2": "Payoff 2"})


def taxi_competition() -> InfluenceDiagram:
    """Build taxi competition (Hammond et al., AAMAS 2021).

    From Hammond, Fox, Everitt, Abate, Wooldridge, "Equilibrium Refinements for Multi-Agent
    Influence Diagrams: Theory and Practice", AAMAS 2021.

    Driver 1 chooses a hotel to wait at; driver 2 sees the choice and then chooses. Stated:
    D1 relies on D2, and not conversely.
    """
    return _two_players([("D1", "D2"), ("D1", "U1"), ("D1", "U2"), ("D2", "U1"), ("D2", "U2")],
                        {"D1": "Driver 1", "D2": "Driver 2", "U1": "Fare 1", "U2": "Fare 2"})


def tree_killer() -> InfluenceDiagram:
    """Build the tree-killer game (Koller & Milch, GEB 2003).

    From Koller & Milch, "Multi-agent influence diagrams for representing and solving
    games", Games and Economic Behavior 45, 2003.

    Alice decides whether to poison her neighbour's tree (PT) and whether to build a patio
    (BP), for her effort E and view V; Bob sees whether the tree is sick (TS) and decides
    whether to call a tree doctor (TDoc), caring about the tree and the cost. Stated:
    PoisonTree relies on BuildPatio and TreeDoctor, BuildPatio relies on TreeDoctor, and
    TreeDoctor relies on nothing (Bob observes TreeSick): the relevance graph is acyclic.
    """
    return MACID(
        [("PT", "E"), ("PT", "TS"), ("PT", "BP"), ("TS", "TDoc"), ("TS", "TDead"),
         ("TDead", "V"), ("TDead", "Tree"), ("TDoc", "TDead"), ("TDoc", "Cost"),
         ("TDoc", "BP"), ("BP", "V")],
        agents={"Alice": {"decisions": ["PT", "BP"], "utilities": ["E", "V"]},
                "Bob": {"decisions": ["TDoc"], "utilities": ["Tree", "Cost"]}},
        labels={"PT": "Poison tree", "TS": "Tree sick", "TDoc": "Tree doctor",
                "TDead": "Tree dead", "BP": "Build patio", "E": "Effort", "V": "View",
                "Tree": "Tree", "Cost": "Cost"},
    )


def road(n: int = 3) -> InfluenceDiagram:
    """Build the road game with ``n`` plots (Koller & Milch, GEB 2003).

    On each plot ``i`` a west and an east landowner (agents ``"iW"``, ``"iE"``) decide what
    to build (``B{i}W``, ``B{i}E``) after seeing their site ``S{i}W``/``S{i}E`` and the
    buildings of plot ``i - 1``; a landowner's utility ``U{i}X`` depends on the site, both
    buildings on the plot and the same side's building on the neighbouring plots. Stated:
    the two builders of a plot form a strongly connected component of the relevance graph,
    and plot ``i`` relies on plot ``i + 1``.

    Parameters
    ----------
    n : int
        Number of plots, at least 1.

    Examples
    --------
    >>> from cidlib import catalogue, relevance_graph
    >>> sorted(relevance_graph(catalogue.road(2)).edges)
    [('B1E', 'B1W'), ('B1E', 'B2E'), ('B1W', 'B1E'), ('B1W', 'B2W'), ('B2E', 'B2W'), ('B2W', 'B2E')]
    """
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ArgumentTypeError(f"road needs a whole number of plots n >= 1, not {n!r}")
    edges: list[tuple[str, str]] = []
    labels: dict[Hashable, str] = {}
    for i in range(1, n + 1):
        for side, word in (("W", "west"), ("E", "east")):
            other = "E" if side == "W" else "W"
            edges += [(f"S{i}{side}", f"B{i}{side}"), (f"S{i}{side}", f"U{i}{side}"),
                      (f"B{i}{side}", f"U{i}{side}"), (f"B{i}{side}", f"U{i}{other}")]
            labels |= {f"S{i}{side}": f"Site {i} {word}", f"B{i}{side}": f"Build {i} {word}",
                       f"U{i}{side}": f"Utility {i} {word}"}
            if i < n:
                edges += [(f"B{i}{side}", f"B{i + 1}W"), (f"B{i}{side}", f"B{i + 1}E"),
                          (f"B{i}{side}", f"U{i + 1}{side}"), (f"B{i + 1}{side}", f"U{i}{side}")]
    agents: dict[Hashable, dict[str, list[Hashable]]] = {
        f"{i}{s}": {"decisions": [f"B{i}{s}"], "utilities": [f"U{i}{s}"]}
        for i in range(1, n + 1) for s in "WE"}
    return MACID(edges, agents=agents, labels=labels)


def job_market() -> InfluenceDiagram:
    """Build job-market signalling (after Spence 1973, as in Hammond et al. 2021).

    A worker of ability A chooses education E; a firm sees E (not A) and sets the wage W.
    The worker's utility UW depends on A, E and W, the firm's UF on A and W. Stated: the two
    decisions rely on each other, so the relevance graph is cyclic.
    """
    return MACID(
        [("A", "E"), ("E", "W"), ("A", "UW"), ("E", "UW"), ("W", "UW"), ("A", "UF"),
         ("W", "UF")],
        agents={"worker": {"decisions": ["E"], "utilities": ["UW"]},
                "firm": {"decisions": ["W"], "utilities": ["UF"]}},
        labels={"A": "Ability", "E": "Education", "W": "Wage", "UW": "Worker's utility",
                "UF": "Firm's utility"},
    )


def forgetful_movie_star() -> InfluenceDiagram:
    """Build the forgetful movie star (as in Hammond et al. 2021; original source unverified).

    From the MAID literature as collected by Hammond et al. and PyCID.

    Agent 1 makes two decisions D11 and D12, each seeing S but neither remembering the
    other; agent 2 makes D2. Stated: agent 1 lacks sufficient recall (D11 and D12 rely on
    each other).
    """
    return MACID(
        [("S", "D11"), ("S", "D12"), ("D2", "U2"), ("D2", "U11"), ("D11", "U2"),
         ("D11", "U11"), ("D11", "U12"), ("D12", "U12")],
        agents={1: {"decisions": ["D11", "D12"], "utilities": ["U11", "U12"]},
                2: {"decisions": ["D2"], "utilities": ["U2"]}},
    )


# -- the catalogue ----------------------------------------------------------------------------

_ACP = ("T. Everitt, R. Carey, E. Langlois, P. A. Ortega, S. Legg. \"Agent Incentives: A "
        "Causal Perspective.\" AAAI 2021")
_TISB = ("R. Carey, E. Langlois, T. Everitt, S. Legg. \"The Incentives that Shape "
         "Behaviour.\" arXiv 2001.07118, 2020")
_RT = ("T. Everitt, M. Hutter, R. Kumar, V. Krakovna. \"Reward Tampering Problems and "
       "Solutions in Reinforcement Learning: A Causal Influence Diagram Perspective.\" "
       "Synthese 198, 2021")
_FAIR = ("C. Ashurst, R. Carey, S. Chiappa, T. Everitt. \"Why Fair Labels Can Yield Unfair "
         "Predictions: Graphical Conditions for Introduced Unfairness.\" AAAI 2022")
_KM = ("D. Koller, B. Milch. \"Multi-agent influence diagrams for representing and solving "
       "games.\" Games and Economic Behavior 45, 2003")
_HFEA = ("L. Hammond, J. Fox, T. Everitt, A. Abate, M. Wooldridge. \"Equilibrium Refinements "
         "for Multi-Agent Influence Diagrams: Theory and Practice.\" AAMAS 2021")


def _c(kind: ClaimKind, subject: Hashable, node: Hashable | None, present: bool,
       where: str) -> Claim:
    return Claim(kind, subject, node, present, where)


def _road_claims(n: int) -> tuple[Claim, ...]:
    where = "relevance graph"
    claims = [_c("scc", frozenset({f"B{i}W", f"B{i}E"}), None, True, where)
              for i in range(1, n + 1)]
    claims += [_c("relies_on", f"B{i}{s}", f"B{i + 1}{s}", True, where)
               for i in range(1, n) for s in "WE"]
    return tuple(claims)


def _entries() -> tuple[Example, ...]:
    fig3a, fig3b, fig4a, fig4b = "Fig. 3a", "Fig. 3b", "Fig. 4a", "Fig. 4b"
    rt, fair, th11 = "Sec. 3", "Sec. 5", "relevance graph"
    return (
        Example("grade_prediction", grade_prediction, f"{_ACP}, Fig. 3a", (
            _c("ri", "P", "R", True, fig3a), _c("voi", "P", "R", False, fig3a),
            _c("voi", "P", "E", True, fig3a), _c("voi", "P", "Gr", True, fig3a),
            _c("ri", "P", "E", False, fig3a), _c("ri", "P", "Gr", False, fig3a),
            _c("voi", "P", "Ge", False, fig3a), _c("ri", "P", "Ge", False, fig3a),
            _c("requisite", "P", "HS", True, fig3a), _c("requisite", "P", "Ge", False, fig3a),
        )),
        Example("grade_prediction_without_high_school", grade_prediction_without_high_school,
                f"{_ACP}, Fig. 3b", (
                    _c("ri", "P", "R", False, fig3b), _c("voi", "P", "R", True, fig3b),
                )),
        Example("content_recommender", content_recommender, f"{_TISB}; {_ACP}, Fig. 4a", (
            _c("ici", "P", "I", True, fig4a), _c("voc", "P", "O", True, fig4a),
            _c("ici", "P", "O", False, fig4a),
        )),
        Example("content_recommender_fix", content_recommender_fix, f"{_ACP}, Fig. 4b", (
            _c("ici", "P", "I", False, fig4b), _c("voc", "P", "I", False, fig4b),
            _c("ici", "P", "PC", True, fig4b), _c("ici", "P", "P", True, fig4b),
        )),
        Example("fitness_tracker", fitness_tracker, _TISB, (),
                note="Structure as in PyCID's fitness-tracker example; the incentives the "
                     "paper states about it could not be verified, so none are claimed."),
        Example("reward_tampering", reward_tampering, f"{_RT} (single-step abstraction)", (
            _c("ici", "A1", "ThetaR2", True, rt),
        )),
        Example("reward_tampering_current_rf", reward_tampering_current_rf,
                f"{_RT} (current-RF optimisation)", (
                    _c("ici", "A1", "ThetaR2", False, rt), _c("voc", "A1", "ThetaR2", False, rt),
                )),
        Example("hiring", hiring, f"{_FAIR}, hiring example", (
            _c("itv", "Yh", "A", True, fair), _c("itv_p_admissible", "Yh", "A", False, fair),
        ), note="Edges from the paper's accompanying PyCID notebook."),
        Example("music_school", music_school, f"{_FAIR}, music-school example", (
            _c("itv", "Yh", "A", True, fair), _c("itv_p_admissible", "Yh", "A", True, fair),
        ), note="Edges from the paper's accompanying PyCID notebook."),
        Example("music_school_with_sensitive_feature", music_school_with_sensitive_feature,
                f"{_FAIR}, music-school example with A as a feature", (
                    _c("itv_p_admissible", "Yh", "A", False, fair),
                ), note="Edges from the paper's accompanying PyCID notebook."),
        Example("prisoners_dilemma", prisoners_dilemma, f"Simultaneous game; {_HFEA}", (
            _c("relies_on", "D1", "D2", True, th11), _c("relies_on", "D2", "D1", True, th11),
        )),
        Example("taxi_competition", taxi_competition, _HFEA, (
            _c("relies_on", "D1", "D2", True, th11), _c("relies_on", "D2", "D1", False, th11),
        )),
        Example("tree_killer", tree_killer, _KM, (
            _c("relies_on", "PT", "BP", True, th11), _c("relies_on", "PT", "TDoc", True, th11),
            _c("relies_on", "BP", "TDoc", True, th11),
            _c("relies_on", "TDoc", "PT", False, th11),
            _c("relies_on", "TDoc", "BP", False, th11),
            _c("relies_on", "BP", "PT", False, f"{th11}: acyclic"),
            _c("sufficient_recall", "Alice", None, True, f"{th11}: acyclic"),
        )),
        Example("road", road, f"{_KM} (n = 3 plots)", _road_claims(3)),
        Example("job_market", job_market, f"Job-market signalling; {_HFEA}", (
            _c("relies_on", "E", "W", True, th11), _c("relies_on", "W", "E", True, th11),
        ), note="The figure number in the source was not verified."),
        Example("forgetful_movie_star", forgetful_movie_star,
                f"Forgetful movie star; {_HFEA}", (
                    _c("sufficient_recall", 1, None, False, th11),
                ), note="The original source of this example was not verified."),
    )


CATALOGUE: Mapping[str, Example] = MappingProxyType({e.name: e for e in _entries()})
"""Every catalogue entry by name (read-only)."""


def catalogue() -> tuple[Example, ...]:
    """Return every catalogue entry, in a fixed order.

    Examples
    --------
    >>> from cidlib.catalogue import catalogue
    >>> all(not e.mismatches() for e in catalogue())
    True
    """
    return tuple(CATALOGUE.values())
