"""The store as the knowledge base's ``PublishedSink``: what `yakuba ingest` finds in a
public document goes into the register with its provenance (document, locator)."""

from __future__ import annotations

from collections.abc import Sequence

from guardrails import GuardrailsError, RegisterEntry, make_entry
from ingest import IngestError, Published

from ..errors import YakubaError
from ._store import RegisterStore


class RegisterHarvest:
    """Writes each ingested document's published values through to the store."""

    def __init__(self, store: RegisterStore) -> None:
        self._store = store

    def harvested(self, source: str) -> str | None:
        try:
            return self._store.harvested(source)
        except Exception as exc:
            raise _failed(source, exc) from exc

    def replace(self, source: str, doc_hash: str, values: Sequence[Published]) -> None:
        entries: list[RegisterEntry] = []
        for value in values:
            try:
                entry = make_entry(value.kind, value.value, source=source, locator=value.locator)
            except GuardrailsError:  # a kind the register does not hold: never public
                continue
            if entry is not None:
                entries.append(entry)
        try:
            self._store.replace_document(source, doc_hash, entries)
        except Exception as exc:
            raise _failed(source, exc) from exc

    def remove(self, source: str) -> None:
        try:
            self._store.remove_document(source)
        except Exception as exc:
            raise _failed(source, exc) from exc


def _failed(source: str, exc: Exception) -> IngestError:
    why = str(exc) if isinstance(exc, YakubaError) else type(exc).__name__
    return IngestError(f"公開情報登録簿に書き込めませんでした（{why}）。", path=source)
