"""JPEG history detector: which parts of a JPEG were compressed differently from the rest.

Two traces, each in its own module:

- `double_quantisation`: a photo saved, edited and saved again on the same 8x8 grid carries
  the first compression in its DCT coefficient histograms (aligned double quantisation);
  pixels pasted or painted in before the second save lack it.
- `grid`: the 8x8 blocking of every save sits on that save's grid; a photo cropped off the
  grid and saved again carries an earlier grid at another phase (non-aligned double
  compression), and a region pasted from another JPEG carries its source's grid.

`detector` turns both into findings and one heat map. Non-JPEG files get one INFO finding and
no map. A photo compressed once at high quality (camera original) or resized after its first
save has no usable history, so its map stays empty.
"""

from tradeshield.forensics.jpeg_history.detector import DETECTOR, VERSION, detect
from tradeshield.forensics.jpeg_history.double_quantisation import history_maps
from tradeshield.forensics.jpeg_history.frames import stored_luma

__all__ = ["DETECTOR", "VERSION", "detect", "history_maps", "stored_luma"]
