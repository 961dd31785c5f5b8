"""`warta chat`: a terminal conversation with Warta (prompt_toolkit input, rich output).

In a terminal: line editing, arrow keys, a persistent input history, Ctrl-D to quit. With stdin not a
terminal it reads questions line by line and prints the answers, so it can be scripted:
``printf 'Apa kata Dalton?\\nApa lagi yang dia katakan?\\n' | warta chat``.
Turns go through ``Conversations.ask``, the same answer path as ``warta ask``, with the chat history kept
in SQLite (it survives restarts; ``:reset`` forgets it).
"""

from __future__ import annotations

import sys

from bot.render import LABELS, shorten
from retrieval.question import QuestionError, check_question
from text.tokens import detect_language

HELP = """Ask about the articles, in English or Indonesian. Follow-ups such as
"And Keleman?" or "Apa lagi yang dia katakan?" refer to the previous question.
  :sources   full citations of the last answer (file, offsets, quoted passage)
  :reset     forget this conversation
  :k N       retrieve N chunks per question (now {k})
  :help      this text
  :quit      leave (or Ctrl-D)"""

ANSWERING = {"en": "Answering", "id": "Menjawab"}


class Repl:
    def __init__(self, app, *, k: int | None = None, chat: str = "repl", console=None) -> None:
        from rich.console import Console

        from bot.conversation import Conversations

        self.app = app
        self.k = k
        self.chat = f"repl:{chat}"
        self.conversations = Conversations.for_app(app)
        self.console = console or Console(highlight=False)

    # -------------------------------------------------------------- output

    def show_reply(self, reply) -> None:
        from rich.text import Text

        answer = reply.answer
        lang = detect_language(answer.question)
        if reply.rewritten:
            self.console.print(Text(f"{ANSWERING[lang]}: {answer.question}", style="italic dim"))
        self.console.print(Text(answer.answer, style="yellow" if answer.refused else ""))
        if answer.citations:
            self.console.print(self._table(answer))

    def _table(self, answer):
        """The citations as a small table: n, title, date, quote (shortened)."""
        from rich import box
        from rich.table import Table

        table = Table(box=box.SIMPLE_HEAD, expand=False, pad_edge=False)
        table.add_column("n", justify="right", style="bold", no_wrap=True)
        table.add_column("title", ratio=2, overflow="fold")
        table.add_column("date", no_wrap=True)
        table.add_column("quote", ratio=3, overflow="fold")
        for c in answer.citations:
            table.add_row(str(c.n), shorten(c.title, 48), c.date or "", shorten(c.quote, 110))
        return table

    def _full_sources(self, answer):
        """Every citation in full: title, date, file and character offsets, the exact quoted passage."""
        from rich.padding import Padding
        from rich.text import Text

        labels = LABELS[detect_language(answer.question)]
        for c in answer.citations:
            when = f", {c.date}" if c.date else ""
            self.console.print(Text(f"[{c.n}] {c.title}{when}", style="bold"))
            self.console.print(Text(f"    {c.doc_id}, {labels['chars']} {c.start}-{c.end}", style="dim"))
            self.console.print(Padding(Text(c.quote), (0, 0, 1, 4)))

    def show_sources(self) -> None:
        turn = self.conversations.last(self.chat)
        if turn is None:
            self.console.print("No answer yet: ask a question first.")
        elif not turn.answer.citations:
            self.console.print("The last answer cites no passages.")
        else:
            self._full_sources(turn.answer)

    # -------------------------------------------------------------- input

    def handle(self, line: str) -> bool:
        """One line of input; False when the user asked to quit."""
        line = line.strip()
        if not line:
            return True
        if line.startswith(":"):
            return self.command(line)
        try:
            question = check_question(line, self.app.settings.max_question_chars)
        except QuestionError as exc:
            self.console.print(str(exc).capitalize() + ".", markup=False)
            return True
        self.show_reply(self.conversations.ask(self.chat, question, k=self.k))
        return True

    def command(self, line: str) -> bool:
        name, _, arg = line[1:].partition(" ")
        name = name.lower()
        if name in ("quit", "q", "exit"):
            return False
        if name == "sources":
            self.show_sources()
        elif name == "reset":
            self.conversations.reset(self.chat)
            self.console.print("Conversation forgotten.")
        elif name == "k":
            try:
                k = int(arg)
                if not 1 <= k <= 50:
                    raise ValueError
            except ValueError:
                self.console.print("Usage: :k N, with N from 1 to 50")
            else:
                self.k = k
                self.console.print(f"k = {k}")
        elif name in ("help", "h", "?"):
            self.console.print(HELP.format(k=self.k or self.app.settings.top_k), markup=False)
        else:
            self.console.print(f"Unknown command :{name}; :help lists them.", markup=False)
        return True

    def run_terminal(self) -> int:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
        from prompt_toolkit.history import FileHistory

        path = self.app.settings.state_path
        path.mkdir(parents=True, exist_ok=True)
        session = PromptSession(history=FileHistory(str(path / "repl_history")), auto_suggest=AutoSuggestFromHistory())
        self.console.print("Warta: ask about the articles. :help for commands, Ctrl-D to quit.", style="dim")
        while True:
            try:
                line = session.prompt("warta> ")
            except KeyboardInterrupt:
                continue
            except EOFError:
                break
            try:
                if not self.handle(line):
                    break
            except KeyboardInterrupt:
                self.console.print("(interrupted)", style="dim")
        return 0

    def run_lines(self, stream) -> int:
        limit = self.app.settings.max_question_chars
        for line in stream:
            if line.strip() and len(line.strip()) <= limit:  # an over-long question is not echoed back
                self.console.print(f"> {line.strip()}", markup=False, highlight=False)
            if not self.handle(line):
                break
            if line.strip():
                self.console.print()
        return 0


def run_repl(app, *, k: int | None = None, chat: str = "repl") -> int:
    repl = Repl(app, k=k, chat=chat)
    if sys.stdin.isatty() and sys.stdout.isatty():
        return repl.run_terminal()
    return repl.run_lines(sys.stdin)
