"""The public register: values the municipality has published, with where each was found.

Ingest harvests them from documents declared public (``Guard.review_public_text``);
an administrator lists and revokes them. The guard treats a finding whose value is
registered as public information (``PublicBasis.REGISTER``) in prompts, retrieved
passages and outputs alike.

Thread-safe: writers take a lock and publish a new immutable index, readers (every
scan) look it up without locking. ``version`` grows with every change that alters
what is registered; ``Guard.config_version`` includes it, so callers that cache
verdicts drop them when the register changes. The register lives in memory; a
persistent store (service.register) loads it at start-up and again after every change,
with ``replace_all``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType

from pydantic import BaseModel, ConfigDict, Field

from guardrails._errors import GuardrailsError
from guardrails._register_keys import REGISTER_KINDS, register_key


class RegisterEntry(BaseModel):
    """One registered value and one place it was published (its provenance)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str = Field(
        description="ADDRESS, PHONE_NUMBER, EMAIL_ADDRESS, POSTAL_CODE, PERSON or ORGANIZATION"
    )
    value: str = Field(min_length=1, description="the value as written in the source")
    key: str = Field(min_length=1, description="canonical form the guard compares")
    source: str = Field(min_length=1, description="the document, as ingested")
    locator: str | None = Field(default=None, description="where in it: 第3条, p. 2, row 14 …")


_Index = Mapping[tuple[str, str], tuple[RegisterEntry, ...]]


class PublicRegister:
    """Published values by kind and canonical key, each with its provenance."""

    def __init__(self, entries: Iterable[RegisterEntry] = ()) -> None:
        self._lock = threading.Lock()
        self._index: _Index = MappingProxyType({})
        self._version = 0
        self.add_all(entries)

    @property
    def version(self) -> int:
        """Grows whenever the set of registered values or their provenance changes."""
        return self._version

    def __len__(self) -> int:
        return len(self._index)

    def add(
        self, kind: str, value: str, *, source: str, locator: str | None = None
    ) -> RegisterEntry | None:
        """Register ``value`` (None when it is no valid value of ``kind``)."""
        entry = make_entry(kind, value, source=source, locator=locator)
        if entry is not None:
            self.add_all([entry])
        return entry

    def add_all(self, entries: Iterable[RegisterEntry]) -> int:
        """Register many entries at once (one new version); returns how many were new."""
        fresh = list(entries)
        for entry in fresh:
            _check_kind(entry.kind)
        with self._lock:
            index = dict(self._index)
            added = 0
            for entry in fresh:
                slot = (entry.kind, entry.key)
                known = index.get(slot, ())
                if entry not in known:
                    index[slot] = (*known, entry)
                    added += 1
            if added:
                self._publish(index)
            return added

    def replace_all(self, entries: Iterable[RegisterEntry]) -> None:
        """Make ``entries`` (distinct) the whole register at once (a store reloaded
        after a change it records): one new version, readers see the old or the new
        register."""
        fresh = list(entries)
        for entry in fresh:
            _check_kind(entry.kind)
        index: dict[tuple[str, str], list[RegisterEntry]] = {}
        for entry in fresh:
            index.setdefault((entry.kind, entry.key), []).append(entry)
        with self._lock:
            self._publish({slot: tuple(found) for slot, found in index.items()})

    def revoke(self, kind: str, value: str, *, source: str | None = None) -> int:
        """Remove ``value`` (every provenance, or only ``source``'s); returns how many
        entries went."""
        key = register_key(kind, value)
        if key is None:
            return 0
        return self._remove(
            lambda e: e.kind == kind and e.key == key and source in (None, e.source)
        )

    def revoke_source(self, source: str) -> int:
        """Remove everything a document contributed (it was deleted or re-ingested)."""
        return self._remove(lambda e: e.source == source)

    def contains(self, kind: str, value: str) -> bool:
        """True when ``value`` is registered as a ``kind`` value (in any written form)."""
        key = register_key(kind, value)
        return key is not None and (kind, key) in self._index

    def provenance(self, kind: str, value: str) -> list[RegisterEntry]:
        """Where ``value`` was published (empty when it is not registered)."""
        key = register_key(kind, value)
        return [] if key is None else list(self._index.get((kind, key), ()))

    def entries(self, kind: str | None = None) -> list[RegisterEntry]:
        """Every entry (of ``kind``), sorted by kind, key and source: for the console."""
        every = [e for slot, found in self._index.items() if kind in (None, slot[0]) for e in found]
        return sorted(every, key=lambda e: (e.kind, e.key, e.source, e.locator or ""))

    def _remove(self, doomed: Callable[[RegisterEntry], bool]) -> int:
        with self._lock:
            index: dict[tuple[str, str], tuple[RegisterEntry, ...]] = {}
            removed = 0
            for slot, found in self._index.items():
                kept = tuple(e for e in found if not doomed(e))
                removed += len(found) - len(kept)
                if kept:
                    index[slot] = kept
            if removed:
                self._publish(index)
            return removed

    def _publish(self, index: dict[tuple[str, str], tuple[RegisterEntry, ...]]) -> None:
        # Readers see either the old or the new index, never a half-written one.
        self._index = MappingProxyType(index)
        self._version += 1


def make_entry(
    kind: str, value: str, *, source: str, locator: str | None = None
) -> RegisterEntry | None:
    """A register entry for ``value`` (None when it is no valid value of ``kind``)."""
    _check_kind(kind)
    key = register_key(kind, value)
    if key is None or not value.strip():
        return None
    return RegisterEntry(kind=kind, value=value.strip(), key=key, source=source, locator=locator)


def _check_kind(kind: str) -> None:
    # Never-public identifiers (マイナンバー, accounts …) can never be registered.
    if kind not in REGISTER_KINDS:
        raise GuardrailsError(
            "公開情報登録簿に登録できない種類です。",
            detail=f"{kind} not in {sorted(REGISTER_KINDS)}",
        )
