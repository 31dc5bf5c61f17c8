"""Activation functions σ and their derivatives σ′.

A neuron outputs σ(w·x + b). Backpropagation multiplies by σ′(z) at every
layer, so each activation comes with its derivative. The step function is
the perceptron's rule; its derivative is zero almost everywhere, which is why
gradient descent needs smooth activations such as the sigmoid.
"""

import numpy as np


def step(z: np.ndarray) -> np.ndarray:
    """Heaviside step: the perceptron's output rule, 0 for z <= 0 and 1 for z
    > 0."""
    return (np.asarray(z) > 0).astype(float)


def step_prime(z: np.ndarray) -> np.ndarray:
    """Derivative of the step: 0 wherever it exists (it is undefined at 0),
    so no gradient flows."""
    return np.zeros_like(np.asarray(z, dtype=float))


def sigmoid(z: np.ndarray, slope: float = 1.0) -> np.ndarray:
    """Logistic sigmoid 1 / (1 + e^(-slope·z)): a smooth step; larger slope,
    sharper step."""
    return 1.0 / (1.0 + np.exp(-slope * np.asarray(z, dtype=float)))


def sigmoid_prime(z: np.ndarray, slope: float = 1.0) -> np.ndarray:
    """σ′(z) = slope·σ(z)(1 − σ(z)): cheap to compute from σ itself, at most
    slope/4."""
    s = sigmoid(z, slope)
    return slope * s * (1.0 - s)


def tanh(z: np.ndarray) -> np.ndarray:
    """Hyperbolic tangent: a sigmoid rescaled to (−1, 1) and centred on
    zero."""
    return np.tanh(np.asarray(z, dtype=float))


def tanh_prime(z: np.ndarray) -> np.ndarray:
    """tanh′(z) = 1 − tanh²(z)."""
    return 1.0 - np.tanh(np.asarray(z, dtype=float)) ** 2


def relu(z: np.ndarray) -> np.ndarray:
    """Rectified linear unit max(0, z): no saturation for z > 0, so gradients
    do not vanish there."""
    return np.maximum(0.0, np.asarray(z, dtype=float))


def relu_prime(z: np.ndarray) -> np.ndarray:
    """ReLU′(z) = 1 for z > 0, else 0 (the value at 0 is a convention)."""
    return (np.asarray(z) > 0).astype(float)


#: Each activation with its derivative, by name, for plots and tests.
ACTIVATIONS = {
    "step": (step, step_prime),
    "sigmoid": (sigmoid, sigmoid_prime),
    "tanh": (tanh, tanh_prime),
    "relu": (relu, relu_prime),
}
