"""The no-result decision study (bench/_decision_study.py) and its final held-out set."""

from __future__ import annotations

import json

import numpy as np
import pytest

from bench._decision_study import Rows, _logistic, evaluate, final_set
from bench._retrieval_sets import CITY, DATA, load
from bench.retrieval import FINAL_NEAR_MISSES


def test_final_near_misses_are_new_questions() -> None:
    final = final_set(FINAL_NEAR_MISSES)
    texts = [q.text for q in final.queries]
    assert len(texts) == 40
    assert len(set(texts)) == len(texts)
    dev_sets, unanswerable, raw = load()
    seen = {q.text for d in [*dev_sets, unanswerable] for q in d.queries}
    seen |= {f["question"] for f in raw.faqs}
    assert not seen & set(texts)
    assert not final.answerable
    assert all(q.held_out for q in final.queries)


def test_final_near_misses_file_is_in_the_city_data() -> None:
    assert FINAL_NEAR_MISSES.parent == CITY
    assert CITY.parent == DATA
    assert "before any measurement" in json.loads(FINAL_NEAR_MISSES.read_text("utf-8"))["about"]


def _rows(separation: float, n_answerable: int = 200, n_unanswerable: int = 100) -> Rows:
    """C tune, C held-out, U tune, U held-out with one signal `s`: answerable questions
    around `separation`, unanswerable ones around 0."""
    rng = np.random.default_rng(0)

    def part(prefix: str, n: int, centre: float) -> list[tuple[str, dict[str, float]]]:
        return [(f"{prefix}{i}#0", {"s": float(centre + rng.normal())}) for i in range(n)]

    return Rows(
        {
            "C tune": part("c", n_answerable, separation),
            "C held": part("ch", n_answerable // 2, separation),
            "U tune": part("u", n_unanswerable, 0.0),
            "U held": part("uh", n_unanswerable // 2, 0.0),
        }
    )


@pytest.mark.parametrize(("separation", "low", "high"), [(6.0, 0.95, 1.0), (0.0, 0.0, 0.15)])
def test_evaluate_cuts_at_the_budget_out_of_fold(
    separation: float, low: float, high: float
) -> None:
    outcome = evaluate(_rows(separation), ["s"], _logistic(1.0), budget=0.02)
    # The cut-off lets at most the budget of the answerable questions fall below it
    # (out of fold), and the unanswerable share follows how well the signal separates.
    assert outcome.oof_answerable <= 0.025
    assert low <= outcome.oof_unanswerable <= high
    assert low <= outcome.shares["U held"] <= high
    assert outcome.shares["C held"] <= 0.06
