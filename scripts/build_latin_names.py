"""Write guardrails/data/latin_names.txt: Latin-script given names and family names.

The guard recognises a Latin-script name in free-form notes ("Met with Lucas Bennett and
his interpreter") by the names themselves when nothing frames them. The lists come from
Faker's person providers (MIT licence, https://github.com/joke2k/faker) for the
languages staff translate from; Faker is a development dependency only, so the guard
reads the extract this script writes and needs no Faker at run time (importing the
providers takes ~2 s, the extract ~20 ms). Run it again after a Faker upgrade:

    .venv/bin/python scripts/build_latin_names.py
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import faker

LOCALES = (
    "en_US en_GB en_IE en_IN en_NZ pt_BR pt_PT es_ES es_MX es_CO es_AR es_CL id_ID"
    " it_IT fr_FR de_DE pl_PL ne_NP tw_GH yo_NG zu_ZA"
).split()
OUT = Path(__file__).resolve().parents[1] / "guardrails" / "data" / "latin_names.txt"
_NAME = re.compile(r"[A-ZÀ-Þ][a-zß-ÿāăąćčďđēėęěğīįıķļľłńņňōőœŕřśşšţťūůűųźżž'’-]+")


def _names(provider: type, attributes: tuple[str, ...]) -> set[str]:
    names: set[str] = set()
    for attribute in attributes:
        value = provider.__dict__.get(attribute)
        if isinstance(value, (list, tuple, dict, set, frozenset)):
            names |= {str(n) for n in value if _NAME.fullmatch(str(n))}
    return names


def main() -> None:
    given: set[str] = set()
    family: set[str] = set()
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        given |= _names(provider, ("first_names", "first_names_male", "first_names_female"))
        family |= _names(provider, ("last_names",))
    lines = [
        f"# Latin-script given (G) and family (F) names from Faker {faker.VERSION}'s person",
        "# providers (MIT licence, Faker's authors), locales " + " ".join(LOCALES) + ".",
        "# Written by scripts/build_latin_names.py; do not edit by hand.",
        *(f"G\t{n}" for n in sorted(given)),
        *(f"F\t{n}" for n in sorted(family)),
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sys.stdout.write(f"{OUT}: {len(given)} given names, {len(family)} family names\n")


if __name__ == "__main__":
    main()
