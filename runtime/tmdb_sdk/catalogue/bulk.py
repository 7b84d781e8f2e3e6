"""`tmdb.bulk(operation, ids, ...)`: one operation over many ids, at bounded concurrency, each id its outcome.

    for outcome in tmdb.bulk(tmdb.movies.details, ids, append=["credits"], checkpoint="movies.ckpt"):
        match outcome:
            case Fetched(id=i, result=movie): store(movie)
            case Gone(id=i): delete(i)                    # TMDB: 404, status_code 34
            case Failed(id=i, error=e): log(i, e)         # after the client's retries; the run goes on

Every fetch is an ordinary call of the operation (the client's retries, cache, rate limit and hooks
apply), so a fleet sharing one RateLimit shares one budget. At most `concurrency` calls are in flight:
threads for TMDB, tasks for AsyncTMDB; outcomes come in the order calls finish. The job itself (shards,
the checkpoint, read-ahead, progress) is one coroutine, `run`, the same for both: only the `Runner`
that runs the calls differs. Ids are read from the iterable lazily, a batch at a time, so a job over
millions of ids holds a batch, not the list.
"""
from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Coroutine, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeAlias, TypeVar

from .. import _defaults
from .. import append as appending
from .._io import ASYNC_IO, IO, SYNC_IO, iterate_sync, run_sync
from ..errors import ArgumentError, NotFoundError, TMDBError
from . import checkpoint as checkpoints
from .progress import Bar, BulkProgress, ProgressCallback

if TYPE_CHECKING:
    from .._core import Core
    from .._index import OperationInfo

T = TypeVar("T")
GONE_STATUS_CODE = 34  # TMDB: "The resource you requested could not be found."


@dataclass(frozen=True, slots=True)
class Fetched(Generic[T]):
    """The operation's result for `id`."""

    id: int
    result: T


@dataclass(frozen=True, slots=True)
class Gone:
    """TMDB no longer has `id` (HTTP 404, status_code 34)."""

    id: int
    error: NotFoundError


@dataclass(frozen=True, slots=True)
class Failed:
    """The call for `id` failed after the client's retries; the job went on."""

    id: int
    error: TMDBError


Outcome: TypeAlias = Fetched[T] | Gone | Failed


def in_shard(item: int, shard: tuple[int, int]) -> bool:
    """Whether `item` belongs to shard i of n: a stable hash of the id (the same on every replica and
    Python run, unlike hash()), so n replicas together take every id exactly once."""
    index, count = shard
    digest = hashlib.blake2b(str(item).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % count == index


def check_shard(shard: object) -> tuple[int, int] | None:
    if shard is None:
        return None
    if (not isinstance(shard, tuple) or len(shard) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in shard)):  # fmt: skip
        raise ArgumentError(f"bulk: shard must be a tuple (i, n), e.g. (0, 4), got {shard!r}")
    index, count = shard
    if count < 1 or not 0 <= index < count:
        raise ArgumentError(f"bulk: shard=({index}, {count}) needs n >= 1 and 0 <= i < n")
    return index, count


class Runner(Protocol):
    """Runs calls concurrently: threads (TMDB) or tasks (AsyncTMDB)."""

    def start(self, call: Callable[[], Coroutine[Any, Any, Outcome[Any]]]) -> None: ...
    async def finished(self) -> list[Outcome[Any]]: ...
    async def close(self) -> None: ...


class ThreadRunner:
    """Each call run to completion (SyncIO: it never suspends) in a thread of a bounded pool."""

    def __init__(self, workers: int) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="tmdb-bulk")
        self._pending: set[Any] = set()

    def start(self, call: Callable[[], Coroutine[Any, Any, Outcome[Any]]]) -> None:
        self._pending.add(self._pool.submit(lambda: run_sync(call())))

    async def finished(self) -> list[Outcome[Any]]:
        from concurrent.futures import FIRST_COMPLETED, wait

        done, self._pending = wait(self._pending, return_when=FIRST_COMPLETED)
        return [future.result() for future in done]

    async def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class TaskRunner:
    """Each call an asyncio task."""

    def __init__(self) -> None:
        self._pending: set[Any] = set()

    def start(self, call: Callable[[], Coroutine[Any, Any, Outcome[Any]]]) -> None:
        import asyncio

        self._pending.add(asyncio.ensure_future(call()))

    async def finished(self) -> list[Outcome[Any]]:
        import asyncio

        done, self._pending = await asyncio.wait(self._pending, return_when=asyncio.FIRST_COMPLETED)
        return [task.result() for task in done]

    async def close(self) -> None:
        import asyncio

        for task in self._pending:
            task.cancel()
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)
        self._pending = set()


@dataclass(slots=True)
class Job:
    """One bulk job's settings, checked."""

    core: Core
    info: OperationInfo
    params: dict[str, Any]
    append: tuple[str, ...]
    concurrency: int
    checkpoint: checkpoints.Checkpoint | None
    shard: tuple[int, int] | None
    progress: ProgressCallback | None
    bar: bool | None

    async def fetch(self, item: int) -> Outcome[Any]:
        """One id's call, its failure an outcome (TMDBError only: a bug or an interrupt still stops the job)."""
        try:
            result = await self.core.call(self.info, (item,), self.params)
            if self.append:
                appending.extract(self.info, result, self.append)  # a part TMDB left out fails the id
        except NotFoundError as error:
            return Gone(item, error) if error.status_code == GONE_STATUS_CODE else Failed(item, error)
        except TMDBError as error:
            return Failed(item, error)
        return Fetched(item, result)


