"""The whole suite's first check: the build outputs must be the checkout's, else one message and stop.

Many tests read the generated package, the final spec or the wheel. Run on outputs that an
overlay, a template edit, the pins, VERSION or the spec moved past, they would fail in hundreds
of places; instead the run stops before the first test with what differs and "run `make` first"
(scripts/build_inputs.py compares the build info's recorded fingerprints with the checkout).
`make test` builds first, so it only ever stops a bare `pytest`. Runs that read no build output
(the mutation runs, a quick look at one pure test) may skip the check with TMDB_SKIP_BUILD_CHECK=1.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scripts.build_inputs import stale_reasons
from tests.summary_lines import (  # noqa: F401 - hooks: the contract and tolerance summary lines
    pytest_runtest_logreport,
    pytest_terminal_summary,
    pytest_unconfigure,
)

ROOT = Path(__file__).resolve().parents[1]
SKIP = "TMDB_SKIP_BUILD_CHECK"


def stale_build_message(root: Path) -> str | None:
    """The message that stops the run, None when the build outputs are the checkout's."""
    reasons = stale_reasons(root)
    if not reasons:
        return None
    lines = "\n".join(f"  - {reason}" for reason in reasons)
    return f"the build outputs are stale:\n{lines}\nrun `make` first (or `make test`, which builds, then tests)"


def pytest_sessionstart(session: pytest.Session) -> None:
    """Once per run, before collection, in the main process: a session-wide check that, unlike a
    session fixture, runs once under xdist (its workers start after it) and stops the run cleanly."""
    if hasattr(session.config, "workerinput") or os.environ.get(SKIP):
        return
    message = stale_build_message(ROOT)
    if message is not None:
        pytest.exit(message, returncode=pytest.ExitCode.USAGE_ERROR)


# The clients read HTTP(S)_PROXY/ALL_PROXY/NO_PROXY by default: a developer's own proxy settings must not
# send the loopback suites through their proxy. Tests of the environment's proxies set them themselves.
_PROXY_VARIABLES = [f"{name}_proxy" for name in ("http", "https", "all", "no")]
_PROXY_VARIABLES += [name.upper() for name in _PROXY_VARIABLES]


@pytest.fixture(autouse=True)
def _no_proxy_from_the_developer(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
