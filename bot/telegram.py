"""`warta telegram`: Warta as a Telegram bot (python-telegram-bot 22, asyncio).

Handlers are small coroutines that only do I/O; answering (CPU-bound, synchronous) runs in a worker
thread through ``Conversations.ask``, the same answer path as ``warta ask``. Everything is wired in
``build_application``; ``run`` starts long polling, or a webhook server when TELEGRAM_WEBHOOK_URL is set.
Formatting (Telegram HTML, escaping, splitting at 4096) is pure functions at the top of this module.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import re
import time
from collections import defaultdict, deque
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial

from retrieval.answer import Answer
from retrieval.text import detect_language

log = logging.getLogger("warta.telegram")

MAX_MESSAGE = 4096  # Telegram's limit on a message's text (UTF-16 code units, after entity parsing)
EDIT_INTERVAL = 1.0  # seconds between edits of a streaming answer
TYPING_INTERVAL = 4.5  # a chat action lasts about 5 s

# ------------------------------------------------------------------ texts

TEXTS = {
    "en": {
        "start": "<b>Warta</b> answers questions about a collection of news articles, from the articles alone. "
                 "Every claim carries a numbered citation to the exact passage, and when the articles do not "
                 "hold the answer, Warta says so.\n\nAsk in English or Indonesian, for example:\n"
                 "<code>Apa kata Dalton?</code>\nthen a follow-up such as <code>Apa lagi yang dia katakan?</code>\n\n"
                 "/help lists the commands.",
        "help": "Send a question as a message (in a group: mention me or reply to me), or use:\n"
                "/ask &lt;question&gt; – ask a question\n/sources – the full citations of the last answer\n"
                "/reset – forget this chat's history\n/help – this message",
        "answering": "Answering",
        "sources": "Sources",
        "sources_hint": "/sources shows the quoted passages.",
        "no_sources": "There is no answer to show sources for yet. Ask a question first.",
        "no_citations": "The last answer cites no passages.",
        "reset": "Done: I have forgotten this chat's questions.",
        "usage": "Usage: /ask &lt;question&gt;, for example <code>/ask Apa kata Dalton?</code>",
        "too_long": "That question is {n} characters long; the limit is {limit}. Please ask something shorter.",
        "rate": "You are asking faster than I can answer well ({n} questions a minute). Please wait a moment.",
        "not_allowed": "Sorry, this bot is private and does not answer in this chat.",
        "error": "Sorry, something went wrong while answering. Please try again.",
        "chars": "characters",
    },
    "id": {
        "start": "<b>Warta</b> menjawab pertanyaan tentang kumpulan artikel berita, hanya dari artikel itu. "
                 "Setiap klaim diberi kutipan bernomor ke bagian teks yang tepat, dan bila artikel tidak memuat "
                 "jawabannya, Warta mengatakannya.\n\nBertanya dalam bahasa Indonesia atau Inggris, misalnya:\n"
                 "<code>Apa kata Dalton?</code>\nlalu pertanyaan lanjutan seperti <code>Apa lagi yang dia katakan?</code>\n\n"
                 "/help menampilkan daftar perintah.",
        "help": "Kirim pertanyaan sebagai pesan (di grup: sebut saya atau balas pesan saya), atau gunakan:\n"
                "/ask &lt;pertanyaan&gt; – ajukan pertanyaan\n/sources – kutipan lengkap jawaban terakhir\n"
                "/reset – lupakan riwayat obrolan ini\n/help – pesan ini",
        "answering": "Menjawab",
        "sources": "Sumber",
        "sources_hint": "/sources menampilkan kutipan lengkapnya.",
        "no_sources": "Belum ada jawaban untuk ditampilkan sumbernya. Ajukan pertanyaan dulu.",
        "no_citations": "Jawaban terakhir tidak mengutip bagian mana pun.",
        "reset": "Selesai: riwayat pertanyaan di obrolan ini sudah saya lupakan.",
        "usage": "Cara pakai: /ask &lt;pertanyaan&gt;, misalnya <code>/ask Apa kata Dalton?</code>",
        "too_long": "Pertanyaan itu {n} karakter; batasnya {limit}. Silakan ajukan yang lebih pendek.",
        "rate": "Anda bertanya lebih cepat daripada yang bisa saya jawab dengan baik ({n} pertanyaan per menit). "
                "Mohon tunggu sebentar.",
        "not_allowed": "Maaf, bot ini privat dan tidak menjawab di obrolan ini.",
        "error": "Maaf, terjadi kesalahan saat menjawab. Silakan coba lagi.",
        "chars": "karakter",
    },
}

COMMANDS = [
    ("start", "What Warta is, with an example"),
    ("help", "How to ask, and the commands"),
    ("ask", "Ask a question: /ask <question>"),
    ("sources", "Full citations of the last answer"),
    ("reset", "Forget this chat's history"),
]


def lang_of(text: str | None = None, language_code: str | None = None) -> str:
    if text and text.strip():
        return detect_language(text)
    return "id" if (language_code or "").lower().startswith("id") else "en"


# ------------------------------------------------------------------ pure formatting


def escape(text: str) -> str:
    """Text made safe for Telegram's HTML parse mode."""
    return html.escape(text, quote=False)


