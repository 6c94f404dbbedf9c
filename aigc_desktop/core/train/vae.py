"""A small convolutional VAE (Kingma & Welling, 2013) for 64×64 RGB pictures.

Encoder: four stride-2 convolutions (w, 2w, 4w, 8w channels; 64 → 4 pixels) with batch norm and LeakyReLU, then two
linear heads for the mean and log-variance of a `latent_dim` Gaussian. Decoder: the mirror with transposed
convolutions, sigmoid out (pixels in [0, 1]). Loss per picture: summed squared error (a Gaussian likelihood) plus
`kl_weight` × KL(q(z|x) ‖ N(0, I)).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import torch
from torch import nn


@dataclass(frozen=True)
class VAEConfig:
    latent_dim: int = 128
    width: int = 32
    channels: int = 3
    image_size: int = 64

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VAEConfig:
        config = cls(**{k: int(v) for k, v in data.items() if k in cls.__dataclass_fields__})
        if config.image_size != 64:
            raise ValueError(f"this VAE makes 64×64 pictures, not {config.image_size}×{config.image_size}")
        return config


def _down(cin: int, cout: int) -> list[nn.Module]:
    return [nn.Conv2d(cin, cout, 4, 2, 1, bias=False), nn.BatchNorm2d(cout), nn.LeakyReLU(0.2, inplace=True)]


def _up(cin: int, cout: int) -> list[nn.Module]:
    return [nn.ConvTranspose2d(cin, cout, 4, 2, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]


class ConvVAE(nn.Module):
    def __init__(self, config: VAEConfig) -> None:
        super().__init__()
        self.config = config
        w, c, z = config.width, config.channels, config.latent_dim
        self._flat = w * 8 * 4 * 4
        self.encoder = nn.Sequential(*_down(c, w), *_down(w, w * 2), *_down(w * 2, w * 4), *_down(w * 4, w * 8))
        self.to_mu = nn.Linear(self._flat, z)
        self.to_logvar = nn.Linear(self._flat, z)
        self.from_z = nn.Linear(z, self._flat)
        self.decoder = nn.Sequential(
            nn.ReLU(inplace=True),
            *_up(w * 8, w * 4),
            *_up(w * 4, w * 2),
            *_up(w * 2, w),
            nn.ConvTranspose2d(w, c, 4, 2, 1),
            nn.Sigmoid(),
        )

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(N, 3, 64, 64) pictures in [0, 1] → mean and log-variance, each (N, latent_dim)."""
        h = self.encoder(x).flatten(1)
        return self.to_mu(h), self.to_logvar(h).clamp(-30.0, 20.0)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """(N, latent_dim) codes → (N, 3, 64, 64) pictures in [0, 1]."""
        w = self.config.width
        h = self.from_z(z).view(-1, w * 8, 4, 4)
        out: torch.Tensor = self.decoder(h)
        return out

    def forward(
        self, x: torch.Tensor, noise: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Reconstruction, mean, log-variance. `noise` (N, latent_dim) makes the reparameterisation reproducible."""
        mu, logvar = self.encode(x)
        eps = torch.randn_like(mu) if noise is None else noise
        z = mu + eps * torch.exp(0.5 * logvar)
        return self.decode(z), mu, logvar


def vae_loss(
    recon: torch.Tensor, x: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor, kl_weight: float = 1.0
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(total, reconstruction, kl), each the mean over the batch of a per-picture sum."""
    n = x.shape[0]
    reconstruction = (recon.float() - x.float()).pow(2).sum() / n
    mu, logvar = mu.float(), logvar.float()
    kl = -0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum() / n
    return reconstruction + kl_weight * kl, reconstruction, kl
