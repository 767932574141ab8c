"""The frozen bundle's entry script: runs ``informant_app.__main__.main`` (the window or a command).

PyInstaller runs this file as ``__main__``; it is not part of the installed package.
"""

from informant_app.__main__ import main

if __name__ == "__main__":
    raise SystemExit(main())
