"""A Telegram Bot API stand-in: a real HTTP server on 127.0.0.1 (aiohttp, in a thread of its own) that
answers like api.telegram.org for the methods Warta uses, so tests run python-telegram-bot's real HTTP
stack against it (TELEGRAM_BASE_URL=http://127.0.0.1:PORT/bot).

* Updates are queued with ``push_text`` and delivered through getUpdates (offset confirms, long-poll
  ``timeout`` honoured).
* sendMessage / editMessageText are checked like the real API: HTML must parse (only Telegram's tags,
  balanced, ``&`` only as an entity), text at most 4096 characters after parsing, not empty, an edit
  must change something; violations are answered ``{"ok": false, "error_code": 400, ...}``.
* ``fail_next(method, code, description)`` makes the next call of a method fail, for error tests.
* Every call is recorded (``calls``, ``sent``) for assertions.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import threading
import time
from dataclasses import dataclass, field

from aiohttp import web

BOT_ID = 777000111
BOT_USERNAME = "warta_test_bot"
_STRING_FIELDS = {"text", "parse_mode", "action", "url", "secret_token", "description", "short_description"}
_ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code",
                 "pre", "blockquote", "tg-emoji"}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*)?)>")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


class ApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code, self.description = code, description


def parse_html(text: str) -> str:
    """The plain text of a Telegram HTML message, or ApiError like the real API's parse errors."""
    out, stack, i = [], [], 0
    while i < len(text):
        ch = text[i]
        if ch == "<":
            m = _TAG.match(text, i)
            if not m:
                raise ApiError(400, f"Bad Request: can't parse entities: Unexpected character '<' at byte offset {i}")
            closing, name = m.group(1), m.group(2).lower()
            if name not in _ALLOWED_TAGS:
                raise ApiError(400, f'Bad Request: can\'t parse entities: Unsupported start tag "{name}" at byte offset {i}')
            if closing:
                if not stack or stack[-1] != name:
                    raise ApiError(400, f'Bad Request: can\'t parse entities: Unmatched end tag at byte offset {i}, expected "</{stack[-1] if stack else ""}>", found "</{name}>"')
                stack.pop()
            else:
                stack.append(name)
            i = m.end()
        elif ch == "&":
            m = _ENTITY.match(text, i)
            if not m:
                raise ApiError(400, f"Bad Request: can't parse entities: Character entity expected at byte offset {i}")
            out.append(html.unescape(m.group(0)))
            i = m.end()
        elif ch == ">":
            raise ApiError(400, f"Bad Request: can't parse entities: Unexpected character '>' at byte offset {i}")
        else:
            out.append(ch)
            i += 1
    if stack:
        raise ApiError(400, f'Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out)


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Call:
    method: str
    params: dict
    at: float
    ok: bool = True
    result: object = None


@dataclass
class StandIn:
    token: str
    port: int = 0
    calls: list[Call] = field(default_factory=list)
    _updates: list[dict] = field(default_factory=list)
    _next_update: int = 1
    _next_message: int = 1
    _chats: dict[int, dict] = field(default_factory=dict)
    _messages: dict[tuple[int, int], dict] = field(default_factory=dict)
    _failures: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    # -------------------------------------------------------------- lifecycle (called from the test thread)

    def start(self) -> "StandIn":
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="botapi-standin", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("stand-in did not start")
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def _serve(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._loop.run_until_complete(self._main())

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        self._arrived = asyncio.Condition()
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        self._ready.set()
        await self._stop.wait()
        await runner.cleanup()

    # -------------------------------------------------------------- test API

    def push_text(self, chat_id: int, text: str, *, chat_type: str | None = None, user_id: int | None = None,
                  reply_to: dict | None = None, language_code: str = "id") -> int:
        """Queue a text message from a user, with bot_command and mention entities like Telegram's."""
        chat_type = chat_type or ("private" if chat_id > 0 else "group")
        chat = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat.update(first_name=f"User{chat_id}")
        else:
            chat.update(title=f"Group {chat_id}")
        user_id = user_id or (chat_id if chat_id > 0 else 4242)
        entities = []
        for m in re.finditer(r"(?:^/[A-Za-z_]+(?:@\w+)?)|(?:@\w+)", text):
            kind = "bot_command" if m.group(0).startswith("/") else "mention"
            entities.append({"type": kind, "offset": _utf16(text[: m.start()]), "length": _utf16(m.group(0))})
        with self._lock:
            self._chats[chat_id] = chat
            message_id = self._next_message
            self._next_message += 1
            message = {"message_id": message_id, "date": int(time.time()), "chat": chat, "text": text,
                       "from": {"id": user_id, "is_bot": False, "first_name": f"User{user_id}",
                                "language_code": language_code}}
            if entities:
                message["entities"] = entities
            if reply_to is not None:
                message["reply_to_message"] = reply_to
            update = {"update_id": self._next_update, "message": message}
            self._next_update += 1
        asyncio.run_coroutine_threadsafe(self._enqueue(update), self._loop).result(5)
        return message_id

    async def _enqueue(self, update: dict) -> None:
        async with self._arrived:
            self._updates.append(update)
            self._arrived.notify_all()

    def fail_next(self, method: str, code: int = 400, description: str = "Bad Request: chat not found") -> None:
        with self._lock:
            self._failures.setdefault(method, []).append((code, description))

    def sent(self, chat_id: int | None = None, method: str = "sendMessage") -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method and c.ok
                    and (chat_id is None or int(c.params.get("chat_id", 0)) == chat_id)]

    def wait_for(self, predicate, timeout: float = 30.0, what: str = "condition"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = predicate()
            if result:
                return result
            time.sleep(0.05)
        raise AssertionError(f"timed out after {timeout}s waiting for {what}; calls: "
                             + ", ".join(f"{c.method}({c.params.get('chat_id', '')})" for c in self.calls[-20:]))

    def wait_messages(self, chat_id: int, n: int, timeout: float = 30.0) -> list[str]:
        """Texts of the first ``n`` messages sent to a chat, as they read after edits."""
        self.wait_for(lambda: len(self.sent(chat_id)) >= n, timeout, f"{n} messages to chat {chat_id}")
        return [self.current_text(chat_id, c.result["message_id"]) for c in self.sent(chat_id)[:n]]

    def current_text(self, chat_id: int, message_id: int) -> str:
        with self._lock:
            return self._messages[(chat_id, message_id)]["html"]

    # -------------------------------------------------------------- the API

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        params = await self._params(request)
        call = Call(method, params, time.monotonic())
        try:
            with self._lock:
                failures = self._failures.get(method)
                failure = failures.pop(0) if failures else None
            if failure:
                raise ApiError(*failure)
            handler = getattr(self, f"_api_{method}", None)
            if handler is None:
                raise ApiError(404, "Not Found")
            result = await handler(params)
        except ApiError as exc:
            call.ok, call.result = False, exc.description
            with self._lock:
                self.calls.append(call)
            return web.json_response({"ok": False, "error_code": exc.code, "description": exc.description},
                                     status=exc.code)
        call.result = result
        if method != "getUpdates" or result:
            with self._lock:
                self.calls.append(call)
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    async def _params(request: web.Request) -> dict:
        if request.content_type == "application/json":
            return await request.json()
        form = await request.post()
        params = {}
        for key, value in form.items():
            if key in _STRING_FIELDS:
                params[key] = value
            else:
                try:
                    params[key] = json.loads(value)
                except (TypeError, ValueError):
                    params[key] = value
        return params

    def _bot_user(self) -> dict:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Warta", "username": BOT_USERNAME,
                "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}

    async def _api_getMe(self, params):
        return self._bot_user()

    async def _api_deleteWebhook(self, params):
        return True

    async def _api_setWebhook(self, params):
        return True

    async def _api_setMyCommands(self, params):
        commands = params.get("commands")
        if not isinstance(commands, list) or not all("command" in c and "description" in c for c in commands):
            raise ApiError(400, "Bad Request: can't parse BotCommand array")
        return True

    async def _api_sendChatAction(self, params):
        self._chat(params)
        return True

    async def _api_getUpdates(self, params):
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        async with self._arrived:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            if not self._updates and timeout > 0:
                try:
                    await asyncio.wait_for(self._arrived.wait(), timeout)
                except asyncio.TimeoutError:
                    pass
            return [u for u in self._updates if u["update_id"] >= offset][:limit]

    def _chat(self, params) -> dict:
        chat_id = params.get("chat_id")
        try:
            chat_id = int(chat_id)
        except (TypeError, ValueError):
            raise ApiError(400, "Bad Request: chat_id is empty") from None
        with self._lock:
            chat = self._chats.get(chat_id)
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    @staticmethod
    def _plain(params) -> str:
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        mode = (params.get("parse_mode") or "").upper()
        plain = parse_html(text) if mode == "HTML" else text
        if not plain.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if _utf16(plain) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        return plain

    async def _api_sendMessage(self, params):
        chat = self._chat(params)
        plain = self._plain(params)
        with self._lock:
            message_id = self._next_message
            self._next_message += 1
            message = {"message_id": message_id, "date": int(time.time()), "chat": chat, "text": plain,
                       "from": self._bot_user()}
            self._messages[(chat["id"], message_id)] = {"message": message, "html": params["text"]}
        return message

    async def _api_editMessageText(self, params):
        chat = self._chat(params)
        plain = self._plain(params)
        key = (chat["id"], int(params.get("message_id") or 0))
        with self._lock:
            stored = self._messages.get(key)
            if stored is None:
                raise ApiError(400, "Bad Request: message to edit not found")
            if stored["html"] == params["text"]:
                raise ApiError(400, "Bad Request: message is not modified: specified new message content and "
                                    "reply markup are exactly the same as a current content and reply markup of "
                                    "the message")
            stored["html"] = params["text"]
            stored["message"] = dict(stored["message"], text=plain, edit_date=int(time.time()))
            return stored["message"]
