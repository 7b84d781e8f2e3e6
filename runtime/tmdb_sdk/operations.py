"""Resource namespaces and operations, built from the generated package on first attribute access.

`tmdb.movies.details(550)` calls tmdb_generated.api.movies.movies_details.sync_detailed with the
client's shared connection pool; `tmdb.v4.lists.details(...)` the v4_lists one. AsyncOperation is
the mirror image over `asyncio_detailed`.
"""
from __future__ import annotations

import types
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tmdb_generated.client import AuthenticatedClient

from . import _generated, pagination
from . import append as appending
from ._calls import page_fields, prepare_kwargs, result_of, translate
from .append import Appended
from .auth import EXTRA_PARAMS


class _OperationBase:
    __slots__ = ("_client", "_module", "_sig", "name", "tag")

    def __init__(self, tag: str, action: str, module: types.ModuleType, client: AuthenticatedClient) -> None:
        self.name = f"{tag}_{action}"
        self.tag = tag
        self._module = module
        self._client = client
        self._sig = _generated.signature(module)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"

    @property
    def paged(self) -> bool:
        return self._sig.paged

    def _require_paged(self) -> None:
        if not self._sig.paged:
            raise TypeError(f"{self.name} is not a paged operation (it takes no `page` parameter)")


class Operation(_OperationBase):
    """One generated operation, called synchronously."""

    __slots__ = ()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs:
            kwargs = prepare_kwargs(self.name, self._sig, kwargs)
        try:
            response = self._module.sync_detailed(*args, client=self._client, **kwargs)
        except Exception as exc:
            error = translate(exc, self.name)
            if error is exc:
                raise
            raise error from None
        return result_of(self.name, response.parsed, response.content)

    def pages(self, *args: Any, max_pages: int | None = None, start_page: int = 1, **kwargs: Any) -> Iterator[Any]:
        """Each page's response, fetched lazily from `start_page` to the last page (or `max_pages`)."""
        self._require_paged()
        pagination.check_bounds(max_pages, start_page=start_page)
        return self._pages(args, kwargs, max_pages, start_page)

    def _pages(self, args: tuple[Any, ...], kwargs: dict[str, Any], max_pages: int | None, page: int) -> Iterator[Any]:
        fetched = 0
        next_page: int | None = page
        while next_page is not None:
            result = self(*args, page=next_page, **kwargs)
            fetched += 1
            current, total, items = page_fields(result)
            yield result
            next_page = pagination.next_page(current or next_page, total, fetched, max_pages, bool(items))

    def items(
        self, *args: Any, max_items: int | None = None, max_pages: int | None = None, start_page: int = 1, **kwargs: Any
    ) -> Iterator[Any]:
        """Every item of every page's `results`, fetched lazily, stopping after `max_items`/`max_pages`."""
        self._require_paged()
        pagination.check_bounds(max_pages, max_items, start_page)
        return self._items(args, kwargs, max_items, max_pages, start_page)

    def _items(
        self, args: tuple[Any, ...], kwargs: dict[str, Any], max_items: int | None, max_pages: int | None, page: int
    ) -> Iterator[Any]:
        if max_items == 0:
            return
        count = 0
        for result in self._pages(args, kwargs, max_pages, page):
            for item in page_fields(result)[2]:
                yield item
                count += 1
                if max_items is not None and count >= max_items:
                    return

    def with_appended(self, *args: Any, append: Sequence[str], **kwargs: Any) -> Appended[Any]:
        """The details plus each `append` part (e.g. ["credits", "images"]) parsed into its own model."""
        models = appending.plan(self.tag, self.name, append)
        token = EXTRA_PARAMS.set({"append_to_response": ",".join(models)})
        try:
            result = self(*args, **kwargs)
        finally:
            EXTRA_PARAMS.reset(token)
        return appending.extract(self.name, result, models)


