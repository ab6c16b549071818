"""Test utilities shared by Yakuba's test suites (e.g. the recording LLM server)."""
