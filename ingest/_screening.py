"""The personal-data screen over everything of a document that the index stores.

The model and the people using Yakuba see more of a chunk than its text: its title, its
locator (a manual's heading path: 「苦情対応 > 山田太郎様（090-…）からの苦情」) and its
caption are printed in every citation. And a table row is read across its cells, which a
text scan does not do. So each chunk is screened as

* its **labels** — the file's path, the document title, the locator and the caption,
  each alone (each is screened once per document);
* the chunk **as the model sees it** — its citation, a line break, its text (so a name in
  a heading and a phone number in the body are seen together);
* each **table row** it shows, as a reader reads it (``Chunk.readings``).

The screen itself is a callback (``ChunkScreen``): the knowledge base stays independent
of the guard, the service passes the guard's public-document policy in. Its verdict says
what was found, whether the policy withholds the text, and which spans to mask.

With ``withhold`` a chunk any of whose units is withheld stays out of the index. Without
it (``YAKUBA_INGEST_PERSONAL_DATA=report``) the chunk is indexed **masked**: every span a
withholding verdict names is replaced by its label (``<氏名>``) in the title, locator,
caption and text, and a withheld table row is shown as its masked reading — nothing the
screen withheld is stored raw, so nothing of it can reach an excerpt, a citation or the
audit record later. A withheld file path is the exception: it identifies the document in
the index (re-ingest, prune), so it withholds the document in both modes. Findings the policy only reports (an office's phone number in a
public document) are indexed as written in both modes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from ._models import Chunk, RowReading
from ._published import Published

_DIGIT_RUN = re.compile(r"[0-9０-９]+")
_PATH_SEPARATORS = re.compile(r"[\\/_]+")

__all__ = ["ChunkScreen", "DocumentScreen", "Mask", "ScreenOutcome", "ScreenVerdict", "Unit"]


class Mask(BaseModel):
    """A span of the screened text to replace by ``label`` (e.g. ``<電話番号>``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    label: str


class ScreenVerdict(BaseModel):
    """What the screen found in one text: the types not judged public (``kinds``, for
    the report), whether the policy withholds the text, and the spans to mask when a
    withheld text is indexed anyway (report mode)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kinds: tuple[str, ...] = ()
    withhold: bool = False
    masks: tuple[Mask, ...] = ()
    # The values the text publishes (for the public register): taken only from a chunk
    # indexed as written, see ingest._published.
    published: tuple[Published, ...] = ()


CLEAN = ScreenVerdict()
# Returns the verdict on one text. Must fail closed: a text it cannot judge is withheld.
ChunkScreen = Callable[[str], ScreenVerdict]


class Unit(StrEnum):
    """What of a chunk a withholding verdict was about."""

    SOURCE = "source"  # the file's path or name
    TITLE = "title"
    HEADING = "heading"  # the locator (heading path) or the caption
    TEXT = "text"
    ROW = "row"


def mask_text(text: str, masks: tuple[Mask, ...], offset: int = 0) -> str:
    """``text`` (found at ``offset`` of the screened text) with the masks that fall in
    it replaced; a mask straddling its edge is clipped to it."""
    out: list[str] = []
    at = 0
    for mask in sorted(masks, key=lambda m: m.start):
        start = max(mask.start - offset, at)
        end = min(mask.end - offset, len(text))
        if end <= start:
            continue
        out.append(text[at:start])
        out.append(mask.label)
        at = end
    out.append(text[at:])
    return "".join(out)


@dataclass(frozen=True)
class _Citation:
    """A chunk's citation line with where its labels are in it (as `Chunk.citation`)."""

    line: str
    title_at: int
    locator_at: int
    heading_at: int

    @classmethod
    def of(cls, chunk: Chunk) -> _Citation:
        title_at = 0
        locator_at = len(chunk.title) + 1
        heading_at = locator_at + len(chunk.locator) + 1
        caption = f"（{chunk.heading}）" if chunk.heading else ""
        return cls(f"{chunk.title} {chunk.locator}{caption}", title_at, locator_at, heading_at)


@dataclass
class ScreenOutcome:
    """The chunks to index and what the screen found: ``found`` counts, per entity
    type, the chunks it was found in; ``withheld`` the chunks kept out of the index;
    ``units`` what the withholding verdicts were about (title, heading, text, row);
    ``published`` the values the chunks indexed as written publish, with their locator."""

    kept: list[Chunk]
    found: dict[str, int] = field(default_factory=dict)
    withheld: int = 0
    units: Counter[Unit] = field(default_factory=Counter)
    masked: int = 0
    published: list[Published] = field(default_factory=list)


class DocumentScreen:
    """Screens a document's chunks, their labels and their table rows (see module)."""

    def __init__(self, screen: ChunkScreen, *, withhold: bool) -> None:
        self._screen = screen
        self._withhold = withhold

    def apply(self, chunks: list[Chunk]) -> ScreenOutcome:
        labels: dict[str, ScreenVerdict] = {}
        outcome = ScreenOutcome(kept=[])
        for chunk in chunks:
            self._chunk(chunk, labels, outcome)
        if outcome.withheld:
            # Survivors are renumbered so a document's chunk count stays consistent.
            outcome.kept = [c.model_copy(update={"ordinal": i}) for i, c in enumerate(outcome.kept)]
        return outcome

    def _label(self, text: str, cache: dict[str, ScreenVerdict]) -> ScreenVerdict:
        if not text.strip():
            return CLEAN
        if text not in cache:
            cache[text] = self._screen(text)
        return cache[text]

    def _chunk(self, chunk: Chunk, cache: dict[str, ScreenVerdict], outcome: ScreenOutcome) -> None:
        cite = _Citation.of(chunk)
        body = self._screen(f"{cite.line}\n{chunk.text}")
        source = self._label(path_words(chunk.source), cache)
        title, locator, heading = (
            self._label(text, cache) for text in (chunk.title, chunk.locator, chunk.heading)
        )
        rows = [(row, [self._screen(r) for r in row.readings]) for row in chunk.readings]
        verdicts = [source, title, locator, heading, body, *(v for _, vs in rows for v in vs)]
        for kind in {k for v in verdicts for k in v.kinds}:
            outcome.found[kind] = outcome.found.get(kind, 0) + 1
        units = _withheld_units(title, (locator, heading), body, rows)
        if source.withhold:
            units.add(Unit.SOURCE)
        if not units:
            outcome.kept.append(chunk)
            _collect_published(chunk, verdicts, outcome.published)
            return
        outcome.units.update(units)
        # The source path is the document's identity in the index (re-ingest, prune):
        # it cannot be stored masked, so a personal file name withholds in either mode.
        safe = (
            None
            if self._withhold or Unit.SOURCE in units
            else _masked(chunk, cite, title, locator, heading, body, rows)
        )
        if safe is None:
            outcome.withheld += 1
        else:
            outcome.kept.append(safe)
            outcome.masked += 1


def _collect_published(chunk: Chunk, verdicts: list[ScreenVerdict], into: list[Published]) -> None:
    """The values a kept chunk publishes, each once, located at the chunk."""
    locator = chunk.locator or chunk.heading or f"#{chunk.ordinal + 1}"
    seen = {(p.kind, p.value, p.locator) for p in into}
    for verdict in verdicts:
        for value in verdict.published:
            slot = (value.kind, value.value, locator)
            if slot not in seen:
                seen.add(slot)
                into.append(Published(kind=value.kind, value=value.value, locator=locator))


def path_words(source: str) -> str:
    """A file's path as words (``相談記録/山田太郎_090….docx`` → ``相談記録 山田太郎 090….docx``):
    the source is shown with every citation, and people name files after residents."""
    return " ".join(_PATH_SEPARATORS.split(source)).strip()


def _withheld_units(
    title: ScreenVerdict,
    headings: tuple[ScreenVerdict, ScreenVerdict],
    body: ScreenVerdict,
    rows: list[tuple[RowReading, list[ScreenVerdict]]],
) -> set[Unit]:
    units: set[Unit] = set()
    if title.withhold:
        units.add(Unit.TITLE)
    if any(v.withhold for v in headings):
        units.add(Unit.HEADING)
    if body.withhold:
        units.add(Unit.TEXT)
    if any(v.withhold for _, vs in rows for v in vs):
        units.add(Unit.ROW)
    return units


def _masked(
    chunk: Chunk,
    cite: _Citation,
    title: ScreenVerdict,
    locator: ScreenVerdict,
    heading: ScreenVerdict,
    body: ScreenVerdict,
    rows: list[tuple[RowReading, list[ScreenVerdict]]],
) -> Chunk | None:
    """The chunk with everything a withholding verdict names masked; None when a
    withheld row cannot be found in the text to replace (a row split across chunks)."""
    spans = body.masks if body.withhold else ()
    text_at = len(cite.line) + 1
    row_masks: list[Mask] = []
    for row, verdicts in rows:
        if not any(v.withhold for v in verdicts):
            continue
        at = [m.start() for m in re.finditer(re.escape(row.shown), chunk.text)]
        if not at:
            return None
        shown = _masked_row(row, verdicts)
        row_masks.extend(
            Mask(start=text_at + a, end=text_at + a + len(row.shown), label=shown) for a in at
        )
    # A withheld row is replaced whole, whatever the chunk's own verdict masked in it.
    outside = [m for m in spans if not any(m.start < r.end and r.start < m.end for r in row_masks)]
    text = mask_text(chunk.text, (*outside, *row_masks), text_at)
    new_title = _mask_label(chunk.title, title, spans, cite.title_at)
    new_locator = _mask_label(chunk.locator, locator, spans, cite.locator_at)
    new_heading = _mask_label(chunk.heading, heading, spans, cite.heading_at)
    return chunk.model_copy(
        update={"title": new_title, "locator": new_locator, "heading": new_heading, "text": text}
    )


def _masked_row(row: RowReading, verdicts: list[ScreenVerdict]) -> str:
    """A withheld row as its field reading with the values masked; when a number its
    digit cells make together was withheld, with none of its digits."""
    first = verdicts[0]
    shown = mask_text(row.readings[0], first.masks) if first.withhold else row.shown
    if any(v.withhold for v in verdicts[1:]):
        shown = _DIGIT_RUN.sub("<数字>", shown)
    return shown


def _mask_label(value: str, own: ScreenVerdict, body_spans: tuple[Mask, ...], at: int) -> str:
    """A label masked by its own verdict, else by the spans the chunk's verdict found in
    it (a name in a heading that only withholds together with the body's phone number)."""
    if own.withhold:
        return mask_text(value, own.masks)
    return mask_text(value, body_spans, at) if body_spans else value
