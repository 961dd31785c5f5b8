"""`warta`: ingest a corpus and ask questions from the command line."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path


def _progress_bar(label: str):
    """A callback drawing one progress bar on stderr (tqdm), closed when the last item is reached; none
    when stderr is not a terminal (a log file would receive every frame)."""
    if not sys.stderr.isatty():
        return lambda done, total, name: None
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


def _app(args, settings=None):
    from bot.app import Warta
    from bot.config import Settings

    settings = settings or Settings()
    level = settings.log_level.upper()
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    if getattr(args, "command", None) != "ingest":
        from bot.llm import check_llm_settings

        check_llm_settings(settings)  # a missing LLM package or key stops here, naming the setting
    return Warta(settings)


def _indexed_app(args, app=None):
    """The app with an index to answer from: an empty one is filled from the configured corpus first."""
    app = app or _app(args)
    first = app.ensure_index(progress=_progress_bar("first ingest"))
    if first is not None:
        print(f"indexed {app.settings.corpus}: {first.lines()[0]}", file=sys.stderr)
    return app


def cmd_ingest(args) -> int:
    app = _app(args)
    corpus = Path(args.path) if args.path else app.settings.corpus
    report = app.ingest(corpus, rebuild=args.rebuild, progress=_progress_bar("ingest"), wait=args.wait)
    print(f"{corpus}: " + "\n".join(report.lines()))
    return 0


def cmd_ask(args) -> int:
    from bot.config import Settings
    from bot.render import render_text
    from retrieval.question import check_question

    settings = Settings()
    question = check_question(args.question, settings.max_question_chars)  # before any other work
    app = _indexed_app(args, _app(args, settings))
    result = app.answer(question, k=args.k)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_text(result))
    return 0


def cmd_eval(args) -> int:
    from evals import harness

    app = _app(args)
    if args.calibrate:
        return _calibrate(args, app)
    if args.set != "seed":
        # A development set (evals/devsets.py): its own corpus folder and its own embedded index under
        # .warta/devsets/<set>/, built when missing; the configured index is not touched.
        from evals.calibrate import set_app_for
        from evals.devsets import DevSetError

        if args.questions:
            print("warta: --questions and --set are exclusive (a set brings its own questions)", file=sys.stderr)
            return 2
        try:
            app, folder = set_app_for(app, args.set, progress=_progress_bar(f"ingest {args.set}"))
        except DevSetError as exc:
            print(f"warta: {exc}", file=sys.stderr)
            return 2
        questions = harness.load_questions(folder / "questions.jsonl")
        print(f"{args.set}: {len(questions)} questions", file=sys.stderr)
    else:
        default = Path(__file__).resolve().parents[1] / "evals" / "questions.jsonl"
        questions = harness.load_questions(Path(args.questions or default))  # a malformed file stops here, before any question
        app.ensure_index(progress=_progress_bar("first ingest"))
    systems = harness.systems_for(app, k=args.k or app.settings.top_k, baselines=args.baselines)
    summaries = {}
    for system in systems:
        bar = _progress_bar(f"eval {system.name}")
        summaries[system.name] = harness.run(system, questions, progress=lambda d, t, b=bar: b(d, t, ""))
    if args.json:
        report = {"set": args.set, **harness.json_report(systems, summaries)}
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    if args.markdown:
        Path(args.markdown).write_text(harness.markdown_report(systems, summaries), encoding="utf-8")
    print(harness.text_report(systems, summaries))
    accuracy = summaries[systems[0].name]["answer_accuracy"] or 0.0
    if args.min_accuracy is not None and accuracy < args.min_accuracy:
        print(f"answer_accuracy {accuracy:.3f} < --min-accuracy {args.min_accuracy}", file=sys.stderr)
        return 1
    return 0


def _calibrate(args, app) -> int:
    """`warta eval --calibrate`: fit the configured embedder's answer calibration on the tuning halves."""
    from evals.calibrate import TUNE_SETS, calibrate, summary
    from evals.devsets import DevSetError

    if args.set != "seed" or args.questions or args.baselines:
        print(f"warta: --calibrate runs on the tuning halves ({', '.join(TUNE_SETS)}); "
              "it takes no --set, --questions or --baselines", file=sys.stderr)
        return 2
    try:
        path, model = calibrate(app, out=args.calibration_out,
                                progress=lambda name: (lambda d, t, b=_progress_bar(f"calibrate {name}"): b(d, t, "")))
    except DevSetError as exc:
        print(f"warta: {exc}", file=sys.stderr)
        return 2
    print(summary(path, model))
    return 0