class AsyncOperation(_OperationBase):
    """One generated operation, awaited: the mirror image of Operation."""

    __slots__ = ()

    async def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs:
            kwargs = prepare_kwargs(self.name, self._sig, kwargs)
        try:
            response = await self._module.asyncio_detailed(*args, client=self._client, **kwargs)
        except Exception as exc:
            error = translate(exc, self.name)
            if error is exc:
                raise
            raise error from None
        return result_of(self.name, response.parsed, response.content)

    def pages(self, *args: Any, max_pages: int | None = None, start_page: int = 1, **kwargs: Any) -> AsyncIterator[Any]:
        """Each page's response, fetched lazily from `start_page` to the last page (or `max_pages`)."""
        self._require_paged()
        pagination.check_bounds(max_pages, start_page=start_page)
        return self._pages(args, kwargs, max_pages, start_page)

    async def _pages(
        self, args: tuple[Any, ...], kwargs: dict[str, Any], max_pages: int | None, page: int
    ) -> AsyncIterator[Any]:
        fetched = 0
        next_page: int | None = page
        while next_page is not None:
            result = await self(*args, page=next_page, **kwargs)
            fetched += 1
            current, total, items = page_fields(result)
            yield result
            next_page = pagination.next_page(current or next_page, total, fetched, max_pages, bool(items))

    def items(
        self, *args: Any, max_items: int | None = None, max_pages: int | None = None, start_page: int = 1, **kwargs: Any
    ) -> AsyncIterator[Any]:
        """Every item of every page's `results`, fetched lazily, stopping after `max_items`/`max_pages`."""
        self._require_paged()
        pagination.check_bounds(max_pages, max_items, start_page)
        return self._items(args, kwargs, max_items, max_pages, start_page)

    async def _items(
        self, args: tuple[Any, ...], kwargs: dict[str, Any], max_items: int | None, max_pages: int | None, page: int
    ) -> AsyncIterator[Any]:
        if max_items == 0:
            return
        count = 0
        async for result in self._pages(args, kwargs, max_pages, page):
            for item in page_fields(result)[2]:
                yield item
                count += 1
                if max_items is not None and count >= max_items:
                    return

    async def with_appended(self, *args: Any, append: Sequence[str], **kwargs: Any) -> Appended[Any]:
        """The details plus each `append` part (e.g. ["credits", "images"]) parsed into its own model."""
        models = appending.plan(self.tag, self.name, append)
        token = EXTRA_PARAMS.set({"append_to_response": ",".join(models)})
        try:
            result = await self(*args, **kwargs)
        finally:
            EXTRA_PARAMS.reset(token)
        return appending.extract(self.name, result, models)


class Namespace:
    """The operations of one tag, e.g. `tmdb.movies`; each is created on first access and kept."""

    def __init__(self, tag: str, client: AuthenticatedClient, operation: type[_OperationBase]) -> None:
        self._tag = tag
        self._client = client
        self._operation = operation

    def __getattr__(self, action: str) -> Any:
        if action.startswith("_"):
            raise AttributeError(action)
        op = self._operation(self._tag, action, _generated.load(self._tag, action), self._client)
        setattr(self, action, op)
        return op

    def __dir__(self) -> list[str]:
        return list(_generated.actions(self._tag))

    def __repr__(self) -> str:
        return f"<Namespace {self._tag}>"


class V4:
    """`tmdb.v4.<resource>`: the v4 tags (v4_account, v4_auth, v4_lists) without their prefix."""

    def __init__(self, client: AuthenticatedClient, operation: type[_OperationBase]) -> None:
        self._client = client
        self._operation = operation

    def __getattr__(self, resource: str) -> Namespace:
        if resource.startswith("_"):
            raise AttributeError(resource)
        tag = _generated.V4_PREFIX + resource
        if tag not in _generated.tags():
            v4 = sorted(t.removeprefix(_generated.V4_PREFIX) for t in _generated.tags() if t.startswith("v4_"))
            raise AttributeError(f"TMDB v4 has no resource {resource!r}; resources: {', '.join(v4)}")
        namespace = Namespace(tag, self._client, self._operation)
        setattr(self, resource, namespace)
        return namespace

    def __dir__(self) -> list[str]:
        return sorted(t.removeprefix(_generated.V4_PREFIX) for t in _generated.tags() if t.startswith("v4_"))

    def __repr__(self) -> str:
        return "<Namespace v4>"
