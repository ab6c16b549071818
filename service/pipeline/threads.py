"""Multi-turn threads for `ask`: short, bounded conversation memory kept in this process.

Only guard-approved text is ever stored — the question as it was sent to the model
(labels in place of masked values) and the guarded answer — so replaying history can
never carry personal data to the model. Memory is bounded three ways: turns per thread,
characters per thread, and the number of threads (least recently used are forgotten).
Threads belong to the user who started them; another user's id simply starts afresh.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from dataclasses import dataclass, field

MAX_THREADS = 1_000


@dataclass(frozen=True)
class Turn:
    question: str
    answer: str

    def __len__(self) -> int:
        return len(self.question) + len(self.answer)


@dataclass
class Thread:
    """One conversation; `add` trims the oldest turns to stay within the bounds."""

    id: str
    max_turns: int
    max_chars: int
    _turns: deque[Turn] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def turns(self) -> list[Turn]:
        with self._lock:
            return list(self._turns)

    def add(self, question: str, answer: str) -> None:
        # Question and answer each get at most half the budget, so the newest turn
        # always fits and a long answer cannot push out everything before it alone.
        half = max(1, self.max_chars // 2)
        turn = Turn(question[:half], answer[:half])
        with self._lock:
            self._turns.append(turn)
            while len(self._turns) > self.max_turns or (
                len(self._turns) > 1 and sum(len(t) for t in self._turns) > self.max_chars
            ):
                self._turns.popleft()


class Conversations:
    """All threads of this process, keyed by (user, thread id)."""

    def __init__(self, *, max_turns: int, max_chars: int, max_threads: int = MAX_THREADS) -> None:
        self.max_turns = max_turns
        self.max_chars = max_chars
        self.max_threads = max_threads
        self._threads: OrderedDict[tuple[str, str], Thread] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, user: str, thread_id: str) -> Thread:
        """The user's thread of that id, created when new."""
        key = (user, thread_id)
        with self._lock:
            thread = self._threads.get(key)
            if thread is None:
                thread = Thread(thread_id, self.max_turns, self.max_chars)
                self._threads[key] = thread
                while len(self._threads) > self.max_threads:
                    self._threads.popitem(last=False)
            else:
                self._threads.move_to_end(key)
            return thread

    def __len__(self) -> int:
        with self._lock:
            return len(self._threads)
