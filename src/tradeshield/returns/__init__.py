"""Return-mismatch trust: key evidence per unit, a tamper-evident chain, return checks,
liability, purchase limits and a consortium list of confirmed abusive accounts."""
