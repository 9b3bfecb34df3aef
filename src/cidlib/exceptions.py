"""Exceptions raised by cidlib.

Every exception derives from :class:`CidlibError` and also from the builtin exception a
caller would already catch: a malformed diagram is a :class:`ValueError`, an unknown node
is a :class:`KeyError`, a name of the wrong type is a :class:`TypeError`. Messages name the
offending nodes or edges and say how to fix the input.

The tree::

    CidlibError
    ├── DiagramError (ValueError)            the diagram itself is invalid
    │   ├── CycleError                       the edges contain a directed cycle
    │   │   └── SelfLoopError                an edge from a node to itself
    │   ├── UtilityChildError                a utility node has a child
    │   ├── KindConflictError                a node given two kinds
    │   ├── AgentError                       a decision/utility with no agent or two
    │   ├── InvalidNodeError (TypeError)     unhashable or empty node name
    │   └── MalformedEdgeError (TypeError)   an edge that is not a pair of names
    ├── ArgumentTypeError (TypeError)        e.g. a string where a list of names belongs
    ├── UnknownNodeError (KeyError)          a name that is not a node of the diagram
    ├── SchemaError (ValueError)             a serialised document that does not fit the schema
    │   ├── ParseError                       a text file with a syntax error (line, column)
    │   └── FormatError                      a file name of a format cidlib cannot write
    ├── StyleError (ValueError)              a figure style with an invalid value
    ├── InvalidQueryError (ValueError)       a question with no answer (VoI of a descendant)
    ├── ParameterError (ValueError)          a CPD, domain or policy that does not fit the diagram
    ├── UnsupportedDiagramError (ValueError) a valid diagram outside a method's reach
    │   └── UndeterminedError                the criterion cannot decide this question
    ├── TimeLimitError (TimeoutError)        work stopped at the time limit it was given
    ├── SizeLimitError (MemoryError)         a table too large to build, refused before allocating
    └── MissingDependencyError (ImportError) an optional dependency is not installed
"""

from __future__ import annotations

__all__ = [
    "AgentError",
    "ArgumentTypeError",
    "CidlibError",
    "CycleError",
    "DiagramError",
    "FormatError",
    "InvalidNodeError",
    "InvalidQueryError",
    "KindConflictError",
    "MalformedEdgeError",
    "MissingDependencyError",
    "ParameterError",
    "ParseError",
    "SchemaError",
    "SelfLoopError",
    "SizeLimitError",
    "StyleError",
    "TimeLimitError",
    "UndeterminedError",
    "UnknownNodeError",
    "UnsupportedDiagramError",
    "UtilityChildError",
]


class CidlibError(Exception):
    """Root of every error raised by cidlib."""


class DiagramError(CidlibError, ValueError):
    """The nodes, kinds, agents or edges do not form a valid influence diagram."""


class CycleError(DiagramError):
    """The edges contain a directed cycle; ``cycle`` lists its nodes in order."""

    def __init__(self, message: str, cycle: tuple[object, ...] = ()) -> None:
        super().__init__(message)
        self.cycle = cycle


class SelfLoopError(CycleError):
    """An edge goes from a node to itself."""


class UtilityChildError(DiagramError):
    """A utility node has a child; utilities must be sinks."""


class KindConflictError(DiagramError):
    """A node is declared with two kinds, e.g. both decision and utility."""


class AgentError(DiagramError):
    """A decision or utility node has no agent, or more than one."""


class InvalidNodeError(DiagramError, TypeError):
    """A node name is unhashable or empty."""


class MalformedEdgeError(DiagramError, TypeError):
    """An edge is not a pair ``(parent, child)`` of node names."""


class ArgumentTypeError(CidlibError, TypeError):
    """An argument has the wrong type.

    For example a string where a list of names belongs, a list where a mapping belongs, or
    something that is not a diagram.
    """


class UnknownNodeError(CidlibError, KeyError):
    """A name that is not a node of the diagram."""

    def __str__(self) -> str:
        # KeyError quotes its argument; show the message as written.
        return str(self.args[0]) if self.args else ""


class SchemaError(CidlibError, ValueError):
    """A serialised document does not follow the diagram schema."""


class ParseError(SchemaError):
    """A file does not parse; ``source``, ``line`` and ``column`` say where (1-based)."""

    def __init__(self, message: str, source: str = "<text>", line: int = 1,
                 column: int = 1) -> None:
        super().__init__(f"{source}:{line}:{column}: {message}")
        self.source, self.line, self.column = source, line, column


class FormatError(SchemaError):
    """A file name whose extension names no format cidlib can write (or read)."""


class StyleError(CidlibError, ValueError):
    """A figure style has an invalid value, e.g. a colour that is not ``#rrggbb``."""


class InvalidQueryError(CidlibError, ValueError):
    """The question has no answer on this diagram, e.g. VoI of a descendant of the decision."""


class ParameterError(CidlibError, ValueError):
    """A CPD, domain or decision rule does not fit the diagram, or a query needs one missing.

    For example probabilities that do not sum to one, a function argument that is not a
    parent, a value outside the child's domain, or a chance node without a CPD.
    """


class UnsupportedDiagramError(CidlibError, ValueError):
    """The diagram is valid but outside the scope of the method asked for."""


class UndeterminedError(UnsupportedDiagramError):
    """The criterion cannot decide: the answer is unknown, neither yes nor no.

    For example value of information in a diagram with several decisions where adding the
    link makes the diagram insoluble (van Merwijk et al. 2022 need a soluble one). Raised
    wherever a yes/no is asked for, so that an unknown is never taken for a "no".
    """


class TimeLimitError(CidlibError, TimeoutError):
    """Long work stopped at the time limit it was given; the message says how far it got."""


class SizeLimitError(CidlibError, MemoryError):
    """A table would be too large to build; refused before any memory is allocated.

    The message names the node (or the variables of the table) and its size. ``size`` is the
    number of entries asked for and ``limit`` the limit in force
    (``cidlib.quant.limits.MAX_TABLE_ENTRIES``, which can be raised).
    """

    def __init__(self, message: str, size: int = 0, limit: int = 0) -> None:
        super().__init__(message)
        self.size, self.limit = size, limit


class MissingDependencyError(CidlibError, ImportError):
    """An optional dependency is not installed; the message gives the install command."""
