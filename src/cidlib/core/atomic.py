"""Write files whole or not at all.

Every file cidlib writes goes to a new temporary file in the target's folder, is flushed to
disk, and is then renamed over the target (an atomic replacement on POSIX and Windows). An
existing file is therefore either left intact or replaced by the complete new content: a
full disk, a crash or a killed process never leaves it truncated. The new file keeps the
permissions of the one it replaces (or the usual ones, under the umask, for a new file).
"""

from __future__ import annotations

import contextlib
import os
import secrets

__all__ = ["write_atomic"]


def write_atomic(path: str | os.PathLike[str], data: bytes | str, *,
                 encoding: str = "utf-8") -> None:
    """Replace the file at ``path`` by ``data`` (text is encoded), all at once.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "note.txt"
    >>> write_atomic(target, "first")
    >>> write_atomic(target, "second, whole")
    >>> target.read_text()
    'second, whole'
    """
    target = os.fspath(path)
    content = data.encode(encoding) if isinstance(data, str) else bytes(data)
    folder = os.path.dirname(os.path.abspath(target))
    temporary = os.path.join(folder, f".{os.path.basename(target)}.{secrets.token_hex(4)}.tmp")
    # O_EXCL: never follow or reuse an existing file; 0o666 lets the umask decide the mode.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    handle = os.open(temporary, flags, 0o666)
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temporary, os.stat(target).st_mode & 0o7777)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
