"""Keeping the bot token out of logs."""

from __future__ import annotations

import logging

from bot.config import Settings


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


def install_redaction(settings: Settings) -> None:
    """Keep the token out of logs: on the loggers that see request URLs and on every root handler."""
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    if not token:
        return
    targets = [logging.getLogger(name) for name in ("httpx", "httpcore", "telegram", "warta")]
    for target in targets + list(logging.getLogger().handlers):
        if not any(isinstance(f, RedactToken) and f.token == token for f in target.filters):
            target.addFilter(RedactToken(token))
