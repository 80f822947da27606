"""`rag chat`: start the web chat."""

from __future__ import annotations

import argparse
from typing import Any


def _chat(args: argparse.Namespace) -> int:
    from ui.app import launch

    launch(host=args.host, port=args.port)
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("chat", help="start the web chat", description="Start the web chat.")
    p.add_argument("--host", default=None, help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default 7860)")
    p.set_defaults(func=_chat)
