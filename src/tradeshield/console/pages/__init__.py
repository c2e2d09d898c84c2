"""The console's pages, one file per area; each file has a ``router``."""
