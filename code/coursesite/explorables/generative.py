"""Generative models: move a point over the VAE's latent plane and see what
its decoder makes of it."""

import json
from dataclasses import dataclass
from functools import cache

import numpy as np
import torch

from coursesite import runs
from coursesite.explorables import (
    Figure,
    Sample,
    alt,
    grey_png,
    pixels,
    slider,
    spec,
    words,
)
from dlcourse.training import mnist_tensors

#: The latent coordinates the sliders step through, in each direction: from
#: -3 to 3, a square that holds nearly all the test digits' means μ.
LOW, STEP, STEPS = -3.0, 0.5, 13
#: The dashed circle of the chapter's figure of the VAE's codes.
RADIUS = 2.0
#: Every how many test digits' codes the plane draws (a light scatter).
EVERY = 40
#: The drawn digit's side, in pixels.
SIDE = 96


def coordinates() -> list[float]:
    """The slider's values, each rounded as the slider shows it."""
    return [round(LOW + STEP * i, 1) for i in range(STEPS)]


def grid() -> torch.Tensor:
    """Every point the sliders reach, (z₁, z₂) with z₂ varying fastest: the
    order of :data:`INDEX`."""
    axis = torch.tensor(coordinates())
    return torch.cartesian_prod(axis, axis)


#: The point's place in :func:`grid`, as the page computes it.
INDEX = (
    f"round((z1 - {LOW}) / {STEP}) * {STEPS} + round((z2 - {LOW}) / {STEP})"
)


@dataclass(frozen=True)
class Decoded:
    """What the VAE's decoder makes of latent points (grey levels, 1 white:
    dark ink, as the chapter draws digits), and the digit the MNIST
    chapter's classifier reads in each, with its probability."""

    images: np.ndarray
    digits: list[int]
    probabilities: list[float]


@cache
def networks() -> tuple[torch.nn.Module, torch.nn.Module]:
    """The cached VAE and the lecture's classifier, as the chapter loads
    them (once: the figure and its samples both use them)."""
    return runs.load("vae").model, runs.load("lecture").model


def decode(points: torch.Tensor) -> Decoded:
    """The VAE's decoded images of ``points`` and the lecture network's
    reading of each."""
    vae, lecture = networks()
    with torch.no_grad():
        images = vae.decode(points)
        probability, digit = torch.softmax(lecture(images), dim=1).max(dim=1)
    return Decoded(
        1 - images[:, 0].numpy(), digit.tolist(), probability.tolist()
    )


def codes_of_test_digits() -> list[dict]:
    """Every :data:`EVERY`-th test digit's mean code μ and its label."""
    images, labels = mnist_tensors(train=False)
    vae, _ = networks()
    with torch.no_grad():
        mu, _ = vae.encode(images[::EVERY])
    return [
        {"z1": round(a, 2), "z2": round(b, 2), "digit": d}
        for (a, b), d in zip(mu.tolist(), labels[::EVERY].tolist())
    ]


def latent_figure() -> Figure:
    """The latent plane with the test codes and the chosen point, and the
    digit the decoder makes of it."""
    decoded = decode(grid())
    axis = {"type": "quantitative", "scale": {"domain": [LOW, -LOW]}}
    values = coordinates()
    figure = spec(
        params=[
            slider("z1", "z₁", values[0], values[-1], STEP, 1.0),
            slider("z2", "z₂", values[0], values[-1], STEP, -1.0),
            {"name": "point", "expr": INDEX},
            {"name": "reads", "expr": json.dumps(decoded.digits)},
            {
                "name": "sure",
                "expr": json.dumps(
                    [round(p, 2) for p in decoded.probabilities]
                ),
            },
            {"name": "distance", "expr": "sqrt(z1 * z1 + z2 * z2)"},
            alt(
                "'The point z = (' + format(z1, '.1f') + ', ' + format(z2, "
                "'.1f') + ') lies ' + format(distance, '.2f') + ' from the "
                f"origin, ' + (distance <= {RADIUS} ? 'inside' : 'outside') + "
                f"' the dashed circle of radius {RADIUS:g}. The VAE decodes it "
                "into the image shown, which the classifier of the MNIST "
                "chapter reads as the digit ' + reads[point] + ' (probability ' + "
                "format(sure[point], '.2f') + ').'"
            ),
        ],
        hconcat=[plane(axis), digit(decoded)],
        spacing=10,
    )
    return Figure(figure, samples=tuple(samples()))


