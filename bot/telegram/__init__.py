"""`warta telegram`: Warta as a Telegram bot (python-telegram-bot 22, asyncio).

``build_application`` wires texts (texts.py), rendering (render.py), limits, token redaction and the
handlers into one ``Application``; ``run`` starts long polling, or the webhook server (webhook.py) when
TELEGRAM_WEBHOOK_URL is set.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from telegram import BotCommand, Update
from telegram.ext import Application, CommandHandler, MessageHandler, TypeHandler, filters

from bot.config import Settings
from bot.conversation import Conversations
from bot.telegram import handlers
from bot.telegram.handlers import DEPS, Deps
from bot.telegram.limits import RateLimiter
from bot.telegram.redact import install_redaction
from bot.telegram.texts import COMMANDS
from bot.telegram.webhook import run_webhook

if TYPE_CHECKING:
    from bot.app import Warta

__all__ = ["build_application", "run"]


async def _post_init(application: Application) -> None:
    await application.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])


async def _post_shutdown(application: Application) -> None:
    application.bot_data[DEPS].executor.shutdown(wait=False, cancel_futures=True)


def build_application(settings: Settings, app: Warta, *, conversations: Conversations | None = None) -> Application:
    """The bot: handlers, limits, error handler and the answer path, wired into one ``Application``."""
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set (see .env.example)")
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
    application = builder.build()
    application.bot_data[DEPS] = Deps(
        settings=settings,
        conversations=conversations or Conversations.for_app(app),
        executor=ThreadPoolExecutor(max_workers=4, thread_name_prefix="warta-answer"),
        limiter=RateLimiter(settings.telegram_rate_per_minute),
    )
    application.add_handler(TypeHandler(Update, handlers.gate), group=-1)
    application.add_handler(CommandHandler("start", handlers.start))
    application.add_handler(CommandHandler("help", handlers.help_command))
    application.add_handler(CommandHandler("ask", handlers.ask_command))
    application.add_handler(CommandHandler("sources", handlers.sources_command))
    application.add_handler(CommandHandler("reset", handlers.reset_command))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, handlers.on_message))
    application.add_error_handler(handlers.on_error)
    return application


def run(settings: Settings, app: Warta) -> None:
    """Blocks until interrupted: long polling, or the webhook server when TELEGRAM_WEBHOOK_URL is set."""
    if logging.getLogger().getEffectiveLevel() > logging.DEBUG:
        logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per getUpdates otherwise
    application = build_application(settings, app)
    if settings.telegram_webhook_url:
        run_webhook(application, settings)
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
