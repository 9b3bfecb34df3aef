"""Diagrams from the papers (and a few larger ones) used across the tests."""

from __future__ import annotations

import random

import cidlib

RECOMMENDER = cidlib.CID(
    [("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("I", "C"), ("P", "C")],
    decisions=["P"], utilities=["C"],
    labels={"O": "Original user opinions", "M": "Model of original opinions",
            "P": "Posts to show", "I": "Influenced user opinions", "C": "Clicks"},
)
RECOMMENDER_FIX = cidlib.CID(
    [("O", "M"), ("M", "P"), ("O", "I"), ("P", "I"), ("M", "PC"), ("P", "PC")],
    decisions=["P"], utilities=["PC"],
)
GRADE = cidlib.CID(
    [("R", "HS"), ("HS", "E"), ("HS", "P"), ("E", "Gr"), ("Gr", "Ac"), ("Ge", "P"), ("P", "Ac")],
    decisions=["P"], utilities=["Ac"],
)
MULTI_DECISION = cidlib.CID(
    [("D1", "U1"), ("D1", "D2"), ("S", "D2"), ("S", "U2"), ("D2", "U2")],
    decisions=["D1", "D2"], utilities=["U1", "U2"],
)
TAXI = cidlib.MACID(
    [("D1", "D2"), ("D1", "U1"), ("D2", "U1"), ("D1", "U2"), ("D2", "U2")],
    agents={1: {"decisions": ["D1"], "utilities": ["U1"]},
            2: {"decisions": ["D2"], "utilities": ["U2"]}},
)
PSO = cidlib.CID([("S", "A"), ("A", "Z"), ("A", "Y"), ("Z", "U"), ("Y", "U"), ("S", "Z")],
                 decisions=["A"], utilities=["U"])


def chain(k: int) -> cidlib.InfluenceDiagram:
    """k decisions in a row: X(i-1) -> X(i), D(i-1) -> X(i), X(i) -> D(i), X(i), D(i) -> U(i)."""
    edges = []
    for i in range(k):
        edges += [(f"X{i}", f"D{i}"), (f"X{i}", f"U{i}"), (f"D{i}", f"U{i}")]
        if i:
            edges += [(f"X{i - 1}", f"X{i}"), (f"D{i - 1}", f"X{i}")]
    return cidlib.CID(edges, decisions=[f"D{i}" for i in range(k)],
                      utilities=[f"U{i}" for i in range(k)])


def random_cid(n: int, seed: int, decisions: int | None = None) -> cidlib.InfluenceDiagram:
    """A seeded random diagram: about 2.2 parents per node, the last sixth utilities.

    One decision at a third of the order, or ``decisions`` of them drawn after the first
    fifth. The benchmarks and the gallery draw theirs from here too.
    """
    rnd = random.Random(seed)
    names = [f"V{i}" for i in range(n)]
    utilities = names[-max(1, n // 6):]
    edges = [(names[i], names[j]) for j in range(n) for i in range(j)
             if names[i] not in utilities and rnd.random() < 2.2 / (j + 1)]
    picks = ([n // 3] if decisions is None
             else sorted(rnd.sample(range(n // 5, n - len(utilities)), decisions)))
    return cidlib.CID(edges, decisions=[names[i] for i in picks], utilities=utilities,
                      nodes=names)


EXAMPLES = {
    "recommender": RECOMMENDER,
    "recommender_fix": RECOMMENDER_FIX,
    "grade": GRADE,
    "multi_decision": MULTI_DECISION,
    "taxi": TAXI,
    "pso": PSO,
    "chain6": chain(6),
    "random25": random_cid(25, 1),
    "random40": random_cid(40, 2),
}
