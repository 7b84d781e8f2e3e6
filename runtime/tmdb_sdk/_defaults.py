"""Every default of the runtime, in one place: change a number here, not in the modules that use it."""
from __future__ import annotations

from dataclasses import dataclass

ENV_API_KEY = "TMDB_API_KEY"
ENV_ACCESS_TOKEN = "TMDB_ACCESS_TOKEN"
ENV_BASE_URL = "TMDB_BASE_URL"

BASE_URL = "https://api.themoviedb.org"
# Where a user approves a request token (TMDB-FACTS: v3 and v4 user flows).
AUTHENTICATE_URL = "https://www.themoviedb.org/authenticate/{request_token}"
APPROVE_URL = "https://www.themoviedb.org/auth/access"

TIMEOUT_SECONDS = 10.0
# TMDB's CDN allows about 20 simultaneous connections per IP; more would only queue there.
MAX_CONNECTIONS = 20
MAX_KEEPALIVE_CONNECTIONS = 20

# TMDB pages run from 1 to 500 (status_code 22 beyond that).
MAX_PAGE = 500
# TMDB refuses more than 20 append_to_response parts (status_code 27).
MAX_APPEND_PARTS = 20


@dataclass(frozen=True, slots=True)
class RetryDefaults:
    max_attempts: int = 3
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    # A Retry-After beyond this is not slept through: the RateLimitError carries it instead.
    max_retry_after: float = 30.0
    # No retry starts once this much time has gone by since the first attempt.
    max_total: float = 60.0


RETRY = RetryDefaults()
