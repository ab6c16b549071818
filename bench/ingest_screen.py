"""What the ingest screen withholds on real public documents, and what it catches.

    .venv/bin/python bench/ingest_screen.py
    .venv/bin/python bench/ingest_screen.py --recall-part public_sealed6

Public documents (must all be indexed): 焼津市's twelve facility lists (CSV, as
published: bench/guard_eval/data/yaizu, credit 焼津市), the same lists as Word tables
(名称 | 住所 | 電話番号 | 担当課 — a 施設一覧 as a manual carries it), and the seven laws
in samples/laws, and bench/guard.py's 1,600 public municipal texts as Markdown manuals
(heading = a text's first line). Residents' documents (must be withheld): Word files whose heading,
title or table rows hold a resident's data, including a 個人番号 typed one digit per
cell and 姓 | 名 columns.

Three screens, each loading the files as `yakuba ingest` does:

* ``main``   — before this change: `Guard.scan` on each chunk's text only;
* ``scan+``  — the same scan over titles, headings, chunks as cited and table rows
  read across their cells (`ingest.DocumentScreen`);
* ``review+`` — what ships: the same units under the guard's public-document policy
  (`Guard.review_public_text`, via `service.runtime.screen_public_text`).

Prints chunks, titles, headings and rows withheld per screen, and the residents'
documents caught.

``--recall-part PART`` screens one part of the hand-written recall set instead
(`bench/guard_eval/recall_set.py`): each item becomes its own Markdown document (heading =
its source form), loaded and screened as `yakuba ingest` does with the shipped screen
(``review+``). Every public document must be indexed; the residents' controls are counted
apart, with the ones the screen lets through.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import docx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.guard_eval.model import Sample  # noqa: E402
from bench.guard_eval.public_texts import generate_public_texts  # noqa: E402
from bench.guard_eval.recall_set import FILES, city_policy, load_recall_set  # noqa: E402
from guardrails import ENTITY_LABELS_JA, Action, Guard, build_guard  # noqa: E402
from ingest import Chunk, ChunkScreen, DocumentScreen, Mask, ScreenVerdict, load_chunks  # noqa: E402
from service.runtime import screen_public_text  # noqa: E402

YAIZU = ROOT / "bench" / "guard_eval" / "data" / "yaizu"
LAWS = ROOT / "samples" / "laws"
_MY_NUMBER = "123456789018"


def scan_verdict(guard: Guard, text: str) -> ScreenVerdict:
    """The screen before the public-document policy: anything the prompt guard would
    not let through withholds."""
    result = guard.scan(text)
    if result.action is Action.ALLOW:
        return ScreenVerdict()
    findings = [f for f in result.findings if f.public is None]
    return ScreenVerdict(
        kinds=tuple(sorted({f.type for f in result.findings})) or (result.error or "ERROR",),
        withhold=True,
        masks=tuple(
            Mask(start=f.start, end=f.end, label=f"<{ENTITY_LABELS_JA.get(f.type, f.type)}>")
            for f in findings
        ),
    )


@dataclass
class Figures:
    files: int = 0
    chunks: int = 0
    titles: int = 0
    headings: int = 0
    rows: int = 0
    withheld_chunks: int = 0
    withheld_titles: int = 0
    withheld_headings: int = 0
    withheld_rows: int = 0
    withheld_files: int = 0
    seconds: float = 0.0
    whole: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)


def _facility_docx(source: Path, folder: Path) -> Path:
    """A Word 施設一覧 of one facility list: heading, sentence, table of its rows."""
    with source.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    document = docx.Document()
    document.add_heading(f"{source.stem} 施設一覧", level=1)
    document.add_paragraph("各施設の所在地と連絡先は次のとおりです。")
    columns = ("名称", "住所", "電話番号", "団体名")
    table = document.add_table(rows=1, cols=len(columns))
    for cell, name in zip(table.rows[0].cells, ("名称", "住所", "電話番号", "担当課"), strict=True):
        cell.text = name
    for row in rows:
        cells = table.add_row().cells
        for cell, column in zip(cells, columns, strict=True):
            cell.text = row.get(column) or ""
    path = folder / f"{source.stem}.docx"
    document.save(str(path))
    return path


def _public_manuals(folder: Path) -> list[Path]:
    """bench/guard.py's 1,600 public municipal texts (seed 7) as Markdown manuals, one per
    family: each text a section whose heading is its first line (a facility's name, a
    notice's title, a minutes speaker …) and whose body is the rest."""
    by_family: dict[str, list[str]] = {}
    for sample in generate_public_texts(7, 1600):
        first, _, rest = sample.text.strip().partition("\n")
        body = rest.strip() or first
        by_family.setdefault(sample.category, []).append(f"## {first.strip()}\n\n{body}")
    paths = []
    for n, (family, sections) in enumerate(sorted(by_family.items())):
        path = folder / f"public_{n}.md"
        path.write_text(f"# {family}\n\n" + "\n\n".join(sections), encoding="utf-8")
        paths.append(path)
    return paths


def _residents_docs(folder: Path) -> list[Path]:
    """Word files a careless employee might ingest as a 'manual'."""
    made: list[Path] = []

    def save(name: str, title: str, heading: str, table: list[list[str]] | None) -> None:
        document = docx.Document()
        document.core_properties.title = title
        document.add_heading(heading, level=1)
        document.add_paragraph("経緯を記録し、課長に報告します。")
        if table:
            grid = document.add_table(rows=len(table), cols=len(table[0]))
            for r, cells in enumerate(table):
                for c, value in enumerate(cells):
                    grid.cell(r, c).text = value
        path = folder / name
        document.save(str(path))
        made.append(path)

    save("heading.docx", "窓口対応", "山田太郎様（090-1234-5678）からの苦情への対応", None)
    save("title.docx", "佐藤花子様（焼津市本町2-16-32）の相談記録", "対応の記録", None)
    save("digits.docx", "受付簿", "本人確認", [["受付", *["番号"] * 12], ["済", *_MY_NUMBER]])
    save(
        "phone.docx",
        "受付簿",
        "折り返し",
        [["氏名", "電話", "", ""], ["鈴木 一郎", "090", "8765", "4321"]],
    )
    save(
        "names.docx",
        "受付簿",
        "転入",
        [["姓", "名", "住所"], ["高橋", "健太", "焼津市三ケ名1550-2"]],
    )
    return made


def _rows(chunks: Iterable[Chunk]) -> list[str]:
    seen: dict[str, None] = {}
    for chunk in chunks:
        for row in chunk.readings:
            for reading in row.readings:
                seen.setdefault(reading, None)
    return list(seen)


def measure_main(paths: list[Path], guard: Guard) -> Figures:
    """The screen on main: each chunk's text alone."""
    out = Figures()
    start = time.perf_counter()
    for path in paths:
        chunks = load_chunks(path, source=path.as_posix())
        out.files += 1
        out.chunks += len(chunks)
        withheld = sum(guard.scan(c.text).action is not Action.ALLOW for c in chunks)
        out.withheld_chunks += withheld
        if withheld == len(chunks):
            out.withheld_files += 1
            out.whole.append(path.name)
    out.seconds = time.perf_counter() - start
    return out


def measure(paths: list[Path], screen: ChunkScreen) -> Figures:
    out = Figures()
    start = time.perf_counter()
    documents = DocumentScreen(screen, withhold=True)
    for path in paths:
        chunks = load_chunks(path, source=path.as_posix())
        out.files += 1
        out.chunks += len(chunks)
        outcome = documents.apply(chunks)
        out.withheld_chunks += outcome.withheld
        if not outcome.kept:
            out.withheld_files += 1
            out.whole.append(path.name)
        titles = {c.title for c in chunks}
        headings = {h for c in chunks for h in (c.locator, c.heading) if h}
        rows = _rows(chunks)
        out.titles += len(titles)
        out.headings += len(headings)
        out.rows += len(rows)
        for kind, texts in (("title", titles), ("heading", headings), ("row", rows)):
            for text in texts:
                if screen(text).withhold:
                    setattr(out, f"withheld_{kind}s", getattr(out, f"withheld_{kind}s") + 1)
                    if len(out.examples) < 6:
                        out.examples.append(f"{kind}: {text[:90]}")
    out.seconds = time.perf_counter() - start
    return out


def _print(name: str, label: str, f: Figures) -> None:
    print(
        f"{name:22} {label:8} files {f.files:3} (withheld whole {f.withheld_files:3})  "
        f"chunks {f.withheld_chunks:4}/{f.chunks:<5} titles {f.withheld_titles:3}/{f.titles:<3} "
        f"headings {f.withheld_headings:4}/{f.headings:<5} rows {f.withheld_rows:4}/{f.rows:<5} "
        f"{f.seconds:6.1f} s"
    )
    if f.whole and len(f.whole) < f.files:
        print(f"{'':31}withheld whole: {', '.join(f.whole)}")
    for example in f.examples:
        print(f"{'':31}withheld {example}")


def _recall_documents(samples: list[Sample], folder: Path) -> dict[str, Path]:
    """One Markdown document per recall-set item, as a manual section would carry it."""
    paths: dict[str, Path] = {}
    for n, sample in enumerate(samples):
        path = folder / f"{sample.kind}_{n:03}_{sample.meta['form']}.md"
        path.write_text(f"# {sample.meta['form']}\n\n{sample.text}\n", encoding="utf-8")
        paths[sample.id] = path
    return paths


def screen_recall_part(part: str, *, name_tagger: bool = True) -> None:
    """What the shipped ingest screen withholds from one recall-set part's items
    (``name_tagger`` False: with the learned name tagger switched off)."""
    samples = load_recall_set(part)
    with tempfile.TemporaryDirectory() as folder:
        guard = build_guard(None if name_tagger else city_policy(Path(folder), [], tagger=False))
    documents = DocumentScreen(lambda text: screen_public_text(guard, text), withhold=True)
    with tempfile.TemporaryDirectory() as tmp:
        paths = _recall_documents(samples, Path(tmp))
        by_kind: dict[str, list[int]] = {"public": [0, 0, 0, 0], "resident": [0, 0, 0, 0]}
        notes: list[str] = []
        for sample in samples:
            chunks = load_chunks(paths[sample.id], source=paths[sample.id].as_posix())
            outcome = documents.apply(chunks)
            figures = by_kind[sample.kind]
            figures[0] += 1
            figures[1] += not outcome.kept
            figures[2] += outcome.withheld
            figures[3] += len(chunks)
            caught = outcome.withheld > 0
            if (sample.kind == "public") == caught:
                what = f"withheld {sorted(outcome.found)}" if caught else "indexed"
                notes.append(f"{sample.kind} {what}: {sample.id} ({sample.meta['form']})")
    guard.close()
    for kind, (files, whole, held, total) in by_kind.items():
        print(
            f"{part} {kind:8} documents {files:3} (withheld whole {whole:3})  "
            f"chunks withheld {held:3}/{total}"
        )
    for note in notes:
        print(f"  {note}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="What the ingest screen withholds.")
    parser.add_argument(
        "--recall-part",
        choices=sorted(FILES),
        help="screen one part of the hand-written recall set instead of the public sets",
    )
    parser.add_argument(
        "--no-name-tagger",
        action="store_true",
        help="with --recall-part: the rules alone ([name_tagger] enabled = false)",
    )
    args = parser.parse_args(argv)
    if args.recall_part:
        screen_recall_part(args.recall_part, name_tagger=not args.no_name_tagger)
        return
    guard = build_guard()
    screens: dict[str, Callable[[str], ScreenVerdict]] = {
        "scan+": lambda text: scan_verdict(guard, text),
        "review+": lambda text: screen_public_text(guard, text),
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csvs = sorted(YAIZU.glob("*.csv"))
        sets = {
            "焼津市 facility CSV": csvs,
            "焼津市 facility DOCX": [_facility_docx(p, folder) for p in csvs],
            "samples/laws": sorted(LAWS.glob("*.txt")),
            "public texts as manuals": _public_manuals(folder),
            "residents' DOCX": _residents_docs(folder),
        }
        for name, paths in sets.items():
            _print(name, "main", measure_main(paths, guard))
            for label, screen in screens.items():
                _print(name, label, measure(paths, screen))
    guard.close()


if __name__ == "__main__":
    main()
