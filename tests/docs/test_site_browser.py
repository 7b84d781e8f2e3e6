"""The reference site in a real browser: Debian's chromium, headless, driven by playwright.

build/site (`make docs`; built here when missing or stale) is served on a loopback port. Every page reachable
from the home page is opened: none may log a console error or fail a request, and every internal link
(page and anchor) must resolve. Searching "movie details" in the search box must find
tmdb.movies.details. One screenshot per section is kept in build/site-screenshots/.
Chromium runs with a fresh profile and no background networking: the machine may have no network.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import subprocess
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag

from playwright.async_api import BrowserContext, Page, async_playwright

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "build" / "site"
SCREENSHOTS = ROOT / "build" / "site-screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
MAX_PAGES = 300  # the site has ~75; a crawl past this is a link loop, not the site
CRAWL_SECONDS = 300  # a bound, not a speed check: the crawl takes ~10 s on an idle 2-core machine
TABS = 3  # pages loaded at once: the renderer processes keep both cores busy
# One page per section of the navigation.
SECTION_PAGES = {
    "home": "index.html",
    "guides": "guides/paging.html",
    "reference": "reference/movies.html#movies-details",
    "errors": "api/errors.html",
    "models": "models/m.html#tmdb_generated.models.movie_details.MovieDetails",
}



class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """build/site over HTTP on a free loopback port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class Visit:
    """What one browser session saw: every page's element ids and internal links, problems, search hits."""

    base: str
    ids: dict[str, set[str]] = field(default_factory=dict)  # page URL -> ids of its elements
    links: list[tuple[str, str]] = field(default_factory=list)  # (page, absolute internal href)
    problems: list[str] = field(default_factory=list)
    search_hits: list[tuple[str, str]] = field(default_factory=list)  # (href, title)
    search_problems: list[str] = field(default_factory=list)
    screenshots: dict[str, Path] = field(default_factory=dict)
    seconds: float = 0.0

    def broken_links(self) -> list[str]:
        broken = []
        for page, href in self.links:
            target, fragment = urldefrag(href)
            target = target + "index.html" if target.endswith("/") else target
            if target not in self.ids:
                broken.append(f"{page}: link to a missing page {href}")
            elif fragment and fragment not in self.ids[target]:
                broken.append(f"{page}: link to a missing anchor {href}")
        return broken


def watch(page: Page, problems: list[str], where: dict[str, str]) -> None:
    """Console errors, uncaught exceptions, failed requests and HTTP errors of `page`, named by its URL."""
    page.on("console", lambda m: m.type == "error" and problems.append(f"{where['url']}: console: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"{where['url']}: page error: {e}"))
    # net::ERR_ABORTED: a fetch still running when the crawl moves on (the search worker's index), not a failure.
    page.on("requestfailed", lambda r: r.failure != "net::ERR_ABORTED"
            and problems.append(f"{where['url']}: request failed: {r.url} ({r.failure})"))  # fmt: skip
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{where['url']}: HTTP {r.status}: {r.url}"))


async def crawl(context: BrowserContext, visit: Visit) -> None:
    """Opens every internal page reachable from index.html (TABS at a time), recording ids and links."""
    queue: asyncio.Queue[str] = asyncio.Queue()
    queued = {visit.base + "index.html"}
    queue.put_nowait(visit.base + "index.html")
    deadline = time.monotonic() + CRAWL_SECONDS

    async def tab() -> None:
        page, where = await context.new_page(), {"url": ""}
        watch(page, visit.problems, where)
        while True:
            url = await queue.get()
            try:
                assert len(visit.ids) < MAX_PAGES, f"more than {MAX_PAGES} pages: a link loop?"
                assert time.monotonic() < deadline, f"the crawl took more than {CRAWL_SECONDS}s"
                where["url"] = url
                response = await page.goto(url, wait_until="load")
                if response is None or not response.ok:
                    visit.problems.append(f"{url}: HTTP {response.status if response else 'no response'}")
                ids, hrefs = await page.evaluate(
                    "() => [Array.from(document.querySelectorAll('[id]'), e => e.id),"
                    " Array.from(document.querySelectorAll('a[href]'), a => a.href)]"
                )
                visit.ids[url] = set(ids)
                for href in hrefs:
                    if not href.startswith(visit.base):
                        continue
                    visit.links.append((url, href))
                    target = urldefrag(href)[0]
                    target = target + "index.html" if target.endswith("/") else target
                    if target not in queued and target.endswith(".html"):
                        queued.add(target)
                        queue.put_nowait(target)
            finally:
                queue.task_done()

    tabs = [asyncio.create_task(tab()) for _ in range(TABS)]
    joined = asyncio.create_task(queue.join())
    await asyncio.wait([joined, *tabs], return_when=asyncio.FIRST_COMPLETED)
    for task in tabs:
        task.cancel()
    for task in tabs:
        if not task.cancelled() and task.done() and task.exception():
            raise task.exception()  # type: ignore[misc]


async def search(context: BrowserContext, visit: Visit, query: str) -> None:
    """Types `query` into the search box of the home page, unfolds every hit, records (href, title)."""
    page, where = await context.new_page(), {"url": visit.base + "index.html (search)"}
    watch(page, visit.search_problems, where)
    await page.goto(visit.base + "index.html", wait_until="load")
    box = page.locator("input.md-search__input")
    await box.click()
    await box.press_sequentially(query, delay=20)
    await page.wait_for_selector(".md-search-result__item", timeout=15_000)
    # Sections beyond a page's first hits are folded under "N more on this page".
    for more in await page.locator("details.md-search-result__more > summary").all():
        await more.click()
    visit.search_hits = [tuple(hit) for hit in await page.evaluate(
        "() => Array.from(document.querySelectorAll('.md-search-result a.md-search-result__link'),"
        " a => [a.getAttribute('href'), a.innerText.trim().split('\\n')[0]])"
    )]  # fmt: skip
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    visit.screenshots["search"] = SCREENSHOTS / "search.png"
    await page.screenshot(path=str(visit.screenshots["search"]))
    await page.close()


async def screenshots(context: BrowserContext, visit: Visit) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = await context.new_page()
    for section, path in SECTION_PAGES.items():
        await page.goto(visit.base + path, wait_until="load")
        visit.screenshots[section] = SCREENSHOTS / f"{section}.png"
        await page.screenshot(path=str(visit.screenshots[section]))
    await page.close()


async def browse(base: str, profile: Path) -> Visit:
    visit, started = Visit(base), time.monotonic()
    async with async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 800}, timeout=30_000,
        )  # fmt: skip
        try:
            await crawl(context, visit)
            await search(context, visit, "movie details")
            await screenshots(context, visit)
        finally:
            await context.close()
    visit.seconds = time.monotonic() - started
    return visit


