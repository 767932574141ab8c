"""This computer's account: set-up, sign-in, the token, the city's CA, diagnostics."""
