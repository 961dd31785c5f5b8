"""Webhook mode: python-telegram-bot's own server (tornado, the ``webhooks`` extra). setWebhook registers a
fresh secret token; PTB answers Forbidden to any POST that does not carry it back."""

from __future__ import annotations

import logging
import secrets
from typing import Any
from urllib.parse import urlparse

from telegram import Update
from telegram.ext import Application

from bot.config import Settings

log = logging.getLogger("warta.telegram")


def run_webhook(application: Application, settings: Settings, **options: Any) -> None:
    """Blocks until stopped (SIGINT/SIGTERM, or ``application.stop_running``), like ``run_polling``;
    ``options`` go on to ``Application.run_webhook``."""
    path = urlparse(settings.telegram_webhook_url).path or "/"
    log.info("webhook listening on %s:%s%s", settings.telegram_webhook_listen, settings.telegram_webhook_port, path)
    application.run_webhook(
        listen=settings.telegram_webhook_listen,
        port=settings.telegram_webhook_port,
        url_path=path,
        webhook_url=settings.telegram_webhook_url,
        secret_token=secrets.token_urlsafe(32),
        allowed_updates=Update.ALL_TYPES,
        **options,
    )
