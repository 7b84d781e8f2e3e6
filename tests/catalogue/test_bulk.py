"""tmdb.bulk against a loopback details server: an outcome per id, bounded concurrency through the
normal call path (rate limit, retries, hooks), a 429 mid-run, checkpoints (a file, Redis) surviving a
SIGKILL, shards covering every id exactly once, progress."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from catalogue_support import DetailsHost, Loopback
from tmdb_sdk import TMDB, AsyncTMDB, Hooks
from tmdb_sdk._defaults import BULK_CHECKPOINT_EVERY
from tmdb_sdk.catalogue.bulk import Failed, Fetched, Gone, in_shard
from tmdb_sdk.catalogue.checkpoint import FileCheckpoint, RedisCheckpoint
from tmdb_sdk.catalogue.progress import BulkProgress
from tmdb_sdk.errors import ArgumentError, ConfigurationError, NotFoundError, ServerError
from tmdb_sdk.ratelimit import RateLimit
from tmdb_sdk.transport.retry import Clock, RetryPolicy

ROOT = Path(__file__).resolve().parents[2]
NO_WAIT = Clock(sleep=lambda _s: None)
Host = tuple[DetailsHost, Loopback]


def tmdb_for(loopback: Loopback, **options: object) -> TMDB:
    options.setdefault("clock", NO_WAIT)
    return TMDB(api_key="k", base_url=loopback.url, **options)  # type: ignore[arg-type]


def test_each_id_gets_its_outcome_and_one_bad_id_does_not_stop_the_run(details_host: Host) -> None:
    host, loopback = details_host
    host.gone, host.broken = {3, 7}, {5}
    with tmdb_for(loopback) as tmdb:
        outcomes = {o.id: o for o in tmdb.bulk(tmdb.movies.details, range(1, 11), concurrency=3)}
    assert sorted(outcomes) == list(range(1, 11))
    assert {i for i, o in outcomes.items() if isinstance(o, Gone)} == {3, 7}
    failed = outcomes[5]
    assert isinstance(failed, Failed) and isinstance(failed.error, ServerError)
    assert host.counts[5] == 3  # the client's retries ran first
    fetched = outcomes[1]
    assert isinstance(fetched, Fetched) and fetched.result.title == "Movie 1"
    gone = outcomes[3]
    assert isinstance(gone, Gone) and isinstance(gone.error, NotFoundError) and gone.error.status_code == 34


def test_append_parts_are_requested_and_checked(details_host: Host) -> None:
    _host, loopback = details_host
    with tmdb_for(loopback) as tmdb:
        outcomes = list(tmdb.bulk(tmdb.movies.details, [1, 2], append=["credits"], language="fr-FR"))
        with pytest.raises(ArgumentError, match="'cast' is not a sub-resource"):
            tmdb.bulk(tmdb.movies.details, [1], append=["cast"])
    assert all(isinstance(o, Fetched) for o in outcomes)
    query = loopback.seen[0].query
    assert query["append_to_response"] == "credits" and query["language"] == "fr-FR"


def test_a_429_mid_run_is_retried_and_every_id_arrives(details_host: Host) -> None:
    host, loopback = details_host
    host.rate_limit_at = 25
    with tmdb_for(loopback) as tmdb:
        outcomes = list(tmdb.bulk(tmdb.movies.details, range(1, 51), concurrency=4))
    assert sorted(o.id for o in outcomes if isinstance(o, Fetched)) == list(range(1, 51))
    assert host.requests == 51


def test_a_429_without_retries_fails_that_id_only(details_host: Host) -> None:
    host, loopback = details_host
    host.rate_limit_at = 10
    with tmdb_for(loopback, retry=None) as tmdb:
        outcomes = list(tmdb.bulk(tmdb.movies.details, range(1, 31), concurrency=2))
    failed = [o for o in outcomes if isinstance(o, Failed)]
    assert len(outcomes) == 30 and len(failed) == 1 and failed[0].error.http_status == 429  # type: ignore[attr-defined]


def test_concurrency_is_bounded_and_the_rate_limit_applies(details_host: Host) -> None:
    host, loopback = details_host
    host.delay = 0.02
    with tmdb_for(loopback) as tmdb:
        assert len(list(tmdb.bulk(tmdb.movies.details, range(40), concurrency=3))) == 40
    assert host.most_in_flight == 3
    host.most_in_flight = 0
    requests: list[str] = []
    limit = RateLimit(rate=10_000, concurrency=2, key="bulk-test")
    with tmdb_for(loopback, rate_limit=limit, hooks=Hooks(on_request=lambda e: requests.append(e.operation))) as tmdb:
        assert len(list(tmdb.bulk(tmdb.movies.details, range(40), concurrency=8))) == 40
    assert host.most_in_flight <= 2  # the client's limiter holds the bulk job to its concurrency
    assert requests == ["movies_details"] * 40


def test_a_file_checkpoint_skips_what_a_previous_run_finished(details_host: Host, tmp_path: Path) -> None:
    host, loopback = details_host
    host.broken = {150}
    ids = list(range(1, 301))
    checkpoint = tmp_path / "job.ckpt"
    with tmdb_for(loopback) as tmdb:
        first = tmdb.bulk(tmdb.movies.details, ids, checkpoint=checkpoint, concurrency=4)
        taken = [next(first) for _ in range(250)]
        first.close()  # the consumer stops: what it went past is recorded (the last one it may not have kept)
        assert len({o.id for o in taken}) == 250
        before = host.counts.copy()
        progress: list[BulkProgress] = []
        rest = list(tmdb.bulk(tmdb.movies.details, ids, checkpoint=checkpoint, progress=progress.append))
    refetched = [i for i in ids if host.counts[i] > before[i] and i != 150]
    taken_ids = {o.id for o in taken if not isinstance(o, Failed)}
    assert [i for i in refetched if i in taken_ids] == [taken[-1].id]
    assert {o.id for o in taken} | {o.id for o in rest} == set(ids)
    final = progress[-1]
    assert final.skipped + final.done == 300 and final.total == 300 and final.failed == 1
    ids_on_file = checkpoint.read_text().split()
    assert "150" not in ids_on_file and len(ids_on_file) == len(set(ids_on_file)) == 299


def test_a_killed_job_resumes_without_fetching_again_what_it_had(details_host: Host, tmp_path: Path) -> None:
    host, loopback = details_host
    host.delay = 0.01  # ~400 ids/s: the job is still running when it is killed
    count = 1200
    checkpoint, output = tmp_path / "job.ckpt", tmp_path / "out.txt"
    command = [sys.executable, str(Path(__file__).with_name("bulk_job.py")), loopback.url, str(checkpoint), str(output),
               str(count)]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "runtime"), str(ROOT / "generated")])}
    job = subprocess.Popen(command, env=env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (not output.exists() or len(output.read_text().split()) < 400):
            assert job.poll() is None, "the job ended before it was killed"
            time.sleep(0.05)
        job.send_signal(signal.SIGKILL)
    finally:
        job.wait(10)
    assert job.returncode == -signal.SIGKILL
    done_before = set(map(int, output.read_text().split()))
    recorded = set(map(int, checkpoint.read_text().split()))
    assert 300 <= len(recorded) < count and recorded <= done_before
    fetched_before = host.counts.copy()
    subprocess.run(command, env=env, check=True, timeout=120)
    done = list(map(int, output.read_text().split()))
    assert set(done) == set(range(1, count + 1))  # none lost
    again = [i for i in range(1, count + 1) if fetched_before[i] and host.counts[i] > fetched_before[i]]
    assert not set(again) & recorded  # what the checkpoint held was not fetched again
    assert len(again) <= BULK_CHECKPOINT_EVERY + 4  # at most the batch not yet written, and those in flight


def test_a_redis_checkpoint_is_shared(details_host: Host, tmp_path: Path) -> None:
    from tests.fleet.fleet_support import RedisServer

    host, loopback = details_host
    with RedisServer(tmp_path / "redis") as server, tmdb_for(loopback) as tmdb:
        one = RedisCheckpoint(server.url, key="job-1")
        first = list(tmdb.bulk(tmdb.movies.details, range(1, 151), checkpoint=one))
        assert len(first) == 150
        again = list(tmdb.bulk(tmdb.movies.details, range(1, 201), checkpoint=RedisCheckpoint(server.url, key="job-1")))
        assert sorted(o.id for o in again) == list(range(151, 201))
        assert max(host.counts.values()) == 1


async def test_async_bulk_with_a_redis_checkpoint(details_host: Host, tmp_path: Path) -> None:
    from tests.fleet.fleet_support import RedisServer

    host, loopback = details_host
    host.gone = {4}
    host.delay = 0.01
    with RedisServer(tmp_path / "redis") as server:
        async with AsyncTMDB(api_key="k", base_url=loopback.url) as tmdb:
            outcomes = [o async for o in tmdb.bulk(tmdb.movies.details, range(1, 61), concurrency=5,
                                                   checkpoint=RedisCheckpoint(server.url, key="a"))]  # fmt: skip
            rerun = [o async for o in tmdb.bulk(tmdb.movies.details, range(1, 61),
                                                checkpoint=RedisCheckpoint(server.url, key="a"))]  # fmt: skip
    assert sorted(o.id for o in outcomes) == list(range(1, 61)) and not rerun
    assert [o.id for o in outcomes if isinstance(o, Gone)] == [4]
    assert host.most_in_flight == 5


def test_shards_cover_every_id_exactly_once(details_host: Host, tmp_path: Path) -> None:
    host, loopback = details_host
    ids = list(range(1, 1001))
    shards: list[set[int]] = []
    with tmdb_for(loopback) as tmdb:
        for index in range(4):
            shards.append({o.id for o in tmdb.bulk(tmdb.movies.details, ids, shard=(index, 4))})
    assert set().union(*shards) == set(ids)
    assert sum(len(s) for s in shards) == len(ids)
    assert all(150 < len(s) < 350 for s in shards)  # the hash spreads them
    assert set(host.counts.values()) == {1}
    assert all(in_shard(i, (i_shard, 4)) for i_shard, s in enumerate(shards) for i in s)


def test_the_shard_hash_is_stable_across_processes() -> None:
    code = "from tmdb_sdk.catalogue.bulk import in_shard; print([i for i in range(50) if in_shard(i, (1, 3))])"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "runtime"), str(ROOT / "generated")]),
           "PYTHONHASHSEED": "random"}
    runs = {subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
            for _ in range(2)}  # fmt: skip
    assert runs == {f"{[i for i in range(50) if in_shard(i, (1, 3))]}\n"}


@pytest.mark.parametrize(("options", "text"), [
    ({"shard": (4, 4)}, "0 <= i < n"),
    ({"shard": [0, 2]}, "shard must be a tuple"),
    ({"concurrency": 0}, "concurrency must be an int >= 1"),
    ({"checkpoint": "redis://localhost/0"}, "RedisCheckpoint"),
    ({"progress": "yes"}, "progress must be a callable"),
])  # fmt: skip
def test_bad_options_are_named(options: dict[str, object], text: str) -> None:
    with TMDB(api_key="k") as tmdb, pytest.raises((ArgumentError, ConfigurationError), match=text):
        tmdb.bulk(tmdb.movies.details, [1], **options)  # type: ignore[arg-type]


def test_operations_that_do_not_take_one_id_are_refused() -> None:
    with TMDB(api_key="k") as tmdb:
        with pytest.raises(ArgumentError, match="exactly one int id"):
            tmdb.bulk(tmdb.search.movie, [1])
        with pytest.raises(ArgumentError, match="exactly one int id"):
            tmdb.bulk(tmdb.tv_seasons.details, [1])
        with pytest.raises(ArgumentError, match="operation must be"):
            tmdb.bulk(len, [1])


def test_progress_bar_on_request(details_host: Host, capsys: pytest.CaptureFixture[str]) -> None:
    _host, loopback = details_host
    with tmdb_for(loopback) as tmdb:
        assert len(list(tmdb.bulk(tmdb.movies.details, range(20), bar=True))) == 20
    assert "movies_details" in capsys.readouterr().err


def test_a_torn_last_line_of_a_file_checkpoint_is_ignored(tmp_path: Path) -> None:
    from tmdb_sdk._io import SYNC_IO, run_sync

    path = tmp_path / "c"
    path.write_bytes(b"1\n2\n3")  # killed while writing "33\n"
    assert run_sync(FileCheckpoint(path).done(SYNC_IO, [1, 2, 3])) == [True, True, False]
    path.write_bytes(b"1\nx\n")
    with pytest.raises(ConfigurationError, match="line 2"):
        run_sync(FileCheckpoint(path).done(SYNC_IO, [1]))


def test_retry_policy_is_the_clients(details_host: Host) -> None:
    host, loopback = details_host
    host.broken = {1}
    with tmdb_for(loopback, retry=RetryPolicy(max_attempts=5)) as tmdb:
        (outcome,) = tmdb.bulk(tmdb.movies.details, [1])
    assert isinstance(outcome, Failed) and host.counts[1] == 5


async def test_an_operation_of_the_other_flavour_is_refused() -> None:
    async with AsyncTMDB(api_key="k") as async_tmdb:
        with TMDB(api_key="k") as tmdb, pytest.raises(ArgumentError, match="same client \\(a AsyncOperation\\)"):
            async_tmdb.bulk(tmdb.movies.details, [1])  # type: ignore[arg-type]
