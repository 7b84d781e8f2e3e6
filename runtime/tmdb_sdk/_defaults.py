"""Every default of the runtime, in one place: change a value here, not in the modules that use it."""
from __future__ import annotations

# Environment variables read when the matching argument is not given.
ENV_API_KEY = "TMDB_API_KEY"
ENV_ACCESS_TOKEN = "TMDB_ACCESS_TOKEN"
ENV_BASE_URL = "TMDB_BASE_URL"

BASE_URL = "https://api.themoviedb.org"
# Where a user approves a request token (TMDB-FACTS: v3 and v4 user flows).
AUTHENTICATE_URL = "https://www.themoviedb.org/authenticate/{request_token}"
APPROVE_URL = "https://www.themoviedb.org/auth/access"

TIMEOUT_SECONDS = 10.0
# A whole call (its attempts, backoff sleeps, Retry-After and rate-limit waits) ends by then (issue 21):
# httpx's timeouts restart on every byte, so a server dripping bytes would otherwise hold a call forever.
# 60 s is RETRY_MAX_TOTAL, so the retry budget and the bound of the call agree; it still leaves room for
# three slow attempts, or a full RETRY_MAX_RETRY_AFTER wait and the attempt after it.
DEADLINE_SECONDS = 60.0
# The largest decoded response body a call accepts (the pools stop reading there, issue 21). The largest
# recorded TMDB answer is 178 KiB (BENCHMARKS.md) and the reliability suite parses a 20 MiB page; 64 MiB
# leaves a wide margin above both, yet stops a decompression bomb long before memory runs out.
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
# TMDB's CDN allows about 20 simultaneous connections per IP; more would only queue there.
MAX_CONNECTIONS = 20
MAX_KEEPALIVE_CONNECTIONS = 20
# The most a response body may hold once decoded (the lean pools stop reading past it; a call can set
# its own with request.extensions["tmdb_max_body"]). TMDB's largest answers are a few MB (a long-running
# show's aggregate_credits with every append part); a movie's details with all 20 parts is ~0.5 MB.
# 64 MiB leaves more than 10x room, yet a decompression bomb fails after 64 MiB, not gigabytes.
MAX_RESPONSE_BYTES = 64 * 1024 * 1024

# TMDB pages run from 1 to 500 (status_code 22 beyond that).
MAX_PAGE = 500
# TMDB refuses more than 20 append_to_response parts (status_code 27).
MAX_APPEND_PARTS = 20

# Retries (RetryPolicy's defaults). Attempts include the first one.
RETRY_MAX_ATTEMPTS = 3
RETRY_BACKOFF_BASE = 0.5
RETRY_BACKOFF_MAX = 8.0
# A Retry-After beyond this is not slept through: the RateLimitError carries it instead.
RETRY_MAX_RETRY_AFTER = 30.0
# No retry starts once this much time has gone by since the first attempt.
RETRY_MAX_TOTAL = 60.0
# Statuses worth another attempt: rate limited, or TMDB/its CDN failed.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# Methods repeated after a 5xx or a broken connection (a 429 or a connection never opened: every method).
RETRY_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT"})

# Images (/3/configuration): the kinds TMDB lists sizes for, the size every image has, and the only
# size an SVG logo exists in.
IMAGE_KINDS = ("backdrop", "logo", "poster", "profile", "still")
IMAGE_ORIGINAL = "original"
IMAGE_SVG_SUFFIX = ".svg"

# Keeping a catalogue in sync (tmdb_sdk.catalogue; TMDB-FACTS: "Change tracking", "Daily ID exports").
# The change lists start on this day and take windows of at most 14 days (status_code 20 beyond).
CHANGES_START = (2012, 10, 5)
CHANGES_MAX_DAYS = 14
# Where the daily ID exports are published (no authentication), and the variable that moves them.
EXPORTS_URL = "https://files.tmdb.org/p/exports"
ENV_EXPORTS_URL = "TMDB_EXPORTS_URL"
# Bytes read from an export per chunk: memory per stream stays about this plus one line.
EXPORTS_CHUNK = 256 * 1024
# Bulk fetching: ids in flight at once (TMDB's CDN allows ~20 connections per IP), and how many
# finished ids a checkpoint buffers before writing them (a killed job fetches at most these again).
BULK_CONCURRENCY = 8
BULK_CHECKPOINT_EVERY = 100
