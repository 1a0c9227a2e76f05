"""Command-line interface (placeholder replaced by the spine work)."""


def main(argv: list[str] | None = None) -> int:
    return 0
