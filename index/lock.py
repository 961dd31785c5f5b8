"""One writer at a time: a lock file beside the index, held by whoever ingests.

An advisory ``flock`` on the file: the kernel releases it when the holder exits, however it exits
(kill -9 included), so a crashed ingest never leaves the index locked. The holder writes who it is
into the file, so a second writer can say who holds the lock. Readers never take it.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from pathlib import Path


class IndexLocked(Exception):
    """Another process is writing the index."""


def describe_holder(holder: dict | None) -> str:
    if not holder:
        return "another process"
    since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(holder.get("since", 0)))
    return f"pid {holder.get('pid')} on {holder.get('host')} ({holder.get('command', 'warta')}, since {since})"


class WriterLock:
    def __init__(self, path: Path, *, command: str = "warta ingest") -> None:
        self.path = Path(path)
        self.command = command
        self._fd: int | None = None

    def holder(self) -> dict | None:
        """Who holds the lock now, or None when nobody does."""
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except OSError:
            return None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return _read_holder(fd) or {}
            fcntl.flock(fd, fcntl.LOCK_UN)
            return None
        finally:
            os.close(fd)

    def acquire(self, wait: float = 0.0) -> None:
        """Take the lock, waiting up to ``wait`` seconds; IndexLocked names the holder otherwise."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + max(wait, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _read_holder(fd)
                    os.close(fd)
                    raise IndexLocked(
                        f"another ingest is writing the index ({describe_holder(holder)}); "
                        "wait for it to finish, or run `warta ingest --wait SECONDS`"
                    ) from None
                time.sleep(min(0.2, max(deadline - time.monotonic(), 0.01)))
        me = {"pid": os.getpid(), "host": socket.gethostname(), "command": self.command, "since": time.time()}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(me).encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def __enter__(self) -> WriterLock:
        if self._fd is None:
            self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _read_holder(fd: int) -> dict | None:
    try:
        return json.loads(os.pread(fd, 4096, 0) or b"null")
    except (OSError, ValueError):
        return None


class ServerWriterLock:
    """The same lock for writers that share a Chroma server from several machines: a collection that
    only one of them can create, holding who it is. A holder refreshes it every BEAT seconds from a
    thread, so the lock of a writer that died is taken over once it is STALE seconds old."""

    BEAT = 20.0
    STALE = 90.0

    def __init__(self, client, name: str, *, command: str = "warta ingest") -> None:
        self.client = client
        self.name = name
        self.command = command
        self._beating = None

    def holder(self) -> dict | None:
        try:
            meta = self.client.get_collection(self.name, embedding_function=None).metadata or {}
        except Exception:  # noqa: BLE001 - absent: nobody holds it
            return None
        if time.time() - float(meta.get("beat", 0)) > self.STALE:
            return None
        return {k: meta.get(k) for k in ("pid", "host", "command", "since")}

    def acquire(self, wait: float = 0.0) -> None:
        import threading

        deadline = time.monotonic() + max(wait, 0.0)
        me = {"pid": os.getpid(), "host": socket.gethostname(), "command": self.command, "since": time.time()}
        while True:
            if self.holder() is None:
                try:
                    self.client.delete_collection(self.name)  # a stale lock, if any
                except Exception:  # noqa: BLE001 - none was there
                    pass
                try:
                    self.client.create_collection(self.name, embedding_function=None, metadata={**me, "beat": time.time()})
                    break
                except Exception:  # noqa: BLE001 - another writer created it first
                    pass
            if time.monotonic() >= deadline:
                raise IndexLocked(
                    f"another ingest is writing the index on the server ({describe_holder(self.holder())}); "
                    "wait for it to finish, or run `warta ingest --wait SECONDS`"
                )
            time.sleep(0.5)
        stop = threading.Event()
        thread = threading.Thread(target=self._beat, args=(me, stop), daemon=True, name="warta-lock-beat")
        thread.start()
        self._beating = (stop, thread)

    def _beat(self, me: dict, stop) -> None:
        while not stop.wait(self.BEAT):
            try:
                self.client.get_collection(self.name, embedding_function=None).modify(metadata={**me, "beat": time.time()})
            except Exception:  # noqa: BLE001 - the server is away for a moment; the next beat retries
                pass

    def release(self) -> None:
        if self._beating is not None:
            stop, thread = self._beating
            self._beating = None
            stop.set()
            thread.join()
            try:
                self.client.delete_collection(self.name)
            except Exception:  # noqa: BLE001 - gone already
                pass


class WriterLocks:
    """Several locks taken together, in order (the local file first, then the server's)."""

    def __init__(self, *locks) -> None:
        self.locks = locks

    @property
    def path(self) -> Path:
        return self.locks[0].path

    def holder(self) -> dict | None:
        for lock in self.locks:
            holder = lock.holder()
            if holder is not None:
                return holder
        return None

    def acquire(self, wait: float = 0.0) -> None:
        taken = []
        try:
            for lock in self.locks:
                lock.acquire(wait)
                taken.append(lock)
        except BaseException:
            for lock in reversed(taken):
                lock.release()
            raise

    def release(self) -> None:
        for lock in reversed(self.locks):
            lock.release()
