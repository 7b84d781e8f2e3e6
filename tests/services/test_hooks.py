"""Hooks: dispatch per stage, coroutine hooks on the async path, a raising hook reported once."""

from __future__ import annotations

import logging

import pytest
from services_support import captured
from tmdb_sdk import ConfigurationError
from tmdb_sdk.hooks import CallEvent, Hooks


def event(stage: str = "request") -> CallEvent:
    return CallEvent(stage, "movies_details", "GET", "/3/movie/{movie_id}")  # type: ignore[arg-type]


def test_each_stage_runs_its_own_hooks_in_order() -> None:
    seen: list[str] = []
    hooks = Hooks(
        on_request=[lambda e: seen.append("request-1"), lambda e: seen.append("request-2")],
        on_response=lambda e: seen.append("response"),
    )
    hooks.emit(event("request"))
    hooks.emit(event("response"))
    hooks.emit(event("error"))  # no hook for it: nothing happens
    assert seen == ["request-1", "request-2", "response"]
    assert bool(hooks) and not Hooks()
    assert repr(hooks) == "Hooks(on_request=2, on_response=1)"


def test_a_raising_hook_is_reported_once_and_never_breaks_the_call() -> None:
    calls: list[str] = []

    def broken(e: CallEvent) -> None:
        raise RuntimeError("boom")

    hooks = Hooks(on_request=[broken, lambda e: calls.append(e.operation)])
    with captured() as logs:
        for _ in range(3):
            hooks.emit(event())
    assert calls == ["movies_details"] * 3  # the next hook still ran each time
    warnings = [r for r in logs.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "on_request hook" in warnings[0].getMessage() and "RuntimeError" in warnings[0].getMessage()
    assert warnings[0].exc_info is not None
    assert hooks.failures(broken) == 3


def test_merged_hooks_keep_reporting_a_hook_once() -> None:
    def broken(e: CallEvent) -> None:
        raise ValueError("x")

    base = Hooks(on_error=broken)
    view = base.merged(Hooks(on_error=lambda e: None))
    assert view.merged(None) is view
    with captured() as logs:
        base.emit(event("error"))
        view.emit(event("error"))
    assert len([r for r in logs.records if r.levelno == logging.WARNING]) == 1


def test_a_non_callable_hook_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="not callable"):
        Hooks(on_retry=[42])  # type: ignore[list-item]


def test_coroutine_hooks_are_refused_by_a_sync_client_and_awaited_by_an_async_one() -> None:
    async def slow(e: CallEvent) -> None:
        pass

    Hooks(on_request=lambda e: None).check_sync("TMDB")
    with pytest.raises(ConfigurationError, match="coroutine hooks need AsyncTMDB"):
        Hooks(on_request=slow).check_sync("TMDB")


async def test_async_dispatch_awaits_coroutine_hooks_and_calls_plain_ones() -> None:
    seen: list[str] = []

    async def later(e: CallEvent) -> None:
        seen.append(f"async {e.stage}")

    async def broken(e: CallEvent) -> None:
        raise KeyError("k")

    hooks = Hooks(on_retry=[later, lambda e: seen.append("plain"), broken])
    with captured() as logs:
        await hooks.aemit(event("retry"))
        await hooks.aemit(event("retry"))
    assert seen == ["async retry", "plain"] * 2
    assert len([r for r in logs.records if r.levelno == logging.WARNING]) == 1