def site_problems(visit: Visit, built: Iterable[str]) -> list[str]:
    """Every way the visit fails the check, grouped by check (one test reports them all); `built`: the
    site's pages (paths under its root) that the crawl must reach."""
    problems = [f"console/network: {p}" for p in visit.problems[:40]]
    problems += [f"link: {b}" for b in visit.broken_links()[:40]]
    reached = {url.removeprefix(visit.base) for url in visit.ids}
    unreached = sorted(set(built) - reached)
    if unreached or not {"reference/movies.html", "models/m.html"} <= reached:
        problems.append(f"crawl: {len(unreached)} built pages no link reaches: {unreached[:20]}")
    if len(visit.links) <= 1000:
        problems.append(f"crawl: only {len(visit.links)} internal links seen")
    hrefs = [href for href, title in visit.search_hits if title == "tmdb.movies.details"]
    if not hrefs:
        problems.append(f"search: 'movie details' does not find tmdb.movies.details: {visit.search_hits[:20]}")
    elif not (hrefs[0].split("?")[0].endswith("reference/movies.html") and hrefs[0].endswith("#movies-details")):
        problems.append(f"search: tmdb.movies.details links to {hrefs[0]}")
    problems += [f"search: {p}" for p in visit.search_problems]
    if set(visit.screenshots) != {*SECTION_PAGES, "search"}:
        problems.append(f"screenshots: {sorted(visit.screenshots)}")
    problems += [f"screenshots: {p} is nearly empty" for p in visit.screenshots.values() if p.stat().st_size <= 10_000]
    return problems


def test_site_in_chromium(tmp_path: Path) -> None:
    """One browser session (a module fixture would run once per xdist worker): no console error on any
    page, every internal link resolves, search finds tmdb.movies.details, one screenshot per section."""
    assert CHROMIUM.exists(), "Debian's chromium is missing: run scripts/ensure_test_deps.sh"
    # `make test` built it; a bare pytest builds it when missing or older than its inputs (`make -q`: 1 = stale).
    if subprocess.run(["make", "-q", "docs"], cwd=ROOT, capture_output=True, check=False, timeout=60).returncode:
        subprocess.run(["make", "--no-print-directory", "docs"], cwd=ROOT, check=True, timeout=900)
    with serve(SITE) as base:
        visit = asyncio.run(browse(base, tmp_path / "chromium-profile"))
    built = [p.relative_to(SITE).as_posix() for p in SITE.rglob("*.html") if p.name != "404.html"]
    problems = site_problems(visit, built)
    assert not problems, "\n".join(problems)


def test_the_checks_catch_a_broken_link_a_missing_anchor_and_a_console_error() -> None:
    base = "http://127.0.0.1:1/"
    visit = Visit(base, ids={base + "index.html": {"top"}, base + "a.html": {"x"}},
                  links=[(base + "index.html", base + "a.html#x"), (base + "index.html", base + "a.html#gone"),
                         (base + "a.html", base + "b.html"), (base + "a.html", base)],
                  problems=[base + "a.html: console: boom"])  # fmt: skip
    assert visit.broken_links() == [
        f"{base}index.html: link to a missing anchor {base}a.html#gone", f"{base}a.html: link to a missing page {base}b.html",
    ]  # fmt: skip
    found = site_problems(visit, ["index.html", "a.html", "orphan.html"])
    assert f"console/network: {base}a.html: console: boom" in found
    assert "crawl: 1 built pages no link reaches: ['orphan.html']" in found
    assert any(p.startswith("search: 'movie details' does not find") for p in found)
