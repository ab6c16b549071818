"""The placeholder mapping: which value each placeholder stands for, in memory only.

One ``PlaceholderMapping`` per request, or per conversation thread
(``PlaceholderMappings.get(user, thread)``), so that a thread keeps calling the same
resident 〈氏名1〉 turn after turn. It is built to be hard to leak by accident:

* **never serialised** — pickling, copying and deep-copying raise ``TypeError``; it is no
  pydantic model and has no ``dict()``, ``__iter__`` or ``model_dump``; ``repr`` shows
  counts only. A value leaves it only through ``restore_placeholders`` / ``StreamRestorer``.
* **values wiped** — each value sits in a ``bytearray`` that is overwritten with zeros
  when the mapping expires, is cleared, evicted or garbage-collected. Lookup keys are
  keyed BLAKE2b digests (a random key per mapping), not the values. (Python copies a
  value into a ``str`` while restoring; those short-lived copies are ordinary garbage.)
* **bounded** — at most ``max_entries`` placeholders and ``max_bytes`` bytes of values;
  a request that would go past either is refused (``PlaceholderLimitError``), never
  served by forgetting older entries that the thread's history still uses.
* **expiring** — ``ttl_s`` after its last use or ``lifetime_s`` after its creation,
  whichever comes first, it wipes itself; using it then raises
  ``PlaceholderExpiredError``.
* **thread-safe** — one lock per mapping, one for the store.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from guardrails._errors import PlaceholderExpiredError, PlaceholderLimitError
from guardrails._placeholder_tokens import PLACEHOLDER_LABELS, format_token, label_of, number_of

MAX_ENTRIES = 256
MAX_BYTES = 32 * 1024
TTL_S = 30 * 60.0
LIFETIME_S = 8 * 3600.0
MAX_MAPPINGS = 1_000

# Who a group of equal values is: an existing placeholder, or a new group's number.
_Identity = str | int

_NOT_STORABLE = "仮名の対応表は保存・複製できません（個人情報を含むため）。"
_EXPIRED = "仮名の対応表の有効期限が切れたか、消去されています。もう一度送信してください。"


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One value to give a placeholder: its type, canonical key, the parts a name
    written alone may equal (PERSON only), whether it stands next to an honorific or
    title (only then may it join a longer name), the value as written, and whether it
    is written as somebody's relative (長男 …, Su nieta, …: ``_placeholder_kin``)."""

    entity_type: str
    key: str
    parts: frozenset[str]
    addressed: bool
    surface: str
    relative: bool = False

    def __repr__(self) -> str:  # never the value
        return f"Occurrence({self.entity_type})"


class _Entry:
    __slots__ = ("entity_type", "token", "_value")

    def __init__(self, entity_type: str, token: str, value: str) -> None:
        self.entity_type = entity_type
        self.token = token
        self._value = bytearray(value.encode("utf-8"))

    @property
    def nbytes(self) -> int:
        return len(self._value)

    def value(self) -> str:
        return self._value.decode("utf-8")

    def wipe(self) -> None:
        self._value[:] = bytes(len(self._value))
        del self._value[:]

    def __repr__(self) -> str:
        return f"_Entry({self.token})"


class _Unstorable:
    """Refuses pickling and copying: what holds values must not leave the process."""

    __slots__ = ()

    def __reduce_ex__(self, protocol: Any) -> NoReturn:
        raise TypeError(_NOT_STORABLE)

    def __reduce__(self) -> NoReturn:
        raise TypeError(_NOT_STORABLE)

    def __getstate__(self) -> NoReturn:
        raise TypeError(_NOT_STORABLE)

    def __copy__(self) -> NoReturn:
        raise TypeError(_NOT_STORABLE)

    def __deepcopy__(self, memo: Any) -> NoReturn:
        raise TypeError(_NOT_STORABLE)


