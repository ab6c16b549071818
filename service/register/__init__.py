"""The public register, persisted: values published in the ingested public documents
(addresses, phone numbers, e-mail addresses, facility and office names, officials'
names) with their provenance, which the guard treats as public information.

    store = RegisterStore(settings.audit_database_url)
    sync = RegisterSync(store, guard.register)      # load now, follow changes
    sync.refresh(force=True); sync.start()
    kb = open_knowledge_base(..., published=RegisterHarvest(store))   # ingest fills it
    store.search(RegisterQuery(kind="PHONE_NUMBER"))                  # the console lists
    store.revoke(entry_id, by=user); sync.refresh()                   # and revokes

See docs/register.md.
"""

from __future__ import annotations

from ._harvest import RegisterHarvest
from ._store import RegisterStore
from ._sync import DEFAULT_INTERVAL_S, RegisterSync
from ._views import KIND_LABELS, EntryStatus, EntryView, RegisterChange, RegisterPage, RegisterQuery

__all__ = [
    "DEFAULT_INTERVAL_S",
    "KIND_LABELS",
    "EntryStatus",
    "EntryView",
    "RegisterChange",
    "RegisterHarvest",
    "RegisterPage",
    "RegisterQuery",
    "RegisterStore",
    "RegisterSync",
]
