"""Webhook mode without extra dependencies: an aiohttp server puts Telegram's POSTs on the update queue.
setWebhook registers a fresh secret token; requests that do not carry it back are refused."""

from __future__ import annotations

import asyncio
import logging
import secrets
from urllib.parse import urlparse

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.config import Settings

log = logging.getLogger("warta.telegram")


async def run_webhook(application: Application, settings: Settings, *, stop: asyncio.Event | None = None) -> None:
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
