"""A generative adversarial network (Goodfellow et al. 2014) that makes MNIST
digits.

A generator G turns random noise z into an image; a discriminator D outputs
the score (logit) of "this image is real". They play the minimax game

    min_G max_D  E_x[log D(x)] + E_z[log(1 - D(G(z)))].

D takes a gradient step to tell real from generated images better, then G
takes one to fool D. As in the paper, G maximises log D(G(z)) instead of
minimising log(1 - D(G(z))): same fixed point, but strong gradients while G
is still bad.
"""

import torch
from torch import nn
from torch.nn.functional import binary_cross_entropy_with_logits as bce
from tqdm.auto import tqdm

from dlcourse.training import Data, shuffled_batches


class Generator(nn.Module):
    """noise z (noise_dim numbers) → 256 → 512 → 784 pixels in [-1, 1]."""

    def __init__(self, noise_dim: int) -> None:
        super().__init__()
        self.noise_dim = noise_dim
        self.net = nn.Sequential(
            nn.Linear(noise_dim, 256),
            nn.LeakyReLU(0.2),
            nn.Linear(256, 512),
            nn.LeakyReLU(0.2),
            nn.Linear(512, 784),
            nn.Tanh(),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z).view(-1, 1, 28, 28)


class Discriminator(nn.Module):
    """784 pixels → 256 → 128 → one logit: large when D thinks the image is
    real."""

    def __init__(self) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(),
            nn.Linear(784, 256),
            nn.LeakyReLU(0.2),
            nn.Linear(256, 128),
            nn.LeakyReLU(0.2),
            nn.Linear(128, 1),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x).squeeze(1)


def noise(
    n: int, noise_dim: int, generator: torch.Generator | None = None
) -> torch.Tensor:
    """n standard-normal noise vectors: the generator's input."""
    return torch.randn(n, noise_dim, generator=generator)


def to_pixels(images: torch.Tensor) -> torch.Tensor:
    """Map the generator's [-1, 1] output to bytes 0..255 (to store or
    show)."""
    return ((images.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)


def discriminator_loss(
    D: nn.Module, real: torch.Tensor, fake: torch.Tensor
) -> torch.Tensor:
    """-[log D(x) + log(1 - D(G(z)))]: D should say 1 to real images, 0 to
    generated ones."""
    real_logits, fake_logits = D(real), D(fake)
    return bce(real_logits, torch.ones_like(real_logits)) + bce(
        fake_logits, torch.zeros_like(fake_logits)
    )


def generator_loss(D: nn.Module, fake: torch.Tensor) -> torch.Tensor:
    """-log D(G(z)): G should make D say 1 to its images."""
    logits = D(fake)
    return bce(logits, torch.ones_like(logits))


def train(
    G: Generator,
    train: Data,
    validation: Data,
    epochs: int,
    batch_size: int,
    lr: float,
    seed: int = 0,
) -> dict:
    """Alternate one D step and one G step per batch of real images (scaled
    to [-1, 1]).

    Returns every batch's two losses, and the generator's images for the
    same fixed noise after selected epochs (to show samples across
    training). A GAN has no validation score: its samples are looked at, so
    ``validation`` is not used.
    """
    generator = torch.Generator().manual_seed(seed)
    images = train[0] * 2 - 1
    device = images.device
    D = Discriminator().to(device)
    # the momentum setting usual for GANs (Radford et al. 2016)
    betas = (0.5, 0.999)
    opt_D = torch.optim.Adam(D.parameters(), lr=lr, betas=betas)
    opt_G = torch.optim.Adam(G.parameters(), lr=lr, betas=betas)
    fixed_noise = noise(64, G.noise_dim, generator).to(device)
    snapshot_epochs = sorted(
        {1, 2, 5, 10, epochs // 2, epochs} & set(range(1, epochs + 1))
    )
    metrics = {
        "batch_d_loss": [],
        "batch_g_loss": [],
        "sample_epochs": snapshot_epochs,
    }
    samples = []
    for epoch in tqdm(range(1, epochs + 1), unit="epoch"):
        d_losses, g_losses = [], []
        for idx in shuffled_batches(
            len(images), batch_size, generator, device
        ):
            real = images[idx]
            fake = G(noise(len(real), G.noise_dim, generator).to(device))
            opt_D.zero_grad()
            d_loss = discriminator_loss(D, real, fake.detach())
            d_loss.backward()
            opt_D.step()
            opt_G.zero_grad()
            g_loss = generator_loss(D, fake)
            g_loss.backward()
            opt_G.step()
            d_losses.append(d_loss.detach())
            g_losses.append(g_loss.detach())
        metrics["batch_d_loss"] += torch.stack(d_losses).tolist()
        metrics["batch_g_loss"] += torch.stack(g_losses).tolist()
        if epoch in snapshot_epochs:
            with torch.no_grad():
                samples.append(to_pixels(G(fixed_noise)))
    metrics["samples"] = torch.stack(samples)
    metrics["fixed_noise"] = fixed_noise
    return metrics
