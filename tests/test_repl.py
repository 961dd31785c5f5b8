"""`warta chat`: driven through a pseudo-terminal (pexpect) and through piped stdin, on the real corpus."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from bot.conversation import HistoryStore

ROOT = Path(__file__).resolve().parents[1]
WARTA = str(ROOT / ".venv" / "bin" / "warta") if (ROOT / ".venv" / "bin" / "warta").exists() else "warta"
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Z0-9]|\r")


def _env(corpus_app, state: Path) -> dict:
    return dict(os.environ, WARTA_INDEX_DIR=str(corpus_app.settings.index_dir),
                WARTA_CORPUS=str(corpus_app.settings.corpus), WARTA_STATE_DIR=str(state), CHROMA_HOST="",
                PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm", COLUMNS="160", LINES="50")


def _dump(name: str, text: str) -> None:
    folder = os.environ.get("WARTA_TRANSCRIPT_DIR")  # used to write notes/issue5.md
    if folder:
        Path(folder, name).write_text(text, encoding="utf-8")


def test_chat_in_a_terminal_then_piped_after_a_restart(corpus_app, tmp_path):
    pexpect = pytest.importorskip("pexpect")
    env = _env(corpus_app, tmp_path)
    child = pexpect.spawn(WARTA, ["chat"], env=env, cwd=str(tmp_path), encoding="utf-8", timeout=60,
                          dimensions=(50, 160))
    log = []
    child.logfile_read = type("Log", (), {"write": lambda self, s: log.append(s), "flush": lambda self: None})()
    try:
        child.expect("warta>")
        child.sendline("Apa kata Dalton?")
        child.expect("Pernyataan David Dalton")
        child.expect(r"\[5\]")
        child.expect("quote")  # the citations table
        child.expect("warta>")
        child.sendline(":sources")
        child.expect("karakter \\d+-\\d+")
        child.expect("warta>")
        child.sendline("Apa lagi yang dia katakan?")
        child.expect("Menjawab: Apa lagi yang Dalton katakan\\?")
        child.expect("Hanya itu pernyataan David Dalton")  # all were shown: none is repeated
        child.expect("warta>")
        child.sendline(":k 3")
        child.expect("k = 3")
        child.expect("warta>")
        child.send("\x1b[A")  # arrow up: the previous input comes back from the history
        child.expect(":k 3")
        child.send("\r")
        child.expect("k = 3")
        child.expect("warta>")
        child.sendline(":sources")
        child.expect("cites no passages")  # "that is all" cites nothing new
        child.expect("warta>")
        child.sendcontrol("d")  # Ctrl-D quits
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    assert (tmp_path / "repl_history").read_text(encoding="utf-8").count("Apa kata Dalton?") == 1
    _dump("repl_pty.txt", ANSI.sub("", "".join(log)))

    # A new process, stdin piped: the history survived the restart, so the follow-up still means Dalton.
    script = ("Apa lagi yang dia katakan?\n:reset\nApa lagi yang dia katakan?\nApa kata Dalton?\n:sources\n"
              "And Keleman?\n:k x\n" + "x" * 1200 + "\n:quit\nNot read\n")
    done = subprocess.run([WARTA, "chat"], input=script, env=env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    out = done.stdout
    assert done.returncode == 0, done.stderr
    assert "\x1b[" not in out and "│" not in out  # no terminal codes or table rules when stdout is not a terminal
    blocks = out.split("\n> ")
    assert len(blocks) == 8 and blocks[-1].strip() == ":quit" and "Not read" not in out
    follow, reset, forgotten, dalton, sources, keleman, bad_k, _ = blocks
    too_long = bad_k.split("Usage: :k N", 1)[1]  # the over-long question is answered without being echoed
    assert "xxxx" not in out
    assert "Menjawab: Apa lagi yang Dalton katakan?" in follow and "Hanya itu pernyataan David Dalton" in follow
    assert "000_70fecc5020c493ae.txt, karakter" in sources  # :sources in full
    assert "Dalton" not in forgotten  # :reset forgot the speaker
    assert "Pernyataan David Dalton" in dalton and "Menjawab" not in dalton
    assert "Answering: What did Keleman say?" in keleman and "Barbara Keleman" in keleman
    assert "Usage: :k N" in bad_k and "1,200 characters long; the limit is 1,000" in too_long
    turns = HistoryStore(tmp_path / "history.sqlite3").recent("repl:repl")
    assert [t.standalone for t in turns] == ["Apa lagi yang dia katakan?", "Apa kata Dalton?", "What did Keleman say?"]
    _dump("repl_piped.txt", out)
