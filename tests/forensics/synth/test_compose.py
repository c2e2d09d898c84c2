"""Edit methods on awkward placements."""

from __future__ import annotations

import numpy as np
import pytest

from tradeshield.forensics.synth.compose import _poisson, make_edit


@pytest.mark.parametrize(("rows", "columns"), [((475, 477), (521, 524)), ((200, 203), (300, 302))])
def test_poisson_blend_of_a_sliver_leaves_the_photo_unchanged(
    rows: tuple[int, int], columns: tuple[int, int]
) -> None:
    # OpenCV's seamlessClone asserts on a mask under 3 pixels across: a stain clipped to two
    # rows at the bottom of a 640 x 480 camera photo made the generator crash.
    photo = np.random.default_rng(3).integers(90, 150, (480, 640, 3)).astype(np.uint8)
    outline = np.zeros((480, 640), bool)
    outline[slice(*rows), slice(*columns)] = True
    edited = _poisson(photo, photo.astype(np.float32) + 40.0, outline, np.random.default_rng(0))
    assert np.array_equal(edited, photo.astype(np.float32))


def test_poisson_blend_of_a_three_pixel_patch_still_edits() -> None:
    photo = np.random.default_rng(3).integers(90, 150, (480, 640, 3)).astype(np.uint8)
    outline = np.zeros((480, 640), bool)
    outline[200:205, 300:305] = True
    layer = np.random.default_rng(4).uniform(0, 255, photo.shape).astype(np.float32)
    edited = _poisson(photo, layer, outline, np.random.default_rng(0))
    assert not np.array_equal(edited, photo.astype(np.float32))


def test_small_photos_get_poisson_edits_without_crashing() -> None:
    photo = np.random.default_rng(5).integers(60, 200, (480, 640, 3)).astype(np.uint8)
    for seed in range(40):
        edit = make_edit(photo, "stain", np.random.default_rng(seed), method="poisson")
        assert edit.mask.any()
