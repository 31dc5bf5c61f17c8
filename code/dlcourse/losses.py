"""Loss functions: how wrong a network's output is, as one number training
can lower.

Classification losses are written as functions of the **margin** m = y·s, the
score s times the label y ∈ {−1, +1}: m > 0 means the example is on the right
side, and the larger m, the more confidently right. Losses of an output
activation a against a target y (in backpropagation) come with their gradient
∇_a L, which is where the backward pass starts.
"""

import numpy as np


def zero_one(margin: np.ndarray) -> np.ndarray:
    """1 for a mistake (m ≤ 0), 0 otherwise: what we care about, but flat, so
    it has no gradient."""
    return (np.asarray(margin) <= 0).astype(float)


def logistic(margin: np.ndarray) -> np.ndarray:
    """ln(1 + e^(−m)): smooth, never zero, and close to linear for large
    mistakes.

    Written with logaddexp so that e^(−m) cannot overflow for very wrong
    scores.
    """
    return np.logaddexp(0.0, -np.asarray(margin, dtype=float))


def hinge(margin: np.ndarray) -> np.ndarray:
    """max(0, 1 − m), the support vector machine's loss: zero once the margin
    reaches 1."""
    return np.maximum(0.0, 1.0 - np.asarray(margin, dtype=float))


def squared_margin(margin: np.ndarray) -> np.ndarray:
    """(1 − m)², which equals the squared error (y − s)² when y = ±1; it also
    punishes being too right."""
    return (1.0 - np.asarray(margin, dtype=float)) ** 2


def squared_error(a: np.ndarray, y: np.ndarray) -> float:
    """Euclidean loss ½‖a − y‖², summed over output neurons and examples."""
    return 0.5 * float(np.sum((a - y) ** 2))


def squared_error_gradient(a: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∇_a ½‖a − y‖² = a − y."""
    return a - y


def cross_entropy(a: np.ndarray, y: np.ndarray) -> float:
    """−Σ [y ln a + (1 − y) ln(1 − a)]: outputs a in (0, 1), targets y
    in {0, 1}."""
    return -float(np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)))


def cross_entropy_gradient(a: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∇_a of the cross entropy: (a − y) / (a(1 − a)), which cancels a
    sigmoid's σ′ = a(1 − a)."""
    return (a - y) / (a * (1 - a))


def softmax(scores: np.ndarray) -> np.ndarray:
    """p_j = e^(s_j) / Σ_k e^(s_k) along the last axis: scores become
    probabilities that are positive and add up to 1.

    The largest score is subtracted first; that changes no p_j (it cancels
    in the fraction) but keeps e^(s) from overflowing.
    """
    s = np.asarray(scores, dtype=float)
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def categorical_cross_entropy(scores: np.ndarray, label: int) -> float:
    """−ln p_y for one example's scores and its class y: the loss of
    ``torch.nn.CrossEntropyLoss``, which takes raw scores."""
    s = np.asarray(scores, dtype=float)
    return float(np.logaddexp.reduce(s) - s[label])


def one_hot(label: int, classes: int) -> np.ndarray:
    """The target vector: 1 for class y, 0 for every other class."""
    target = np.zeros(classes)
    target[label] = 1.0
    return target


def categorical_cross_entropy_gradient(
    scores: np.ndarray, label: int
) -> np.ndarray:
    """∂(−ln p_y)/∂s = p − onehot(y): the probabilities, less 1 at the true
    class, so a confident right answer gets (almost) no push."""
    s = np.asarray(scores, dtype=float)
    return softmax(s) - one_hot(label, len(s))


#: Margin losses by name, for the side-by-side plot.
MARGIN_LOSSES = {
    "0-1": zero_one,
    "logistic": logistic,
    "hinge": hinge,
    "squared": squared_margin,
}

#: Output losses L(a, y) with their gradients ∇_a L, for backpropagation.
LOSSES = {
    "squared": (squared_error, squared_error_gradient),
    "cross entropy": (cross_entropy, cross_entropy_gradient),
}
