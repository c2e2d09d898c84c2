"""Trained pixel detectors run by ONNX Runtime: a local-edit localiser (`localise`) and a
whole-image AI-generation detector (`detect_generated`).

The weights, their versions and model cards live in ``weights/``; they are made by
``tradeshield forensics train`` (the ``train`` extra, torch) and read here without torch.
"""

from tradeshield.forensics.learned.generated import detect_generated
from tradeshield.forensics.learned.localiser import localise
from tradeshield.forensics.learned.runtime import model_versions

__all__ = ["detect_generated", "localise", "model_versions"]
