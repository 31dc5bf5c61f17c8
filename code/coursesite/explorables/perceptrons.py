"""Perceptrons: move w₁, w₂ and b, and see the decision line and the gate."""

import json
from itertools import product

from coursesite.explorables import Figure, Sample, alt, slider, spec
from dlcourse.perceptron import GATES, binary_inputs, gate, outputs_as_option

#: The plane drawn: a little beyond the four binary inputs.
PLANE = [-0.5, 1.5]


def fires(x1: str, x2: str) -> str:
    """The perceptron's rule as a Vega expression: 1 when w·x + b > 0."""
    return f"({x1} * w1 + {x2} * w2 + b > 0 ? 1 : 0)"


def gate_figure() -> Figure:
    """The four inputs, the side of the line where the perceptron fires,
    and its truth table and gate."""
    outputs = " + ',' + ".join(
        f"{fires(str(x1), str(x2))}" for x1, x2 in binary_inputs()
    )
    axis = {"type": "quantitative", "scale": {"domain": PLANE}}
    plane = {
        "width": 150,
        "height": 150,
        "layer": [
            *shading(axis),
            line(axis),
            {
                "data": {
                    "values": [
                        {"x1": x1, "x2": x2} for x1, x2 in binary_inputs()
                    ]
                },
                "transform": [
                    {
                        "calculate": fires("datum.x1", "datum.x2"),
                        "as": "output",
                    }
                ],
                "mark": {"type": "point", "size": 160, "strokeWidth": 2},
                "encoding": {
                    "x": {"field": "x1", **axis},
                    "y": {"field": "x2", **axis},
                    "color": {"value": "#1f5fa8"},
                    "fill": {
                        "field": "output",
                        "type": "nominal",
                        "scale": {
                            "domain": [0, 1],
                            "range": ["transparent", "#1f5fa8"],
                        },
                        "legend": None,
                    },
                },
            },
        ],
    }
    table = {
        "width": 64,
        "height": 150,
        "data": {
            "values": [
                {"row": i, "x1": x1, "x2": x2}
                for i, (x1, x2) in enumerate(binary_inputs())
            ]
        },
        "transform": [
            {"calculate": fires("datum.x1", "datum.x2"), "as": "output"},
            {
                "calculate": "datum.x1 + '  ' + datum.x2 + '  →  ' + datum.output",
                "as": "line",
            },
        ],
        "mark": {"type": "text", "fontSize": 14, "align": "left", "x": 0},
        "encoding": {
            "y": {"field": "row", "type": "ordinal", "axis": None},
            "text": {"field": "line"},
        },
        "title": {
            "text": {"expr": "gate"},
            "fontSize": 15,
            "anchor": "start",
        },
    }
    figure = spec(
        params=[
            slider("w1", "w₁", -4, 4, 0.5, -2),
            slider("w2", "w₂", -4, 4, 0.5, -2),
            slider("b", "b", -4, 4, 0.5, 3),
            {"name": "outputs", "expr": outputs},
            {"name": "gate", "expr": f"{json.dumps(GATES)}[outputs]"},
            alt(
                "'A perceptron with w₁ = ' + w1 + ', w₂ = ' + w2 + ', b = ' + b"
                " + ' outputs ' + outputs + ' on the inputs (0,0), (0,1), (1,0)"
                " and (1,1): ' + gate + '. It outputs 1 on the shaded side of"
                " the line w₁x₁ + w₂x₂ + b = 0.'"
            ),
        ],
        hconcat=[plane, table],
        spacing=12,
    )
    return Figure(figure, samples=tuple(samples()))


def shading(axis: dict) -> list[dict]:
    """The side of the line where the perceptron fires, shaded: an area
    from the line to the plane's edge, up or down when the line is steep
    in x₂ (else sideways); the whole plane when w = 0 and b > 0."""
    edge = {"x2": "w2 > 0 ? 1.5 : -0.5", "x1": "w1 > 0 ? 1.5 : -0.5"}
    shade = {"color": "#e8a33d", "opacity": 0.3, "clip": True}
    ends = {"values": [{"t": t} for t in PLANE]}
    return [
        {
            "data": ends,
            "transform": [
                {"filter": "abs(w2) >= abs(w1) && w2 != 0"},
                {"calculate": "datum.t", "as": "x1"},
                {"calculate": "-(w1 * datum.t + b) / w2", "as": "x2"},
                {"calculate": edge["x2"], "as": "edge"},
            ],
            "mark": {"type": "area", **shade},
            "encoding": {
                "x": {"field": "x1", **axis, "title": "x₁"},
                "y": {"field": "x2", **axis, "title": "x₂"},
                "y2": {"field": "edge"},
            },
        },
        {
            "data": ends,
            "transform": [
                {"filter": "abs(w2) < abs(w1)"},
                {"calculate": "datum.t", "as": "x2"},
                {"calculate": "-(w2 * datum.t + b) / w1", "as": "x1"},
                {"calculate": edge["x1"], "as": "edge"},
            ],
            "mark": {"type": "area", "orient": "horizontal", **shade},
            "encoding": {
                "x": {"field": "x1", **axis},
                "x2": {"field": "edge"},
                "y": {"field": "x2", **axis},
            },
        },
        {
            "data": {"values": [{}]},
            "transform": [{"filter": "w1 == 0 && w2 == 0 && b > 0"}],
            "mark": {"type": "rect", **shade},
            "encoding": {
                "x": {"datum": PLANE[0], **axis},
                "x2": {"datum": PLANE[1]},
                "y": {"datum": PLANE[0], **axis},
                "y2": {"datum": PLANE[1]},
            },
        },
    ]


def line(axis: dict) -> dict:
    """The decision line w·x + b = 0 across the plane, from its points at
    the plane's two edges along the axis it crosses more steeply (none
    when w = 0)."""
    ends = [{"t": t} for t in PLANE]
    steep = "abs(w2) >= abs(w1)"
    return {
        "data": {"values": ends},
        "transform": [
            {"filter": "w1 != 0 || w2 != 0"},
            {
                "calculate": f"{steep} ? datum.t : -(w2 * datum.t + b) / w1",
                "as": "x1",
            },
            {
                "calculate": f"{steep} ? -(w1 * datum.t + b) / w2 : datum.t",
                "as": "x2",
            },
        ],
        "mark": {"type": "line", "clip": True, "strokeWidth": 2},
        "encoding": {
            "x": {"field": "x1", **axis},
            "y": {"field": "x2", **axis},
            "color": {"value": "#b5651d"},
        },
    }


def samples() -> list[Sample]:
    """The package's outputs and gate at settings that give every gate a
    two-input perceptron can compute, and at inputs on the line itself
    (w·x + b = 0, where the perceptron outputs 0)."""
    settings = {}
    for w1, w2, b in product([-2.0, -1.0, 0.0, 1.0, 2.0], repeat=3):
        settings.setdefault(gate([w1, w2], b), (w1, w2, b))
    settings["on the line"] = (1.0, 1.0, -1.0)
    return [
        Sample(
            {"w1": w1, "w2": w2, "b": b},
            shows=(
                f"outputs {outputs_as_option([w1, w2], b)} ",
                f": {gate([w1, w2], b)}.",
            ),
        )
        for w1, w2, b in settings.values()
    ]
