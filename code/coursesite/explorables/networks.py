"""Networks: choose the width of the hidden layer, and see the chapter's
universal-approximation fit and its worst error."""

import json
import math

import numpy as np

from coursesite.explorables import Figure, Sample, alt, select, spec
from dlcourse import networks

#: The demo's interval, where the figure draws the target and each fit.
X = np.linspace(-2, 2, 201)
#: The width shown first (and in print): a fit that still misses the target.
FIRST = 8
#: The target's and the fit's colours, mid-tones that read on white and dark.
COLOURS = {"target f(x)": "#8c8c8c", "network g(x)": "#2f6fb5"}


def said(fits: dict) -> dict[str, dict[str, str]]:
    """Per width, its worst error and number of parameters, as the package
    computes them."""
    return {
        str(width): {
            "error": f"{error:.2g}",
            "parameters": str(networks.count_parameters(net)),
        }
        for width, (net, error) in fits.items()
    }


def fit_figure() -> Figure:
    """The target f and the fitted network g of the chosen width."""
    fits = networks.approximation_errors(networks.APPROXIMATION_WIDTHS)
    target = networks.universal_target(X)
    curves = {w: networks.evaluate(net, X) for w, (net, _) in fits.items()}
    values = np.concatenate([target, *curves.values()])
    domain = [
        math.floor(values.min() * 2) / 2,
        math.ceil(values.max() * 2) / 2,
    ]
    x = np.round(X, 2).tolist()
    axes = {
        "x": {
            "field": "x",
            "type": "quantitative",
            "title": "x",
            "scale": {"domain": [X[0], X[-1]], "nice": False},
        },
        "y": {
            "field": "y",
            "type": "quantitative",
            "title": "output",
            "scale": {"domain": domain},
        },
    }
    colour = {
        "scale": {"domain": list(COLOURS), "range": list(COLOURS.values())},
        "legend": {
            "orient": "bottom",
            "title": None,
            "columns": 1,
            "symbolStrokeWidth": 3,
        },
    }
    figure = spec(
        width=250,
        height=190,
        params=[
            select(
                "neurons",
                "hidden neurons",
                list(fits),
                [str(w) for w in fits],
                FIRST,
            ),
            {"name": "said", "expr": f"{json.dumps(said(fits))}[neurons]"},
            alt(
                "'The target f(x) = sin 3x + |x|/2 on"
                f" [{X[0]:g}, {X[-1]:g}] and a network g with one hidden"
                " layer of ' + neurons + ' random sigmoid neuron'"
                " + (neurons == 1 ? '' : 's') + ' (' + said.parameters"
                " + ' parameters), its output layer fitted by least squares."
                " Its worst error, the largest |g(x) − f(x)|, is '"
                " + said.error + '.'"
            ),
        ],
        layer=[
            {
                "data": {
                    "values": [{"x": x, "y": np.round(target, 4).tolist()}]
                },
                "transform": [{"flatten": ["x", "y"]}],
                "mark": {"type": "line", "strokeWidth": 5, "opacity": 0.6},
                "encoding": {
                    **axes,
                    "color": {"datum": "target f(x)", **colour},
                },
            },
            {
                "data": {
                    "values": [
                        {"neurons": w, "x": x, "y": np.round(y, 4).tolist()}
                        for w, y in curves.items()
                    ]
                },
                "transform": [
                    {"filter": "datum.neurons == neurons"},
                    {"flatten": ["x", "y"]},
                ],
                "mark": {"type": "line", "strokeWidth": 2},
                "encoding": {**axes, "color": {"datum": "network g(x)"}},
            },
        ],
        title={
            "text": {"expr": "'worst error ' + said.error"},
            "anchor": "start",
            "fontSize": 13,
        },
    )
    return Figure(figure, samples=tuple(samples(fits)))


def samples(fits: dict) -> list[Sample]:
    """The package's worst error and parameter count at the narrowest, the
    first-shown, a middle and the widest network."""
    widths = sorted(fits)
    chosen = [widths[0], FIRST, widths[len(widths) // 2 + 1], widths[-1]]
    return [
        Sample(
            {"neurons": width},
            shows=(
                f"layer of {width} random sigmoid neuron",
                f"({said(fits)[str(width)]['parameters']} parameters)",
                f"worst error {said(fits)[str(width)]['error']}",
                f"|g(x) − f(x)|, is {said(fits)[str(width)]['error']}.",
            ),
        )
        for width in chosen
    ]
