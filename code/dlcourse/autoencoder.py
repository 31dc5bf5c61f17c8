"""An autoencoder: a network trained to reproduce its input through a narrow
middle layer.

The encoder squeezes each 784-pixel digit into a code z of a few numbers (the
latent space); the decoder rebuilds the image from z alone. Nothing tells it
which digit it sees, yet to rebuild digits well it must place similar digits
at nearby codes.
"""

import torch
from torch import nn

from dlcourse.training import fit, mnist_tensors


class Autoencoder(nn.Module):
    """784 → 256 → 64 → z → 64 → 256 → 784, with pixel values in [0, 1] at
    the output."""

    def __init__(self, latent_dim: int) -> None:
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Flatten(),
            nn.Linear(784, 256),
            nn.ReLU(),
            nn.Linear(256, 64),
            nn.ReLU(),
            nn.Linear(64, latent_dim),
        )
        self.decoder = nn.Sequential(
            nn.Linear(latent_dim, 64),
            nn.ReLU(),
            nn.Linear(64, 256),
            nn.ReLU(),
            nn.Linear(256, 784),
            nn.Sigmoid(),
        )

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """The latent code z of each image."""
        return self.encoder(x)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """The image (N, 1, 28, 28) the decoder makes from each code."""
        return self.decoder(z).view(-1, 1, 28, 28)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(x))


def build(recipe: dict) -> Autoencoder:
    """The untrained autoencoder of a recipe."""
    return Autoencoder(recipe["latent_dim"])


def fit_autoencoder(
    model: Autoencoder, recipe: dict, device: str | torch.device
) -> tuple[dict, dict]:
    """Train to reproduce the training images (binary cross entropy per
    pixel), with Adam.

    The labels are never used: the targets are the images themselves. The
    metric is the loss on the 10,000 test images.
    """
    test_images, _ = mnist_tensors(train=False, device=device)
    loss_fn = nn.BCELoss()

    @torch.no_grad()
    def test_loss(m: nn.Module) -> float:
        return loss_fn(m(test_images), test_images).item()

    return fit(
        model,
        recipe,
        device,
        loss_fn,
        test_loss,
        "test_loss",
        reconstruct=True,
    ), {}
