"""`warta`: ingest a corpus and ask questions from the command line."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path


def _progress_bar(label: str):
    """A callback drawing one progress bar on stderr (tqdm), closed when the last item is reached."""
    state = {"bar": None}

    def update(done: int, total: int, name: str) -> None:
        from tqdm import tqdm

        if state["bar"] is None:
            state["bar"] = tqdm(total=total, desc=label, unit="doc", file=sys.stderr, leave=False)
        bar = state["bar"]
        bar.set_postfix_str(name[-30:], refresh=False)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return update


def _app(args):
    from bot.app import Warta
    from bot.config import Settings

    settings = Settings()
    level = settings.log_level.upper()
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("bm25s").setLevel(level)  # bm25s sets its own logger to DEBUG on import
    return Warta(settings)


def cmd_ingest(args) -> int:
    app = _app(args)
    corpus = Path(args.path) if args.path else app.settings.corpus
    report = app.ingest(corpus, rebuild=args.rebuild, progress=_progress_bar("ingest"))
    print(f"{corpus}: " + "\n".join(report.lines()))
    return 0


def cmd_ask(args) -> int:
    from bot.render import render_text

    app = _app(args)
    first = app.ensure_index(progress=_progress_bar("first ingest"))
    if first is not None:
        print(f"indexed {app.settings.corpus}: {first.lines()[0]}", file=sys.stderr)
    result = app.answer(args.question, k=args.k)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_text(result))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="warta", description="Cited answers from a news corpus.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="index a corpus folder (incremental)")
    p.add_argument("path", nargs="?", help="corpus folder (default: WARTA_CORPUS, else ../shared/corpus)")
    p.add_argument("--rebuild", action="store_true", help="drop the index and embed everything again")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("ask", help="answer one question")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print the Answer as JSON")
    p.add_argument("-k", type=int, default=None, help="chunks to retrieve (default WARTA_TOP_K)")
    p.set_defaults(func=cmd_ask)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from index.articles import ArticleError
    from index.embeddings import EmbedderError
    from index.store import StoreError

    try:
        return args.func(args)
    except (StoreError, EmbedderError, ArticleError, FileNotFoundError) as exc:
        print(f"warta: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("warta: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
