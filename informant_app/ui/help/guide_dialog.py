"""Help → User guide: the guide's pages (Markdown) beside a list of them, in a window of its own.

The pages live in ``resources/guide/<language>/`` (``zh_CN`` or ``en``), one per role and an
index; the screenshots they show are in ``resources/guide/shots/`` (``tools/make_guide_shots.py``
makes them from the real app).  The window is not modal: the guide stays open beside the main
window while the user follows it.  It opens on the page of the signed-in account's role.
Screenshots are scaled down to the width of the reading pane.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QImage, QKeySequence, QResizeEvent, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from sync.contract.resources import resource_path

#: The pages in the order the list shows them (file stems in each language's folder).
PAGES = ("index", "informant", "reviewer", "admin")
#: The page that opens first for each role (no account: the informant's page, who files).
ROLE_PAGES = {
    "village_informant": "informant",
    "township_reviewer": "reviewer",
    "county_admin": "admin",
    "city_admin": "admin",
}
#: The folder of each UI language's pages (any other language reads the English ones).
LANGUAGE_FOLDERS = {"zh_CN": "zh_CN", "en": "en"}
#: A screenshot is never shown wider than this, nor wider than the pane.
MAX_IMAGE_WIDTH = 1000


def guide_dir() -> Path:
    """Return the guide's folder (inside the bundle when frozen)."""
    return resource_path("guide")


def page_path(lang: str, page: str) -> Path:
    """Return the Markdown file of ``page`` in ``lang`` (English when there is no such folder)."""
    return guide_dir() / LANGUAGE_FOLDERS.get(lang, "en") / f"{page}.md"


def page_for_role(role: str | None) -> str:
    """Return the page that opens first for an account of ``role`` (``None``: no account)."""
    return ROLE_PAGES.get(role or "", "informant")


def page_title(path: Path) -> str:
    """Return the first ``# `` heading of a page (its file name when it has none)."""
    try:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    except OSError:
        pass
    return path.stem


class GuideBrowser(QTextBrowser):
    """A text browser that shows screenshots no wider than its pane."""

    @override
    def loadResource(self, kind: int, name: QUrl | str) -> object:
        url = QUrl(name) if isinstance(name, str) else name
        if kind == int(QTextDocument.ResourceType.ImageResource.value) and url.isLocalFile():
            image = QImage(url.toLocalFile())
            if image.isNull():
                return super().loadResource(kind, name)
            width = min(MAX_IMAGE_WIDTH, max(320, self.viewport().width() - 40))
            if image.width() > width:
                image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            return image
        return super().loadResource(kind, name)


class GuideDialog(QDialog):
    """The user guide: a list of pages on the left, the page on the right.

    Keys: Up/Down in the list change the page; Tab moves to the page (arrows and Page Up/Down
    scroll it), then to Close; Alt+Left goes back after following a link; Esc closes.
    """

    def __init__(self, lang: str, role: str | None, parent: QWidget | None = None) -> None:
        """Build the window and show the page of ``role`` (not yet shown on screen).

        Args:
            lang: the UI language ("zh_CN" or "en").
            role: the signed-in account's role, or ``None``.
            parent: the main window (the guide stays in front of it, not modal).
        """
        super().__init__(parent)
        self.setObjectName("guide_dialog")
        self.setWindowTitle(self.tr("User guide"))
        self.setModal(False)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self._lang = lang
        self.pages = QListWidget(self)
        self.pages.setObjectName("guide_pages")
        self.pages.setAccessibleName(self.tr("Guide pages"))
        self.pages.setSpacing(3)
        for page in PAGES:
            path = page_path(lang, page)
            item = QListWidgetItem(page_title(path), self.pages)
            item.setData(Qt.ItemDataRole.UserRole, page)
        self.browser = GuideBrowser(self)
        self.browser.setObjectName("guide_browser")
        self.browser.setOpenLinks(True)
        self.browser.setOpenExternalLinks(False)
        self.browser.setAccessibleName(self.tr("Guide page"))
        self.browser.setTabChangesFocus(True)  # Tab leaves the page (no trap); arrows scroll it
        splitter = QSplitter(self)
        splitter.addWidget(self.pages)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(1, False)
        splitter.setSizes([200, 900])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        column = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(splitter)
        column.addLayout(row, 1)
        column.addWidget(buttons)
        self.pages.currentRowChanged.connect(self._show_row)
        self.browser.sourceChanged.connect(self._follow_source)
        back = QShortcut(QKeySequence(QKeySequence.StandardKey.Back), self)
        back.activated.connect(self.browser.backward)
        self._reload = QTimer(self)
        self._reload.setSingleShot(True)
        self._reload.setInterval(150)
        self._reload.timeout.connect(self._rescale_images)
        self._image_width = 0
        self.resize(1100, 680)
        self.show_page(page_for_role(role))
        self.pages.setFocus()

    @override
    def sizeHint(self) -> QSize:
        return QSize(1100, 680)

    def current_page(self) -> str:
        """Return the stem of the page shown (``informant``, ``reviewer`` …)."""
        return Path(self.browser.source().toLocalFile()).stem

    def show_page(self, page: str) -> None:
        """Show ``page`` and select it in the list."""
        row = PAGES.index(page) if page in PAGES else 0
        if self.pages.currentRow() == row:
            self._show_row(row)
        else:
            self.pages.setCurrentRow(row)

    def _show_row(self, row: int) -> None:
        if not 0 <= row < len(PAGES):
            return
        path = page_path(self._lang, PAGES[row])
        url = QUrl.fromLocalFile(str(path))
        if self.browser.source() != url:
            self._image_width = self._pane_width()
            self.browser.setSource(url, QTextDocument.ResourceType.MarkdownResource)

    def _follow_source(self, url: QUrl) -> None:
        """Select the page a link led to."""
        stem = Path(url.toLocalFile()).stem
        if stem in PAGES and self.pages.currentRow() != PAGES.index(stem):
            self.pages.blockSignals(True)
            self.pages.setCurrentRow(PAGES.index(stem))
            self.pages.blockSignals(False)

    def _pane_width(self) -> int:
        return min(MAX_IMAGE_WIDTH, max(320, self.browser.viewport().width() - 40))

    def _rescale_images(self) -> None:
        if self._pane_width() != self._image_width and not self.browser.source().isEmpty():
            self._image_width = self._pane_width()
            position = self.browser.verticalScrollBar().value()
            self.browser.reload()
            self.browser.verticalScrollBar().setValue(position)

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._reload.start()
