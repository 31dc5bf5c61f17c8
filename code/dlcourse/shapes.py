"""Shapes and sizes of PyTorch layers: the lecture's "mystery" 2,304 and
parameter counts.

A linear layer needs to know how many numbers it receives, but after
convolutions and pooling that number is not written anywhere. We derive it
with the output-size formula, layer by layer, and check the derivation by
running a dummy image through the network and recording what each layer
really outputs.
"""

import torch
from torch import nn

from dlcourse.cnn import LectureCNN
from dlcourse.networks import count_parameters


def window(layer: nn.Conv2d | nn.MaxPool2d) -> tuple[int, int, int]:
    """(kernel side k, stride s, padding p) of a square convolution or
    pooling layer.

    The size formula below assumes square windows without dilation, as in the
    lecture; other layers are refused rather than sized wrongly.
    """
    if _side(layer.dilation) != 1:
        raise ValueError(
            f"{layer}: dilated windows are not covered by the lecture's "
            "size formula"
        )
    return tuple(
        _side(getattr(layer, name))
        for name in ("kernel_size", "stride", "padding")
    )


def output_size(size: int, layer: nn.Conv2d | nn.MaxPool2d) -> int:
    """Side of the square map a convolution or pooling layer outputs for a
    size×size input.

    A k×k window with padding p, moved by stride s, fits (size + 2p - k) // s
    + 1 times.
    """
    k, s, p = window(layer)
    return (size + 2 * p - k) // s + 1


def output_size_formula(size: int, layer: nn.Conv2d | nn.MaxPool2d) -> str:
    """The computation of ``output_size`` written out with the layer's
    numbers, for the book."""
    k, s, p = window(layer)
    return f"⌊({size} + 2·{p} − {k}) / {s}⌋ + 1 = {output_size(size, layer)}"


def _side(value: int | tuple[int, ...]) -> int:
    """Conv2d stores (k, k), MaxPool2d stores k: both mean a square k×k."""
    if isinstance(value, tuple):
        if len(set(value)) != 1:
            raise ValueError(
                f"expected the same value along both sides, got {value}"
            )
        return value[0]
    return value


def derived_sizes(
    model: LectureCNN, size: int = 28
) -> list[tuple[str, int, int, str]]:
    """(step, number of maps, side of each map, formula) after each step of
    the lecture's CNN.

    ReLU keeps the shape, so only the convolutions and poolings appear.
    """
    steps = [("input", 1, size, "the image")]
    for name, layer, maps in (
        ("conv1", model.conv1, model.conv1.out_channels),
        ("pool", model.pool, model.conv1.out_channels),
        ("conv2", model.conv2, model.conv2.out_channels),
        ("pool", model.pool, model.conv2.out_channels),
    ):
        steps.append(
            (
                name,
                maps,
                output_size(size, layer),
                output_size_formula(size, layer),
            )
        )
        size = steps[-1][2]
    return steps


def derived_flattened_size(model: LectureCNN, size: int = 28) -> int:
    """The linear layer's input size by the formula: maps × side × side after
    the last pooling."""
    _, maps, side, _ = derived_sizes(model, size)[-1]
    return maps * side * side


def measured_shapes(
    model: nn.Module, size: int = 28
) -> list[tuple[str, tuple[int, ...], tuple[int, ...]]]:
    """Run one dummy size×size image through the model; return (layer, input
    shape, output shape) per call.

    Forward hooks record every layer in the order the model really calls it,
    so a layer used twice (the pooling) appears twice. The dummy image is
    made on the model's device: a model moved to a GPU gets a GPU input.
    """
    names = {module: name for name, module in model.named_modules()}
    calls = []

    def record(module, inputs, output):
        calls.append(
            (names[module], tuple(inputs[0].shape), tuple(output.shape))
        )

    leaves = [m for m in model.modules() if not list(m.children())]
    hooks = [m.register_forward_hook(record) for m in leaves]
    try:
        with torch.no_grad():
            device = next(model.parameters()).device
            model(torch.zeros(1, 1, size, size, device=device))
    finally:
        for hook in hooks:
            hook.remove()
    return calls


def flattened_size(model: nn.Module, size: int = 28) -> int:
    """How many features really enter the first linear layer, for one
    size×size image."""
    linear = {
        name for name, m in model.named_modules() if isinstance(m, nn.Linear)
    }
    return next(
        shape[1]
        for name, shape, _ in measured_shapes(model, size)
        if name in linear
    )


def classic_vs_convolutional(
    pixels: int = 100, nodes: int = 10, kernel: int = 3, maps: int = 10
) -> dict[str, int]:
    """Parameters of the lecture's two hidden layers for the same image,
    counted from real layers.

    The classic layer has a weight from every pixel to every node; the
    convolutional layer shares one kernel per output map over all pixels, so
    its count does not depend on the image size at all.
    """
    return {
        "the classic layer": count_parameters(nn.Linear(pixels, nodes)),
        "the convolutional layer": count_parameters(
            nn.Conv2d(1, maps, kernel)
        ),
    }


def most_parameters(counts: dict[str, int]) -> str:
    """The name with the largest count, or 'both the same' when they tie (a
    quiz answer)."""
    largest = max(counts.values())
    winners = [name for name, count in counts.items() if count == largest]
    return winners[0] if len(winners) == 1 else "both the same"
