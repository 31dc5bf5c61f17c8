"""The perceptron: a weighted sum of binary inputs compared with a threshold.

The lecture writes the threshold as a bias b, so the output rule is

    output = 0 if w·x + b <= 0, else 1.
"""

from itertools import product

import numpy as np


def perceptron(x: np.ndarray, w: np.ndarray, b: float) -> int:
    """Output of one perceptron: 1 when w·x + b is positive, else 0."""
    return int(np.dot(w, x) + b > 0)


def binary_inputs(n: int = 2) -> list[tuple[int, ...]]:
    """All 2**n binary input vectors in counting order: (0,0), (0,1), (1,0),
    (1,1) for n=2."""
    return list(product((0, 1), repeat=n))


def truth_table(
    w: np.ndarray, b: float
) -> list[tuple[tuple[int, ...], int]]:
    """Each binary input paired with the perceptron's output, as in the
    lecture's table."""
    w = np.asarray(w, dtype=float)
    return [
        (x, perceptron(np.array(x), w, b)) for x in binary_inputs(len(w))
    ]


def outputs_as_option(w: np.ndarray, b: float) -> str:
    """The outputs on all binary inputs written as a quiz option, e.g.
    ``'1,1,1,0'``."""
    return ",".join(str(y) for _, y in truth_table(w, b))


#: The logic gate of each truth table on two inputs, by its outputs on
#: (0,0), (0,1), (1,0), (1,1) as :func:`outputs_as_option` writes them.
GATES = {
    "0,0,0,0": "always 0",
    "0,0,0,1": "AND",
    "0,0,1,0": "x₁ AND NOT x₂",
    "0,0,1,1": "x₁",
    "0,1,0,0": "NOT x₁ AND x₂",
    "0,1,0,1": "x₂",
    "0,1,1,0": "XOR",
    "0,1,1,1": "OR",
    "1,0,0,0": "NOR",
    "1,0,0,1": "XNOR",
    "1,0,1,0": "NOT x₂",
    "1,0,1,1": "x₁ OR NOT x₂",
    "1,1,0,0": "NOT x₁",
    "1,1,0,1": "NOT x₁ OR x₂",
    "1,1,1,0": "NAND",
    "1,1,1,1": "always 1",
}


def gate(w: np.ndarray, b: float) -> str:
    """The logic gate a two-input perceptron computes, e.g. ``'NAND'``."""
    return GATES[outputs_as_option(w, b)]


def nand(x1: int, x2: int) -> int:
    """Logical NAND, the gate the lecture's perceptron (w = (-2, -2), b = 3)
    computes."""
    return int(not (x1 and x2))


def nand_perceptron(x1: int, x2: int) -> int:
    """NAND computed by the lecture's perceptron, w = (−2, −2), b = 3."""
    return perceptron(np.array([x1, x2]), np.array([-2, -2]), 3)


def xor_network(x1: int, x2: int) -> int:
    """XOR from four NAND perceptrons in three layers (Nielsen, chapter 1):
    no single perceptron computes it, but a network of them does."""
    both = nand_perceptron(x1, x2)
    return nand_perceptron(
        nand_perceptron(x1, both), nand_perceptron(x2, both)
    )


def xor(x1: int, x2: int) -> int:
    """Logical XOR: 1 when exactly one input is 1."""
    return int(x1 != x2)


def xor_mistakes(w: np.ndarray, b: float) -> int:
    """On how many of the four binary inputs one perceptron (w, b) differs
    from XOR: never 0, as the chapter proves."""
    return sum(y != xor(*x) for x, y in truth_table(w, b))
