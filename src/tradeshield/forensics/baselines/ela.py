"""Error level analysis (Krawetz, "A picture's worth", 2007).

Re-save the photo as JPEG at a known quality and look at the difference: regions that were
pasted or retouched after the last save have a different error level from the rest. The map
is the local mean absolute difference, scored against the photo's own typical level.
"""

from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image

from tradeshield.forensics.baselines.common import RGB, BaselineResult, image_score, outlier_map

QUALITY = 90
WINDOW = 16


def detect(rgb: RGB) -> BaselineResult:
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, format="JPEG", quality=QUALITY)
    with Image.open(io.BytesIO(out.getvalue())) as resaved:
        again = np.asarray(resaved.convert("RGB"), dtype=np.float32)
    error = np.abs(rgb.astype(np.float32) - again).mean(axis=2)
    local = cv2.blur(error, (WINDOW, WINDOW))
    heatmap = outlier_map(local)
    return BaselineResult(score=image_score(heatmap), heatmap=heatmap)