def plane(axis: dict) -> dict:
    """The test digits' codes coloured by digit, the dashed circle and the
    chosen point."""
    turn = np.linspace(0, 2 * np.pi, 73)
    circle = [
        {
            "i": i,
            "z1": round(RADIUS * np.cos(t), 3),
            "z2": round(RADIUS * np.sin(t), 3),
        }
        for i, t in enumerate(turn)
    ]
    return {
        "width": 180,
        "height": 180,
        "layer": [
            {
                "data": {"values": codes_of_test_digits()},
                "mark": {
                    "type": "circle",
                    "size": 14,
                    "opacity": 0.6,
                    "clip": True,
                },
                "encoding": {
                    "x": {"field": "z1", **axis, "title": "z₁"},
                    "y": {"field": "z2", **axis, "title": "z₂"},
                    "color": {
                        "field": "digit",
                        "type": "nominal",
                        "scale": {"scheme": "category10"},
                        "legend": {
                            "orient": "bottom",
                            "columns": 5,
                            "title": "test digit",
                            "symbolOpacity": 1,
                        },
                    },
                },
            },
            {
                "data": {"values": circle},
                "mark": {
                    "type": "line",
                    "strokeDash": [4, 3],
                    "color": "#888",
                },
                "encoding": {
                    "x": {"field": "z1", **axis},
                    "y": {"field": "z2", **axis},
                    "order": {"field": "i"},
                },
            },
            {
                "data": {"values": [{}]},
                "mark": {
                    "type": "point",
                    "filled": True,
                    "size": 140,
                    "fill": "#111",
                    "stroke": "#fff",
                    "strokeWidth": 2,
                    "opacity": 1,
                },
                "encoding": {
                    "x": {"datum": {"expr": "z1"}, **axis},
                    "y": {"datum": {"expr": "z2"}, **axis},
                },
            },
        ],
    }


def digit(decoded: Decoded) -> dict:
    """The decoded digit at the chosen point, and the classifier's reading
    of it."""
    images = [
        {"point": i, "image": grey_png(im)}
        for i, im in enumerate(decoded.images)
    ]
    return {
        "width": SIDE,
        "height": SIDE + 40,
        "layer": [
            {
                "data": {"values": images},
                "transform": [{"filter": "datum.point == point"}],
                **pixels(SIDE, SIDE),
            },
            words(
                "['read as ' + reads[point], "
                "'p = ' + format(sure[point], '.2f')]",
                y=SIDE + 6,
                lineHeight=17,
            ),
        ],
        "title": {"text": "decoded", "anchor": "start", "fontSize": 13},
    }


def samples() -> list[Sample]:
    """The origin, points inside and outside the circle, and a corner: the
    image the package's decoder makes there and the classifier's reading,
    decoded at those points (not taken from the figure's grid)."""
    points = [(0.0, 0.0), (-2.0, 1.0), (1.0, -1.0), (2.5, 2.5), (-3.0, -3.0)]
    decoded = decode(torch.tensor(points))
    return [
        Sample(
            {"z1": z1, "z2": z2},
            shows=(
                shown(
                    f"z = ({z1:.1f}, {z2:.1f}) lies {np.hypot(z1, z2):.2f} "
                ),
                "inside" if np.hypot(z1, z2) <= RADIUS else "outside",
                f"reads as the digit {d} (probability {p:.2f})",
            ),
            image=image,
        )
        for (z1, z2), image, d, p in zip(
            points, decoded.images, decoded.digits, decoded.probabilities
        )
    ]


def shown(text: str) -> str:
    """``text`` with minus signs as Vega's ``format`` writes them."""
    return text.replace("-", "\N{MINUS SIGN}")
