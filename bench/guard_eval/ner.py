"""The Wikinews NER set (Hironsan/IOB2Corpus, CC BY 2.5) as samples.

MeCab tokens are concatenated without spaces (as Japanese is written). ``PSN`` spans
become PERSON gold spans. ``LOC`` spans are place names (countries, cities), not
addresses: they are kept in ``meta["loc"]`` so that ADDRESS findings on them can be
ignored rather than counted; every other tag is ignored.
"""

from __future__ import annotations

from pathlib import Path

from bench.guard_eval.model import Sample, Span

NER_PATH = Path(__file__).resolve().parent / "data" / "hironsan_iob2.txt"


def _flush(tokens: list[tuple[str, str]], index: int, out: list[Sample]) -> None:
    text_parts: list[str] = []
    spans: list[Span] = []
    locs: list[list[int]] = []
    pos = 0
    current: tuple[str, int] | None = None  # (tag, start)

    def close(end: int) -> None:
        nonlocal current
        if current is None:
            return
        tag, start = current
        if tag == "PSN":
            spans.append(Span("PERSON", start, end, "".join(text_parts)[start:end]))
        elif tag == "LOC":
            locs.append([start, end])
        current = None

    for surface, label in tokens:
        if (
            label.startswith("B-")
            or label == "O"
            or (label.startswith("I-") and (current is None or current[0] != label[2:]))
        ):
            close(pos)
            if label != "O":
                current = (label[2:], pos)
        text_parts.append(surface)
        pos += len(surface)
    close(pos)
    text = "".join(text_parts)
    out.append(
        Sample(
            id=f"ner-{index:03d}",
            kind="ner",
            category="Wikinews",
            text=text,
            spans=tuple(spans),
            meta={"loc": locs},
        )
    )


def load_ner_samples(path: Path = NER_PATH, limit: int | None = None) -> list[Sample]:
    """Sentences of the IOB2 file (blank-line separated; surface first, tag last)."""
    samples: list[Sample] = []
    tokens: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip():
                if tokens:
                    _flush(tokens, len(samples), samples)
                    tokens = []
                continue
            fields = line.split("\t")
            tokens.append((fields[0], fields[-1].strip()))
    if tokens:
        _flush(tokens, len(samples), samples)
    return samples[:limit] if limit is not None else samples
