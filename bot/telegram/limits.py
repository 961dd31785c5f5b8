"""Per-chat rate limiting of questions."""

from __future__ import annotations

import time
from collections import defaultdict, deque


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
