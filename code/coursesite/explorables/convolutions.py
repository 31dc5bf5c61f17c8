"""Convolutions: choose a kernel and see its feature map of a digit, then
the map after max pooling."""

import json

import numpy as np

from coursesite.explorables import (
    Figure,
    Sample,
    alt,
    grey_png,
    pixels,
    select,
    spec,
)
from dlcourse.convolution import KERNELS, max_pool, relu_feature_map
from dlcourse.data import mnist

#: Each panel's pixels are drawn this many CSS pixels wide.
SCALE = 3.4
#: Source pixels of mid-grey between two panels.
GAP = 2
#: The panels side by side: the digit, its feature map, the pooled map.
TITLES = ("the digit", "feature map", "2×2 max-pooled")


def digit() -> tuple[np.ndarray, int]:
    """The chapter's digit, the first MNIST training image, and its label."""
    image, label = mnist(train=True)[0]
    return image[0].numpy().astype(float), label


def panels(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """The digit, its feature map and the 2×2 max-pooled map (each pooled
    value a 2×2 block, so that all three are the digit's size) side by side,
    in grey levels: each map divided by its largest value (the pooled map
    keeps it), so that white is the largest."""
    feature_map = relu_feature_map(image, kernel)
    largest = feature_map.max() or 1.0
    pooled = np.kron(max_pool(feature_map, 2), np.ones((2, 2)))
    gap = np.full((image.shape[0], GAP), 0.5)
    return np.hstack(
        [image, gap, feature_map / largest, gap, pooled / largest]
    )


def weight(value: float) -> str:
    """A kernel entry as the grid shows it: whole numbers as they are,
    others to two decimals."""
    return f"{value:g}" if float(value).is_integer() else f"{value:.2f}"


def kernel_figure() -> Figure:
    """The chosen kernel's weights above the digit, its feature map and the
    pooled map, with the maps' largest values and how much of them is not
    zero."""
    image, label = digit()
    words = {
        name: numbers(kernel, image) for name, kernel in KERNELS.items()
    }
    grid = {
        "width": 3 * 34,
        "height": 3 * 22,
        "data": {
            "values": [
                {"kernel": name, "row": i, "col": j, "weight": weight(w)}
                for name, kernel in KERNELS.items()
                for (i, j), w in np.ndenumerate(kernel)
            ]
        },
        "transform": [{"filter": "datum.kernel == kernel"}],
        "encoding": {
            "x": {"field": "col", "type": "ordinal", "axis": None},
            "y": {"field": "row", "type": "ordinal", "axis": None},
        },
        "layer": [
            {"mark": {"type": "rect", "fill": None, "stroke": "#888888"}},
            {
                "mark": {"type": "text", "fontSize": 13},
                "encoding": {"text": {"field": "weight"}},
            },
        ],
        "title": {"text": "its weights", "anchor": "start"},
    }
    side = image.shape[0] * SCALE
    width = (3 * image.shape[0] + 2 * GAP) * SCALE
    maps = {
        "width": width,
        "height": side + 20,
        "layer": [
            {
                "data": {
                    "values": [
                        {
                            "kernel": name,
                            "image": grey_png(panels(image, kernel)),
                        }
                        for name, kernel in KERNELS.items()
                    ]
                },
                "transform": [{"filter": "datum.kernel == kernel"}],
                **pixels(width, side, 0, 20),
            },
            {
                "data": {
                    "values": [
                        {
                            "title": title,
                            "x": (i + 0.5) * (side + GAP * SCALE),
                        }
                        for i, title in enumerate(TITLES)
                    ]
                },
                "mark": {"type": "text", "fontSize": 12, "baseline": "top"},
                "encoding": {
                    "text": {"field": "title"},
                    "x": {
                        "field": "x",
                        "type": "quantitative",
                        "scale": None,
                    },
                    "y": {"value": 0},
                },
            },
        ],
    }
    figure = spec(
        params=[
            select(
                "kernel", "kernel", list(KERNELS), list(KERNELS), "edges"
            ),
            {
                "name": "shown",
                "expr": json.dumps(words) + "[kernel]",
            },
            alt(
                f"'The ' + kernel + ' kernel, rows ' + shown.rows + ', on the"
                f" first training digit (a {label}): its feature map, the filtered"
                " digit through a ReLU, is not zero at ' + shown.nonzero +"
                " ' of ' + shown.pixels + ' pixels, largest value ' +"
                " shown.largest + '; 2×2 max pooling keeps ' + shown.pooled +"
                " ' values, ' + shown.pooled_nonzero + ' of them not zero,"
                " the largest still ' + shown.largest + '. Each map is drawn"
                " white at its largest value, black at zero.'"
            ),
        ],
        vconcat=[grid, maps],
        spacing=10,
    )
    return Figure(figure, samples=tuple(samples(image)))


def numbers(kernel: np.ndarray, image: np.ndarray) -> dict:
    """The numbers the text alternative says for one kernel."""
    feature_map = relu_feature_map(image, kernel)
    pooled = max_pool(feature_map, 2)
    return {
        "rows": ", ".join(
            "(" + ", ".join(weight(w) for w in row) + ")" for row in kernel
        ),
        "pixels": feature_map.size,
        "nonzero": int((feature_map > 0).sum()),
        "largest": f"{feature_map.max():.2f}",
        "pooled": f"{pooled.shape[0]}×{pooled.shape[1]}",
        "pooled_nonzero": int((pooled > 0).sum()),
    }


def samples(image: np.ndarray) -> list[Sample]:
    """Every kernel: the package's feature map and pooled map (the image),
    and their counts and largest value (the words)."""
    return [
        Sample(
            {"kernel": name},
            shows=(
                f"The {name} kernel",
                f"not zero at {int((fm > 0).sum())} of {fm.size} pixels",
                f"largest value {fm.max():.2f};",
                f"{int((max_pool(fm, 2) > 0).sum())} of them not zero",
            ),
            image=panels(image, kernel),
        )
        for name, kernel in KERNELS.items()
        for fm in [relu_feature_map(image, kernel)]
    ]
