"""Pieces of the reference match: aligning a reference photo onto the evidence, and finding
what differs once they are aligned. `tradeshield.forensics.reference_match` assembles them."""
