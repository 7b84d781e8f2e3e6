"""A debug CLI: any operation from a shell, its answer as JSON.

    tmdb movies details 550 --append credits --language de
    tmdb search movie --query "fight club" --page 2
    tmdb v4 lists details 1                      # v4 needs TMDB_ACCESS_TOKEN
    tmdb --raw movie-lists popular               # status and headers too
    python -m tmdb_sdk ...                       # the same

The commands are made from the operation index (tmdb_sdk._index, written by the build): one per operation,
`tmdb [v4] <resource> <action>`, path parameters positional, the others `--name` (`--name-with-dashes` too),
typed by the index (int, float, bool, str; lists comma-separated), `--append` for the append_to_response
parts, `--body JSON` (or `--body @file.json`) for operations that take one. Credentials and the base URL
come from the environment: TMDB_API_KEY / TMDB_ACCESS_TOKEN, TMDB_BASE_URL.

The body TMDB sent is printed as JSON: indented on a terminal, one line otherwise (`--pretty` / `--compact`
choose). `--raw` prints {"status", "headers", "body"} instead, for errors too. Errors go to stderr, and the
exit code says which kind (EXIT_CODES).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from .errors import (
    APIError,
    ArgumentError,
    AuthenticationError,
    ClientClosedError,
    ConfigurationError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseParseError,
    TMDBError,
    TransportError,
)

PROG = "tmdb"
OK, USAGE, CONFIGURATION, NOT_FOUND, RATE_LIMITED, API_ERROR, TRANSPORT = 0, 2, 3, 4, 5, 6, 7
# The exit code of each error class: the first class the error is an instance of wins.
EXIT_CODES: tuple[tuple[type[BaseException], int], ...] = (
    (ArgumentError, USAGE),
    (ConfigurationError, CONFIGURATION),
    (AuthenticationError, CONFIGURATION),
    (PermissionDeniedError, CONFIGURATION),
    (NotFoundError, NOT_FOUND),
    (RateLimitError, RATE_LIMITED),
    (APIError, API_ERROR),
    (ResponseParseError, API_ERROR),
    (TransportError, TRANSPORT),
    (ClientClosedError, API_ERROR),
)
EPILOG = """exit codes: 0 ok, 2 usage (unknown command, bad argument), 3 configuration or credentials (none set,
401, 403), 4 not found (404), 5 rate limited (429 after retries), 6 any other API error, 7 transport (timeout,
connection). Environment: TMDB_API_KEY and/or TMDB_ACCESS_TOKEN (v4 needs the token), TMDB_BASE_URL."""
_KINDS: dict[str, Any] = {"int": int, "float": float, "str": str, "list": str}


def exit_code(error: BaseException) -> int:
    for cls, code in EXIT_CODES:
        if isinstance(error, cls):
            return code
    return API_ERROR


def _bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, got {text!r}")


def _body(text: str) -> Any:
    """--body: JSON, or @path of a JSON file."""
    try:
        return json.loads(Path(text[1:]).read_text(encoding="utf-8") if text.startswith("@") else text)
    except (OSError, ValueError) as exc:
        raise argparse.ArgumentTypeError(f"--body takes JSON or @file.json: {exc}") from None


def _operations() -> dict[tuple[int, str], dict[str, Any]]:
    """(version, resource) -> action -> index entry, from the operation index."""
    from ._index import OPERATIONS

    grouped: dict[tuple[int, str], dict[str, Any]] = {}
    for operation_id in OPERATIONS:
        info = OPERATIONS[operation_id]
        grouped.setdefault((info.version, info.resource), {})[info.action] = info
    return grouped


def _add_operation(actions: Any, info: Any, summary: str) -> None:
    """One operation's command: its path parameters positional, the others options, typed by the index.

    Commands and options are the Python names (`tmdb movie_lists popular --with_genres 18`, as
    `tmdb.movie_lists.popular(with_genres=18)`); an option's dashed spelling (`--with-genres`) works too.
    Required options are checked by the call itself (ArgumentError, exit code 2), whichever spelling was used.
    """
    parser = actions.add_parser(
        info.action, help=summary, epilog=EPILOG,
        description=f"{summary} ({info.method} {info.path}: tmdb.{info.qualname}, operationId {info.operation_id})",
    )  # fmt: skip
    parser.set_defaults(info=info)
    for param in info.path_params:
        parser.add_argument(param.name, type=_KINDS.get(param.kind, str), help=f"{param.kind}, required")
    for param in info.query_params:
        if param.wire == "append_to_response" and info.append:
            continue
        text = f"{'true|false' if param.kind == 'bool' else param.kind}, {'required' if param.required else 'optional'}"
        if param.default is not None:
            text += f" (TMDB's default: {param.default})"
        if param.kind == "list":
            text += "; comma-separated"
        kind = _bool if param.kind == "bool" else _KINDS.get(param.kind, str)
        parser.add_argument(f"--{param.name}", dest=f"q_{param.name}", metavar=param.kind.upper(), type=kind, help=text)
        if "_" in param.name:
            parser.add_argument(f"--{param.name.replace('_', '-')}", dest=f"q_{param.name}", type=kind,
                                help=argparse.SUPPRESS)
    if info.append:
        parser.add_argument(
            "--append", action="append", default=[], metavar="PART",
            help=f"append_to_response part, repeated or comma-separated: {', '.join(info.append)}",
        )  # fmt: skip
    if info.body is not None:
        required = "required" if info.body[2] else "optional"
        parser.add_argument("--body", type=_body, metavar="JSON", help=f"the {info.body[1]} as JSON, or @file.json ({required})")


def build_parser() -> argparse.ArgumentParser:
    from ._index import OPERATIONS

    parser = argparse.ArgumentParser(
        prog=PROG, epilog=EPILOG,
        description="Call any TMDB operation and print its JSON answer, e.g. `tmdb movies details 550 --append "
                    "credits --language de`. `tmdb RESOURCE --help` lists its actions, `tmdb RESOURCE ACTION --help` "
                    "the parameters.",
    )  # fmt: skip
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--pretty", action="store_true", default=None, help="indented JSON (default on a terminal)")
    output.add_argument("--compact", dest="pretty", action="store_false", help="one line of JSON (default otherwise)")
    parser.add_argument("--raw", action="store_true", help='print {"status", "headers", "body"}')
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    resources = parser.add_subparsers(dest="resource", metavar="RESOURCE", title="resources")
    resources.required = True
    grouped = _operations()
    v4 = None
    for (version, resource), actions in sorted(grouped.items()):
        if version == 4 and v4 is None:
            v4_parser = resources.add_parser("v4", help="the v4 resources (account, auth, lists): need TMDB_ACCESS_TOKEN")
            v4 = v4_parser.add_subparsers(dest="v4_resource", metavar="RESOURCE", title="v4 resources")
            v4.required = True
        group = v4 if version == 4 else resources
        assert group is not None
        sub = group.add_parser(resource, help=", ".join(sorted(actions)),
                               description=f"tmdb.{'v4.' if version == 4 else ''}{resource}: its operations")
        commands = sub.add_subparsers(dest="action", metavar="ACTION", title="actions")
        commands.required = True
        for action in sorted(actions):
            info = actions[action]
            _add_operation(commands, info, OPERATIONS.raw[info.operation_id].get("summary", "") or action)
    return parser


def _version() -> str:
    from tmdb_generated._build_info import __version__

    return str(__version__)


def _arguments(info: Any, namespace: argparse.Namespace) -> tuple[list[Any], dict[str, Any]]:
    args = [getattr(namespace, p.name) for p in info.path_params]
    kwargs = {p.name: value for p in info.query_params if (value := getattr(namespace, f"q_{p.name}", None)) is not None}
    parts = [part.strip() for item in getattr(namespace, "append", []) or [] for part in item.split(",") if part.strip()]
    if parts:
        unknown = [p for p in parts if p not in info.append]
        if unknown:
            raise ArgumentError(f"--append: {', '.join(unknown)} is not a part of {info.qualname}; "
                                f"parts: {', '.join(info.append)}")
        kwargs["append_to_response"] = ",".join(parts)
    if getattr(namespace, "body", None) is not None:
        kwargs["body"] = namespace.body
    return args, kwargs


def _print(value: Any, pretty: bool, out: IO[str]) -> None:
    text = json.dumps(value, indent=2 if pretty else None, ensure_ascii=False, separators=None if pretty else (",", ":"))
    out.write(text + "\n")


def _body_of(content: bytes) -> Any:
    """The body as JSON when it is JSON, else its text."""
    try:
        return json.loads(content) if content else None
    except ValueError:
        return content.decode("utf-8", errors="replace")


def run(argv: Sequence[str] | None = None, *, out: IO[str] | None = None, err: IO[str] | None = None) -> int:
    """Runs the CLI; returns the exit code."""
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    parser = build_parser()
    try:
        namespace = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version, or a usage error argparse printed
        return int(stop.code or 0) if isinstance(stop.code, int) else USAGE
    info = namespace.info
    pretty = out.isatty() if namespace.pretty is None else namespace.pretty
    try:
        from .client import TMDB

        args, kwargs = _arguments(info, namespace)
        with TMDB() as tmdb:  # credentials and base URL from the environment
            group: Any = tmdb.with_raw_response.v4 if info.version == 4 else tmdb.with_raw_response
            raw = getattr(getattr(group, info.resource), info.action)(*args, **kwargs)
        body = _body_of(raw.content)
        _print({"status": raw.status_code, "headers": dict(raw.headers), "body": body} if namespace.raw else body,
               pretty, out)
        return OK
    except TMDBError as error:
        if namespace.raw and isinstance(error, APIError):
            _print({"status": error.http_status, "headers": dict(error.headers),
                    "body": _body_of((error.body or "").encode())}, pretty, out)
        err.write(f"{PROG}: {type(error).__name__}: {error}\n")
        return exit_code(error)


def main() -> None:
    """The `tmdb` console script."""
    sys.exit(run())
