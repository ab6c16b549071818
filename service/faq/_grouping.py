"""Near-duplicate questions, so that one reviewed answer can serve them all.

Questions are compared as sets of character bigrams after NFKC, lower-casing and
dropping punctuation and polite sentence endings (ですか, でしょうか …): residents'
variants of one question share most bigrams ("住民票の写しはどこで取れますか" /
"住民票の写しはどこで取れるの？"). Pairs at or above `threshold` (Jaccard) are joined
(union-find). Candidates come from an inverted index that skips bigrams common to many
questions, so a job of thousands of rows is grouped in well under a second.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence

from pydantic import BaseModel

THRESHOLD = 0.6
_COMMON = 200  # a bigram in more questions than this says little about duplicates
_ENDINGS = re.compile(
    r"(でしょうか|ですか|ますか|ませんか|ください|下さい|したい|たい|の|か|よ|ね)+$"
)
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


class Group(BaseModel):
    lines: list[int]  # rows of the job (input lines), the first is the representative


def normalise(question: str) -> str:
    text = unicodedata.normalize("NFKC", question).lower()
    text = _NOISE.sub("", text)
    return _ENDINGS.sub("", text)


def bigrams(question: str) -> frozenset[str]:
    text = normalise(question)
    if len(text) < 2:
        return frozenset({text}) if text else frozenset()
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def group_questions(
    items: Sequence[tuple[int, str]], *, threshold: float = THRESHOLD
) -> list[Group]:
    """Groups of two or more near-duplicate questions; `items` are (line, question)."""
    grams = [bigrams(q) for _, q in items]
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    postings: dict[str, list[int]] = defaultdict(list)
    for i, mine in enumerate(grams):
        shared: dict[int, int] = defaultdict(int)
        for g in mine:
            seen = postings[g]
            if len(seen) <= _COMMON:
                for j in seen:
                    shared[j] += 1
            seen.append(i)
        for j, n in shared.items():
            union = len(mine) + len(grams[j]) - n
            if union and n / union >= threshold:
                parent[root(i)] = root(j)
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(items)):
        members[root(i)].append(items[i][0])
    return [Group(lines=sorted(lines)) for lines in members.values() if len(lines) > 1]
