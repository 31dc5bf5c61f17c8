"""An autoencoder: a network trained to reproduce its input through a narrow
middle layer.

The encoder squeezes each 784-pixel digit into a code z of a few numbers (the
latent space); the decoder rebuilds the image from z alone. Nothing tells it
which digit it sees, yet to rebuild digits well it must place similar digits
at nearby codes.
"""

import torch
from torch import nn
from torch.nn.functional import binary_cross_entropy

from dlcourse.training import Data, Loss, fit


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


def train(
    model: nn.Module,
    train: Data,
    validation: Data,
    epochs: int,
    batch_size: int,
    lr: float,
    seed: int = 0,
    test: Data | None = None,
    loss_fn: Loss = binary_cross_entropy,
) -> dict:
    """Train to reproduce the training images, with Adam; the loss is the
    binary cross entropy per pixel unless ``loss_fn`` says otherwise.

    The labels are never used: the targets are the images themselves.
    """

    def images_only(data: Data | None) -> Data | None:
        return None if data is None else (data[0], data[0])

    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    return fit(
        model,
        images_only(train),
        images_only(validation),
        epochs,
        batch_size,
        optimizer,
        loss_fn,
        seed=seed,
        test=images_only(test),
    )
