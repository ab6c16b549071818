"""Prompt templates, one TOML file per task; data, not code (loaded by service.prompting)."""