def make_job(
    operation: Any, flavour: type[Any], *, append: Sequence[str] | None, concurrency: int,
    checkpoint: checkpoints.Checkpoint | str | Path | None, shard: tuple[int, int] | None,
    progress: ProgressCallback | None, bar: bool | None, params: dict[str, Any],
) -> Job:  # fmt: skip
    from ..operations import Operation

    if not isinstance(operation, flavour):
        what = (f"an operation of the same client (a {flavour.__name__})" if isinstance(operation, Operation)
                else "an operation such as tmdb.movies.details")  # fmt: skip
        raise ArgumentError(f"bulk: operation must be {what}, got {operation!r}")
    info: OperationInfo = operation.info
    path = info.path_params
    if len(path) != 1 or path[0].kind != "int":
        raise ArgumentError(f"bulk: {info.operation_id} must take exactly one int id in its path "
                            f"(it takes {', '.join(p.name for p in path) or 'none'})")  # fmt: skip
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ArgumentError(f"bulk: concurrency must be an int >= 1, got {concurrency!r}")
    parts: tuple[str, ...] = ()
    if append is not None:
        parts = appending.plan(info, append)
        if "append_to_response" in params:
            raise ArgumentError("bulk: pass the parts as append=[...] only, not append_to_response too")
        params = {**params, "append_to_response": ",".join(parts)}
    if progress is not None and not callable(progress):
        raise ArgumentError(f"bulk: progress must be a callable taking a BulkProgress, got {progress!r}")
    return Job(operation._core, info, params, parts, concurrency, checkpoints.coerce(checkpoint), check_shard(shard),
               progress, bar)  # fmt: skip


async def run(job: Job, ids: Iterable[int], runner: Runner, io: IO) -> AsyncGenerator[Outcome[Any], None]:
    """The job: read ids a batch at a time, drop other shards' and finished ones, keep `concurrency`
    calls in flight, hand out each outcome, then record it in the checkpoint and report progress."""
    total = len(ids) if hasattr(ids, "__len__") else None  # type: ignore[arg-type]
    source = iter(ids)
    queue: deque[int] = deque()
    to_record: list[int] = []
    fetched = gone = failed = skipped = in_flight = 0
    every = _defaults.BULK_CHECKPOINT_EVERY
    exhausted = False
    bar = Bar.make(job.bar, total, f"{job.info.operation_id}")
    try:
        while True:
            while not queue and not exhausted and in_flight < job.concurrency:
                batch = [item for _, item in zip(range(every), source, strict=False)]
                exhausted = len(batch) < every
                wanted = [item for item in batch if job.shard is None or in_shard(item, job.shard)]
                if job.checkpoint is not None and wanted:
                    flags = await job.checkpoint.done(io, wanted)
                    wanted = [item for item, done in zip(wanted, flags, strict=True) if not done]
                skipped += len(batch) - len(wanted)
                queue.extend(wanted)
            while queue and in_flight < job.concurrency:
                job_fetch, item = job.fetch, queue.popleft()
                runner.start(lambda job_fetch=job_fetch, item=item: job_fetch(item))  # type: ignore[misc]
                in_flight += 1
            if not in_flight:
                break
            for outcome in await runner.finished():
                in_flight -= 1
                yield outcome
                if isinstance(outcome, Fetched):
                    fetched += 1
                elif isinstance(outcome, Gone):
                    gone += 1
                else:
                    failed += 1
                if job.checkpoint is not None and not isinstance(outcome, Failed):
                    to_record.append(outcome.id)
                    if len(to_record) >= every:
                        await job.checkpoint.record(io, to_record)
                        to_record = []
                if job.progress is not None or bar is not None:
                    state = BulkProgress(fetched + gone + failed, fetched, gone, failed, skipped, total)
                    if job.progress is not None:
                        job.progress(state)
                    if bar is not None:
                        bar.update(state)
    finally:
        await runner.close()
        if job.checkpoint is not None:
            await job.checkpoint.record(io, to_record)
            await job.checkpoint.close(io)
        if bar is not None:
            bar.close()


def bulk_sync(
    operation: Callable[..., T], ids: Iterable[int], *, append: Sequence[str] | None = None,
    concurrency: int = _defaults.BULK_CONCURRENCY, checkpoint: checkpoints.Checkpoint | str | Path | None = None,
    shard: tuple[int, int] | None = None, progress: ProgressCallback | None = None, bar: bool | None = None,
    **params: Any,
) -> Iterator[Outcome[T]]:  # fmt: skip
    """TMDB.bulk: the outcomes, as the calls finish, from `concurrency` threads."""
    from ..operations import SyncOperation

    job = make_job(operation, SyncOperation, append=append, concurrency=concurrency, checkpoint=checkpoint,
                   shard=shard, progress=progress, bar=bar, params=params)  # fmt: skip
    return iterate_sync(run(job, ids, ThreadRunner(job.concurrency), SYNC_IO))


def bulk_async(
    operation: Callable[..., Awaitable[T]], ids: Iterable[int], *, append: Sequence[str] | None = None,
    concurrency: int = _defaults.BULK_CONCURRENCY, checkpoint: checkpoints.Checkpoint | str | Path | None = None,
    shard: tuple[int, int] | None = None, progress: ProgressCallback | None = None, bar: bool | None = None,
    **params: Any,
) -> AsyncIterator[Outcome[T]]:  # fmt: skip
    """AsyncTMDB.bulk: the outcomes, as the calls finish, from at most `concurrency` tasks."""
    from ..operations import AsyncOperation

    job = make_job(operation, AsyncOperation, append=append, concurrency=concurrency, checkpoint=checkpoint,
                   shard=shard, progress=progress, bar=bar, params=params)  # fmt: skip
    return run(job, ids, TaskRunner(), ASYNC_IO)
