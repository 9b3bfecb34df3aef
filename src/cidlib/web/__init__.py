"""The local diagram editor of ``cidlib edit``: an edit session, its server and its page.

:mod:`~cidlib.web.session` applies edits through the model's own transformations (so an
invalid edit is refused with the library's message and changes nothing), keeps the undo
history and writes the one file it edits, atomically. :mod:`~cidlib.web.server` serves the
page and the session's small JSON API on 127.0.0.1, to requests that carry the run's token.
The page (``assets/``) is the interactive view of :func:`cidlib.to_html` with editing
added; like it, it loads nothing from the network.
"""

__all__: list[str] = []  # internal: the command line is the public way in (cidlib edit FILE)
