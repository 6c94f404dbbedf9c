"""The DCGAN of Radford et al. (2015) for 64×64 RGB pictures, as in the PyTorch DCGAN example.

Generator: z (latent_dim×1×1) → 4×4×8w → 8×8×4w → 16×16×2w → 32×32×w → 64×64×3 with transposed convolutions,
batch norm and ReLU, tanh out. Discriminator: the mirror with strided convolutions and LeakyReLU(0.2), ending in one
logit (the sigmoid lives in the loss, BCEWithLogits, which is the numerically stable form). w = `width` (ngf = ndf;
64 in the paper).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import torch
from torch import nn


@dataclass(frozen=True)
class DCGANConfig:
    latent_dim: int = 100
    width: int = 64
    channels: int = 3
    image_size: int = 64

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DCGANConfig:
        config = cls(**{k: int(v) for k, v in data.items() if k in cls.__dataclass_fields__})
        if config.image_size != 64:
            raise ValueError(f"this DCGAN makes 64×64 pictures, not {config.image_size}×{config.image_size}")
        return config


class Generator(nn.Module):
    def __init__(self, config: DCGANConfig) -> None:
        super().__init__()
        self.config = config
        z, w, c = config.latent_dim, config.width, config.channels
        self.net = nn.Sequential(
            nn.ConvTranspose2d(z, w * 8, 4, 1, 0, bias=False),
            nn.BatchNorm2d(w * 8),
            nn.ReLU(True),
            nn.ConvTranspose2d(w * 8, w * 4, 4, 2, 1, bias=False),
            nn.BatchNorm2d(w * 4),
            nn.ReLU(True),
            nn.ConvTranspose2d(w * 4, w * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(w * 2),
            nn.ReLU(True),
            nn.ConvTranspose2d(w * 2, w, 4, 2, 1, bias=False),
            nn.BatchNorm2d(w),
            nn.ReLU(True),
            nn.ConvTranspose2d(w, c, 4, 2, 1, bias=False),
            nn.Tanh(),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """(N, latent_dim) or (N, latent_dim, 1, 1) noise → (N, 3, 64, 64) pictures in [-1, 1]."""
        if z.dim() == 2:
            z = z[:, :, None, None]
        out: torch.Tensor = self.net(z)
        return out


class Discriminator(nn.Module):
    def __init__(self, config: DCGANConfig) -> None:
        super().__init__()
        w, c = config.width, config.channels
        self.net = nn.Sequential(
            nn.Conv2d(c, w, 4, 2, 1, bias=False),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(w, w * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(w * 2),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(w * 2, w * 4, 4, 2, 1, bias=False),
            nn.BatchNorm2d(w * 4),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(w * 4, w * 8, 4, 2, 1, bias=False),
            nn.BatchNorm2d(w * 8),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(w * 8, 1, 4, 1, 0, bias=False),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(N, 3, 64, 64) pictures in [-1, 1] → (N,) logits, high for "real"."""
        out: torch.Tensor = self.net(x)
        return out.flatten()


def init_weights(module: nn.Module, generator: torch.Generator) -> None:
    """The paper's initialisation: conv weights N(0, 0.02), batch-norm scales N(1, 0.02) and shifts 0. A generator is
    passed so the same seed gives the same model, whatever else uses torch's global random state meanwhile."""
    for m in module.modules():
        if isinstance(m, nn.Conv2d | nn.ConvTranspose2d | nn.Linear):
            nn.init.normal_(m.weight, 0.0, 0.02, generator=generator)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d | nn.BatchNorm1d):
            nn.init.normal_(m.weight, 1.0, 0.02, generator=generator)
            nn.init.zeros_(m.bias)
