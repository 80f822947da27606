"""`rag chat`: start the web chat."""

from __future__ import annotations

import argparse
from typing import Any


def _chat(args: argparse.Namespace) -> int:
    from rag import Assistant, get_settings
    from ui.access import served_host
    from ui.settings import get_chat_settings

    served_host(get_chat_settings(), args.host)  # refuse before loading anything
    assistant = Assistant(get_settings())
    assistant.prepare_in_background()  # the index and models load while the web framework does
    from ui.app import launch

    launch(host=args.host, port=args.port, assistant=assistant)
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("chat", help="start the web chat", description="Start the web chat.")
    p.add_argument("--host", default=None, help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default 7860)")
    p.set_defaults(func=_chat)
