"""The variational autoencoder's maths: the KL term's closed form, the
loss, the reparameterisation, sampling from the prior."""

import torch
from torch.distributions import Normal
from torch.distributions import kl_divergence as torch_kl
from torch.nn.functional import binary_cross_entropy

from dlcourse.autoencoder import Autoencoder
from dlcourse.vae import VAE, kl_divergence, sample, vae_loss


def test_kl_term_is_the_divergence_from_the_prior():
    mu, log_var = torch.randn(5, 2), torch.randn(5, 2)
    q = Normal(mu, torch.exp(0.5 * log_var))
    p = Normal(torch.zeros(5, 2), torch.ones(5, 2))
    expected = torch_kl(q, p).sum(dim=1)
    assert torch.allclose(kl_divergence(mu, log_var), expected, atol=1e-5)
    assert torch.all(
        kl_divergence(torch.zeros(3, 2), torch.zeros(3, 2)) == 0
    )


def test_loss_is_pixels_summed_plus_kl_averaged_over_the_batch():
    x = torch.rand(4, 1, 28, 28)
    x_hat = torch.rand(4, 1, 28, 28).clamp(0.01, 0.99)
    mu, log_var = torch.randn(4, 2), torch.randn(4, 2)
    per_image = [
        binary_cross_entropy(x_hat[i], x[i], reduction="sum")
        + kl_divergence(mu[i : i + 1], log_var[i : i + 1])[0]
        for i in range(4)
    ]
    loss = vae_loss((x_hat, mu, log_var), x)
    assert torch.isclose(loss, torch.stack(per_image).mean(), rtol=1e-5)


def test_codes_are_drawn_while_training_and_the_mean_in_eval_mode():
    torch.manual_seed(0)
    model = VAE(latent_dim=2)
    x = torch.rand(6, 1, 28, 28)
    first, second = model(x)[0], model(x)[0]
    assert not torch.equal(first, second)
    model.eval()
    x_hat, mu, _ = model(x)
    assert torch.equal(x_hat, model.decode(mu))
    assert torch.equal(x_hat, model(x)[0])


def test_the_vae_has_the_autoencoders_layers_but_a_mean_and_variance():
    vae, ae = VAE(2), Autoencoder(2)
    shapes = {k: v.shape for k, v in vae.state_dict().items()}
    ae_shapes = {k: v.shape for k, v in ae.state_dict().items()}
    last = "encoder.5.weight"
    assert shapes.keys() == ae_shapes.keys()
    assert shapes[last] == (4, 64) and ae_shapes[last] == (2, 64)
    assert {k: s for k, s in shapes.items() if "encoder.5" not in k} == {
        k: s for k, s in ae_shapes.items() if "encoder.5" not in k
    }
    mu, log_var = vae.encode(torch.rand(3, 1, 28, 28))
    assert mu.shape == log_var.shape == (3, 2)


def test_samples_decode_codes_from_the_prior():
    model = VAE(2)
    digits = sample(model, 5, torch.Generator().manual_seed(1))
    z = torch.randn(5, 2, generator=torch.Generator().manual_seed(1))
    assert digits.shape == (5, 1, 28, 28)
    assert torch.equal(digits, model.decode(z).detach())