def cmd_chat(args) -> int:
    from bot.repl import run_repl

    app = _indexed_app(args)
    return run_repl(app, k=args.k, chat=args.chat)


def cmd_telegram(args) -> int:
    from bot.telegram import run

    app = _app(args)
    if app.settings.telegram_bot_token is None:
        print("warta: TELEGRAM_BOT_TOKEN is not set (put it in .env; see .env.example)", file=sys.stderr)
        return 2
    run(app.settings, _indexed_app(args, app))
    return 0


def cmd_bench(args) -> int:
    from evals.bench import main as bench

    return bench(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="warta", description="Cited answers from a news corpus.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="index a corpus folder (incremental)")
    p.add_argument("path", nargs="?", help="corpus folder (default: WARTA_CORPUS, else ../shared/corpus)")
    p.add_argument("--rebuild", action="store_true", help="empty the index and embed everything again")
    p.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                   help="wait this long for another ingest to finish (default: stop at once, naming it)")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("ask", help="answer one question")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print the Answer as JSON")
    p.add_argument("-k", type=int, default=None, help="chunks to retrieve (default WARTA_TOP_K)")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("eval", help="score the answer path on a question file")
    p.add_argument("--questions", default=None, help="question file (default evals/questions.jsonl; not with --set)")
    p.add_argument("--set", default="seed", choices=("seed", "facqa-tune", "facqa-check", "news-tune", "news-check"),
                   help="development set: seed (the --questions file over the configured corpus, default) or a "
                        "half of ../shared/dev-data, built with its own index under .warta/devsets/")
    p.add_argument("--json", metavar="OUT", help="write every metric and per-question result as JSON")
    p.add_argument("--markdown", metavar="OUT", help="write a readable report")
    p.add_argument("-k", type=int, default=None, help="chunks to retrieve (default WARTA_TOP_K)")
    p.add_argument("--baselines", action="store_true", help="also score dense-only, BM25-only and top-chunk")
    p.add_argument("--min-accuracy", type=float, default=None, help="exit 1 when answer_accuracy is lower")
    p.add_argument("--calibrate", action="store_true",
                   help="fit the answerer's calibration for WARTA_EMBEDDER on the tuning halves (facqa-tune, news-tune) "
                        "and write retrieval/calibration/<embedder>.json")
    p.add_argument("--calibration-out", metavar="OUT", default=None, help="with --calibrate: write the file here instead")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("chat", help="interactive questions with follow-ups (reads stdin line by line when piped)")
    p.add_argument("-k", type=int, default=None, help="chunks to retrieve (default WARTA_TOP_K; :k N changes it)")
    p.add_argument("--chat", default="repl", help="conversation id the history is kept under (default: repl)")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("telegram", help="run the Telegram bot (long polling, or webhook with TELEGRAM_WEBHOOK_URL)")
    p.set_defaults(func=cmd_telegram)

    p = sub.add_parser("bench", help="measure ingest, query, cold start, memory and scale (see README)")
    p.add_argument("--json", metavar="OUT", help="write every figure, flat keys")
    p.add_argument("--scale", default="1,10,100", help="synthetic archive factors (default 1,10,100)")
    p.add_argument("--questions", default=None, help="question file (default evals/questions.jsonl)")
    p.add_argument("--repeats", type=int, default=3, help="timed runs after a warm-up (default 3)")
    p.add_argument("--warmup", type=int, default=1, help="untimed warm-up runs (default 1)")
    p.add_argument("--corpus", default=None, help="corpus folder (default WARTA_CORPUS)")
    p.add_argument("--only", choices=["concurrency"], help="measure only this figure")
    p.add_argument("--large", default="1,5,30", help="sizes in MB of single large articles to prepare (\"\" skips)")
    p.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from index.articles import ArticleError
    from index.embeddings import EmbedderError
    from index.lock import IndexLocked
    from evals.harness import EvalFileError
    from index.store import StoreError
    from bot.llm import LLMConfigError
    from retrieval.calibration import CalibrationError
    from retrieval.question import QuestionError

    try:
        return args.func(args)
    except (StoreError, EmbedderError, ArticleError, EvalFileError, FileNotFoundError, LLMConfigError, IndexLocked,
            QuestionError, CalibrationError) as exc:
        print(f"warta: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("warta: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `warta ask … | head`: the reader left; say nothing more (and keep Python's exit flush quiet).
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
