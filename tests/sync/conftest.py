"""Make the repository root and this folder importable when pytest runs without an install."""

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
for _path in (_HERE.parents[1], _HERE):  # the repo root (for ``sync``), then the helpers here
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))