def tg_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Block:
    """One line of a message: plain ``text`` (escaped on rendering) inside ``wrap`` (HTML with one ``{}``)."""

    text: str
    wrap: str = "{}"

    def html(self) -> str:
        return self.wrap.format(escape(self.text))


_SENTENCE_END = re.compile(r"(?<=[.!?…:;”\"’)\]])\s+")


def _units(text: str, fits) -> list[str]:
    units = []
    for sentence in _SENTENCE_END.split(text):
        if fits(sentence):
            units.append(sentence)
            continue
        word_units = []
        for word in sentence.split(" "):
            while word and not fits(word):  # a single overlong "word": cut it at the longest prefix that fits
                lo, hi = 1, len(word)
                while lo < hi:
                    mid = (lo + hi + 1) // 2
                    lo, hi = (mid, hi) if fits(word[:mid]) else (lo, mid - 1)
                word_units.append(word[:lo])
                word = word[lo:]
            if word:
                word_units.append(word)
        units.extend(word_units)
    return units


def render_messages(blocks: Sequence[Block], limit: int = MAX_MESSAGE) -> list[str]:
    """Join blocks into as few messages as fit ``limit``; a block too long for one message is split at
    sentence boundaries (its first part filling what the current message has left, so a heading never
    goes out alone), each part re-wrapped so every message is well-formed HTML on its own."""
    messages: list[str] = []
    current = ""

    def joined(head: str, piece: str) -> str:
        return f"{head}\n{piece}" if head else piece

    def flush() -> None:
        nonlocal current
        if current.strip():
            messages.append(current.strip("\n"))
        current = ""

    for block in blocks:
        rendered = block.html()
        if tg_len(joined(current, rendered)) <= limit:
            current = joined(current, rendered)
            continue
        if tg_len(rendered) <= limit:
            flush()
            current = rendered
            continue
        fits = lambda s, b=block: tg_len(Block(s, b.wrap).html()) <= limit  # noqa: E731
        part = ""
        for unit in _units(block.text, fits):
            trial = f"{part} {unit}" if part else unit
            if tg_len(joined(current, Block(trial, block.wrap).html())) <= limit:
                part = trial
                continue
            if part:
                current = joined(current, Block(part, block.wrap).html())
            flush()
            part = unit
        if part:
            current = joined(current, Block(part, block.wrap).html())
    flush()
    return messages


def _compact_sources(answer: Answer) -> list[Block]:
    """Citations as a compact numbered list: consecutive citations of one article share a line."""
    groups: list[tuple[list[int], str, str | None]] = []
    for c in answer.citations:
        if groups and groups[-1][1] == c.title and groups[-1][2] == c.date and groups[-1][0][-1] == c.n - 1:
            groups[-1][0].append(c.n)
        else:
            groups.append(([c.n], c.title, c.date))
    lines = []
    for numbers, title, date in groups:
        label = f"[{numbers[0]}]" if len(numbers) == 1 else f"[{numbers[0]}–{numbers[-1]}]"
        lines.append(Block(f"{label} {title}" + (f", {date}" if date else "")))
    return lines


def answer_blocks(answer: Answer, *, asked: str | None = None) -> list[Block]:
    """The reply to a question: "Answering: …" when the question was rewritten, the answer with its [n]
    markers, then the sources as a compact list."""
    t = TEXTS[lang_of(answer.question)]  # the language the answer itself is in
    blocks: list[Block] = []
    if asked is not None and " ".join(asked.split()) != " ".join(answer.question.split()):
        blocks += [Block(f"{t['answering']}: {answer.question}", "<i>{}</i>"), Block("")]
    blocks += [Block(line) for line in answer.answer.splitlines()]
    if answer.citations:
        blocks += [Block(""), Block(t["sources"], "<b>{}</b>")] + _compact_sources(answer)
        blocks += [Block(t["sources_hint"], "<i>{}</i>")]
    return blocks


