"""Common constructor of our recognisers: defaults as class constants, overridable."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer


class JapanesePatternRecognizer(PatternRecognizer):
    """A ``PatternRecognizer`` whose defaults live in ``PATTERNS``, ``CONTEXT``,
    ``SUPPORTED_ENTITY`` and ``SUPPORTED_LANGUAGE``; any of them can be overridden
    per instance through ``__init__``."""

    PATTERNS: ClassVar[list[Pattern]] = []
    CONTEXT: ClassVar[list[str]] = []
    SUPPORTED_ENTITY: ClassVar[str] = ""
    SUPPORTED_LANGUAGE: ClassVar[str] = "ja"

    def __init__(
        self,
        patterns: list[Pattern] | None = None,
        context: list[str] | None = None,
        supported_language: str | None = None,
        supported_entity: str | None = None,
        name: str | None = None,
    ) -> None:
        # Fresh Pattern objects per instance: Presidio caches the compiled regex on the
        # Pattern, and class-level ones would be shared by every instance.
        own_patterns = [
            Pattern(p.name, p.regex, p.score)
            for p in (patterns if patterns is not None else self.PATTERNS)
        ]
        super().__init__(
            supported_entity=supported_entity or self.SUPPORTED_ENTITY,
            name=name or type(self).__name__,
            supported_language=supported_language or self.SUPPORTED_LANGUAGE,
            patterns=own_patterns,
            context=list(context if context is not None else self.CONTEXT),
        )
