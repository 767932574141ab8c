"""Where the app keeps its files: the data folder (database, photos) and the log folder.

Precedence for the data folder: an explicit ``--data-dir`` > ``INFORMANT_DATA_DIR`` > the
platform's per-user data folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "informant-app"
#: Environment variable that overrides the data folder (tests, portable installs).
DATA_DIR_ENV = "INFORMANT_DATA_DIR"
#: File name of the local database inside the data folder.
DATABASE_NAME = "informant.db"
#: Folder (inside the data folder) that holds the photos, named by their SHA-256.
PHOTOS_DIR_NAME = "photos"


def data_dir(explicit: Path | str | None = None) -> Path:
    """Return the data folder (not created).

    Args:
        explicit: a folder given on the command line; wins over everything else.
    """
    if explicit is not None and str(explicit) != "":
        return Path(explicit).expanduser()
    from_env = os.environ.get(DATA_DIR_ENV, "").strip()
    if from_env:
        return Path(from_env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def log_dir(data_folder: Path | None = None) -> Path:
    """Return the folder for log files (not created).

    With an explicit or environment data folder (portable use, tests) the logs live in its
    ``logs`` sub-folder, so nothing is written outside it; otherwise in the platform's log folder.
    """
    if data_folder is not None:
        return data_folder / "logs"
    if os.environ.get(DATA_DIR_ENV, "").strip():
        return data_dir() / "logs"
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def database_path(data_folder: Path) -> Path:
    """Return the path of the local database inside ``data_folder``."""
    return data_folder / DATABASE_NAME


def photos_dir(data_folder: Path) -> Path:
    """Return the photo folder inside ``data_folder``."""
    return data_folder / PHOTOS_DIR_NAME
