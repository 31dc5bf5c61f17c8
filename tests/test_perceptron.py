import numpy as np
import pytest

from dlcourse.perceptron import (
    binary_inputs,
    nand,
    outputs_as_option,
    perceptron,
    truth_table,
)


def test_output_rule_is_strict_at_zero():
    # w·x + b = 0 must give 0: the rule is "0 if w·x + b <= 0".
    assert perceptron(np.array([1, 1]), np.array([1, -1]), 0) == 0
    assert perceptron(np.array([1, 0]), np.array([1, -1]), 0) == 1


def test_binary_inputs_in_lecture_order():
    assert binary_inputs(2) == [(0, 0), (0, 1), (1, 0), (1, 1)]


def test_lecture_perceptron_is_nand():
    table = truth_table([-2, -2], 3)
    assert [y for _, y in table] == [1, 1, 1, 0]
    assert all(y == nand(*x) for x, y in table)
    assert outputs_as_option([-2, -2], 3) == "1,1,1,0"


@pytest.mark.parametrize(
    "w,b,expected", [([1, 1], -1.5, "0,0,0,1"), ([1, 1], -0.5, "0,1,1,1")]
)
def test_other_gates(w, b, expected):
    # AND and OR from the same rule
    assert outputs_as_option(w, b) == expected


def test_a_network_of_nand_perceptrons_computes_xor():
    from dlcourse.perceptron import binary_inputs, xor, xor_network

    assert [xor_network(*x) for x in binary_inputs()] == [0, 1, 1, 0]
    assert [xor(*x) for x in binary_inputs()] == [0, 1, 1, 0]


def test_no_single_perceptron_on_a_grid_computes_xor():
    from dlcourse.perceptron import xor_mistakes

    grid = np.linspace(-3, 3, 25)
    assert (
        min(
            xor_mistakes(np.array([w1, w2]), b)
            for w1 in grid
            for w2 in grid
            for b in grid
        )
        == 1
    )
