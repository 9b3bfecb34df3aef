"""Griffe extension for the API pages: the reStructuredText in numpydoc docstrings.

cidlib's docstrings follow numpydoc: they refer to other objects with Sphinx roles
(``:func:`analyze```, ``:class:`~cidlib.Path```) and list references as citations
(``.. [1] Author. Title.``), and end a paragraph with ``::`` before a literal block. Markdown
would show these as raw text, so this extension, loaded by mkdocstrings (see mkdocs.yml),
rewrites each role into an optional cross-reference to the object it names, resolved like
Sphinx does (from the docstring's own scope outwards, then as the only function or class of
that name; a name it cannot resolve stays as code, without a link), each citation into a list
item, and ``::`` into ``:`` (the indented block is already a code block in Markdown).
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import partial
from typing import Any

import griffe

# a role, and the escaped space that may glue a suffix to it (":class:`Claim`\ s")
ROLE = re.compile(r":(?:py:)?(func|class|meth|attr|mod|exc|data|obj):`(~?)\.?([\w.]+)`(?:\\ )?")
CITATION = re.compile(r"^\.\. \[(\w+)\] ", flags=re.MULTILINE)
LITERAL = re.compile(r"(\S)::$", flags=re.MULTILINE)


def _objects(obj: griffe.Object) -> list[griffe.Object]:
    """``obj`` and every object defined inside it (aliases excluded)."""
    found = [obj]
    for member in obj.members.values():
        if not member.is_alias and isinstance(member, griffe.Object):
            found.extend(_objects(member))
    return found


class NumpydocRst(griffe.Extension):
    """Rewrite the reStructuredText of numpydoc docstrings into Markdown and autorefs."""

    def on_package(self, *, pkg: griffe.Module, loader: griffe.GriffeLoader,
                   **kwargs: Any) -> None:
        """Rewrite the docstrings of every object of the package once it is loaded."""
        objects = _objects(pkg)
        by_name: dict[str, list[griffe.Object]] = defaultdict(list)
        for obj in objects:
            if obj.is_function or obj.is_class:
                by_name[obj.name].append(obj)
        for obj in objects:
            if obj.docstring is not None:
                value = ROLE.sub(partial(self._reference, obj, loader=loader, by_name=by_name),
                                 obj.docstring.value)
                value = CITATION.sub(r"- \\[\1\\] ", value)
                obj.docstring.value = LITERAL.sub(r"\1:", value)

    @staticmethod
    def _reference(obj: griffe.Object, match: re.Match[str], *, loader: griffe.GriffeLoader,
                   by_name: dict[str, list[griffe.Object]]) -> str:
        role, short, name = match.groups()
        title = f"<code>{name.rsplit('.', 1)[-1] if short else name}</code>"
        scopes = [obj.path]
        parent = obj.parent
        while parent is not None:
            scopes.append(parent.path)
            parent = parent.parent
        candidates = [name, *(f"{scope}.{name}" for scope in scopes)]
        for path in candidates:
            try:
                target = loader.modules_collection[path]
            except (KeyError, griffe.AliasResolutionError, griffe.CyclicAliasError):
                continue
            return f'<autoref identifier="{target.path}" optional>{title}</autoref>'
        same_name = [o for o in by_name.get(name.rsplit(".", 1)[-1], [])
                     if (o.is_class if role in ("class", "exc") else o.is_function)]
        if len(same_name) == 1:
            return f'<autoref identifier="{same_name[0].path}" optional>{title}</autoref>'
        return title
