"""Activations: move the sigmoid's slope s, and see σ(sz) become the step
while its derivative grows at z = 0 and vanishes everywhere else."""

import json

import numpy as np

from coursesite.explorables import Figure, Sample, alt, slider, spec
from dlcourse import activations as act

#: The slopes the slider offers: from a soft step to a near-step.
SLOPES = np.arange(0.5, 10.01, 0.5)
#: The values of z drawn, over the chapter's figures' range.
Z = np.round(np.linspace(-6, 6, 121), 1)
#: The largest derivative drawn: the steepest sigmoid's, s/4 at z = 0.
TALLEST = 2.5


def key(slope: float) -> str:
    """A slope as Vega writes the slider's value (``String(s)``): 1, 1.5."""
    return f"{slope:g}"


def said(slope: float) -> dict[str, str]:
    """What the figure says at one slope, every number the package's."""
    return {
        "at_one": f"{act.sigmoid(1.0, slope):.3f}",
        "slope_at_one": f"{act.sigmoid_prime(1.0, slope):.2g}",
        "slope_at_zero": f"{act.sigmoid_prime(0.0, slope):g}",
    }


def curves(slope: float) -> dict:
    """σ(sz) and its derivative s·σ′(sz) on the grid, as one row of
    arrays (the spec flattens it): a fraction of the size of one row per
    point."""
    return {
        "s": float(slope),
        "z": Z.tolist(),
        "sigma": np.round(act.sigmoid(Z, slope), 4).tolist(),
        "slope": np.round(act.sigmoid_prime(Z, slope), 4).tolist(),
    }


def sigmoid_figure() -> Figure:
    """σ(sz) over the step it tends to (top), and its derivative (below),
    for the slope s the reader chooses."""
    words = {key(s): said(s) for s in SLOPES}
    chosen = "datum.s == s"
    axis_z = {"field": "z", "type": "quantitative", "title": "z"}
    top = {
        "width": 270,
        "height": 130,
        "layer": [
            {
                "data": {
                    "values": [
                        {"z": Z.tolist(), "step": act.step(Z).tolist()}
                    ]
                },
                "transform": [{"flatten": ["z", "step"]}],
                "mark": {
                    "type": "line",
                    "strokeDash": [5, 4],
                    "strokeWidth": 1.5,
                },
                "encoding": {
                    "x": {
                        **axis_z,
                        "axis": {"title": None, "labels": False},
                    },
                    "y": {"field": "step", "type": "quantitative"},
                    "color": {"value": "#7a7a7a"},
                },
            },
            {
                "transform": [
                    {"filter": chosen},
                    {"flatten": ["z", "sigma"]},
                ],
                "mark": {"type": "line", "strokeWidth": 2.5},
                "encoding": {
                    "x": axis_z,
                    "y": {
                        "field": "sigma",
                        "type": "quantitative",
                        "title": "σ(sz)",
                        "axis": {"values": [0, 0.5, 1]},
                    },
                    "color": {"value": "#2f6fb5"},
                },
            },
        ],
        "title": {
            "text": "σ(sz) and the step (dashed)",
            "anchor": "start",
            "fontSize": 13,
        },
    }
    bottom = {
        "width": 270,
        "height": 110,
        "transform": [{"filter": chosen}, {"flatten": ["z", "slope"]}],
        "mark": {"type": "line", "strokeWidth": 2.5, "clip": True},
        "encoding": {
            "x": axis_z,
            "y": {
                "field": "slope",
                "type": "quantitative",
                "title": "s·σ′(sz)",
                "scale": {"domain": [0, TALLEST]},
            },
            "color": {"value": "#c0602a"},
        },
        "title": {
            "text": {
                "expr": "'its slope, at most s/4 = ' + said.slope_at_zero"
            },
            "anchor": "start",
            "fontSize": 13,
        },
    }
    figure = spec(
        data={"values": [curves(s) for s in SLOPES]},
        params=[
            slider("s", "slope s", SLOPES[0], SLOPES[-1], 0.5, 1.0),
            {"name": "said", "expr": f"{json.dumps(words)}[s]"},
            alt(
                "'The sigmoid σ(sz) with slope s = ' + s + ', over z from"
                f" {Z[0]:g} to {Z[-1]:g}, beside the step function it tends"
                " to as s grows. At z = 1 it is ' + said.at_one + ' (the"
                f" step: {act.step(1.0):g}) and its slope s·σ′(sz) is '"
                " + said.slope_at_one + '; at z = 0 it is"
                f" {act.sigmoid(0.0):g} (the step: {act.step(0.0):g}) and"
                " its slope is largest, s/4 = ' + said.slope_at_zero + '.'"
            ),
        ],
        vconcat=[top, bottom],
        spacing=10,
    )
    return Figure(figure, samples=tuple(samples()))


def samples() -> list[Sample]:
    """The package's values at a soft, the plain, a steep and the steepest
    slope."""
    return [
        Sample(
            {"s": slope},
            shows=(
                f"slope s = {key(slope)},",
                f"At z = 1 it is {said(slope)['at_one']} ",
                f"slope s·σ′(sz) is {said(slope)['slope_at_one']};",
                f"s/4 = {said(slope)['slope_at_zero']}.",
            ),
        )
        for slope in (0.5, 1.0, 4.0, 10.0)
    ]