class PlaceholderMapping(_Unstorable):
    """Placeholders → values for one request or thread (see the module doc)."""

    __slots__ = (
        "__weakref__",
        "_bytes",
        "_by_key",
        "_by_token",
        "_clock",
        "_closed",
        "_created",
        "_lifetime_s",
        "_lock",
        "_max_bytes",
        "_max_entries",
        "_parts",
        "_reserved",
        "_secret",
        "_ttl_s",
        "_used",
    )

    def __init__(
        self,
        *,
        max_entries: int = MAX_ENTRIES,
        max_bytes: int = MAX_BYTES,
        ttl_s: float = TTL_S,
        lifetime_s: float = LIFETIME_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_entries < 1 or max_bytes < 1 or not ttl_s > 0 or not lifetime_s > 0:
            raise ValueError("bounds must be positive")
        self._lock = threading.RLock()
        self._secret = os.urandom(32)
        self._by_key: dict[bytes, _Entry] = {}
        self._by_token: dict[str, _Entry] = {}
        self._parts: dict[bytes, set[str]] = {}
        self._reserved: set[str] = set()
        self._bytes = 0
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._ttl_s = float(ttl_s)
        self._lifetime_s = float(lifetime_s)
        self._clock = clock
        self._created = self._used = clock()
        self._closed = False

    # -- what may be seen: counts and placeholders, never values ---------------------------
    def __len__(self) -> int:
        with self._lock:
            return len(self._by_token)

    @property
    def nbytes(self) -> int:
        """Bytes of values held."""
        with self._lock:
            return self._bytes

    @property
    def expired(self) -> bool:
        """True once it expired or was cleared (its values are wiped by then)."""
        with self._lock:
            if not self._closed and self._is_stale(self._clock()):
                self._wipe()
            return self._closed

    def tokens(self) -> tuple[str, ...]:
        """Its placeholders, by label then number (``〈住所1〉``, ``〈氏名1〉``, ``〈氏名2〉``)."""
        with self._lock:
            return tuple(sorted(self._by_token, key=lambda t: (label_of(t), number_of(t))))

    def entity_counts(self) -> dict[str, int]:
        """Placeholders per entity type (for the audit record)."""
        with self._lock:
            counts: dict[str, int] = {}
            for entry in self._by_token.values():
                counts[entry.entity_type] = counts.get(entry.entity_type, 0) + 1
            return dict(sorted(counts.items()))

    def clear(self) -> None:
        """Wipe every value now; the mapping cannot be used afterwards."""
        with self._lock:
            self._wipe()

    def __repr__(self) -> str:
        with self._lock:
            state = "closed" if self._closed else "open"
            return f"<PlaceholderMapping {state} entries={len(self._by_token)} bytes={self._bytes}>"

    def __del__(self) -> None:
        # Best effort: a dropped mapping wipes its values before the memory is reused.
        try:
            self._wipe()
        except Exception:  # nothing useful to do in a finaliser
            pass

    # -- for the planner and the restorer (package-private) --------------------------------
    def _value(self, token: str) -> str | None:
        """The value of ``token``; None if it is not one of ours."""
        with self._lock:
            self._alive()
            entry = self._by_token.get(token)
            return None if entry is None else entry.value()

    def _holds(self, token: str) -> bool:
        with self._lock:
            self._alive()
            return token in self._by_token

    def _assign(
        self, occurrences: Sequence[Occurrence], *, literal: Iterable[str], commit: bool
    ) -> list[str]:
        """The placeholder of each occurrence: an existing one for a value seen before,
        a new one otherwise (numbered in order of first appearance). With ``commit``
        the new ones are stored; without, nothing changes (a preview).

        Raises ``PlaceholderLimitError`` (nothing stored) when the new entries would not
        fit, ``PlaceholderExpiredError`` when the mapping is no longer usable.
        """
        with self._lock:
            self._alive()
            digests = [self._digest(o.entity_type, o.key) for o in occurrences]
            groups = _group(digests)
            identity = self._identities(occurrences, digests, groups)
            used = set(self._by_token) | self._reserved | set(literal)
            token_of: dict[_Identity, str] = {}
            new: dict[str, list[int]] = {}
            for i, g in enumerate(groups):
                who = identity[g]
                if who in token_of:
                    if token_of[who] in new:
                        new[token_of[who]].append(i)
                    continue
                if isinstance(who, str):
                    token_of[who] = who
                    continue
                token = _next_token(PLACEHOLDER_LABELS[occurrences[i].entity_type], used)
                used.add(token)
                token_of[who] = token
                new[token] = [i]
            tokens = [token_of[identity[g]] for g in groups]
            # The value shown is the fullest form written (a full name rather than the
            # surname alone); among equals, the first.
            chosen = {
                token: occurrences[min(members, key=lambda i: (-len(occurrences[i].key), i))]
                for token, members in new.items()
            }
            self._check_room(chosen.values())  # a preview must not promise what won't fit
            if commit:
                self._store(occurrences, digests, tokens, chosen, literal)
            return tokens

    # -- internals ------------------------------------------------------------------------
    def _digest(self, entity_type: str, key: str) -> bytes:
        data = f"{entity_type}\x00{key}".encode()
        return hashlib.blake2b(data, key=self._secret, digest_size=16).digest()

    def _identities(
        self, occurrences: Sequence[Occurrence], digests: Sequence[bytes], groups: Sequence[int]
    ) -> dict[int, _Identity]:
        """Who each group of equal values is: an existing placeholder (a value seen
        before), or a new person/value of this request (its group number).

        A name written alone next to an honorific or title (山田様, Ms. Santos) is the
        longer name it is part of — in the mapping or in this request — when there is
        exactly one such name; otherwise it is somebody of its own. A longer name first
        written *after* it as somebody's relative (La señora del Valle … Su nieta,
        Valentina del Valle) is not a candidate: the relative is most likely the relative
        *of* the person the name alone meant, who shares the family name.
        """
        identity: dict[int, _Identity] = {}
        for g in dict.fromkeys(groups):
            entry = self._by_key.get(digests[g])
            if entry is not None:
                identity[g] = entry.token
        parts: dict[int, set[str]] = {}
        addressed: set[int] = set()
        relatives: set[int] = set()
        for i, occ in enumerate(occurrences):
            if occ.entity_type == "PERSON":
                parts.setdefault(groups[i], set()).update(occ.parts)
                if occ.addressed:
                    addressed.add(groups[i])
                if occ.relative:
                    relatives.add(groups[i])
        for g in dict.fromkeys(groups):
            if g in identity or g not in addressed:
                continue
            key = occurrences[g].key
            # Groups are numbered by their first occurrence: h > g was first written later.
            found: set[_Identity] = {
                identity.get(h, h)
                for h, names in parts.items()
                if h != g and key in names and not (h > g and h in relatives)
            }
            found |= self._parts.get(self._digest("PERSON", key), set())
            if len(found) == 1:
                identity[g] = found.pop()
        for g in groups:
            identity.setdefault(g, g)
        return identity

    def _check_room(self, new: Iterable[Occurrence]) -> None:
        values = list(new)
        entries = len(self._by_token) + len(values)
        added = self._bytes + sum(len(o.surface.encode("utf-8")) for o in values)
        for limit, value, bound in (
            ("entries", entries, self._max_entries),
            ("bytes", added, self._max_bytes),
        ):
            if value > bound:
                raise PlaceholderLimitError(
                    _full(limit, bound, fresh=not self._by_token), limit=limit, value=value
                )

    def _store(
        self,
        occurrences: Sequence[Occurrence],
        digests: Sequence[bytes],
        tokens: Sequence[str],
        chosen: dict[str, Occurrence],
        literal: Iterable[str],
    ) -> None:
        for token, occ in chosen.items():
            entry = _Entry(occ.entity_type, token, occ.surface)
            self._by_token[token] = entry
            self._bytes += entry.nbytes
        for i, token in enumerate(tokens):
            self._by_key.setdefault(digests[i], self._by_token[token])
            for part in occurrences[i].parts:
                self._parts.setdefault(self._digest("PERSON", part), set()).add(token)
        self._reserved.update(literal)

    def _alive(self) -> None:
        now = self._clock()
        if not self._closed and self._is_stale(now):
            self._wipe()
        if self._closed:
            raise PlaceholderExpiredError(_EXPIRED)
        self._used = now

    def _is_stale(self, now: float) -> bool:
        return now - self._used > self._ttl_s or now - self._created > self._lifetime_s

    def _wipe(self) -> None:
        for entry in self._by_token.values():
            entry.wipe()
        self._by_token.clear()
        self._by_key.clear()
        self._parts.clear()
        self._reserved.clear()
        self._bytes = 0
        self._closed = True


def _group(digests: Sequence[bytes]) -> list[int]:
    """Occurrences with one canonical key form one group (numbered by first index)."""
    first: dict[bytes, int] = {}
    return [first.setdefault(d, i) for i, d in enumerate(digests)]


def _full(limit: str, bound: int, *, fresh: bool) -> str:
    size = f"最大 {bound} 件" if limit == "entries" else f"最大 {bound:,} バイト"
    if fresh:  # one text alone holds more than a whole thread may
        return (
            f"置き換える個人情報が多すぎるため送信できません（{size}）。"
            "文書を分けるか、名簿などの個人情報を減らしてください。"
        )
    return f"このスレッドの仮名の対応表がいっぱいです（{size}）。新しいスレッドで送信してください。"


def _next_token(label: str, used: set[str]) -> str:
    n = 1
    while format_token(label, n) in used:
        n += 1
    return format_token(label, n)


class PlaceholderMappings(_Unstorable):
    """The mappings of every open thread of this process, keyed by (user, thread id):
    at most ``max_mappings`` (the least recently used are wiped first); expired ones are
    wiped and replaced by a fresh mapping when asked for again."""

    def __init__(
        self,
        *,
        max_mappings: int = MAX_MAPPINGS,
        new: Callable[[], PlaceholderMapping] = PlaceholderMapping,
    ) -> None:
        """``new`` makes a thread's mapping (e.g. ``functools.partial(PlaceholderMapping,
        ttl_s=…)`` for other bounds)."""
        if max_mappings < 1:
            raise ValueError("max_mappings must be positive")
        self._max = max_mappings
        self._new = new
        self._mappings: OrderedDict[tuple[str, str], PlaceholderMapping] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, user: str, thread: str) -> PlaceholderMapping:
        """The thread's mapping (a new one when the thread is new or its mapping expired)."""
        key = (user, thread)
        with self._lock:
            mapping = self._mappings.get(key)
            if mapping is None or mapping.expired:
                mapping = self._new()
                self._mappings[key] = mapping
                while len(self._mappings) > self._max:
                    _, evicted = self._mappings.popitem(last=False)
                    evicted.clear()
            else:
                self._mappings.move_to_end(key)
            return mapping

    def discard(self, user: str, thread: str) -> None:
        """Wipe and forget one thread's mapping (the thread was closed)."""
        with self._lock:
            mapping = self._mappings.pop((user, thread), None)
        if mapping is not None:
            mapping.clear()

    def sweep(self) -> int:
        """Wipe and forget every expired mapping; how many there were."""
        with self._lock:
            stale = [k for k, m in self._mappings.items() if m.expired]
            for key in stale:
                del self._mappings[key]
        return len(stale)

    def clear(self) -> None:
        """Wipe every mapping (shutdown)."""
        with self._lock:
            mappings = list(self._mappings.values())
            self._mappings.clear()
        for mapping in mappings:
            mapping.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._mappings)

    def __repr__(self) -> str:
        return f"<PlaceholderMappings threads={len(self)}>"
