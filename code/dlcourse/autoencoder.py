"""An autoencoder: a network trained to reproduce its input through a narrow
middle layer.

The encoder squeezes each 784-pixel digit into a code z of a few numbers (the
latent space); the decoder rebuilds the image from z alone. Nothing tells it
which digit it sees, yet to rebuild digits well it must place similar digits
at nearby codes.
"""

from dataclasses import dataclass

import torch
from torch import nn

from dlcourse import training
from dlcourse.training import mnist_tensors, split


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


@dataclass(frozen=True, kw_only=True)
class Recipe(training.Recipe):
    """A training recipe plus the size of the latent code."""

    latent_dim: int


def build(recipe: Recipe) -> Autoencoder:
    """The untrained autoencoder of a recipe."""
    return Autoencoder(recipe.latent_dim)


def fit(
    model: Autoencoder, recipe: Recipe, device: str | torch.device
) -> tuple[dict, dict]:
    """Train to reproduce the training images (binary cross entropy per
    pixel), with Adam.

    The labels are never used: the targets are the images themselves. The
    loss on the validation images is recorded after every epoch, the loss
    on the 10,000 test images once, at the end.
    """
    (images, _), (validation, _) = split(recipe, device)
    loss_fn = nn.BCELoss()

    @torch.no_grad()
    def loss_on(x: torch.Tensor) -> float:
        return loss_fn(model(x), x).item()

    optimizer = torch.optim.Adam(model.parameters(), lr=recipe.lr)
    metrics = training.fit(
        model,
        recipe,
        optimizer,
        loss_fn,
        (images, images),
        lambda m: loss_on(validation),
    )
    metrics["test_loss"] = loss_on(mnist_tensors(False, device)[0])
    return metrics, {}
