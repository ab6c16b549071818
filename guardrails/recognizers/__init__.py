"""Japanese pattern recognisers (Presidio ``PatternRecognizer`` subclasses).

Internal to the guard; which ones load is configured in ``guardrails/conf/recognizers.toml``.
"""

from __future__ import annotations

from guardrails.recognizers.email_address import EmailAddressRecognizer
from guardrails.recognizers.my_number import MyNumberRecognizer
from guardrails.recognizers.phone_number import PhoneNumberRecognizer

__all__ = ["EmailAddressRecognizer", "MyNumberRecognizer", "PhoneNumberRecognizer"]
