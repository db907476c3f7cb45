"""Commands of xxgk (filled in by its owner)."""

COMMANDS: list = []
