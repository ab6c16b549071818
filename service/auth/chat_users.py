"""Chat users registered through the admin API or CLI: a chat platform's account → the
staff id, 課 and role behind it, kept in the audit database (table `bot_chat_users`,
migration v0008_bots_identity).

The bots read these before the directory file (service.channels._identity): a mapping
added here takes effect with the next message, in every process sharing the database,
without editing the file. Every change is put on the audit log (task `admin`) with the
administrator who made it and what the mapping was before.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import DateTime, Index, String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ..audit import AuditEntry, AuditStatus, AuditStore, Channel
from ..errors import NotFoundError, YakubaError
from .roles import Role

__all__ = [
    "ADMIN_TASK",
    "BOT_PLATFORMS",
    "EXISTS_CODE",
    "CHAT_ID_PATTERN",
    "BotPlatform",
    "ChatUserChange",
    "ChatUserKey",
    "ChatUserMapping",
    "ChatUserStore",
    "StaffFields",
    "not_found",
]

# The chat platforms a mapping can name (service.channels' adapters).
BotPlatform = Literal["slack", "teams", "lineworks", "webhook"]
BOT_PLATFORMS: tuple[str, ...] = ("slack", "teams", "lineworks", "webhook")
Expectation = Literal["new", "existing", "any"]
EXISTS_CODE = "chat_user_exists"
ADMIN_TASK = "admin"
# Chat ids are platform ids (Slack U…, Entra object ids, LINE WORKS UUIDs, the webhook's
# own); printable ASCII without spaces keeps them out of harm in logs and the console.
CHAT_ID_PATTERN = r"^[\x21-\x7e]{1,256}$"


class StaffFields(BaseModel):
    """Who a chat account is: what the admin sets (and what the directory file holds)."""

    model_config = ConfigDict(extra="forbid")

    user: str = Field(
        min_length=1, max_length=256, pattern=r"^[^\x00-\x1f\x7f]+$", description="職員 ID"
    )
    department: str = Field(
        default="", max_length=256, pattern=r"^[^\x00-\x1f\x7f]*$", description="所属（課）"
    )
    role: Role | None = Field(default=None, description="省略時は YAKUBA_AUTH_DEFAULT_ROLE")


class ChatUserKey(BaseModel):
    """A chat account: the platform and the platform's id of the user."""

    platform: BotPlatform
    chat_user: str = Field(pattern=CHAT_ID_PATTERN, description="チャットツールの利用者 ID")


class ChatUserMapping(StaffFields, ChatUserKey):
    updated_at: datetime | None = None
    updated_by: str = ""


class ChatUserChange(BaseModel):
    """What a change did: the mapping before (None: new) and after (None: removed)."""

    before: ChatUserMapping | None
    after: ChatUserMapping | None

    @property
    def subject(self) -> ChatUserMapping:
        mapping = self.after or self.before
        assert mapping is not None, "a change has a before, an after or both"
        return mapping


class _Base(DeclarativeBase):
    pass


class ChatUserRow(_Base):
    __tablename__ = "bot_chat_users"
    __table_args__ = (Index("ix_bot_chat_users_user", "user"),)

    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    chat_user: Mapped[str] = mapped_column(String(256), primary_key=True)
    user: Mapped[str] = mapped_column(String(256))
    department: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(32))  # "" = the default role
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str] = mapped_column(String(256))

    def mapping(self) -> ChatUserMapping:
        return ChatUserMapping.model_validate(
            {
                "platform": self.platform,
                "chat_user": self.chat_user,
                "user": self.user,
                "department": self.department,
                "role": self.role or None,
                "updated_at": self.updated_at,
                "updated_by": self.updated_by,
            }
        )


