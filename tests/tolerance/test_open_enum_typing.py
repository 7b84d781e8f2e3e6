"""Typed access stays good with open enums and fallback members (what the README tells a caller to do):
mypy --strict narrows a known enum value to its Literal through the enum's `is_<enum>` guard (then
`==`, `match` and assert_never work as on a closed enum), leaves any other value the plain str/int, and
narrows a mixed list's items by isinstance, the fallback OtherMedia last."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CALLER = """
from typing import assert_never

from tmdb_generated.models import CastMember, MediaPage, MovieSummary, OtherMedia, PersonSummary, TvSeriesSummary
from tmdb_generated.models.gender import is_gender
from tmdb_generated.models.media_type import is_media_type
from tmdb_generated.types import Unset


def kind_of(movie: MovieSummary) -> str:
    kind = movie.media_type
    if isinstance(kind, Unset):
        return "absent"
    if is_media_type(kind):
        reveal_type(kind)  # a known kind: the enum's Literal again
        if kind == "movie":
            reveal_type(kind)
            return "a movie"
        if kind == "tv" or kind == "person":
            return "not a movie"
        assert_never(kind)
    reveal_type(kind)  # any other kind TMDB sends: the plain string it sent
    return kind


def gender_of(member: CastMember) -> str:
    if is_gender(member.gender):
        match member.gender:
            case 1:
                reveal_type(member.gender)
                return "female"
            case 0 | 2 | 3:
                return "known"
            case other:
                assert_never(other)
    return f"a code TMDB added: {member.gender}"


def titles(page: MediaPage) -> list[str]:
    found = []
    for item in page.results:
        if isinstance(item, MovieSummary):
            found.append(item.title)
        elif isinstance(item, (TvSeriesSummary, PersonSummary)):
            found.append(item.name)
        else:
            reveal_type(item)  # an item of a kind without a model: every field kept
            found.append(f"{item.media_type}: {item['name']}")
    return found
"""
EXPECTED = [
    "Revealed type is \"Literal['movie'] | Literal['person'] | Literal['tv']\"",
    "Revealed type is \"Literal['movie']\"",
    'Revealed type is "str"',
    'Revealed type is "Literal[1]"',
    'Revealed type is "tmdb_generated.models.other_media.OtherMedia"',
]


def test_known_values_narrow_and_unknown_ones_stay_plain(tmp_path: Path) -> None:
    caller = tmp_path / "caller.py"
    caller.write_text(CALLER, encoding="utf-8")
    env = {**os.environ, "MYPYPATH": str(ROOT / "generated")}
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--hide-error-context", str(caller)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    lines = result.stdout.splitlines()
    revealed = [re.sub(r"^.*note: ", "", line) for line in lines if "Revealed type" in line]
    assert revealed == EXPECTED, result.stdout + result.stderr
    assert not [line for line in lines if ": error:" in line], result.stdout
