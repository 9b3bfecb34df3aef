"""Export a parameterised game to Gambit's extensive-form text format (``.efg``).

The game tree takes the nodes in topological order: a chance node becomes a chance move
with its conditional probabilities, a decision becomes a move of its agent whose
information set is the decision together with the values of its parents (what it
observes), and each leaf pays every agent the expected sum of its utilities given the
path to it. Nodes that no utility depends on are left out.

Chance probabilities are written as fractions ``n / 10^9`` that sum to exactly one: each is
rounded to the nearest ``10^-9`` and the largest absorbs the rounding (so it is off by at
most half the number of outcomes times ``10^-9``); outcomes that round to zero are left
out. Labels are quoted with double quotes replaced by ``'``, backslashes by ``/`` and line
breaks by spaces, which every reader accepts. Gambit (``gambit-enummixed`` and friends, or
pygambit) and OpenSpiel (``pyspiel.load_efg_game``) read the result, so equilibria found
by cidlib can be checked there. The tree grows as the product of the domain sizes, hence
the size guard.

References
----------
.. [1] The Gambit Project. "Game representation formats: the extensive game (.efg) format."
   https://gambitproject.readthedocs.io
.. [2] D. Koller, B. Milch. "Multi-agent influence diagrams for representing and solving
   games." Games and Economic Behavior 45, 2003 (§ on the MAID to game-tree translation).
"""

from __future__ import annotations

from collections.abc import Hashable
from fractions import Fraction

import numpy as np

from cidlib.core.diagram import NodeKind
from cidlib.core.names import node_key
from cidlib.core.search import reach
from cidlib.exceptions import ArgumentTypeError, UnsupportedDiagramError
from cidlib.quant.model import ParameterizedDiagram, check_pd

__all__ = ["to_efg"]

MAX_NODES = 100_000
DENOMINATOR = 10**9  # chance probabilities are written as n / 10^9 (OpenSpiel reads int32)


def _quote(text: object) -> str:
    """Return ``text`` quoted, on one line.

    Quotes become ``'`` and backslashes ``/`` (readers differ); line breaks and other
    whitespace or control characters become spaces.
    """
    shown = "".join(" " if ch.isspace() or not ch.isprintable() else ch for ch in str(text))
    return '"' + shown.replace('"', "'").replace("\\", "/") + '"'


def _probabilities(row: np.ndarray) -> list[tuple[int, str]]:
    """Return the outcomes of a chance move as fractions over ``DENOMINATOR`` summing to 1.

    Each probability is rounded to a multiple of ``1 / DENOMINATOR``; the largest absorbs
    the rounding, so the sum is exactly one. Outcomes rounded to zero are left out.
    """
    counts = [round(float(p) * DENOMINATOR) for p in row]
    largest = max(range(len(counts)), key=counts.__getitem__)
    counts[largest] += DENOMINATOR - sum(counts)
    return [(i, str(Fraction(c, DENOMINATOR))) for i, c in enumerate(counts) if c > 0]


def _number(value: float) -> str:
    return format(value, ".12g")


def _check_tree_size(pd: ParameterizedDiagram, order: list[Hashable], max_nodes: int) -> None:
    """Refuse a tree of more than ``max_nodes`` nodes, counting level by level until it has."""
    size = width = 1  # the nodes of the tree so far, and of its last level
    for node in order:
        width *= len(pd.domain(node))
        size += width
        if size > max_nodes:
            raise UnsupportedDiagramError(
                f"the game tree would have at least {size:,} nodes, more than "
                f"max_nodes={max_nodes}; raise max_nodes, or shrink the domains"
            )


