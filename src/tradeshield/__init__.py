"""TradeShield: an after-sales trust platform for e-commerce."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tradeshield")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