def sources_blocks(answer: Answer) -> list[Block]:
    """The full citations of an answer: title, date, file and offsets, and the quoted passage."""
    t = TEXTS[lang_of(answer.question)]
    if not answer.citations:
        return [Block(t["no_citations"])]
    blocks = [Block(f"{t['sources']}: {answer.question}", "<b>{}</b>")]
    for c in answer.citations:
        when = f", {c.date}" if c.date else ""
        blocks += [
            Block(""),
            Block(f"[{c.n}] {c.title}{when}", "<b>{}</b>"),
            Block(f"{c.doc_id}, {t['chars']} {c.start}–{c.end}", "<i>{}</i>"),
            Block(c.quote, "<blockquote>{}</blockquote>"),
        ]
    return blocks


def draft_text(text: str, limit: int = MAX_MESSAGE) -> str:
    """A streaming answer so far, as it is shown while it grows (escaped, trimmed to fit one message)."""
    body = escape(text.strip())
    if tg_len(body) + 2 > limit:
        body = escape(text.strip()[: limit - 200]).rstrip() + " …"
    return body + " ▌"


# ------------------------------------------------------------------ protection


class RateLimiter:
    """At most ``per_minute`` events per key in any 60 s window. ``check`` says "ok", "warn" (the first
    refusal in a window: answer politely once) or "drop" (further refusals: stay quiet)."""

    def __init__(self, per_minute: int, window: float = 60.0) -> None:
        self.per_minute = per_minute
        self.window = window
        self._events: dict[object, deque[float]] = defaultdict(deque)
        self._warned: dict[object, float] = {}

    def check(self, key, now: float | None = None) -> str:
        now = time.monotonic() if now is None else now
        events = self._events[key]
        while events and now - events[0] >= self.window:
            events.popleft()
        if len(events) < self.per_minute:
            events.append(now)
            return "ok"
        warned = self._warned.get(key)
        if warned is not None and now - warned < self.window:
            return "drop"
        self._warned[key] = now
        return "warn"


