"""Full image URLs from /3/configuration: secure_base_url + size + file_path, sizes checked against
the lists TMDB gives per kind of image. The configuration is fetched once per client and cached."""
from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, overload

if TYPE_CHECKING:
    import asyncio

from ._defaults import IMAGE_KINDS, IMAGE_ORIGINAL, IMAGE_SVG_SUFFIX
from .errors import ArgumentError, ResponseParseError

if TYPE_CHECKING:
    from tmdb_generated.types import Unset

KINDS = IMAGE_KINDS
ORIGINAL = IMAGE_ORIGINAL
_OPERATION = "configuration_details"


@dataclass(frozen=True, slots=True)
class ImageConfig:
    secure_base_url: str
    sizes: Mapping[str, tuple[str, ...]]

    @classmethod
    def from_configuration(cls, data: Any) -> ImageConfig:
        """Reads the `images` part of a /3/configuration response; ResponseParseError naming a bad field."""
        images = data.get("images") if isinstance(data, Mapping) else None
        if not isinstance(images, Mapping):
            raise ResponseParseError(_OPERATION, "field 'images' is missing or not an object")
        base = images.get("secure_base_url")
        if not isinstance(base, str) or not base:
            raise ResponseParseError(_OPERATION, "field 'images.secure_base_url' is missing or not a string")
        sizes: dict[str, tuple[str, ...]] = {}
        for kind in KINDS:
            listed = images.get(f"{kind}_sizes", [])
            if not isinstance(listed, list) or not all(isinstance(s, str) for s in listed):
                raise ResponseParseError(_OPERATION, f"field 'images.{kind}_sizes' is not a list of strings")
            sizes[kind] = tuple(listed)
        return cls(base if base.endswith("/") else base + "/", sizes)

    @overload
    def url(self, file_path: str, size: str = ..., kind: str | None = ...) -> str: ...
    @overload
    def url(self, file_path: str | Unset | None, size: str = ..., kind: str | None = ...) -> str | None: ...

    def url(self, file_path: str | Unset | None, size: str = ORIGINAL, kind: str | None = None) -> str | None:
        """The full URL of `file_path` at `size`; None when TMDB gave no path (null, or the field absent).

        `file_path` is what the models hold (`str | Unset | None`). `kind` (poster, backdrop, logo,
        profile, still) checks `size` against that kind's list; without it any size TMDB lists for
        some kind is accepted.
        """
        if kind is not None and kind not in KINDS:
            raise ArgumentError(f"unknown image kind {kind!r}; kinds: {', '.join(KINDS)}")
        if not isinstance(file_path, str) or not file_path:
            if file_path is None or type(file_path).__name__ == "Unset" or file_path == "":
                return None
            raise ArgumentError(f"file_path must be a str such as '/abc.jpg', got {type(file_path).__name__}")
        allowed = self.sizes[kind] if kind else tuple(sorted({s for v in self.sizes.values() for s in v}))
        if size not in allowed:
            raise ArgumentError(
                f"image size {size!r} is not offered for {kind or 'any kind'}; sizes: {', '.join(allowed)}"
            )
        if file_path.lower().endswith(IMAGE_SVG_SUFFIX) and size != ORIGINAL:
            raise ArgumentError(f"{file_path!r}: SVG images exist only at size {ORIGINAL!r}")
        return f"{self.secure_base_url}{size}/{file_path.lstrip('/')}"


class ImageConfigCache:
    """Holds the configuration once fetched; concurrent first uses fetch it once (threads and tasks)."""

    def __init__(self) -> None:
        self._value: ImageConfig | None = None
        self._lock = threading.Lock()
        self._async_lock: asyncio.Lock | None = None

    def get(self, fetch: Callable[[], Any]) -> ImageConfig:
        if self._value is None:
            with self._lock:
                if self._value is None:
                    self._value = ImageConfig.from_configuration(fetch())
        return self._value

    async def aget(self, fetch: Callable[[], Awaitable[Any]]) -> ImageConfig:
        if self._value is None:
            if self._async_lock is None:
                import asyncio  # only async clients need it

                self._async_lock = asyncio.Lock()
            async with self._async_lock:
                if self._value is None:
                    self._value = ImageConfig.from_configuration(await fetch())
        return self._value