def to_efg(
    pd: ParameterizedDiagram, *, title: str = "", max_nodes: int = MAX_NODES
) -> str:
    """Return the game as a Gambit ``.efg`` document (format version 2, rational).

    Parameters
    ----------
    pd : ParameterizedDiagram
        Every chance and utility node needs a CPD, every decision a domain.
    title : str
        The game's title in the file.
    max_nodes : int
        Size guard on the number of nodes of the game tree.

    Raises
    ------
    UnsupportedDiagramError
        When the tree would have more than ``max_nodes`` nodes.

    Examples
    --------
    >>> import cidlib
    >>> game = cidlib.MACID([("D1", "U1"), ("D2", "U1"), ("D1", "U2"), ("D2", "U2")],
    ...                     agents={1: {"decisions": ["D1"], "utilities": ["U1"]},
    ...                             2: {"decisions": ["D2"], "utilities": ["U2"]}})
    >>> years = {("c", "c"): -1, ("c", "d"): -3, ("d", "c"): 0, ("d", "d"): -2}
    >>> pd = cidlib.parameterize(game, D1=["c", "d"], D2=["c", "d"],
    ...                          U1=lambda D1, D2: years[D1, D2],
    ...                          U2=lambda D1, D2: years[D2, D1])
    >>> print(cidlib.to_efg(pd, title="Prisoner's dilemma"))
    EFG 2 R "Prisoner's dilemma" { "1" "2" }
    ""
    <BLANKLINE>
    p "D1" 1 1 "D1" { "c" "d" } 0
    p "D2" 2 1 "D2" { "c" "d" } 0
    t "" 1 "D1=c, D2=c" { -1, -1 }
    t "" 2 "D1=c, D2=d" { -3, 0 }
    p "D2" 2 1 "D2" { "c" "d" } 0
    t "" 3 "D1=d, D2=c" { 0, -3 }
    t "" 4 "D1=d, D2=d" { -2, -2 }
    <BLANKLINE>
    """
    check_pd(pd)
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise ArgumentTypeError(f"max_nodes must be a positive int, not {max_nodes!r:.40}")
    if not isinstance(title, str):
        raise ArgumentTypeError(f"title must be a string, not {title!r:.40}")
    diagram = pd.diagram
    agents = sorted(diagram.agents, key=node_key)
    player = {a: i + 1 for i, a in enumerate(agents)}
    relevant = reach(diagram.pred, diagram.utilities).keys()
    order = [n for n in diagram.topological_order()
             if n in relevant and diagram.kind(n) is not NodeKind.UTILITY]
    _check_tree_size(pd, order, max_nodes)
    payoffs = {
        u: pd.table(u) @ np.asarray(pd.domain(u), dtype=float) for u in diagram.utilities
    }
    infosets: dict[Hashable, dict[tuple[Hashable, tuple[int, ...]], int]] = {a: {} for a in agents}
    chance_sets = 0
    outcomes = 0
    lines = [f"EFG 2 R {_quote(title)} {{ {' '.join(_quote(a) for a in agents)} }}", '""', ""]

    def row(node: Hashable, values: dict[Hashable, int]) -> tuple[int, ...]:
        return tuple(values[p] for p in pd.parents_of(node))

    # Depth first, with an explicit stack (the tree may be deeper than Python's recursion
    # limit). ``values`` holds the path to the current tree node: the value positions of
    # ``order[:depth]``, overwritten as the walk moves to the next branch.
    values: dict[Hashable, int] = {}
    stack: list[tuple[int, int]] = [(0, 0)]  # (depth, the value of order[depth - 1])
    while stack:
        depth, value = stack.pop()
        if depth:
            values[order[depth - 1]] = value
        if depth == len(order):
            outcomes += 1
            paid = [sum(float(payoffs[u][row(u, values)]) for u in diagram.utilities_of(a))
                    for a in agents]
            label = ", ".join(f"{n}={pd.domain(n)[values[n]]}" for n in order)
            lines.append(f't "" {outcomes} {_quote(label)} '
                         f'{{ {", ".join(_number(v) for v in paid)} }}')
            continue
        node = order[depth]
        domain = pd.domain(node)
        if diagram.kind(node) is NodeKind.DECISION:
            agent = diagram.agent_of(node)
            context = row(node, values)
            known = infosets[agent]
            number = known.setdefault((node, context), len(known) + 1)
            seen = ", ".join(f"{p}={pd.domain(p)[values[p]]}" for p in pd.parents_of(node))
            label = f"{node}: {seen}" if seen else str(node)
            actions = " ".join(_quote(v) for v in domain)
            lines.append(f"p {_quote(node)} {player[agent]} {number} {_quote(label)} "
                         f"{{ {actions} }} 0")
            branches = list(range(len(domain)))
        else:
            chance_sets += 1
            kept = _probabilities(pd.table(node)[row(node, values)])
            moves = " ".join(f"{_quote(domain[i])} {p}" for i, p in kept)
            lines.append(f"c {_quote(node)} {chance_sets} \"\" {{ {moves} }} 0")
            branches = [i for i, _ in kept]
        stack.extend((depth + 1, value) for value in reversed(branches))
    return "\n".join(lines) + "\n"
