"""The Qt-free core: local models, the SQLite store, migrations, photos, import and export."""
