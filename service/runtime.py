"""Builds the long-lived parts (guard, knowledge base, audit store, model) once."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

from guardrails import ENTITY_LABELS_JA, Guard, PublicRegister, build_guard
from ingest import (
    KnowledgeBase,
    Mask,
    Published,
    ScreenVerdict,
    make_embedder,
    make_reranker,
    open_knowledge_base,
)

from .audit import AuditStore
from .auth.chat_users import ChatUserStore
from .errors import LLMNotConfiguredError
from .llm import ChatModel, build_chat_model
from .observability import Metrics, Readiness
from .pipeline.core import Pipeline
from .pipeline.passages import PassageScreen
from .pipeline.prompting import PromptLibrary, load_prompts
from .pipeline.tasks import Tasks
from .pipeline.threads import Conversations
from .purpose import PurposePolicy
from .register import RegisterHarvest, RegisterStore, RegisterSync
from .settings import Settings

_DOCUMENT_COUNT_TTL_S = 60.0

logger = logging.getLogger(__name__)


@dataclass
class Runtime:
    """Lazily built components; the CLI's `guard scan` never loads the index, for example."""

    settings: Settings
    _count_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _document_count: tuple[float, int] | None = field(default=None, repr=False)

    @cached_property
    def guard(self) -> Guard:
        """The guard, with the public register as the store holds it now (the service
        then follows its changes: `register_sync.start()`)."""
        guard = build_guard(
            self.settings.guard_policy_file,
            timeout_s=self.settings.guard_timeout_s,
            denylist_path=self.settings.guard_denylist_file,
            register=self.public_register,
        )
        try:
            self.register_sync.refresh(force=True)
        except Exception as exc:
            # Without the register the guard only blocks more (public values it would
            # have let through), never less; the service's readiness reports the database.
            logger.error("public register not loaded: %s", type(exc).__name__)
        return guard

    @cached_property
    def public_register(self) -> PublicRegister:
        return PublicRegister()

    @cached_property
    def register_store(self) -> RegisterStore:
        return RegisterStore(self.settings.audit_database_url)

    @cached_property
    def register_sync(self) -> RegisterSync:
        """Keeps `guard.register` equal to the store (service.register)."""
        return RegisterSync(
            self.register_store,
            self.public_register,
            interval_s=self.settings.register_refresh_s,
        )

    @cached_property
    def knowledge_base(self) -> KnowledgeBase:
        s = self.settings
        return open_knowledge_base(
            data_dir=s.data_dir,
            collection=s.collection,
            qdrant_url=s.qdrant_url,
            qdrant_api_key=s.qdrant_api_key.get_secret_value() if s.qdrant_api_key else None,
            embedder=make_embedder(
                s.embedding,
                base_url=s.embedding_base_url,
                api_key=s.embedding_api_key.get_secret_value() if s.embedding_api_key else None,
                api_version=s.embedding_api_version,
            ),
            screen=self.screen_chunk,
            withhold_flagged=s.ingest_personal_data == "withhold",
            reranker=make_reranker(s.reranker),
            rerank_candidates=s.rerank_candidates,
            published=RegisterHarvest(self.register_store),
        )

    def screen_chunk(self, text: str) -> ScreenVerdict:
        """The ingest verdict on a text of a document declared public (a chunk, a
        title, a heading, a table row): see `screen_public_text`."""
        return screen_public_text(self.guard, text)

    @cached_property
    def audit(self) -> AuditStore:
        store = AuditStore.from_settings(self.settings)
        # Requests that were on their way to the model when a process died (SIGKILL,
        # power loss) are chained now as `interrupted`; a live process's are left alone.
        store.recover_intents()
        return store

    @cached_property
    def chat_users(self) -> ChatUserStore:
        """Chat users registered through the admin API (the bots' identity, docs/bots.md)."""
        return ChatUserStore(self.audit)

    @cached_property
    def chat_model(self) -> ChatModel | None:
        try:
            return build_chat_model(self.settings)
        except LLMNotConfiguredError:
            return None

    @cached_property
    def metrics(self) -> Metrics:
        metrics = Metrics()
        metrics.gauge(
            "yakuba_model_queue",
            "Model calls of this process waiting for a free slot (YAKUBA_LLM_MAX_CONCURRENCY)",
            self._model_queue,
        )
        return metrics

    def _model_queue(self) -> float:
        model = self.__dict__.get("chat_model")  # never builds the model to read a gauge
        return float(model.waiting) if model is not None else 0.0

    @cached_property
    def readiness(self) -> Readiness:
        s = self.settings
        checks: dict[str, Callable[[], object]] = {
            "database": self.audit.ping,
            "index": lambda: self.knowledge_base.index.count(),
        }
        if s.readyz_check_model and self.chat_model is not None:
            model = self.chat_model
            checks["model"] = lambda: model.ping(s.readyz_timeout_s)
        return Readiness(checks, timeout_s=s.readyz_timeout_s)

    @cached_property
    def assistant(self) -> Pipeline:
        """The pipeline every channel calls (`ask`, `aask`, and the steps)."""
        assistant = self._build_assistant()
        # Every finished request, as audited, feeds the metrics.
        assistant.on_finish.append(self.metrics.observe)
        return assistant

    def _build_assistant(self) -> Pipeline:
        return Pipeline(
            guard=self.guard,
            knowledge_base=self.knowledge_base,
            audit=self.audit,
            chat_model=self.chat_model,
            max_prompt_chars=self.settings.max_prompt_chars,
            retrieval_k=self.settings.retrieval_k,
            min_relevance=self.settings.min_relevance,
            prompts=self.prompts,
            purpose_policy=PurposePolicy.parse(self.settings.restricted_purposes),
            passages=PassageScreen(self.guard),
        )

    @cached_property
    def prompts(self) -> PromptLibrary:
        return load_prompts(self.settings.prompts_dir)

    @cached_property
    def tasks(self) -> Tasks:
        s = self.settings
        return Tasks(
            self.assistant,
            ai_label=s.ai_label,
            max_document_chars=s.max_document_chars,
            max_upload_bytes=s.max_upload_bytes,
        )

    @cached_property
    def conversations(self) -> Conversations:
        s = self.settings
        return Conversations(
            s.audit_database_url,
            max_turns=s.thread_max_turns,
            max_chars=s.thread_max_chars,
            ttl=timedelta(hours=s.thread_ttl_hours),
        )

    def document_count(self) -> int:
        """How many documents the index holds, re-read at most every
        `_DOCUMENT_COUNT_TTL_S`: counting reads every chunk's payload (a 100k-chunk index
        is seconds of CPU), and a load balancer may ask /healthz every few seconds. The
        service never ingests itself, so a short delay after `yakuba ingest` is harmless."""
        now = time.monotonic()
        with self._count_lock:
            cached = self._document_count
            if cached is None or now - cached[0] > _DOCUMENT_COUNT_TTL_S:
                cached = (now, len(self.knowledge_base.index.documents()))
                self._document_count = cached
            return cached[1]

    def close(self) -> None:
        if "register_sync" in self.__dict__:
            self.register_sync.close()
        if "register_store" in self.__dict__:
            self.register_store.close()
        if "knowledge_base" in self.__dict__:
            self.knowledge_base.close()
        if "audit" in self.__dict__:
            self.audit.close()
        if "conversations" in self.__dict__:
            self.conversations.close()


def screen_public_text(guard: Guard, text: str) -> ScreenVerdict:
    """The guard's public-document policy (`Guard.review_public_text`, docs/guard.md) as
    the knowledge base's screen: withheld only for identifiers that are never public and
    a private person's name with their contact data; what is judged public (an office's
    phone number) is not reported; a failed review withholds the whole text (fail
    closed). The masks cover every finding not judged public, for report mode; the
    values it publishes go to the public register (`PublicTextReview.published`)."""
    review = guard.review_public_text(text)
    if review.error is not None:
        return ScreenVerdict(
            kinds=(review.error,),
            withhold=True,
            masks=(Mask(start=0, end=len(text), label="<未検査>"),),
        )
    private = [f for f in review.findings if f.public is None]
    return ScreenVerdict(
        kinds=tuple(sorted({f.type for f in private})),
        withhold=review.withhold,
        masks=tuple(
            Mask(start=f.start, end=f.end, label=f"<{ENTITY_LABELS_JA.get(f.type, '個人情報')}>")
            for f in private
        ),
        published=tuple(Published(kind=v.kind, value=v.value) for v in review.published()),
    )
