"""Progress of long work: a bar on a terminal, and a time limit.

Analyses that can take more than a few seconds count their steps through a
:class:`Progress`. It shows a bar on standard error when that is a terminal and the
optional library tqdm is installed (``pip install tqdm``), and is silent otherwise or when
asked (``progress=False``). With a time limit, the step after the limit raises
:class:`~cidlib.exceptions.TimeLimitError`, saying how far the work got.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from types import TracebackType
from typing import Any

from cidlib.exceptions import ArgumentTypeError, MissingDependencyError, TimeLimitError

__all__: list[str] = []  # internal: analyses take progress= and time_limit= arguments


def check_options(progress: object, time_limit: object) -> None:
    """Raise a clear error for a ``progress`` or ``time_limit`` of the wrong type."""
    if progress is not None and not isinstance(progress, bool):
        raise ArgumentTypeError(f"progress must be True, False or None, not {progress!r:.40}")
    if time_limit is not None and (isinstance(time_limit, bool) or not isinstance(
            time_limit, (int, float)) or not time_limit > 0):
        raise ArgumentTypeError(
            f"time_limit must be a positive number of seconds or None, not {time_limit!r:.40}")


class Progress:
    """Count the steps of long work; show a bar and enforce a time limit.

    Parameters
    ----------
    total : int
        The number of steps.
    what : str
        What the work is, for the bar and for the time-limit message.
    show : bool or None
        True: show a bar (needs tqdm); False: never; None: when standard error is a terminal
        and tqdm is installed.
    time_limit : float or None
        Seconds; a step after that raises :class:`~cidlib.exceptions.TimeLimitError`.

    Examples
    --------
    >>> with Progress(3, "counting", show=False) as progress:
    ...     for _ in range(3):
    ...         progress.step()
    >>> progress.done
    3
    """

    def __init__(self, total: int, what: str, *, show: bool | None = None,
                 time_limit: float | None = None) -> None:
        check_options(show, time_limit)
        self.total, self.what, self.done = total, what, 0
        self.time_limit = time_limit
        self.start = time.perf_counter()
        available = importlib.util.find_spec("tqdm") is not None
        if show and not available:
            raise MissingDependencyError(
                "a progress bar needs tqdm, which is not installed; install it with "
                "pip install tqdm, or pass progress=False")
        self.bar: Any = None
        if show or (show is None and available and sys.stderr.isatty()):
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=what, unit="step", leave=False,
                            file=sys.stderr)

    def step(self, count: int = 1) -> None:
        """Count ``count`` steps done; raise if the time limit has passed."""
        self.done += count
        if self.bar is not None:
            self.bar.update(count)
        if self.time_limit is not None:
            elapsed = time.perf_counter() - self.start
            if elapsed > self.time_limit:
                self.close()
                raise TimeLimitError(
                    f"{self.what} stopped after {elapsed:.1f} s (time_limit={self.time_limit:g}"
                    f" s), {self.done} of {self.total} steps done; raise the limit or ask "
                    "about fewer decisions"
                )

    def close(self) -> None:
        """Remove the bar."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
