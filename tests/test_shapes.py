"""The lecture's "mystery" 2,304 and the parameter counts of the PyTorch and convolution chapters."""

import pytest
from torch import nn

from dlcourse.cnn import LectureCNN
from dlcourse.shapes import (
    classic_vs_convolutional,
    derived_flattened_size,
    derived_sizes,
    flattened_size,
    measured_shapes,
    most_parameters,
    output_size,
    output_size_formula,
    window,
)


def test_the_lecture_quiz_classic_layer_has_more_parameters():
    counts = classic_vs_convolutional()
    assert counts == {
        "the classic layer": 100 * 10 + 10,
        "the convolutional layer": 10 * 3 * 3 + 10,
    }
    assert counts == {
        "the classic layer": 1010,
        "the convolutional layer": 100,
    }
    assert most_parameters(counts) == "the classic layer"


def test_convolutional_count_does_not_grow_with_the_image():
    assert (
        classic_vs_convolutional(pixels=10_000)["the convolutional layer"]
        == 100
    )
    assert (
        classic_vs_convolutional(pixels=10_000)["the classic layer"]
        == 100_010
    )


def test_most_parameters_reports_a_tie():
    assert most_parameters({"a": 3, "b": 3}) == "both the same"
    assert most_parameters({"a": 2, "b": 3}) == "b"


@pytest.mark.parametrize(
    "size,layer,expected",
    [
        (28, nn.Conv2d(1, 32, 3, stride=1, padding=1), 28),
        (14, nn.Conv2d(32, 64, 3, stride=1), 12),
        (28, nn.MaxPool2d(2), 14),
        (13, nn.MaxPool2d(2), 6),
        (28, nn.Conv2d(1, 1, 5, stride=2, padding=2), 14),
    ],
)
def test_output_size_formula_matches_a_real_layer(size, layer, expected):
    import torch

    assert output_size(size, layer) == expected
    in_channels = layer.in_channels if isinstance(layer, nn.Conv2d) else 1
    assert (
        layer(torch.zeros(1, in_channels, size, size)).shape[-1] == expected
    )


def test_derived_sizes_follow_the_lecture():
    steps = derived_sizes(LectureCNN())
    assert [row[:3] for row in steps] == [
        ("input", 1, 28),
        ("conv1", 32, 28),
        ("pool", 32, 14),
        ("conv2", 64, 12),
        ("pool", 64, 6),
    ]
    assert steps[3][3] == "⌊(14 + 2·0 − 3) / 1⌋ + 1 = 12"


def test_the_mystery_2304_derived_equals_measured_equals_the_model():
    model = LectureCNN()
    assert (
        derived_flattened_size(model)
        == flattened_size(model)
        == model.fc.in_features
        == 2304
    )


def test_measured_shapes_record_every_call_in_order_and_remove_hooks():
    model = LectureCNN()
    calls = measured_shapes(model)
    assert [name for name, _, _ in calls] == [
        "conv1",
        "pool",
        "conv2",
        "pool",
        "fc",
    ]
    assert [out for _, _, out in calls][-2:] == [(1, 64, 6, 6), (1, 10)]
    assert all(not m._forward_hooks for m in model.modules())


def test_derivation_and_measurement_agree_for_another_image_size():
    model = LectureCNN()
    features = nn.Sequential(
        model.conv1,
        nn.ReLU(),
        model.pool,
        model.conv2,
        nn.ReLU(),
        model.pool,
    )
    _, maps, side, _ = derived_sizes(model, 32)[-1]
    assert (
        measured_shapes(features, 32)[-1][2]
        == (1, maps, side, side)
        == (1, 64, 7, 7)
    )


def test_window_reads_square_kernel_stride_and_padding_from_both_layer_kinds():
    assert window(nn.Conv2d(1, 1, 5, stride=2, padding=1)) == (5, 2, 1)
    assert window(nn.MaxPool2d(2)) == (2, 2, 0)


def test_output_size_formula_shows_the_numbers_and_the_result():
    assert (
        output_size_formula(28, nn.Conv2d(1, 32, 3, padding=1))
        == "⌊(28 + 2·1 − 3) / 1⌋ + 1 = 28"
    )
    assert output_size_formula(12, nn.MaxPool2d(2)).endswith(
        f"= {output_size(12, nn.MaxPool2d(2))}"
    )


@pytest.mark.parametrize(
    "layer",
    [
        nn.Conv2d(1, 1, 3, dilation=2),
        nn.Conv2d(1, 1, (3, 5)),
        nn.MaxPool2d(2, dilation=2),
    ],
)
def test_window_refuses_layers_the_formula_does_not_cover(layer):
    with pytest.raises(ValueError):
        window(layer)
