"""Check that a distribution name is still free on the public index.

usage: python -m scripts.release_check_name [NAME]   (default: this project's distribution)

The internal package must never share its name with a public one, or a misconfigured
installer could fetch the stranger's package. Exit 1 when the public index knows the name;
exit 0 with a clear "skipped" line when the public index cannot be reached (offline).
"""

from __future__ import annotations

import argparse

import httpx

from scripts.common import DISTRIBUTION, PipelineError, run_main

PUBLIC_JSON_API = "https://pypi.org/pypi/{name}/json"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", nargs="?", default=DISTRIBUTION)
    parser.add_argument("--api", default=PUBLIC_JSON_API, help="JSON API URL template with {name}")
    args = parser.parse_args(argv)
    url = args.api.format(name=args.name)
    try:
        response = httpx.get(url, timeout=15, follow_redirects=True)
    except httpx.HTTPError as exc:
        print(f"check-name: skipped, {url} unreachable ({type(exc).__name__}): cannot tell whether the name is free")
        return
    if response.status_code == 404:
        print(f"check-name: {args.name} is not on the public index ({url} is 404)")
        return
    if response.status_code == 200:
        raise PipelineError(f"{args.name} exists on the public index ({url}): pick another distribution name")
    raise PipelineError(f"{url} answered {response.status_code}: cannot tell whether {args.name} is free")


if __name__ == "__main__":
    run_main(main)
