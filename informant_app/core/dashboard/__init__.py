"""The bureau's dashboard (灾情总览): open events, per-unit figures and standing, county review."""
