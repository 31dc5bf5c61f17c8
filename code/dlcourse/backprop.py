"""Backpropagation and minibatch SGD from scratch in NumPy, after Nielsen's
network.py.

The notation is the lecture's. Layers run from 1 (input) to N (output); w^l,
b^l are the weights and biases of layer l; z^l = w^l a^{l−1} + b^l is its
weighted input and a^l = σ(z^l) its activation; δ^l = ∂L/∂z^l is its error.
Each equation of backpropagation is one line of ``Network.backprop``.

A batch of examples is a matrix with one example per column, so the same
lines handle one example or m at once; gradients are summed over the columns.
"""

from collections.abc import Sequence

import numpy as np
import torch
import torch.nn.functional as F

from dlcourse.activations import ACTIVATIONS
from dlcourse.losses import LOSSES

Gradients = tuple[list[np.ndarray], list[np.ndarray]]


def minibatches(
    n: int, m: int, rng: np.random.Generator
) -> list[np.ndarray]:
    """The indices 0..n−1 shuffled and cut into minibatches of m.

    The last minibatch is smaller when m does not divide n.
    """
    if m < 1:
        raise ValueError(f"the minibatch size m must be at least 1, got {m}")
    return np.array_split(rng.permutation(n), range(m, n, m))


class Network:
    """A fully connected network, trained by minibatch SGD with
    backpropagation."""

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str = "sigmoid",
        loss: str = "cross entropy",
        seed: int = 0,
    ) -> None:
        """Random weights scaled by 1/√(inputs), so that z starts where σ is
        not saturated."""
        if activation not in ACTIVATIONS or loss not in LOSSES:
            raise ValueError(
                f"unknown activation {activation!r} or loss {loss!r}: "
                f"choose from {sorted(ACTIVATIONS)} and {sorted(LOSSES)}"
            )
        rng = np.random.default_rng(seed)
        self.sizes, self.activation, self.loss_name = (
            list(sizes),
            activation,
            loss,
        )
        self.weights = [
            rng.standard_normal((n_out, n_in)) / np.sqrt(n_in)
            for n_in, n_out in zip(sizes[:-1], sizes[1:])
        ]
        self.biases = [
            rng.standard_normal((n_out, 1)) for n_out in sizes[1:]
        ]
        self.sigma, self.sigma_prime = ACTIVATIONS[activation]
        self.loss, self.loss_gradient = LOSSES[loss]

    def feedforward(self, x: np.ndarray) -> np.ndarray:
        """The output a^N for the examples in the columns of x."""
        a = x
        for w, b in zip(self.weights, self.biases):
            a = self.sigma(w @ a + b)
        return a

    def cost(self, x: np.ndarray, y: np.ndarray) -> float:
        """The loss averaged over the examples: the number training
        lowers."""
        return self.loss(self.feedforward(x), y) / x.shape[1]

    def backprop(self, x: np.ndarray, y: np.ndarray) -> Gradients:
        """∂L/∂w^l and ∂L/∂b^l for every layer l.

        L is the loss summed over the examples, the columns of x.
        """
        # Feed forward, keeping every z^l and a^l for the backward pass.
        a, activations, zs = x, [x], []
        for w, b in zip(self.weights, self.biases):
            z = w @ a + b  # z^l = w^l a^{l−1} + b^l
            a = self.sigma(z)  # a^l = σ(z^l)
            zs.append(z)
            activations.append(a)
        # δ^N = ∇_a L ⊙ σ′(z^N)
        delta = self.loss_gradient(a, y) * self.sigma_prime(zs[-1])
        deltas = [delta]
        # Backwards through the hidden layers, l = N−1, ..., 2.
        for w_next, z in zip(reversed(self.weights[1:]), reversed(zs[:-1])):
            # δ^l = ((w^{l+1})^T δ^{l+1}) ⊙ σ′(z^l)
            delta = (w_next.T @ delta) * self.sigma_prime(z)
            deltas.insert(0, delta)
        # ∂L/∂w^l_jk = a^{l−1}_k δ^l_j, summed over the examples
        grad_w = [
            d @ a_prev.T for d, a_prev in zip(deltas, activations[:-1])
        ]
        # ∂L/∂b^l_j = δ^l_j, summed over the examples
        grad_b = [d.sum(axis=1, keepdims=True) for d in deltas]
        return grad_w, grad_b

    def sgd_step(self, x: np.ndarray, y: np.ndarray, eta: float) -> None:
        """One update from m examples: w → w − (η/m) Σ_x ∂L_x/∂w, same for
        b."""
        m = x.shape[1]
        grad_w, grad_b = self.backprop(x, y)
        self.weights = [
            w - (eta / m) * gw for w, gw in zip(self.weights, grad_w)
        ]
        self.biases = [
            b - (eta / m) * gb for b, gb in zip(self.biases, grad_b)
        ]

    def train(
        self,
        x: np.ndarray,
        y: np.ndarray,
        epochs: int,
        m: int,
        eta: float,
        seed: int = 0,
    ) -> list[float]:
        """Stochastic gradient descent: each epoch, one sgd_step per
        minibatch.

        Returns the cost on the whole training set after each epoch.
        """
        rng = np.random.default_rng(seed)
        costs = []
        for _ in range(epochs):
            for batch in minibatches(x.shape[1], m, rng):
                self.sgd_step(x[:, batch], y[:, batch], eta)
            costs.append(self.cost(x, y))
        return costs

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Class labels: the most active output neuron, or for a single
        output neuron a^N > ½."""
        a = self.feedforward(x)
        return (a[0] > 0.5).astype(int) if len(a) == 1 else a.argmax(axis=0)


#: The same activations and losses written in PyTorch, to check backprop
#: against autograd.
TORCH_ACTIVATIONS = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
}
TORCH_LOSSES = {
    "squared": lambda a, y: F.mse_loss(a, y, reduction="sum") / 2,
    "cross entropy": lambda a, y: F.binary_cross_entropy(
        a, y, reduction="sum"
    ),
}


def autograd_gradients(
    net: Network, x: np.ndarray, y: np.ndarray
) -> Gradients:
    """The same network's gradients, computed by PyTorch's autograd."""
    weights = [torch.tensor(w, requires_grad=True) for w in net.weights]
    biases = [torch.tensor(b, requires_grad=True) for b in net.biases]
    a = torch.tensor(x, dtype=torch.float64)
    for w, b in zip(weights, biases):
        a = TORCH_ACTIVATIONS[net.activation](w @ a + b)
    loss = TORCH_LOSSES[net.loss_name](
        a, torch.tensor(y, dtype=torch.float64)
    )
    loss.backward()
    return [w.grad.numpy() for w in weights], [
        b.grad.numpy() for b in biases
    ]


def finite_difference_gradients(
    net: Network, x: np.ndarray, y: np.ndarray, h: float = 1e-6
) -> Gradients:
    """Each partial derivative as (L(θ + h) − L(θ − h)) / 2h, one parameter
    at a time: slow but obviously right."""

    def nudged_loss(p: np.ndarray, index: tuple, step: float) -> float:
        original = p[index]
        p[index] = original + step
        loss = net.loss(net.feedforward(x), y)
        p[index] = original
        return loss

    def partials(params: list[np.ndarray]) -> list[np.ndarray]:
        return [
            np.array(
                [
                    (nudged_loss(p, i, h) - nudged_loss(p, i, -h)) / (2 * h)
                    for i in np.ndindex(p.shape)
                ]
            ).reshape(p.shape)
            for p in params
        ]

    return partials(net.weights), partials(net.biases)


def max_difference(first: Gradients, second: Gradients) -> float:
    """The largest absolute difference between two sets of gradients, over
    all weights and biases."""
    return max(
        float(np.max(np.abs(g1 - g2)))
        for g1, g2 in zip(first[0] + first[1], second[0] + second[1])
    )
