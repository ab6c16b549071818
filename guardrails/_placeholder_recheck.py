"""A second look at the text about to be sent, with the placeholders in it.

Replacing a value changes the text around it, and a recogniser may read the remainder
differently: an address span that swallowed the first character of the name after it
(…49番地 三|浦里佳 様) leaves 浦里佳, which the guard finds once the address is a
placeholder. ``placeholder_prompt(…, rescan=guard.scan)`` scans the text to be sent
once more; every personal finding there that lies outside the placeholders and mask
labels is carried back onto the staff member's text (``carry_back``) and the plan is
made again from both scans, so what is sent holds nothing the guard can still see.
"""

from __future__ import annotations

from collections.abc import Sequence

from guardrails._models import Action, Finding, ScanResult


def carry_back(
    sent: str, replacements: Sequence[tuple[int, int, str]], rescanned: ScanResult
) -> list[Finding]:
    """The personal findings of ``rescanned`` (a scan of ``sent``) as findings of the
    original text; ``replacements`` are (start, end, text put there) in the original.
    A finding is clipped to the text between placeholders: a placeholder itself is never
    a finding, and the value it stands for is already replaced."""
    gaps: list[tuple[int, int, int]] = []  # (start, end) in sent, and sent - original
    shift, pos = 0, 0
    for start, end, put in sorted(replacements):
        gaps.append((pos, start + shift, shift))
        shift += len(put) - (end - start)
        pos = end + shift
    gaps.append((pos, len(sent), shift))
    found: list[Finding] = []
    for finding in rescanned.personal_findings:
        for low, high, delta in gaps:
            start, end = max(finding.start, low), min(finding.end, high)
            if start < end:
                found.append(
                    Finding(
                        type=finding.type, start=start - delta, end=end - delta, score=finding.score
                    )
                )
    return found


def merged(scan: ScanResult, kept: Sequence[Finding], extra: Sequence[Finding]) -> ScanResult:
    """``scan`` with the ``extra`` findings. A finding that was sent as written (``kept``:
    public information) and that an extra one overlaps gives way to it — the stricter
    reading wins; every other finding of ``scan`` stays, and the extra ones are clipped
    to the text outside them."""
    handled = [f for f in scan.findings if f not in kept]
    added: list[Finding] = []
    for finding in extra:
        added += _outside(finding, handled)
    stays = [
        f
        for f in scan.findings
        if not any(a.start < f.end and f.start < a.end for a in added) or f in handled
    ]
    return ScanResult(
        action=Action.BLOCK,
        findings=sorted([*stays, *added], key=lambda f: f.start),
        redacted=scan.redacted,
    )


def _outside(finding: Finding, spans: Sequence[Finding]) -> list[Finding]:
    """The parts of ``finding`` that no span of ``spans`` covers."""
    pieces = [(finding.start, finding.end)]
    for span in spans:
        pieces = [
            piece
            for low, high in pieces
            for piece in ((low, min(high, span.start)), (max(low, span.end), high))
            if piece[0] < piece[1]
        ]
    return [finding.model_copy(update={"start": a, "end": b}) for a, b in pieces]
