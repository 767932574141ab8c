"""The Help menu: About and copying diagnostic information."""
