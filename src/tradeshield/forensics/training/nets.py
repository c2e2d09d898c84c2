"""The two compact nets. Both start from fixed high-pass filters (noise residuals, after the
SRM filters of steganalysis): content is suppressed, and what an edit or a generator leaves in
the fine grain is what the learnable layers see."""

from __future__ import annotations

import torch
from torch import nn

_RESIDUAL_CLIP = 8.0  # grey levels; larger residuals are edges, not noise


def _high_pass_kernels() -> torch.Tensor:
    first = torch.zeros(5, 5)
    first[2, 2], first[2, 3] = -1.0, 1.0
    second = torch.zeros(5, 5)
    second[2, 1], second[2, 2], second[2, 3] = 1.0, -2.0, 1.0
    square = torch.tensor(
        [[-1.0, 2.0, -2.0, 2.0, -1.0], [2.0, -6.0, 8.0, -6.0, 2.0], [-2.0, 8.0, -12.0, 8.0, -2.0]]
    )
    kv = torch.cat([square, square[:2].flip(0)]) / 12.0
    return torch.stack([first, first.T, second, second.T, kv])


class HighPass(nn.Module):
    """Five fixed residual filters on each colour channel -> 15 clipped residual maps."""

    channels = 15

    def __init__(self) -> None:
        super().__init__()
        kernels = _high_pass_kernels()
        weight = kernels[:, None].repeat(3, 1, 1, 1)  # grouped: 5 per input channel
        self.register_buffer("weight", weight)
        self.weight: torch.Tensor

    def forward(self, rgb: torch.Tensor) -> torch.Tensor:
        residual = nn.functional.conv2d(rgb * 255.0, self.weight, padding=2, groups=3)
        return torch.clamp(residual, -_RESIDUAL_CLIP, _RESIDUAL_CLIP) / _RESIDUAL_CLIP


def _block(inputs: int, outputs: int, stride: int = 1, dilation: int = 1) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(inputs, outputs, 3, stride=stride, padding=dilation, dilation=dilation),
        nn.BatchNorm2d(outputs),
        nn.ReLU(inplace=True),
    )


class Localiser(nn.Module):
    """RGB (N x 3 x H x W, 0..1; H and W multiples of 8) -> edit logits at 1/4 resolution
    (N x 1 x H/4 x W/4).

    The residuals carry what an edit does to the grain; the colours, centred, let the net see
    what a pasted stain or a faded patch does to the content around it. A strided encoder to
    1/8, dilated context blocks there (receptive field about 250 px), and one decoder step back
    to 1/4 with the 1/4 features, so thin scratches and cracks keep their shape.
    """

    stride = 4

    def __init__(self) -> None:
        super().__init__()
        self.residuals = HighPass()
        self.quarter = nn.Sequential(
            _block(HighPass.channels + 3, 16, stride=2),
            _block(16, 32, stride=2),
            _block(32, 32),
        )
        self.eighth = nn.Sequential(
            _block(32, 48, stride=2),
            _block(48, 48, dilation=2),
            _block(48, 48, dilation=4),
            _block(48, 48, dilation=8),
        )
        self.head = nn.Sequential(
            nn.Conv2d(48 + 32, 32, 1),
            nn.BatchNorm2d(32),
            nn.ReLU(inplace=True),
            nn.Conv2d(32, 1, 1),
        )

    def forward(self, rgb: torch.Tensor) -> torch.Tensor:
        inputs = torch.cat([self.residuals(rgb), rgb - 0.5], dim=1)
        quarter = self.quarter(inputs)
        context = nn.functional.interpolate(self.eighth(quarter), scale_factor=2.0)
        out: torch.Tensor = self.head(torch.cat([context, quarter], dim=1))
        return out


class GeneratedClassifier(nn.Module):
    """RGB crops (N x 3 x P x P, 0..1) -> one "generated" logit each (N x 1)."""

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(
            HighPass(),
            _block(HighPass.channels, 24, stride=2),
            _block(24, 32, stride=2),
            _block(32, 48, stride=2),
            _block(48, 64, stride=2),
        )
        self.head = nn.Linear(128, 1)

    def forward(self, rgb: torch.Tensor) -> torch.Tensor:
        features = self.features(rgb)
        pooled = torch.cat([features.mean(dim=(2, 3)), features.amax(dim=(2, 3))], dim=1)
        out: torch.Tensor = self.head(pooled)
        return out
