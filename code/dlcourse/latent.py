"""Walking and doing arithmetic in an autoencoder's latent space.

Kept apart from ``dlcourse.autoencoder`` on purpose: these functions only use
a trained model, so changing them must not make the cached training runs
stale.
"""

import torch

from dlcourse.autoencoder import Autoencoder


@torch.no_grad()
def interpolate(
    model: Autoencoder, x0: torch.Tensor, x1: torch.Tensor, steps: int
) -> torch.Tensor:
    """Decode the straight line (1 - t) z0 + t z1 between the codes of two
    images, t from 0 to 1."""
    z0, z1 = model.encode(x0.unsqueeze(0)), model.encode(x1.unsqueeze(0))
    t = torch.linspace(0, 1, steps).unsqueeze(1)
    return model.decode((1 - t) * z0 + t * z1)


@torch.no_grad()
def direction(
    model: Autoencoder, images: torch.Tensor, has_attribute: torch.Tensor
) -> torch.Tensor:
    """The mean code of the images with an attribute minus the mean code of
    those without it.

    Whatever the two groups share cancels out; what is left points from
    "without" to "with" in the latent space.
    """
    z = model.encode(images)
    return z[has_attribute].mean(dim=0) - z[~has_attribute].mean(dim=0)


@torch.no_grad()
def add_direction(
    model: Autoencoder,
    x: torch.Tensor,
    v: torch.Tensor,
    amounts: torch.Tensor,
) -> torch.Tensor:
    """Latent arithmetic: decode code(x) + a·v for each amount a (a negative
    a subtracts)."""
    return model.decode(
        model.encode(x.unsqueeze(0)) + amounts.unsqueeze(1) * v
    )
