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
    """RGB (N x 3 x H x W, 0..1) -> edit logits at 1/8 resolution (N x 1 x H/8 x W/8)."""

    def __init__(self) -> None:
        super().__init__()
        self.layers = nn.Sequential(
            HighPass(),
            _block(HighPass.channels, 24, stride=2),
            _block(24, 32, stride=2),
            _block(32, 48, stride=2),
            _block(48, 48, dilation=2),
            _block(48, 48, dilation=4),
            nn.Conv2d(48, 1, 1),
        )

    def forward(self, rgb: torch.Tensor) -> torch.Tensor:
        out: torch.Tensor = self.layers(rgb)
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
