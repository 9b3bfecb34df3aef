"""Read and write diagram files in every supported format, by extension or by content.

| format | extensions | read | write |
|---|---|---|---|
| cidlib text | ``.cid`` | yes | yes |
| cidlib JSON | ``.json`` | yes | yes |
| pyAgrum BIFXML | ``.bifxml``, ``.xml`` | yes | yes (structure) |
| DAGitty | ``.dagitty``, ``.dag`` | yes | yes (no labels) |
| pyAgrum fastID | ``.fastid`` | yes | yes (structure) |

Any other extension (``.txt`` too) is resolved by content: ``{`` starts JSON, ``<`` XML,
``dag {`` DAGitty; otherwise the text format, and fastID when only fastID parses.

Every file is written whole or not at all (:func:`~cidlib.core.atomic.write_atomic`): an
existing file is left intact when writing fails. Figures that cidlib draws save themselves
the same way.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from cidlib.core.atomic import write_atomic
from cidlib.core.checks import ensure_diagram
from cidlib.core.diagram import InfluenceDiagram
from cidlib.exceptions import ArgumentTypeError, CidlibError, FormatError, ParseError, SchemaError
from cidlib.io import foreign, text

__all__ = ["FORMATS", "format_of", "load_json", "loads_any", "read_diagram", "save_json",
           "write_diagram"]

FORMATS = {
    "text": (".cid",),
    "json": (".json",),
    "bifxml": (".bifxml", ".xml"),
    "dagitty": (".dagitty", ".dag"),
    "fastid": (".fastid",),
}
_MAX_BYTES = 256 * 2**20


def _json(body: str, source: str) -> InfluenceDiagram:
    try:
        return InfluenceDiagram.from_json(body)
    except CidlibError as err:
        raise type(err)(f"{source}: {err}") from None


_READERS: dict[str, Callable[[str, str], InfluenceDiagram]] = {
    "text": text.loads,
    "json": _json,
    "bifxml": foreign.loads_bifxml,
    "dagitty": foreign.loads_dagitty,
    "fastid": foreign.loads_fastid,
}
_WRITERS: dict[str, Callable[[InfluenceDiagram], str]] = {
    "text": text.dumps,
    "json": lambda d: d.to_json() + "\n",
    "bifxml": foreign.dumps_bifxml,
    "dagitty": foreign.dumps_dagitty,
    "fastid": foreign.dumps_fastid,
}


def _check_path(path: object) -> str:
    """Return ``path`` as a string, or raise a clear error (an int would be a descriptor)."""
    if not isinstance(path, (str, os.PathLike)):
        raise ArgumentTypeError(f"expected a file path, got {type(path).__name__} {path!r}")
    return os.fspath(path)


def format_of(path: str | os.PathLike[str], content: str | None = None) -> str | None:
    """Return the format of ``path`` by its extension, else by ``content``; None if unknown.

    Examples
    --------
    >>> format_of("design.cid"), format_of("notes.txt", "dag { A -> B }"), format_of("x.txt")
    ('text', 'dagitty', None)
    """
    suffix = Path(path).suffix.lower()
    for name, suffixes in FORMATS.items():
        if suffix in suffixes:
            return name
    if content is None:
        return None
    head = content.lstrip()
    if head.startswith("{"):
        return "json"
    if head.startswith("<"):
        return "bifxml"
    if re.match(r"dag\s*\{", head):
        return "dagitty"
    return None


def loads_any(content: str, source: str = "<input>", fmt: str | None = None) -> InfluenceDiagram:
    r"""Parse ``content`` in format ``fmt`` (``None``: guess it from ``source`` and the content).

    Parameters
    ----------
    content : str
        The text of a diagram file.
    source : str
        The name errors start with; its extension also names the format.
    fmt : str, optional
        One of the keys of ``FORMATS``.

    Raises
    ------
    ParseError, SchemaError
        Naming ``source`` and the line, or the place in the JSON document.

    Examples
    --------
    >>> d = loads_any("decision D\nutility U\nS -> D -> U\nS -> U\n")
    >>> sorted(d.edges)
    [('D', 'U'), ('S', 'D'), ('S', 'U')]
    """
    fmt = fmt or format_of(source, content)
    if fmt is not None:
        return _READERS[fmt](content, source)
    try:
        return text.loads(content, source)
    except ParseError as err:
        try:
            return foreign.loads_fastid(content, source)
        except CidlibError:
            raise err from None


def _read_text(path: object) -> tuple[str, str]:
    """Return the file's name and its text, refusing what is not UTF-8 or over 256 MiB."""
    name = _check_path(path)
    try:
        with open(name, "rb") as f:
            raw = f.read(_MAX_BYTES + 1)
    except OSError as err:
        raise SchemaError(f"{name}: cannot read: {err.strerror}") from None
    if len(raw) > _MAX_BYTES:
        raise SchemaError(f"{name}: larger than 256 MiB")
    try:
        return name, raw.decode("utf-8-sig")  # a byte-order mark (Windows editors) is fine
    except UnicodeDecodeError as err:
        raise SchemaError(f"{name}: not UTF-8 text (byte {err.start})") from None


def read_diagram(path: str | os.PathLike[str]) -> InfluenceDiagram:
    """Read a diagram file in any supported format; errors start with the file name.

    Raises
    ------
    SchemaError
        When the file cannot be read, is not UTF-8 or is over 256 MiB; its subclass
        :class:`~cidlib.exceptions.ParseError` names the line of a text file.

    Examples
    --------
    >>> import cidlib, pathlib, tempfile
    >>> d = cidlib.CID([("S", "D"), ("D", "U")], decisions=["D"], utilities=["U"])
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "design.cid"
    >>> write_diagram(d, path)
    >>> read_diagram(path) == d
    True
    """
    name, content = _read_text(path)
    return loads_any(content, name)


def write_diagram(diagram: InfluenceDiagram, path: str | os.PathLike[str]) -> None:
    """Write ``diagram`` in the format of ``path``'s extension, whole or not at all.

    Raises
    ------
    FormatError
        For an extension of no format cidlib writes (see the module docstring).

    Examples
    --------
    See :func:`read_diagram`.
    """
    fmt = format_of(_check_path(path))
    if fmt not in _WRITERS:
        writable = ", ".join(s for f in _WRITERS for s in FORMATS[f])
        raise FormatError(f"{os.fspath(path)}: cannot write this format; use one of {writable}")
    write_atomic(path, _WRITERS[fmt](ensure_diagram(diagram)))


def load_json(path: str | os.PathLike[str]) -> InfluenceDiagram:
    """Read a diagram from a JSON file, whatever its extension; errors start with its name.

    The document is described in the JSON schema page of the documentation.

    Examples
    --------
    >>> import cidlib, pathlib, tempfile
    >>> d = cidlib.CID([("S", "D"), ("D", "U")], decisions=["D"], utilities=["U"])
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "design.txt"
    >>> save_json(d, path)
    >>> load_json(path) == d
    True
    """
    name, content = _read_text(path)
    return _json(content, name)


def save_json(diagram: InfluenceDiagram, path: str | os.PathLike[str]) -> None:
    """Write ``diagram`` to a JSON file (UTF-8, indented, newline-terminated), whole or not at all.

    Examples
    --------
    See :func:`load_json`.
    """
    write_atomic(_check_path(path), _WRITERS["json"](ensure_diagram(diagram)))
