"""The photos of a report: add (copied into the store by the worker), thumbnails, remove."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import shiboken6
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from informant_app.core.store.report_store import ReportStore
from informant_app.ui.common import file_dialogs
from informant_app.ui.reports.issue_view import IssueBox
from informant_app.ui.reports.thumbnails import THUMBNAIL_SIZE, load_thumbnail
from informant_app.ui.tasks.manager import TaskManager
from sync.contract import PhotoRef

_SHA_ROLE = Qt.ItemDataRole.UserRole


def _attach(store: ReportStore, version_uuid: str, path: Path) -> tuple[PhotoRef, QImage]:
    ref = store.add_photo(version_uuid, path)
    return ref, load_thumbnail(store.photo_path(ref.sha256))


def _thumbnail(store: ReportStore, sha256: str) -> QImage:
    return load_thumbnail(store.photo_path(sha256))


class PhotoPanel(QWidget):
    """Thumbnails of the report's photos with "Add photos…" and "Remove photo".

    Signals:
        photos_changed(int): a photo was attached or removed; carries the new count.
    """

    photos_changed = Signal(int)

    def __init__(
        self, worker: TaskManager, version_uuid: str, lang: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._version_uuid = version_uuid
        self._busy = 0
        self.list = QListWidget(self)
        self.list.setObjectName("photos")
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMBNAIL_SIZE, THUMBNAIL_SIZE))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setFixedHeight(THUMBNAIL_SIZE + 40)
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.add_button = QPushButton(self.tr("Add photos…"), self)
        self.add_button.setObjectName("add_photos")
        self.remove_button = QPushButton(self.tr("Remove photo"), self)
        self.remove_button.setObjectName("remove_photo")
        self.remove_button.setEnabled(False)
        self.count_label = QLabel(self)
        self.issues = IssueBox(lang, self)
        self.issues.set_anchor(self.remove_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.list)
        layout.addWidget(self.issues)
        self.add_button.clicked.connect(self._choose_files)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self._read_only = False
        self._update_count()

    @property
    def busy(self) -> bool:
        """Whether photos are being copied or thumbnails decoded."""
        return self._busy > 0

    def count(self) -> int:
        """The number of photos shown."""
        return self.list.count()

    def set_photos(self, photos: Sequence[PhotoRef | dict[str, object]]) -> None:
        """Show ``photos`` (refs or their JSON form); thumbnails arrive from the worker."""
        self.list.clear()
        for photo in photos:
            sha = photo.sha256 if isinstance(photo, PhotoRef) else str(photo.get("sha256", ""))
            if not sha:
                continue
            item = self._add_item(sha)
            self._job(
                lambda store, sha=sha: _thumbnail(store, sha),
                lambda image, item=item: self._set_icon(item, image),
            )
        self._update_count()

    def add_files(self, paths: Iterable[Path]) -> None:
        """Attach the images at ``paths`` to the draft (copied by the worker)."""
        for path in paths:
            self._job(
                lambda store, path=path: _attach(store, self._version_uuid, path), self._on_attached
            )

    def remove_selected(self) -> None:
        """Detach the selected photos from the draft."""
        for item in self.list.selectedItems():
            sha = str(item.data(_SHA_ROLE))
            self._job(
                lambda store, sha=sha: store.remove_photo(self._version_uuid, sha),
                lambda _result, sha=sha: self._on_removed(sha),
            )

    def set_read_only(self, read_only: bool) -> None:
        """Hide the editing buttons (a submitted version)."""
        self._read_only = read_only
        self.add_button.setVisible(not read_only)
        self.remove_button.setVisible(not read_only)
        self.issues.set_read_only(read_only)

    # --- internals ---------------------------------------------------------------------------

    def _choose_files(self) -> None:
        names = file_dialogs.open_file_names(
            self,
            self.tr("Add photos"),
            self.tr("Images (*.jpg *.jpeg *.png *.webp *.bmp *.gif);;All files (*)"),
            purpose="photos",
        )
        self.add_files(Path(n) for n in names)

    def _job(self, fn: object, on_done: object) -> None:
        self._busy += 1

        def done(result: object) -> None:
            self._busy -= 1
            on_done(result)  # type: ignore[operator]

        def failed(exc: BaseException) -> None:
            self._busy -= 1
            self._worker.failed.emit(exc)

        self._worker.run(fn, on_done=done, on_error=failed, owner=self)  # type: ignore[arg-type]

    def _add_item(self, sha256: str) -> QListWidgetItem:
        item = QListWidgetItem(self.list)
        item.setData(_SHA_ROLE, sha256)
        item.setToolTip(sha256[:12])
        item.setSizeHint(QSize(THUMBNAIL_SIZE + 12, THUMBNAIL_SIZE + 12))
        return item

    def _set_icon(self, item: QListWidgetItem, image: QImage) -> None:
        if shiboken6.isValid(item) and not image.isNull():
            item.setIcon(QIcon(QPixmap.fromImage(image)))

    def _on_attached(self, result: tuple[PhotoRef, QImage]) -> None:
        ref, image = result
        if any(self.list.item(i).data(_SHA_ROLE) == ref.sha256 for i in range(self.list.count())):
            return  # the same picture twice: stored once
        self._set_icon(self._add_item(ref.sha256), image)
        self._update_count()
        self.photos_changed.emit(self.count())

    def _on_removed(self, sha256: str) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(_SHA_ROLE) == sha256:
                self.list.takeItem(i)
                break
        self._update_count()
        self.photos_changed.emit(self.count())

    def _update_count(self) -> None:
        self.count_label.setText(self.tr("Photos: {count}").format(count=self.count()))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(not self._read_only and bool(self.list.selectedItems()))
