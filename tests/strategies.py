"""Hypothesis strategies: random valid diagrams of a few nodes."""

from __future__ import annotations

from hypothesis import strategies as st

import cidlib


@st.composite
def diagrams(draw: st.DrawFn, *, min_nodes: int = 2, max_nodes: int = 9,
             max_decisions: int = 3, agents: int = 1, density: float | None = None,
             labelled: bool = False) -> cidlib.InfluenceDiagram:
    """A random DAG-shaped diagram: nodes N0..N(n-1) in topological order, kinds at random
    (utilities have no children), each decision and utility owned by a random agent."""
    n = draw(st.integers(min_nodes, max_nodes))
    names = [f"N{i}" for i in range(n)]
    kinds = draw(st.lists(st.sampled_from("cdu"), min_size=n, max_size=n))
    if "d" not in kinds:
        kinds[draw(st.integers(0, n - 1))] = "d"
    decisions = [v for v, k in zip(names, kinds, strict=False) if k == "d"][:max_decisions]
    utilities = [v for v, k in zip(names, kinds, strict=False) if k == "u" and v not in decisions]
    p = density if density is not None else draw(st.sampled_from([0.25, 0.4, 0.6]))
    edges = []
    for j in range(n):
        for i in range(j):
            if names[i] in utilities:
                continue
            if draw(st.floats(0, 1)) < p:
                edges.append((names[i], names[j]))
    owners = {v: draw(st.integers(1, agents)) for v in decisions + utilities}
    spec = {a: {"decisions": [v for v in decisions if owners[v] == a],
                "utilities": [v for v in utilities if owners[v] == a]}
            for a in range(1, agents + 1)}
    labels = positions = None
    if labelled:
        labels = {v: f"label of {v}" for v in names if draw(st.booleans())}
        positions = {v: (float(i), float(-i)) for i, v in enumerate(names) if draw(st.booleans())}
    if agents == 1:
        return cidlib.CID(edges, decisions=decisions, utilities=utilities, nodes=names,
                          labels=labels, positions=positions)
    return cidlib.MACID(edges, agents=spec, nodes=names, labels=labels, positions=positions)
