"""Helpers for the placeholder tests: a scan result with chosen findings, so that the
placeholder mechanism is tested apart from what the recognisers find today."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache

from guardrails import (
    Action,
    Finding,
    PlaceholderMapping,
    PublicBasis,
    Restoration,
    ScanResult,
    StreamRestorer,
)
from guardrails._config import Policy, load_policy

# (type, substring) or (type, substring, n-th occurrence) or (type, substring, n, public)
Spec = tuple[str, str] | tuple[str, str, int] | tuple[str, str, int, PublicBasis]


def finding_at(text: str, spec: Spec, taken: Sequence[Finding] = ()) -> Finding:
    """The finding ``spec`` names: its n-th occurrence when given, else the first one
    that overlaps none of ``taken`` (山田 after 山田太郎 is the later, separate 山田)."""
    entity, value = spec[0], spec[1]
    public = spec[3] if len(spec) > 3 else None
    if len(spec) > 2:
        start = -1
        for _ in range(spec[2] + 1):  # type: ignore[misc]
            start = text.index(value, start + 1)
    else:
        start = text.index(value)
        while any(f.start < start + len(value) and start < f.end for f in taken):
            start = text.index(value, start + 1)
    return Finding(type=entity, start=start, end=start + len(value), score=0.9, public=public)


def scan_of(text: str, specs: Sequence[Spec]) -> ScanResult:
    """What the guard would return for ``text`` if it found exactly ``specs``."""
    findings: list[Finding] = []
    for spec in specs:
        findings.append(finding_at(text, spec, findings))
    findings.sort(key=lambda f: f.start)
    personal = any(f.public is None and f.type != "CORPORATE_NUMBER" for f in findings)
    return ScanResult(
        action=Action.BLOCK if personal else Action.ALLOW, findings=findings, redacted=text
    )


@cache
def bundled_policy() -> Policy:
    return load_policy()


def restore_in_pieces(
    mapping: PlaceholderMapping, sent: str, answer: str, sizes: Iterator[int]
) -> tuple[str, Restoration]:
    """``answer`` restored by a ``StreamRestorer`` fed pieces of the given sizes."""
    restorer = StreamRestorer(mapping, sent=sent)
    out: list[str] = []
    i = 0
    while i < len(answer):
        n = next(sizes)
        out.append(restorer.feed(answer[i : i + n]))
        i += n
    out.append(restorer.close())
    return "".join(out), restorer.result()
