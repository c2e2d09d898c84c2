"""Dispute rule packs (GoRules JDM decision graphs run by zen-engine) and adjudication."""
