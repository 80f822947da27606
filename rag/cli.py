"""The `rag` command: ingest, ask, documents, plus the commands other packages register
(chat, eval, bench). Errors become one clear message, never a traceback."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from importlib.metadata import entry_points
from typing import Any

from rag.assistant import Assistant
from rag.errors import ConfigError, QuestionError, RagError
from rag.progress import Progress

EXIT_USAGE = 2


def _ingest(args: argparse.Namespace) -> int:
    assistant = Assistant()
    meta = {
        "party": args.party,
        "municipality": args.municipality,
        "title": args.title,
        "year": args.year,
    }
    report = assistant.ingest(
        args.paths or None, rebuild=args.rebuild, metadata=meta, progress=Progress()
    )
    for problem in report.problems:
        print(f"skipped {problem}", file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(report.summary())
    return 0


def _ask(args: argparse.Namespace) -> int:
    filters: dict[str, Any] = {}
    if args.municipality:
        filters["municipality"] = args.municipality
    if args.party:
        filters["party"] = args.party
    answer = Assistant().ask(args.question, filters=filters or None)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(answer.text)
    return 0


def _documents(args: argparse.Namespace) -> int:
    docs = Assistant().documents()
    if args.json:
        print(json.dumps([d.metadata() for d in docs], ensure_ascii=False, indent=2))
        return 0
    for d in docs:
        year = f" ({d.year})" if d.year else ""
        print(f"{d.doc_id}\t{d.municipality}\t{d.party}\t{d.title}{year}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rag",
        description="Ask questions about local social-policy programmes; every answer cites "
        "the programmes verbatim. Settings come from RAG_* environment variables.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "ingest",
        help="index the corpus folder (and add files to it)",
        description="Bring the index in line with the corpus folder: new and "
        "changed programmes are embedded, deleted ones removed. Files given as "
        "PATH are first copied into the corpus folder; for a folder, every programme "
        "file in it, with the options below recorded in the corpus folder's metadata.csv.",
    )
    p.add_argument(
        "paths", nargs="*", metavar="PATH", help=".md .txt .html or .pdf, or a folder, to add"
    )
    p.add_argument("--rebuild", action="store_true", help="rebuild the index from scratch")
    p.add_argument("--party", help="party, for files without metadata")
    p.add_argument("--municipality", help="municipality, for files without metadata")
    p.add_argument("--title", help="programme title, for files without metadata")
    p.add_argument("--year", type=int, help="year, only if the programme states one")
    p.set_defaults(func=_ingest)

    p = sub.add_parser(
        "ask",
        help="answer a question with citations",
        description="Answer a question from the programmes, with citations.",
    )
    p.add_argument("question", help='e.g. "Vem föreslår sprutbyte?"')
    p.add_argument("--json", action="store_true", help="print the answer as JSON")
    p.add_argument("--municipality", action="append", help="only this municipality (repeatable)")
    p.add_argument("--party", action="append", help="only this party (repeatable)")
    p.set_defaults(func=_ask)

    p = sub.add_parser(
        "documents",
        help="list the indexed programmes",
        description="List the indexed programmes and their metadata.",
    )
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(func=_documents)

    # The web chat and the evaluation add their own commands (`rag chat`, `rag eval`, ...)
    # through the "rag.commands" entry point, so this package never imports them.
    for entry in sorted(entry_points(group="rag.commands"), key=lambda e: e.name):
        entry.load()(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = int(args.func(args))
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except (QuestionError, ConfigError) as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except RagError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as e:  # the CLI never shows a raw traceback unless asked
        if args.debug:
            raise
        print(
            f"unexpected error: {type(e).__name__}: {e} (run with --debug for details)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
