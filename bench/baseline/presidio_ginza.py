"""Baseline for bench/guard.py: Presidio's defaults with GiNZA (``ja_ginza``) for "ja".

Runs inside the isolated venv ``bench/.venv-baseline`` (GiNZA needs sudachipy<0.7,
which conflicts with Yakuba's own environment), so it imports nothing from the
project. Reads JSONL ``{"id", "text"}``, writes JSONL ``{"id", "findings", "ms"}`` with
Presidio's raw entity names (the caller maps them), and a meta JSON file.

Configuration, kept as close to "out of the box" as a Japanese deployment can be:

* NLP engine: spaCy with ``ja_ginza``. GiNZA's NER labels are Sekine's extended named
  entities (``Person``, ``City``, ``Postal_Address`` …); Presidio's default label
  mapping only knows ``PERSON``/``LOC``/``GPE``…, so without the mapping below it would
  drop every GiNZA entity. We map them to Presidio's entity names.
* Recognisers: ``RecognizerRegistry.load_predefined_recognizers(languages=["ja"])`` —
  the locale-agnostic defaults (e-mail, phone, URL, IP, IBAN, crypto, date …) plus the
  spaCy NER recogniser — and ``CreditCardRecognizer`` re-targeted to "ja" (Presidio's
  default YAML enables it only for en/es/it/pl; Luhn is language-independent).
* Offline: Presidio's e-mail recogniser validates with ``tldextract.extract``, which
  downloads the public-suffix list on first use. It is replaced by a ``TLDExtract``
  with no suffix-list URLs, i.e. the snapshot bundled in the tldextract wheel.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import tldextract  # noqa: E402

# Offline: the bundled public-suffix snapshot, never a download (see module docstring).
tldextract.extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)  # type: ignore[assignment]

GINZA_TO_PRESIDIO: dict[str, str] = {
    "Person": "PERSON",
    "Postal_Address": "LOCATION",
    "Province": "LOCATION",
    "City": "LOCATION",
    "County": "LOCATION",
    "GPE_Other": "LOCATION",
    "Location_Other": "LOCATION",
    "Domestic_Region": "LOCATION",
    "Phone_Number": "PHONE_NUMBER",
    "Email": "EMAIL_ADDRESS",
    "URL": "URL",
    "ID_Number": "ID_NUMBER",
    "Date": "DATE_TIME",
    "Time": "DATE_TIME",
}


def build_analyzer(denylist: list[str]) -> tuple[Any, list[str]]:
    from presidio_analyzer import AnalyzerEngine, PatternRecognizer, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_analyzer.predefined_recognizers import CreditCardRecognizer

    nlp_engine = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "ja", "model_name": "ja_ginza"}],
            "ner_model_configuration": {
                "model_to_presidio_entity_mapping": GINZA_TO_PRESIDIO,
                "low_confidence_score_multiplier": 0.4,
                "low_score_entity_names": [],
                "labels_to_ignore": [],
            },
        }
    ).create_engine()
    registry = RecognizerRegistry(supported_languages=["ja"])
    registry.load_predefined_recognizers(languages=["ja"], nlp_engine=nlp_engine)
    registry.add_recognizer(CreditCardRecognizer(supported_language="ja"))
    if denylist:
        registry.add_recognizer(
            PatternRecognizer(
                supported_entity="DENYLIST_TERM", supported_language="ja", deny_list=denylist
            )
        )
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["ja"])
    names = sorted(
        f"{getattr(recognizer, 'name', '?')}:{','.join(recognizer.supported_entities)}"
        for recognizer in registry.recognizers
    )
    return analyzer, names


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--meta", required=True)
    parser.add_argument("--cpu", type=int, default=None, help="pin to this CPU")
    parser.add_argument("--denylist", default=None, help="text file, one term per line")
    args = parser.parse_args()

    if args.cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})

    denylist: list[str] = []
    if args.denylist:
        with open(args.denylist, encoding="utf-8") as fh:
            denylist = [t.strip() for t in fh if t.strip() and not t.startswith("#")]

    with open(args.input, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]

    started = time.perf_counter()
    analyzer, recognizers = build_analyzer(denylist)
    build_s = time.perf_counter() - started
    for warm in ("起動確認です。", "山田太郎さんの電話は03-1234-5678です。"):
        analyzer.analyze(text=warm, language="ja")

    import importlib.metadata as md

    versions = {
        pkg: md.version(pkg)
        for pkg in ("presidio-analyzer", "spacy", "ginza", "ja-ginza", "sudachipy", "tldextract")
    }
    total = len(rows)
    done_ms = 0.0
    with open(args.output, "w", encoding="utf-8") as out:
        for i, row in enumerate(rows, 1):
            t0 = time.perf_counter()
            results = analyzer.analyze(text=row["text"], language="ja")
            ms = (time.perf_counter() - t0) * 1000.0
            done_ms += ms
            findings = [
                {"type": r.entity_type, "start": r.start, "end": r.end, "score": round(r.score, 3)}
                for r in results
            ]
            out.write(json.dumps({"id": row["id"], "findings": findings, "ms": ms}) + "\n")
            if i % 100 == 0 or i == total:
                print(
                    f"  baseline: {i}/{total} texts, mean {done_ms / i:.0f} ms/text",
                    file=sys.stderr,
                    flush=True,
                )
    with open(args.meta, "w", encoding="utf-8") as fh:
        json.dump(
            {
                "build_s": build_s,
                "versions": versions,
                "recognizers": recognizers,
                "ginza_label_mapping": GINZA_TO_PRESIDIO,
                "cpu": args.cpu,
                "denylist_terms": len(denylist),
                "python": sys.version.split()[0],
            },
            fh,
            ensure_ascii=False,
            indent=2,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
