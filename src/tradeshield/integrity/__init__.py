"""Account integrity: how far to trust a buyer account, and rings of linked accounts."""
