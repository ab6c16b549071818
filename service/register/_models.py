"""The tables of the public register, in the audit database (SQLite by default,
PostgreSQL in production), created by the audit package's migrations (v0010_register).

``register_entries`` holds one row per value and place it was published (provenance);
``register_revocations`` the values an administrator revoked — by kind and canonical
key, so a revocation outlives re-ingesting the documents that publish the value;
``register_documents`` which version of each document was harvested; the one row of
``register_state`` counts changes, so other processes notice them cheaply.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Longer values are not registered (no address or name is this long).
MAX_VALUE_CHARS = 512
MAX_SOURCE_CHARS = 1024
MAX_LOCATOR_CHARS = 512


class RegisterBase(DeclarativeBase):
    pass


class RegisterRow(RegisterBase):
    __tablename__ = "register_entries"
    __table_args__ = (
        Index("ix_register_entries_kind_key", "kind", "key"),
        Index("ix_register_entries_source", "source"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(MAX_VALUE_CHARS))
    value: Mapped[str] = mapped_column(String(MAX_VALUE_CHARS))
    source: Mapped[str] = mapped_column(String(MAX_SOURCE_CHARS))
    locator: Mapped[str] = mapped_column(String(MAX_LOCATOR_CHARS), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Revocation(RegisterBase):
    __tablename__ = "register_revocations"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(MAX_VALUE_CHARS), primary_key=True)
    value: Mapped[str] = mapped_column(String(MAX_VALUE_CHARS))
    revoked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_by: Mapped[str] = mapped_column(String(256))


class HarvestedDocument(RegisterBase):
    __tablename__ = "register_documents"

    source: Mapped[str] = mapped_column(String(MAX_SOURCE_CHARS), primary_key=True)
    doc_hash: Mapped[str] = mapped_column(String(64))
    harvested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RegisterState(RegisterBase):
    __tablename__ = "register_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    revision: Mapped[int] = mapped_column(Integer)
