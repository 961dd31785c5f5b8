"""Handlers: small coroutines that only do I/O. Answering (CPU-bound, synchronous) runs in a worker thread
through ``Conversations.ask``, the same answer path as ``warta ask``."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial

from telegram import Bot, Message, MessageEntity, Update
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.config import Settings
from bot.conversation import Conversations
from bot.telegram.limits import RateLimiter
from bot.telegram.render import Block, answer_blocks, draft_text, render_messages, sources_blocks
from bot.telegram.texts import TEXTS, lang_of

log = logging.getLogger("warta.telegram")

EDIT_INTERVAL = 1.0  # seconds between edits of a streaming answer
TYPING_INTERVAL = 4.5  # a chat action lasts about 5 s
DEPS = "warta"  # the key of Deps in bot_data


@dataclass
class Deps:
    settings: Settings
    conversations: Conversations
    executor: ThreadPoolExecutor
    limiter: RateLimiter
    refused_chats: set[int] = field(default_factory=set)


def _deps(context: ContextTypes.DEFAULT_TYPE) -> Deps:
    return context.application.bot_data[DEPS]


def _chat_key(chat_id: int) -> str:
    return f"telegram:{chat_id}"


def _user_lang(update: Update) -> str:
    user = update.effective_user
    return lang_of(None, user.language_code if user else None)


async def _reply(update: Update, key: str) -> None:
    await update.effective_message.reply_html(TEXTS[_user_lang(update)][key])


async def _send_blocks(message: Message, blocks: Sequence[Block], *, edit: Message | None = None) -> None:
    for i, text in enumerate(render_messages(blocks)):
        if i == 0 and edit is not None:
            await edit.edit_text(text, parse_mode=ParseMode.HTML)
        else:
            await message.reply_html(text)


async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs before every handler: chats outside TELEGRAM_ALLOWED_CHAT_IDS get one polite refusal, then
    silence; nothing of theirs is answered or stored."""
    deps, chat = _deps(context), update.effective_chat
    allowed = deps.settings.allowed_chat_ids
    if chat is None or not allowed or chat.id in allowed:
        return
    if chat.id not in deps.refused_chats:
        deps.refused_chats.add(chat.id)
        log.info("refused chat %s (not in TELEGRAM_ALLOWED_CHAT_IDS)", chat.id)
        await context.bot.send_message(chat.id, TEXTS[_user_lang(update)]["not_allowed"])
    raise ApplicationHandlerStop


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _reply(update, "start")


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _reply(update, "help")


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    question = " ".join(context.args or [])
    if not question.strip():
        await _reply(update, "usage")
        return
    await answer_question(update, context, question)


async def sources_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = _deps(context)
    loop = asyncio.get_running_loop()
    turn = await loop.run_in_executor(deps.executor, deps.conversations.last, _chat_key(update.effective_chat.id))
    if turn is None:
        await _reply(update, "no_sources")
        return
    await _send_blocks(update.effective_message, sources_blocks(turn.answer))


async def reset_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = _deps(context)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(deps.executor, deps.conversations.reset, _chat_key(update.effective_chat.id))
    await _reply(update, "reset")


def _addressed_text(update: Update, bot: Bot) -> str | None:
    """The question in a message: any text in a private chat; in a group only when the bot is mentioned
    (the mention removed) or the message replies to the bot."""
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


async def on_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    question = _addressed_text(update, context.bot)
    if question is not None and question.strip():
        await answer_question(update, context, question)


async def _keep_typing(bot: Bot, chat_id: int) -> None:
    while True:
        with contextlib.suppress(TelegramError):
            await bot.send_chat_action(chat_id, ChatAction.TYPING)
        await asyncio.sleep(TYPING_INTERVAL)


async def answer_question(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    """Checks the limits, answers in a worker thread (typing shown meanwhile; a streaming answer is
    edited in place at most once per EDIT_INTERVAL), replies with the cited answer."""
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


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The one error handler: log (the token is redacted by RedactToken), apologise, keep running."""
    log.error("error while handling an update: %s", context.error, exc_info=context.error)
    chat = update.effective_chat if isinstance(update, Update) else None
    if chat is None:
        return
    message = update.effective_message
    lang = lang_of(getattr(message, "text", None) or None, None)
    try:
        await context.bot.send_message(chat.id, TEXTS[lang]["error"])
    except TelegramError as exc:
        log.warning("could not send the apology to chat %s: %s", chat.id, exc)
