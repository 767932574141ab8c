"""Locate the project's shared resource folder (division tables, translations, sample data).

The folder is ``resources/`` at the repository root.  A frozen bundle (PyInstaller) carries it
beside the executable; ``INFORMANT_RESOURCES`` overrides both for unusual layouts.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    """Return the folder that holds the project's resources."""
    override = os.environ.get("INFORMANT_RESOURCES")
    if override:
        return Path(override)
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def resource_path(*parts: str) -> Path:
    """Return the path of one resource file, e.g. ``resource_path("divisions", "x.csv")``."""
    return resources_dir().joinpath(*parts)