class ChatUserStore:
    """The table, through the audit store's sessions (its migrations made the table)."""

    def __init__(self, audit: AuditStore) -> None:
        self.audit = audit

    def get(self, platform: str, chat_user: str) -> ChatUserMapping | None:
        with self.audit.session() as session:
            row = session.get(ChatUserRow, (platform, chat_user))
            return row.mapping() if row is not None else None

    def list(self, platform: str | None = None) -> list[ChatUserMapping]:
        query = select(ChatUserRow).order_by(ChatUserRow.platform, ChatUserRow.chat_user)
        if platform is not None:
            query = query.where(ChatUserRow.platform == platform)
        with self.audit.session() as session:
            return [row.mapping() for row in session.scalars(query)]

    def put(
        self,
        platform: str,
        chat_user: str,
        staff: StaffFields,
        *,
        by: str,
        channel: Channel,
        expect: Expectation = "any",
    ) -> ChatUserChange:
        """Adds (`expect="new"`: refused when it exists), replaces (`"existing"`: refused
        when it does not) or sets (`"any"`) the mapping of (`platform`, `chat_user`);
        audited."""
        with self.audit.session() as session, session.begin():
            row = session.get(ChatUserRow, (platform, chat_user), with_for_update=True)
            if row is not None and expect == "new":
                raise YakubaError(
                    f"{platform}:{chat_user} はすでに登録されています。変更は PUT で行ってください。",
                    code=EXISTS_CODE,
                )
            if row is None and expect == "existing":
                raise not_found(platform, chat_user)
            before = row.mapping() if row is not None else None
            if row is None:
                row = ChatUserRow(platform=platform, chat_user=chat_user)
                session.add(row)
            row.user = staff.user
            row.department = staff.department
            row.role = staff.role.value if staff.role else ""
            row.updated_at = datetime.now(UTC)
            row.updated_by = by[:256]
            session.flush()
            change = ChatUserChange(before=before, after=row.mapping())
        self._audit(change, by=by, channel=channel)
        return change

    def remove(self, platform: str, chat_user: str, *, by: str, channel: Channel) -> ChatUserChange:
        """Removes the mapping (NotFoundError when there is none); audited."""
        with self.audit.session() as session, session.begin():
            row = session.get(ChatUserRow, (platform, chat_user), with_for_update=True)
            if row is None:
                raise not_found(platform, chat_user)
            change = ChatUserChange(before=row.mapping(), after=None)
            session.delete(row)
        self._audit(change, by=by, channel=channel)
        return change

    def _audit(self, change: ChatUserChange, *, by: str, channel: Channel) -> None:
        # The change is already committed: an audit store that cannot write raises, and the
        # caller reports the failure (the mapping stays as changed, like any write whose
        # audit trail failed after the fact — the admin sees the error and can check).
        self.audit.append(
            AuditEntry(
                request_id=uuid.uuid4().hex,
                user=by,
                channel=channel,
                task=ADMIN_TASK,
                status=AuditStatus.ALLOWED,
                prompt="",
                answer=describe(change),
                chat_user=change.subject.chat_user,
            )
        )


def not_found(platform: str, chat_user: str) -> NotFoundError:
    return NotFoundError(
        f"{platform}:{chat_user} は管理画面（API）からは登録されていません"
        "（対応表ファイルの利用者は、ファイルを編集してください）。"
    )


def describe(change: ChatUserChange) -> str:
    """The audit log's Japanese line for `change`."""

    def staff(m: ChatUserMapping) -> str:
        role = m.role.value if m.role else "既定のロール"
        return f"{m.user}（{m.department or '所属なし'}、{role}）"

    who = f"{change.subject.platform}:{change.subject.chat_user}"
    if change.before is None and change.after is not None:
        return f"チャット利用者の対応を追加しました: {who} → {staff(change.after)}"
    if change.after is None and change.before is not None:
        return f"チャット利用者の対応を削除しました: {who}（{staff(change.before)}）"
    assert change.before is not None and change.after is not None
    return (
        f"チャット利用者の対応を変更しました: {who} → {staff(change.after)}"
        f"（変更前: {staff(change.before)}）"
    )
