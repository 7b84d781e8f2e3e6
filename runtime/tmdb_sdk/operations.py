"""Operations as client attributes: `tmdb.movies.details(550)`, `.pages()`, `.items()`, `.with_appended()`.

`Operation` holds the logic once (paging and append_to_response as coroutines, see _io.py);
`SyncOperation` runs it for TMDB and `AsyncOperation` hands the coroutines to AsyncTMDB. The generated
facade (tmdb_generated._facade) subclasses both, one class per operation, with the typed signatures;
the runtime behaviour is all here, driven by the operation's index entry.
"""
from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Callable, Coroutine, Iterable, Iterator, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from . import append as appending
from . import pagination
from ._io import iterate_sync, run_sync
from .errors import ArgumentError

_T = TypeVar("_T")

if TYPE_CHECKING:
    import inspect

    from ._core import Core
    from ._index import OperationInfo
    from .append import Appended

    class cached_attribute(Generic[_T]):  # lower case: a decorator, like functools.cached_property
        """What type checkers and editors see of the facade's resources and operations: the value itself.

        At run time it is functools.cached_property, whose typeshed stub also types the descriptor object:
        jedi then completed `tmdb.movies.` with the descriptor's own attributes (attrname, func, lock).
        """

        def __init__(self, func: Callable[[Any], _T]) -> None: ...
        def __get__(self, instance: object, owner: type | None = None) -> _T: ...
else:
    cached_attribute = cached_property


def page_fields(result: Any) -> tuple[int | None, int | None, Sequence[Any]]:
    """(page, total_pages, results) of a paged response, from a generated model or a plain dict."""
    if isinstance(result, Mapping):
        page, total, items = result.get("page"), result.get("total_pages"), result.get("results")
    else:
        page, total, items = (getattr(result, key, None) for key in ("page", "total_pages", "results"))
    return (
        int(page) if isinstance(page, (int, float)) else None,
        int(total) if isinstance(total, (int, float)) else None,
        items if isinstance(items, list) else [],
    )


class Operation:
    """One operation of one client: `info` is its index entry."""

    __slots__ = ("_core", "info")

    def __init__(self, core: Core, info: OperationInfo) -> None:
        self._core = core
        self.info = info

    @property
    def name(self) -> str:
        """The operationId, e.g. movies_details."""
        return self.info.operation_id

    @property
    def paged(self) -> bool:
        return self.info.paged

    def __repr__(self) -> str:
        return f"<{type(self).__name__} tmdb.{self.info.qualname}{self.info.signature_text()}>"

    @property
    def __signature__(self) -> inspect.Signature:
        """The call's parameters, from the index (what help() and IDEs show at run time)."""
        import inspect

        positional = inspect.Parameter.POSITIONAL_OR_KEYWORD
        keyword = inspect.Parameter.KEYWORD_ONLY
        params = [inspect.Parameter(p.name, positional) for p in self.info.path_params]
        params += [
            inspect.Parameter(p.name, keyword, **({} if p.required else {"default": None}))
            for p in self.info.query_params
        ]
        if self.info.body is not None:
            params.append(inspect.Parameter("body", keyword, **({} if self.info.body[2] else {"default": None})))
        return inspect.Signature(params)

    def _paging(self, max_pages: int | None, max_items: int | None, start_page: int) -> None:
        if not self.info.paged:
            raise ArgumentError(f"{self.name} is not a paged operation (it takes no `page` parameter)")
        pagination.check_bounds(max_pages, max_items, start_page)

    async def _pages(
        self, args: tuple[Any, ...], kwargs: dict[str, Any], max_pages: int | None, page: int
    ) -> AsyncGenerator[Any, None]:
        fetched, answered = 0, page - 1
        next_page: int | None = page
        while next_page is not None:
            result = await self._core.call(self.info, args, {**kwargs, "page": next_page})
            fetched += 1
            current, total, items = page_fields(result)
            # Checked before yielding: a page that does not advance is never handed out twice.
            answered = pagination.check_answer(self.name, answered, next_page, current, total)
            yield result
            next_page = pagination.next_page(answered, total, fetched, max_pages, bool(items))

    async def _items(
        self, args: tuple[Any, ...], kwargs: dict[str, Any], max_items: int | None, max_pages: int | None, page: int
    ) -> AsyncGenerator[Any, None]:
        if max_items == 0:
            return
        count = 0
        pages = self._pages(args, kwargs, max_pages, page)
        try:
            async for result in pages:
                for item in page_fields(result)[2]:
                    yield item
                    count += 1
                    if max_items is not None and count >= max_items:
                        return
        finally:
            await pages.aclose()

    def _appending(self, append: Sequence[str], kwargs: dict[str, Any]) -> dict[str, Any]:
        parts = appending.plan(self.info, append)
        if "append_to_response" in kwargs:
            raise ArgumentError(f"{self.name}: pass the parts as append=[...] only, not append_to_response too")
        return {**kwargs, "append_to_response": ",".join(parts)}

    async def _appended(self, args: tuple[Any, ...], append: Sequence[str], kwargs: dict[str, Any]) -> Appended[Any]:
        result = await self._core.call(self.info, args, self._appending(append, kwargs))
        return appending.extract(self.info, result, append)


