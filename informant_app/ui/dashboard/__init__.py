"""The bureau's dashboard (灾情总览) page, its tables and its charts."""
