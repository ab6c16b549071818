"""Retrieval for grounded answers: the knowledge base's passages, screened with their
titles (`passages`), numbered as citations, and the honest answer when nothing answers
the question. Only screened passages are ever turned into citations or context."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ingest import KnowledgeBase, Verdict

from .contracts import NO_RESULTS, Citation
from .passages import PassageScreen, ScreenedPassage

_EXCERPT_CHARS = 400
CLOSEST_HEADING = (
    "該当する資料が見つかりませんでした。ご質問に直接答えていない可能性がありますが、"
    "最も近い資料の該当箇所を示します。"
)


@dataclass(frozen=True)
class Retrieved:
    """Screened passages and their citations (same order), and the knowledge base's
    verdict on whether they answer the question."""

    passages: list[ScreenedPassage]
    citations: list[Citation]
    verdict: Verdict


def retrieve(
    knowledge_base: KnowledgeBase,
    screen: PassageScreen,
    query: str,
    *,
    k: int,
    min_relevance: float,
) -> Retrieved:
    retrieval = knowledge_base.retrieve(query, k=k)
    # Passages less similar to the question than `min_relevance` are not evidence.
    passages = [
        screen.passage(h)
        for h in retrieval.hits
        if h.relevance is None or h.relevance >= min_relevance
    ]
    return Retrieved(passages, citations_from(passages), retrieval.answerability.verdict)


def citations_from(passages: Sequence[ScreenedPassage]) -> list[Citation]:
    return [
        Citation(
            number=i,
            source=p.source,
            title=p.title,
            locator=p.locator,
            heading=p.heading,
            excerpt=p.text[:_EXCERPT_CHARS],
            score=p.score,
        )
        for i, p in enumerate(passages, start=1)
    ]


def unanswered_text(verdict: Verdict, citations: Sequence[Citation]) -> str | None:
    """The honest answer when retrieval found nothing that answers the question (the
    knowledge base's verdict, ingest.Verdict): None when the passages answer it;
    「該当する資料が見つかりませんでした」 when nothing is close (or no passage is left);
    otherwise the closest passages under a heading that says they may not answer it."""
    if not citations or verdict is Verdict.NONE:
        return NO_RESULTS
    if verdict is Verdict.ANSWERED:
        return None
    return f"{CLOSEST_HEADING}\n\n{quoted(citations)}"


# The ask prompt's rule (prompts/ask.toml): a model that finds no answer in the passages
# says 「該当する資料が見つかりませんでした」. With a model configured, it is the second
# judge of whether anything answers — it reads question and passages together, which no
# offline signal does (docs/retrieval.md) — and its refusal is a no-result answer.
_DECLINED = NO_RESULTS.rstrip("。")


def declined(text: str) -> bool:
    """Whether the model's reply is the honest no-result answer (it may go on to say
    why, e.g. what the passages are about instead)."""
    return text.lstrip(" \n\t「*#").startswith(_DECLINED)


def quoted(citations: Sequence[Citation]) -> str:
    """The citations as quotations (extractive answers)."""
    return "\n\n".join(f"[{c.number}] {c.label}\n「{c.excerpt}」" for c in citations)


def context_block(citations: Sequence[Citation], passages: Sequence[ScreenedPassage]) -> str:
    """The passages as the model reads them, each under its (screened) citation label."""
    return "\n\n".join(
        f"[{c.number}] {c.label}\n{p.text}" for c, p in zip(citations, passages, strict=True)
    )
