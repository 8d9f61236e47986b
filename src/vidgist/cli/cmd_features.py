"""CLI commands (placeholder until filled)."""
