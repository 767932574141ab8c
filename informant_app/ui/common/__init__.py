"""Pieces every view uses: display texts, plain-text labels, fonts, lazy table models, errors."""