class SyncOperation(Operation):
    """An operation of TMDB: each call blocks and returns the operation's result model."""

    __slots__ = ()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return run_sync(self._core.call(self.info, args, kwargs))

    def _sync_pages(self, *args: Any, max_pages: int | None = None, start_page: int = 1, **kwargs: Any) -> Iterator[Any]:
        """Each page's result, fetched lazily from `start_page` to the last page (or `max_pages`)."""
        self._paging(max_pages, None, start_page)
        return iterate_sync(self._pages(args, kwargs, max_pages, start_page))

    def _sync_items(
        self, *args: Any, max_items: int | None = None, max_pages: int | None = None, start_page: int = 1, **kwargs: Any
    ) -> Iterator[Any]:
        """Every item of every page's `results`, fetched lazily, stopping after `max_items`/`max_pages`."""
        self._paging(max_pages, max_items, start_page)
        return iterate_sync(self._items(args, kwargs, max_items, max_pages, start_page))

    def _sync_with_appended(self, *args: Any, append: Sequence[str], **kwargs: Any) -> Appended[Any]:
        """The details and each `append` part (e.g. ["credits", "images"]), typed, in one request."""
        return run_sync(self._appended(args, append, kwargs))

    if not TYPE_CHECKING:  # typed by the generated subclasses of the operations that have them
        pages, items, with_appended = _sync_pages, _sync_items, _sync_with_appended


class AsyncOperation(Operation):
    """An operation of AsyncTMDB: each call returns an awaitable of the operation's result model."""

    __slots__ = ()

    def __call__(self, *args: Any, **kwargs: Any) -> Coroutine[Any, Any, Any]:
        return self._core.call(self.info, args, kwargs)

    def _async_pages(
        self, *args: Any, max_pages: int | None = None, start_page: int = 1, **kwargs: Any
    ) -> AsyncIterator[Any]:
        """Each page's result, fetched lazily from `start_page` to the last page (or `max_pages`); async for."""
        self._paging(max_pages, None, start_page)
        return self._pages(args, kwargs, max_pages, start_page)

    def _async_items(
        self, *args: Any, max_items: int | None = None, max_pages: int | None = None, start_page: int = 1, **kwargs: Any
    ) -> AsyncIterator[Any]:
        """Every item of every page's `results`, fetched lazily, bounded by `max_items`/`max_pages`; async for."""
        self._paging(max_pages, max_items, start_page)
        return self._items(args, kwargs, max_items, max_pages, start_page)

    def _async_with_appended(
        self, *args: Any, append: Sequence[str], **kwargs: Any
    ) -> Coroutine[Any, Any, Appended[Any]]:
        """The details and each `append` part (e.g. ["credits", "images"]), typed, in one request; awaited."""
        return self._appended(args, append, kwargs)

    if not TYPE_CHECKING:  # typed by the generated subclasses of the operations that have them
        pages, items, with_appended = _async_pages, _async_items, _async_with_appended



class Namespace:
    """Base of the generated resources (tmdb_generated._facade): `tmdb.movies`, each operation cached."""

    _resource: ClassVar[str] = ""
    _actions: ClassVar[tuple[str, ...]] = ()

    def __init__(self, core: Core) -> None:
        self._core = core

    @staticmethod
    def _info(operation_id: str) -> OperationInfo:
        from ._index import OPERATIONS  # the index module loads with the first operation, not at import

        return OPERATIONS[operation_id]

    if not TYPE_CHECKING:  # type checkers see only the generated attributes

        def __getattr__(self, action: str) -> Any:
            if action.startswith("_"):
                raise AttributeError(action)
            raise AttributeError(
                f"tmdb.{self._resource} has no operation {action!r}{closest(action, self._actions)}; "
                f"operations: {', '.join(self._actions)}"
            )

    def __dir__(self) -> list[str]:
        return list(self._actions)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} tmdb.{self._resource}: {', '.join(self._actions)}>"


class ResourceGroup:
    """Base of the generated resource sets (tmdb_generated._facade): TMDB's and AsyncTMDB's, and their v4."""

    _where: ClassVar[str] = "TMDB"

    def resources(self) -> list[str]:
        """The names of the resources, e.g. ['account', 'authentication', ...]."""
        cls = type(self)
        return sorted(n for n in dir(cls) if isinstance(getattr(cls, n, None), cached_property))

    if not TYPE_CHECKING:  # type checkers see only the generated attributes

        def __getattr__(self, name: str) -> Any:
            if name.startswith("_"):
                raise AttributeError(name)
            found = [r for r in self.resources() if r != "v4"]
            more = ", v4" if "v4" in self.resources() else ""
            raise AttributeError(
                f"{self._where} has no resource {name!r}{closest(name, found)}; resources: {', '.join(found)}{more}"
            )


class SubGroup(ResourceGroup):
    """Base of the generated resource sets reached through a client attribute (`tmdb.v4`,
    `tmdb.with_raw_response`): each made with the client's core."""

    def __init__(self, core: Core) -> None:
        self._core = core

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._where}: {', '.join(self.resources())}>"


def closest(name: str, choices: Iterable[str]) -> str:
    """"; did you mean 'x'?" for the choice closest to a misspelt name, or ""."""
    import difflib  # only on the error path

    match = difflib.get_close_matches(name, list(choices), n=1)
    return f"; did you mean {match[0]!r}?" if match else ""
