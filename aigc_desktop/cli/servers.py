"""`aigc servers add|list|test|remove`: the servers a job can run on (core/servers), as Settings ▸ Servers has them.

A key is never a command-line argument (it would sit in the shell history and in `ps`): it comes from an
environment variable (--api-key-env) or one line of standard input (--api-key-stdin), and goes into the owner-only
key file. Nothing here prints a key.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from aigc_desktop.cli.common import Parser
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.paths import app_paths
from aigc_desktop.core.servers.config import (
    DEFAULT_TIMEOUT_S,
    ServerConfig,
    ServerKind,
    ServerStore,
    check_name,
    check_url,
    plain_http_warning,
)


def register(sub: Any) -> None:
    servers = sub.add_parser(
        "servers",
        help="servers that run jobs for this app "
        "(text: OpenAI-compatible; images: ComfyUI; speech: Piper or /v1/audio/speech)",
    )
    servers_sub = servers.add_subparsers(dest="servers_command", parser_class=Parser)

    add = servers_sub.add_parser("add", help="add a server (or --replace one)")
    add.add_argument("name", help="a short name; models show up as server:NAME/MODEL")
    add.add_argument("url", help="its address, e.g. http://127.0.0.1:8080 or https://gpu-box:8000/v1")
    add.add_argument("--kind", required=True, choices=[k.value for k in ServerKind], help="what it generates")
    keys = add.add_mutually_exclusive_group()
    keys.add_argument("--api-key-env", metavar="VAR", help="read the API key from this environment variable")
    keys.add_argument("--api-key-stdin", action="store_true", help="read the API key from one line of stdin")
    add.add_argument("--no-verify-tls", action="store_true", help="accept any certificate (a self-signed home box)")
    add.add_argument(
        "--timeout",
        type=float,
        help=f"seconds the server may stay silent before giving up (default {DEFAULT_TIMEOUT_S:g})",
    )
    add.add_argument("--replace", action="store_true", help="replace a server of the same name")
    add.set_defaults(func=cmd_add)

    listing = servers_sub.add_parser("list", help="list the servers (never their keys)")
    listing.add_argument("--json", action="store_true", help="print one JSON array")
    listing.set_defaults(func=cmd_list)

    test = servers_sub.add_parser("test", help="ask a server what it offers, or say exactly why it cannot")
    test.add_argument("name")
    test.add_argument("--json", action="store_true", help="print one JSON object")
    test.set_defaults(func=cmd_test)

    remove = servers_sub.add_parser("remove", help="forget a server and its key")
    remove.add_argument("name")
    remove.set_defaults(func=cmd_remove)


def _store() -> ServerStore:
    return ServerStore(app_paths().ensure())


def _read_key(args: argparse.Namespace) -> str | None:
    if args.api_key_env:
        key = os.environ.get(args.api_key_env, "").strip()
        if not key:
            raise UserError(f"The environment variable {args.api_key_env} is not set or empty: no API key to store.")
        return key
    if args.api_key_stdin:
        key = sys.stdin.readline().strip()
        if not key:
            raise UserError("No API key on standard input (expected one line).")
        return key
    return None


def cmd_add(args: argparse.Namespace) -> int:
    if args.timeout is not None and not args.timeout > 0:
        raise UserError("--timeout must be a positive number of seconds.")
    server = ServerConfig(
        name=check_name(args.name),
        kind=ServerKind(args.kind),
        url=check_url(args.url),
        verify_tls=not args.no_verify_tls,
        timeout_s=args.timeout or DEFAULT_TIMEOUT_S,
    )
    store = _store()
    store.add(server, _read_key(args), replace_existing=args.replace)
    print(f"Added {server.name} ({server.kind.value}) at {server.url}. Test it: aigc servers test {server.name}")
    warning = plain_http_warning(server)
    if warning is not None:
        print(f"aigc: warning: {warning}", file=sys.stderr)
    return 0


def _describe(server: ServerConfig, store: ServerStore) -> dict[str, Any]:
    return {
        **server.to_dict(),
        "has_api_key": store.has_api_key(server.name),
        "plain_http_remote": server.plain_http_remote,
    }


def cmd_list(args: argparse.Namespace) -> int:
    store = _store()
    servers = store.servers()
    if args.json:
        print(json.dumps([_describe(s, store) for s in servers], ensure_ascii=False))
        return 0
    if not servers:
        print("No servers. Add one: aigc servers add NAME URL --kind text|images|speech")
        return 0
    width = max(len(s.name) for s in servers)
    for s in servers:
        notes = [s.dialect or "not tested", f"{len(s.models)} model(s)"]
        if store.has_api_key(s.name):
            notes.append("API key")
        if not s.verify_tls:
            notes.append("TLS not verified")
        if s.plain_http_remote:
            notes.append("plain http")
        print(f"{s.name:<{width}}  {s.kind.value:<6}  {s.url}  ({', '.join(notes)})")
    return 0


def cmd_test(args: argparse.Namespace) -> int:
    from aigc_desktop.core.servers.http import HttpFailure
    from aigc_desktop.core.servers.probing import probe

    store = _store()
    server = store.get(args.name)
    try:
        offer = probe(server, store.api_key(server.name))
    except HttpFailure as exc:
        if args.json:
            print(json.dumps({"name": server.name, "ok": False, "reason": exc.reason.value, "message": str(exc)}))
        raise
    store.update(offer.server)
    if args.json:
        report = {
            "name": server.name,
            "ok": True,
            "dialect": offer.dialect,
            "version": offer.version,
            "models": offer.models,
            "notes": [str(note) for note in offer.notes],
            "plain_http_remote": server.plain_http_remote,
        }
        print(json.dumps(report, ensure_ascii=False))
        return 0
    version = f" {offer.version}" if offer.version else ""
    print(f"{server.name}: {offer.dialect}{version} server at {server.url}, {len(offer.models)} model(s)")
    for model in offer.models:
        print(f"  server:{server.name}/{model}")
    for note in offer.notes:
        print(f"  {note}")
    warning = plain_http_warning(server)
    if warning is not None:
        print(f"aigc: warning: {warning}", file=sys.stderr)
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    _store().remove(args.name)
    print(f"Removed {args.name} and its key.")
    return 0
