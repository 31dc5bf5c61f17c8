"""A variational autoencoder (Kingma & Welling 2014): an autoencoder whose
codes follow a distribution we can sample from.

A plain autoencoder puts its codes wherever rebuilding is easiest, so a
random point of its latent space may decode to nothing. The VAE's encoder
gives, for each image, a mean μ and a variance σ² of a normal distribution
over codes; the decoder rebuilds the image from a code drawn from it,
z = μ + σ·ε with ε ~ N(0, I) (the *reparameterisation*: the randomness is in
ε, so the loss has gradients with respect to μ and σ). The loss adds to the
reconstruction error the KL divergence from N(μ, σ²) to the prior N(0, I),
which keeps the codes near the prior: new digits are decoded from z drawn
from N(0, I). It trains as the autoencoder does
(:func:`dlcourse.autoencoder.train` with ``loss_fn=vae_loss``).
"""

import torch
from torch import nn
from torch.nn.functional import binary_cross_entropy

from dlcourse.autoencoder import Autoencoder

Output = tuple[torch.Tensor, torch.Tensor, torch.Tensor]


class VAE(Autoencoder):
    """The autoencoder's layers (784 → 256 → 64 → z → 64 → 256 → 784),
    except that the encoder's last layer gives two numbers for each number
    of z: its mean μ and its log-variance log σ²."""

    def __init__(self, latent_dim: int = 2) -> None:
        super().__init__(latent_dim)
        self.latent_dim = latent_dim
        self.encoder[-1] = nn.Linear(64, 2 * latent_dim)

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The mean μ and the log-variance log σ² of each image's code."""
        mu, log_var = self.encoder(x).chunk(2, dim=1)
        return mu, log_var

    def forward(self, x: torch.Tensor) -> Output:
        """The rebuilt images, μ and log σ². While training, z is drawn
        from N(μ, σ²); in eval mode z = μ, so scores repeat exactly."""
        mu, log_var = self.encode(x)
        z = mu
        if self.training:
            z = mu + torch.exp(0.5 * log_var) * torch.randn_like(mu)
        return self.decode(z), mu, log_var


def kl_divergence(mu: torch.Tensor, log_var: torch.Tensor) -> torch.Tensor:
    """KL(N(μ, σ²) ‖ N(0, I)) of each code: ½ Σ (μ² + σ² − log σ² − 1)."""
    return 0.5 * (mu.pow(2) + log_var.exp() - log_var - 1).sum(dim=1)


def vae_loss(output: Output, x: torch.Tensor) -> torch.Tensor:
    """The negative evidence lower bound, averaged over the batch: each
    image's reconstruction error (binary cross entropy summed over its 784
    pixels) plus the KL divergence of its code."""
    x_hat, mu, log_var = output
    rebuild = binary_cross_entropy(x_hat, x, reduction="none")
    return (
        rebuild.flatten(1).sum(dim=1) + kl_divergence(mu, log_var)
    ).mean()


def sample(
    model: VAE, n: int, generator: torch.Generator | None = None
) -> torch.Tensor:
    """n new digits: codes drawn from the prior N(0, I), decoded."""
    with torch.no_grad():
        return model.decode(
            torch.randn(n, model.latent_dim, generator=generator)
        )