class RedactToken(logging.Filter):
    """Replaces the bot token in every log record (httpx logs request URLs, which contain it)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.token:
            return True
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "<token>"), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and self.token in record.exc_text:
            record.exc_text = record.exc_text.replace(self.token, "<token>")
        return True


# ------------------------------------------------------------------ handlers

DEPS = "warta"


@dataclass
class Deps:
    settings: object
    conversations: object  # bot.conversation.Conversations
    executor: ThreadPoolExecutor
    limiter: RateLimiter
    refused_chats: set[int] = field(default_factory=set)


def _deps(context) -> Deps:
    return context.application.bot_data[DEPS]


def _chat_key(chat_id: int) -> str:
    return f"telegram:{chat_id}"


def _user_lang(update) -> str:
    user = update.effective_user
    return lang_of(None, user.language_code if user else None)


async def _send_blocks(message, blocks: Sequence[Block], *, edit=None) -> None:
    from telegram.constants import ParseMode

    texts = render_messages(blocks)
    for i, text in enumerate(texts):
        if i == 0 and edit is not None:
            await edit.edit_text(text, parse_mode=ParseMode.HTML)
        else:
            await message.reply_html(text)


async def gate(update, context) -> None:
    """Runs before every handler: chats outside TELEGRAM_ALLOWED_CHAT_IDS get one polite refusal, then
    silence; nothing of theirs is answered or stored."""
    from telegram.ext import ApplicationHandlerStop

    deps, chat = _deps(context), update.effective_chat
    allowed = deps.settings.allowed_chat_ids
    if chat is None or not allowed or chat.id in allowed:
        return
    if chat.id not in deps.refused_chats:
        deps.refused_chats.add(chat.id)
        log.info("refused chat %s (not in TELEGRAM_ALLOWED_CHAT_IDS)", chat.id)
        await context.bot.send_message(chat.id, TEXTS[_user_lang(update)]["not_allowed"])
    raise ApplicationHandlerStop


async def start(update, context) -> None:
    await update.effective_message.reply_html(TEXTS[_user_lang(update)]["start"])


async def help_command(update, context) -> None:
    await update.effective_message.reply_html(TEXTS[_user_lang(update)]["help"])


async def ask_command(update, context) -> None:
    question = " ".join(context.args or [])
    if not question.strip():
        await update.effective_message.reply_html(TEXTS[_user_lang(update)]["usage"])
        return
    await answer_question(update, context, question)


async def sources_command(update, context) -> None:
    deps = _deps(context)
    loop = asyncio.get_running_loop()
    turn = await loop.run_in_executor(deps.executor, deps.conversations.last, _chat_key(update.effective_chat.id))
    if turn is None:
        await update.effective_message.reply_html(TEXTS[_user_lang(update)]["no_sources"])
        return
    await _send_blocks(update.effective_message, sources_blocks(turn.answer))


async def reset_command(update, context) -> None:
    deps = _deps(context)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(deps.executor, deps.conversations.reset, _chat_key(update.effective_chat.id))
    await update.effective_message.reply_html(TEXTS[_user_lang(update)]["reset"])


def _addressed_text(update, bot) -> str | None:
    """The question in a message: any text in a private chat; in a group only when the bot is mentioned
    (the mention removed) or the message replies to the bot."""
    from telegram import MessageEntity
    from telegram.constants import ChatType

    message = update.effective_message
    text = message.text or ""
    if update.effective_chat.type == ChatType.PRIVATE:
        return text
    mention = f"@{bot.username}".lower() if bot.username else None
    mentions = message.parse_entities([MessageEntity.MENTION]).values()
    if mention and any(m.lower() == mention for m in mentions):
        return re.sub(re.escape(mention), "", text, flags=re.I).strip()
    reply = message.reply_to_message
    if reply is not None and reply.from_user is not None and reply.from_user.id == bot.id:
        return text
    return None


async def on_message(update, context) -> None:
    question = _addressed_text(update, context.bot)
    if question is not None and question.strip():
        await answer_question(update, context, question)


async def _keep_typing(bot, chat_id: int) -> None:
    from telegram.constants import ChatAction
    from telegram.error import TelegramError

    while True:
        with contextlib.suppress(TelegramError):
            await bot.send_chat_action(chat_id, ChatAction.TYPING)
        await asyncio.sleep(TYPING_INTERVAL)


async def answer_question(update, context, question: str) -> None:
    """Checks the limits, answers in a worker thread (typing shown meanwhile; a streaming answer is
    edited in place at most once per EDIT_INTERVAL), replies with the cited answer."""
    from telegram.constants import ParseMode
    from telegram.error import BadRequest

    deps, chat, message = _deps(context), update.effective_chat, update.effective_message
    t = TEXTS[lang_of(question)]
    limit = deps.settings.max_question_chars
    if len(question) > limit:
        await message.reply_text(t["too_long"].format(n=len(question), limit=limit))
        return
    verdict = deps.limiter.check(chat.id)
    if verdict != "ok":
        if verdict == "warn":
            await message.reply_text(t["rate"].format(n=deps.limiter.per_minute))
        return

    loop = asyncio.get_running_loop()
    latest: dict[str, str] = {}

    def on_text(so_far: str) -> None:  # called from the worker thread
        latest["text"] = so_far

    typing = asyncio.create_task(_keep_typing(context.bot, chat.id))
    job = loop.run_in_executor(
        deps.executor, partial(deps.conversations.ask, _chat_key(chat.id), question, on_text=on_text)
    )
    draft, shown = None, ""
    try:
        while True:
            done, _ = await asyncio.wait({job}, timeout=EDIT_INTERVAL)
            if done:
                break
            text = latest.get("text", "")
            if text and text != shown:  # streaming: show the answer as it grows
                if draft is None:
                    draft = await message.reply_html(draft_text(text))
                else:
                    with contextlib.suppress(BadRequest):
                        await draft.edit_text(draft_text(text), parse_mode=ParseMode.HTML)
                shown = text
        reply = job.result()
    finally:
        typing.cancel()
    await _send_blocks(message, answer_blocks(reply.answer, asked=question), edit=draft)


async def on_error(update, context) -> None:
    """The one error handler: log (the token is redacted by RedactToken), apologise, keep running."""
    log.error("error while handling an update: %s", context.error, exc_info=context.error)
    chat = getattr(update, "effective_chat", None)
    if chat is None:
        return
    from telegram.error import TelegramError

    message = getattr(update, "effective_message", None)
    lang = lang_of(getattr(message, "text", None) or None, None)
    try:
        await context.bot.send_message(chat.id, TEXTS[lang]["error"])
    except TelegramError as exc:
        log.warning("could not send the apology to chat %s: %s", chat.id, exc)


# ------------------------------------------------------------------ wiring


async def _post_init(application) -> None:
    from telegram import BotCommand

    await application.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])


async def _post_shutdown(application) -> None:
    application.bot_data[DEPS].executor.shutdown(wait=False, cancel_futures=True)


def build_application(settings, app, *, conversations=None, webhook: bool | None = None):
    """The bot: handlers, limits, error handler and the answer path, wired into one ``Application``."""
    from telegram import Update
    from telegram.ext import Application, CommandHandler, MessageHandler, TypeHandler, filters

    from bot.conversation import Conversations

    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set (see .env.example)")
    webhook = bool(settings.telegram_webhook_url) if webhook is None else webhook
    install_redaction(settings)
    builder = (
        Application.builder()
        .token(settings.telegram_bot_token.get_secret_value())
        .concurrent_updates(64)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if settings.telegram_base_url:
        builder = builder.base_url(settings.telegram_base_url)
    if webhook:
        builder = builder.updater(None)  # updates arrive through our own webhook server (run_webhook)
    application = builder.build()
    application.bot_data[DEPS] = Deps(
        settings=settings,
        conversations=conversations or Conversations.for_app(app),
        executor=ThreadPoolExecutor(max_workers=4, thread_name_prefix="warta-answer"),
        limiter=RateLimiter(settings.telegram_rate_per_minute),
    )
    application.add_handler(TypeHandler(Update, gate), group=-1)
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(CommandHandler("ask", ask_command))
    application.add_handler(CommandHandler("sources", sources_command))
    application.add_handler(CommandHandler("reset", reset_command))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_message))
    application.add_error_handler(on_error)
    return application


def install_redaction(settings) -> None:
    """Keep the token out of logs: on the loggers that see request URLs and on every root handler."""
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    if not token:
        return
    targets = [logging.getLogger(name) for name in ("httpx", "httpcore", "telegram", "warta")]
    for target in targets + list(logging.getLogger().handlers):
        if not any(isinstance(f, RedactToken) and f.token == token for f in target.filters):
            target.addFilter(RedactToken(token))


async def run_webhook(application, settings, *, stop: asyncio.Event | None = None) -> None:
    """Webhook mode without extra dependencies: an aiohttp server puts Telegram's POSTs on the update queue
    (Telegram sends the secret token we registered; other requests are refused)."""
    import secrets
    from urllib.parse import urlparse

    from aiohttp import web
    from telegram import Update

    secret = secrets.token_urlsafe(32)
    path = urlparse(settings.telegram_webhook_url).path or "/"

    async def receive(request: web.Request) -> web.Response:
        if request.headers.get("X-Telegram-Bot-Api-Secret-Token") != secret:
            return web.Response(status=403)
        await application.update_queue.put(Update.de_json(await request.json(), application.bot))
        return web.Response()

    server = web.Application()
    server.router.add_post(path, receive)
    runner = web.AppRunner(server)
    stop = stop or asyncio.Event()
    async with application:
        await application.bot.set_webhook(settings.telegram_webhook_url, secret_token=secret,
                                          allowed_updates=Update.ALL_TYPES)
        await application.start()
        await runner.setup()
        await web.TCPSite(runner, settings.telegram_webhook_listen, settings.telegram_webhook_port).start()
        log.info("webhook listening on %s:%s%s", settings.telegram_webhook_listen, settings.telegram_webhook_port, path)
        try:
            await stop.wait()
        finally:
            await runner.cleanup()
            await application.stop()


def run(settings, app) -> None:
    """Blocks until interrupted: long polling, or the webhook server when TELEGRAM_WEBHOOK_URL is set."""
    if logging.getLogger().getEffectiveLevel() > logging.DEBUG:
        logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per getUpdates otherwise
    application = build_application(settings, app)
    if settings.telegram_webhook_url:
        import signal

        async def main() -> None:
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
            await run_webhook(application, settings, stop=stop)

        asyncio.run(main())
    else:
        from telegram import Update

        application.run_polling(allowed_updates=Update.ALL_TYPES)
