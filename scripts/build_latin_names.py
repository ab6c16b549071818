"""Write guardrails/data/latin_names.txt: Latin-script given names and family names.

The guard recognises a Latin-script name in free-form notes ("Met with Lucas Bennett and
his interpreter") by the names themselves when nothing frames them. Two kept sources,
both development dependencies only — the guard reads the extract this script writes and
needs neither at run time:

* Faker's person providers (MIT licence, https://github.com/joke2k/faker) for the
  languages staff translate from (importing the providers takes ~2 s, the extract ~20 ms);
* names-dataset (Apache-2.0, https://github.com/philipperemy/name-dataset): the names most
  used in the countries many foreign residents come from — the Philippines, Nigeria,
  Ghana, Pakistan, India, Peru, Bolivia, Brazil, Indonesia, Nepal … —, which Faker's
  providers do not hold (Arnel, Junrey, Okafor, Qureshi, Condori, Manalo). Only a name
  among the first ``RANK`` of one of those countries is kept, and never a common word
  (Faker's lorem word lists, the guard's calendar and organisation words: Baby, Monday,
  Center would otherwise be names).

Run it again after an upgrade of either:

    .venv/bin/python scripts/build_latin_names.py
"""

from __future__ import annotations

import gzip
import importlib
import importlib.util
import pickle
import re
import sys
from pathlib import Path
from typing import Any

import faker

LOCALES = (
    "en_US en_GB en_IE en_IN en_NZ pt_BR pt_PT es_ES es_MX es_CO es_AR es_CL id_ID"
    " it_IT fr_FR de_DE pl_PL ne_NP tw_GH yo_NG zu_ZA en_NG ig_NG ha_NG en_PK en_KE sw"
).split()
# ISO codes of the countries whose most used names names-dataset contributes.
COUNTRIES = "PH NG GH PK IN BD LK NP ID MY PE BO BR CO MX KE".split()
RANK = 1000
LOREM = "en_US es_ES es_MX es_AR fil_PH tl_PH en_PH it_IT fr_FR de_DE nl_NL".split()
OUT = Path(__file__).resolve().parents[1] / "guardrails" / "data" / "latin_names.txt"
_NAME = re.compile(r"[A-ZÀ-Þ][a-zß-ÿāăąćčďđēėęěğīįıķļľłńņňōőœŕřśşšţťūůűųźżž'’-]+")


def _names(provider: type, attributes: tuple[str, ...]) -> set[str]:
    names: set[str] = set()
    for attribute in attributes:
        value = provider.__dict__.get(attribute)
        if isinstance(value, (list, tuple, dict, set, frozenset)):
            names |= {str(n) for n in value if _NAME.fullmatch(str(n))}
    return names


def _common_words() -> set[str]:
    """Words no added name may be: Faker's lorem words and the guard's own closed classes
    (calendar words, organisation and place words — Monday, Center are names there)."""
    from guardrails.recognizers import _foreign_words as vocab

    words: set[str] = set(vocab.NOT_NAMES | vocab.ORGANISATION_WORDS)
    for locale in LOREM:
        module = importlib.import_module(f"faker.providers.lorem.{locale}")
        words |= {str(w).lower() for w in getattr(module.Provider, "word_list", ())}
    return words


def _dataset(kind: str, common: set[str]) -> set[str]:
    """The names of names-dataset's ``kind`` (first / last) ranked within ``RANK`` in one
    of ``COUNTRIES``; read from the package's files (importing it loads 3 GB)."""
    spec = importlib.util.find_spec("names_dataset")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("names-dataset is not installed (pip install names-dataset==3.3.1)")
    path = Path(next(iter(spec.submodule_search_locations))) / "v3" / f"{kind}_names.pkl.gz"
    with gzip.open(path) as handle:
        table: dict[str, dict[str, Any]] = pickle.load(handle)  # noqa: S301 — the package's own file
    kept: set[str] = set()
    for name, attributes in table.items():
        ranks = attributes.get("rank") or {}
        if not any(ranks.get(c, RANK + 1) <= RANK for c in COUNTRIES):
            continue
        if len(name) >= 3 and _NAME.fullmatch(name) and name.lower() not in common:
            kept.add(name)
    return kept


def main() -> None:
    given: set[str] = set()
    family: set[str] = set()
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        given |= _names(provider, ("first_names", "first_names_male", "first_names_female"))
        family |= _names(provider, ("last_names",))
    common = _common_words()
    given |= _dataset("first", common)
    family |= _dataset("last", common)
    lines = [
        f"# Latin-script given (G) and family (F) names from Faker {faker.VERSION}'s person",
        "# providers (MIT licence, Faker's authors), locales " + " ".join(LOCALES) + ",",
        f"# and names-dataset 3.3.1 (Apache-2.0, Philippe Remy): the first {RANK} of "
        + " ".join(COUNTRIES)
        + ".",
        "# Written by scripts/build_latin_names.py; do not edit by hand.",
        *(f"G\t{n}" for n in sorted(given)),
        *(f"F\t{n}" for n in sorted(family)),
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sys.stdout.write(f"{OUT}: {len(given)} given names, {len(family)} family names\n")


if __name__ == "__main__":
    main()
