"""Progress of a bulk job: a callback, and a progress bar on a terminal (rich, the `[progress]` extra)."""
from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class BulkProgress:
    """Where a bulk job stands; `total` is None when the ids were not a sized collection."""

    done: int  # outcomes handed out so far (fetched + gone + failed)
    fetched: int
    gone: int
    failed: int
    skipped: int  # ids finished by an earlier run (checkpoint) or left to another shard
    total: int | None


ProgressCallback = Callable[[BulkProgress], None]


class Bar:
    """A rich progress bar on stderr; `Bar.make(None)` gives one only when stderr is a terminal and rich
    is installed (`pip install tmdb-sdk-internal[progress]`)."""

    def __init__(self, total: int | None, description: str) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                  TimeRemainingColumn(), TextColumn("{task.fields[status]}"),
                                  console=Console(stderr=True))  # fmt: skip
        self._task = self._progress.add_task(description, total=total, status="")
        self._progress.start()

    @classmethod
    def make(cls, wanted: bool | None, total: int | None, description: str) -> Bar | None:
        if wanted is False or (wanted is None and not sys.stderr.isatty()):
            return None
        try:
            return cls(total, description)
        except ImportError:
            if wanted:
                from ..errors import ConfigurationError

                raise ConfigurationError("bar=True needs rich: pip install 'tmdb-sdk-internal[progress]'") from None
            return None

    def update(self, state: BulkProgress) -> None:
        status = f"gone {state.gone} · failed {state.failed}" + (f" · skipped {state.skipped}" if state.skipped else "")
        self._progress.update(self._task, completed=state.done, status=status)

    def close(self) -> None:
        self._progress.stop()


def noop(_state: Any) -> None:
    return None
