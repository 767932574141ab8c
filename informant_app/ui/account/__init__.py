"""Set-up, sign-in, the profile and settings."""
