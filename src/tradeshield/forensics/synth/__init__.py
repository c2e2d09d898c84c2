"""The defect-edit generator: edited copies of real photos with exact masks, for measuring
and training forensic detectors. See `generate`."""

from tradeshield.forensics.synth.generator import MANIFEST, generate, list_sources, split_of

__all__ = ["MANIFEST", "generate", "list_sources", "split_of"]
