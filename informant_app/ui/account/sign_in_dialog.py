"""The sign-in dialog's old name: it is now the set-up page (``setup_dialog.SetupDialog``).

Kept so that callers and tests that open "the sign-in dialog" go on working: the set-up page
signs in with a user name and password exactly as this dialog did, and also by set-up code.
"""

from __future__ import annotations

from informant_app.ui.account.setup_dialog import SetupDialog

#: The set-up page, under the name the main window and the tests know.
SignInDialog = SetupDialog

__all__ = ["SignInDialog"]
