"""PyTorch: change the lecture's second convolution and its poolings, and
see every layer's shape and how many numbers reach the linear layer."""

import json
from itertools import product

from torch import nn

from coursesite.explorables import Figure, Sample, alt, slider, spec
from dlcourse.cnn import LectureCNN
from dlcourse.shapes import derived_sizes, measured_shapes, window

#: The controls, {name: (label, values)}: conv2's kernel side, stride and
#: padding, and the poolings' window (their stride too).
CONTROLS = {
    "k": ("conv2 kernel k", range(1, 8)),
    "s": ("conv2 stride s", range(1, 4)),
    "p": ("conv2 padding p", range(0, 4)),
    "q": ("pooling window", range(2, 5)),
}
#: The lecture's own network, the figure's first state.
LECTURE = {"k": 3, "s": 1, "p": 0, "q": 2}
#: The table's rows: the package's steps (input, convolutions, poolings),
#: then the flattening.
ROWS = len(derived_sizes(LectureCNN())) + 1
#: The rows' distance, in pixels: a layer's shape and its formula below.
PITCH = 38
FORMULA = "#6b6b6b"
#: The last row's words when a window does not fit.
UNBUILT = "nothing reaches the linear layer"
#: The page's name of the controls' setting, as :func:`key` writes it.
KEY = " + ',' + ".join(CONTROLS)


def key(*setting: int) -> str:
    """A setting's name in the page's table of settings (:data:`KEY`)."""
    return ",".join(map(str, setting))


def network(k: int, s: int, p: int, q: int) -> LectureCNN:
    """The lecture's CNN with conv2 a k×k convolution of stride s and
    padding p, and q×q poolings (its ``fc`` left as the lecture's)."""
    model = LectureCNN()
    model.conv2 = nn.Conv2d(32, 64, kernel_size=k, stride=s, padding=p)
    model.pool = nn.MaxPool2d(q)
    return model


def shape(maps: int, side: int) -> str:
    """A layer's output as PyTorch orders it, the batch aside."""
    return f"{maps} × {side} × {side}"


def table(k: int, s: int, p: int, q: int) -> list[list[str]]:
    """[step, shape, its side by the formula] for each step of the
    package's derivation, then the flattening; once a window does not fit,
    nothing is left for the layers after it."""
    model = network(k, s, p, q)
    layers = {"conv1": model.conv1, "conv2": model.conv2, "pool": model.pool}
    (first, *steps) = derived_sizes(model)
    rows, side = [[first[0], shape(first[1], first[2]), first[3]]], first[2]
    for index, (step, maps, out, formula) in enumerate(steps):
        if out < 1:
            return [
                *rows,
                [step, "nothing left", formula],
                *[[later, "—", ""] for later, *_ in steps[index + 1 :]],
                ["flatten", UNBUILT, misfit(layers[step], side)],
            ]
        rows.append([step, shape(maps, out), formula])
        side = out
    flat = maps * side * side
    return [
        *rows,
        [
            "flatten",
            f"{flat:,} numbers",
            f"{maps} × {side} × {side} → nn.Linear({flat}, 10)",
        ],
    ]


def misfit(layer: nn.Module, side: int) -> str:
    """Why a layer outputs nothing: its window is larger than its (padded)
    input."""
    k, _, p = window(layer)
    padded = side + 2 * p
    return (
        f"the {k}×{k} window does not fit into the {padded}×{padded}"
        f"{' padded' if p else ''} maps"
    )


def said() -> str:
    """The text alternative, a Vega expression: the controls' setting and
    every row of its table (the samples check it against PyTorch)."""
    setting = (
        '"The lecture\'s CNN with conv2 a " + k + "×" + k + " convolution of '
        'stride " + s + " and padding " + p + ", and " + q + "×" + q + '
        '" pooling. Shapes (maps × rows × columns): "'
    )
    shapes = " + ', ' + ".join(
        f"rows[{row}][0] + ' ' + rows[{row}][1]" for row in range(ROWS - 1)
    )
    flat = f"rows[{ROWS - 1}]"
    ending = (
        f"({flat}[1] == {json.dumps(UNBUILT)}"
        f" ? {flat}[2] + ', so running an image through it fails.'"
        f" : 'flattening gives ' + {flat}[1] + ': ' + {flat}[2] + '.')"
    )
    return f"{setting} + {shapes} + '; ' + {ending}"


def shapes_figure() -> Figure:
    """The table of shapes for the controls' setting, every setting's
    computed by the package in advance."""
    settings = product(*(values for _, values in CONTROLS.values()))
    tables = {key(*setting): table(*setting) for setting in settings}
    lines = {
        "data": {"values": [{"i": i} for i in range(ROWS)]},
        "transform": [
            {"calculate": f"rows[datum.i][{column}]", "as": name}
            for column, name in enumerate(["step", "shape", "how"])
        ]
        + [{"calculate": f"datum.i * {PITCH}", "as": "y"}],
        "encoding": {
            "y": {"field": "y", "type": "quantitative", "scale": None}
        },
        "layer": [
            text("step", 0, 0, {"fontWeight": "bold"}),
            text("shape", 64, 0, {}),
            text("how", 0, 17, {"fontSize": 12, "color": FORMULA}),
        ],
    }
    figure = spec(
        params=[
            *[
                slider(name, label, values[0], values[-1], 1, LECTURE[name])
                for name, (label, values) in CONTROLS.items()
            ],
            {"name": "rows", "expr": f"{json.dumps(tables)}[{KEY}]"},
            alt(said()),
        ],
        width=320,
        height=ROWS * PITCH - 6,
        **lines,
    )
    return Figure(figure, samples=tuple(samples()))


def text(field: str, x: int, dy: int, style: dict) -> dict:
    """One column of the table: ``field`` at ``x`` pixels, ``dy`` below
    its row's first line."""
    return {
        "mark": {
            "type": "text",
            "align": "left",
            "baseline": "top",
            "fontSize": 14,
            "dy": dy,
            **style,
        },
        "encoding": {"x": {"value": x}, "text": {"field": field}},
    }


def samples() -> list[Sample]:
    """The lecture's network, three other settings, and one whose last
    pooling has nothing left: each shape as PyTorch measures it on a
    dummy image, or PyTorch's refusal to run it."""
    found = []
    for setting in [
        (3, 1, 0, 2),
        (5, 2, 2, 2),
        (1, 1, 3, 3),
        (7, 3, 3, 2),
        (3, 3, 0, 4),
    ]:
        model = network(*setting)
        model.fc = nn.LazyLinear(10)  # sized by what reaches it
        try:
            calls = measured_shapes(model)
        except RuntimeError:
            found.append(Sample(dict(zip(CONTROLS, setting)), (UNBUILT,)))
            continue
        shows = [
            f"{layer} {shape(out[1], out[2])}"
            for layer, _, out in calls
            if layer != "fc"
        ]
        (flat,) = [inputs[1] for layer, inputs, _ in calls if layer == "fc"]
        found.append(
            Sample(
                dict(zip(CONTROLS, setting)),
                (*shows, f"nn.Linear({flat}, 10)"),
            )
        )
    return found
