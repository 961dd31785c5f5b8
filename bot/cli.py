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


def cmd_eval(args) -> int:
    from evals import harness
    from retrieval.answer import answer
    from retrieval.search import Searcher

    app = _app(args)
    questions = harness.load_questions(Path(args.questions))  # a malformed file stops here, before any question
    app.ensure_index(progress=_progress_bar("first ingest"))
    k = args.k or app.settings.top_k
    harness.CHUNK_TEXT.update({r.chunk_id: r.text for r in app.searcher.corpus.records})

    def ranker(searcher):
        return lambda q, n: [(h.record.doc_id, h.record.text) for h in searcher.search(q, n)]

    systems = [harness.System("warta", lambda q: app.answer(q, k=k), ranker(app.searcher))]
    if args.baselines:
        from evals.baselines import TopChunkBaseline

        for mode in ("dense", "bm25"):
            searcher = Searcher(app.store, app.embedder, mode=mode)
            systems.append(harness.System(f"{mode}-only", lambda q, s=searcher: answer(q, s, k=k), ranker(searcher)))
        top = TopChunkBaseline(app.settings.corpus, app.embedder)
        harness.CHUNK_TEXT.update(top.chunk_text)
        systems.append(harness.System("top-chunk", top.answer, top.rank))

    summaries = {}
    for system in systems:
        bar = _progress_bar(f"eval {system.name}")
        summaries[system.name] = harness.run(system, questions, progress=lambda d, t, b=bar: b(d, t, ""))
    report = dict(summaries["warta"])
    report["per_question"] = [r.to_dict() for r in systems[0].results]
    for name, summary in summaries.items():
        if name != "warta":
            report.update({f"{name}.{key}": value for key, value in summary.items()})
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    if args.markdown:
        Path(args.markdown).write_text(harness.markdown_report(systems, summaries), encoding="utf-8")
    names = [s.name for s in systems]
    print(f"{'metric':22}" + "".join(f"{n:>14}" for n in names))
    for key in harness.SUMMARY_KEYS:
        print(f"{key:22}" + "".join(f"{harness._cell(summaries[n].get(key)):>14}" for n in names))
    failed = [r for r in systems[0].results if not r.passed]
    for r in failed:
        print(f"FAIL {r.id}: {r.why}: {r.question}")
    accuracy = summaries["warta"]["answer_accuracy"] or 0.0
    if args.min_accuracy is not None and accuracy < args.min_accuracy:
        print(f"answer_accuracy {accuracy:.3f} < --min-accuracy {args.min_accuracy}", file=sys.stderr)
        return 1
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

    p = sub.add_parser("eval", help="score the answer path on a question file")
    p.add_argument("--questions", default=str(Path(__file__).resolve().parents[1] / "evals" / "questions.jsonl"))
    p.add_argument("--json", metavar="OUT", help="write every metric and per-question result as JSON")
    p.add_argument("--markdown", metavar="OUT", help="write a readable report")
    p.add_argument("-k", type=int, default=None, help="chunks to retrieve (default WARTA_TOP_K)")
    p.add_argument("--baselines", action="store_true", help="also score dense-only, BM25-only and top-chunk")
    p.add_argument("--min-accuracy", type=float, default=None, help="exit 1 when answer_accuracy is lower")
    p.set_defaults(func=cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from index.articles import ArticleError
    from index.embeddings import EmbedderError
    from evals.harness import EvalFileError
    from index.store import StoreError

    try:
        return args.func(args)
    except (StoreError, EmbedderError, ArticleError, EvalFileError, FileNotFoundError) as exc:
        print(f"warta: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("warta: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
