"""Photo thumbnails, decoded off the GUI thread with ``QImageReader``.

``QImage`` is thread-safe; the GUI thread turns it into a ``QPixmap``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QImageReader

#: The longest side of a thumbnail, in pixels.
THUMBNAIL_SIZE = 96


def load_thumbnail(path: Path, size: int = THUMBNAIL_SIZE) -> QImage:
    """Decode ``path`` scaled to fit ``size``×``size`` (a null image when unreadable).

    Safe on any thread: only the scaled image is decoded, so a large photo costs little.
    """
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    full = reader.size()
    if full.isValid() and (full.width() > size or full.height() > size):
        reader.setScaledSize(full.scaled(QSize(size, size), Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return image if not image.isNull() else QImage()
