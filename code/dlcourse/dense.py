"""Dense (fully connected) networks for MNIST.

Nielsen's network: 784 inputs, 30 sigmoid neurons, 10 sigmoid outputs,
trained by plain SGD on the quadratic cost.

This is the recipe of Nielsen's chapter 1 (minibatches of 10, η = 3.0, 30
epochs), written with PyTorch's layers. It is the baseline that shows what
the convolutional network adds: every pixel is its own input, and nothing in
the network knows which pixels are neighbours. It differs from the CNN in
more than convolution, though, so :func:`relu_network` is the same size as
the CNN and is trained with the CNN's recipe.
"""

import torch
from torch import nn

from dlcourse.training import Data, fit


def dense_network(sizes: tuple[int, ...] = (784, 30, 10)) -> nn.Sequential:
    """Fully connected sigmoid layers, initialised as Nielsen's network.py.

    Every weight and bias is drawn from a standard normal distribution,
    N(0, 1). (The book's own ``backprop.Network`` divides the weights by
    √inputs, so that z starts where σ is not saturated; Nielsen adopts that
    in his chapter 3.)
    """
    layers: list[nn.Module] = [nn.Flatten()]
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        linear = nn.Linear(n_in, n_out)
        nn.init.normal_(linear.weight)
        nn.init.normal_(linear.bias)
        layers += [linear, nn.Sigmoid()]
    return nn.Sequential(*layers)


def quadratic_cost(a: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """C = ½‖a − y‖² averaged over the batch, y the one-hot label: Nielsen's
    cost, so that SGD's step is his (η/m) Σ ∇C_x."""
    y = nn.functional.one_hot(labels, a.shape[1]).to(a.dtype)
    return 0.5 * (a - y).pow(2).sum(dim=1).mean()


def relu_network(sizes: tuple[int, ...] = (784, 52, 10)) -> nn.Sequential:
    """A fully connected ReLU network with PyTorch's default
    initialisation, whose last layer outputs raw scores (logits).

    784-52-10 has 41,350 weights and biases, about as many as the lecture's
    CNN (41,866): trained with the CNN's improved recipe (the `improved`
    run's), it is the comparison that holds everything but the layers
    fixed.
    """
    layers: list[nn.Module] = [nn.Flatten()]
    for n_in, n_out in zip(sizes[:-2], sizes[1:-1]):
        layers += [nn.Linear(n_in, n_out), nn.ReLU()]
    layers.append(nn.Linear(sizes[-2], sizes[-1]))
    return nn.Sequential(*layers)


def train(
    model: nn.Sequential,
    train: Data,
    validation: Data,
    epochs: int,
    batch_size: int,
    lr: float,
    seed: int = 0,
    test: Data | None = None,
) -> dict:
    """Train with plain SGD on the quadratic cost, as Nielsen does."""
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    return fit(
        model,
        train,
        validation,
        epochs,
        batch_size,
        optimizer,
        quadratic_cost,
        seed=seed,
        test=test,
    )
