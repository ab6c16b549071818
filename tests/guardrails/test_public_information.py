"""Whose data is it? Public information passes, residents' data stays blocked.

One table in three groups (data: ``public_cases.toml``), one shared assertion
(``assert_judged``):

* valid — an organisation's contacts, officials in their public role and areas are
  public (reported, not blocked);
* evasion — a resident's data disguised with organisation words, or next to a
  facility, still blocks: person evidence wins;
* invalid — plain personal data with no organisation in sight stays personal.

All names, addresses and numbers are synthetic.
"""

from __future__ import annotations

import pytest

from guardrails import Guard, PublicBasis
from tests.guardrails._assertions import Judged, assert_judged, load_cases

_BASIS = {basis.value: basis for basis in PublicBasis}


def _judged(group: str) -> list[object]:
    return [
        pytest.param(
            Judged(
                row["text"],
                {kind: _BASIS.get(basis) for kind, basis in row["public"].items()},
                blocked=group != "valid",
            ),
            id=f"{group}-{row['id']}",
        )
        for row in load_cases(group)
    ]


@pytest.mark.parametrize("case", _judged("valid") + _judged("evasion") + _judged("invalid"))
def test_public_information(guard: Guard, case: Judged) -> None:
    assert_judged(guard, case)
