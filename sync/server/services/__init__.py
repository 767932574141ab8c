"""The server's work, free of HTTP: accounts, sign-in, roster, reports, changes, photos."""
