"""Entry point of ``informant-app`` and ``python -m informant_app`` (headless until the GUI).

Qt-free: the sub-commands never import PySide6; only the window (no sub-command) loads it.
"""

from __future__ import annotations

from informant_app.commands.main import main as cli_main


def main(argv: list[str] | None = None) -> int:
    """Run the command line (``import``, ``status``, ``export``) or open the window.

    Args:
        argv: the arguments without the program name; ``None`` reads ``sys.argv``.

    Returns:
        The process exit code.
    """
    return cli_main(argv)


if __name__ == "__main__":
    raise SystemExit(main())
