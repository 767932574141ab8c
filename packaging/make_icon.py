"""Render ``resources/icons/informant.svg`` into the icon files a bundle's executable needs.

Run by ``build.spec`` at build time only: ``python packaging/make_icon.py OUT_DIR`` writes
``informant.png`` (256 px), ``informant.ico`` (Windows) and ``informant.icns`` (macOS) with
Qt's own SVG renderer and image writers, so no extra package is needed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SIZE = 256
SVG = Path(__file__).resolve().parent.parent / "resources" / "icons" / "informant.svg"
FORMATS = ("png", "ico", "icns")


def render(svg: Path, out_dir: Path, size: int = SIZE) -> list[Path]:
    """Write the icon files for ``svg`` into ``out_dir``; return their paths."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"not a usable SVG: {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in FORMATS:
        target = out_dir / f"{svg.stem}.{fmt}"
        writer = QImageWriter(str(target), fmt.encode())
        if not writer.write(image):
            raise SystemExit(f"cannot write {target}: {writer.errorString()}")
        written.append(target)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: make_icon.py OUT_DIR")
    for path in render(SVG, Path(sys.argv[1])):
        print(path)
