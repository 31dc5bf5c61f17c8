"""Training: move the learning rate η and watch gradient descent cross the
chapter's valley, converge, never settle at 2/λ₁, or diverge above it."""

import json

import numpy as np

from coursesite.explorables import Figure, Sample, alt, slider, spec
from dlcourse.descent import (
    CURVATURES,
    descent_path,
    gradient_descent,
    largest_stable_rate,
    valley,
    valley_gradient,
)

#: The chapter's starting point and number of steps.
START = np.array([1.0, 1.0])
STEPS = 30
#: The learning rates on the slider: slow, fast, at and above 2/λ₁.
RATES = np.round(np.arange(0.01, 0.251, 0.01), 2)
#: The slider's first position: just below the limit, where the steep
#: coordinate zigzags.
FIRST = 0.19
#: The plane drawn: w₁ across the valley, w₂ along it.
W1, W2 = [-1.5, 1.5], [-0.2, 1.2]
#: The losses whose contours are drawn, besides the start's.
LEVELS = [0.05, 0.3, 1.5]
#: The panels' width, in pixels: with their axes, a phone's text width.
WIDTH = 240
PATH = "#d9822b"
CONTOUR = "#8c8c8c"


#: The slider's rate as the page names it (:func:`key`): exact, whatever
#: the binary value the slider gives.
NAME = "format(eta, '.2f')"
#: The runs of the rate the slider sets.
CHOSEN = [{"filter": f"datum.eta == {NAME}"}]
#: The texts of each rate, picked by the slider's value.
PICK = f"[{NAME}]"


def key(eta: float) -> str:
    """A rate as the page names it (:data:`NAME`)."""
    return f"{eta:.2f}"


def power_of_ten(n: int) -> str:
    """10ⁿ with a superscript n, shorter and easier to read than 1e+n."""
    return "10" + str(n).translate(
        str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
    )


def number(x: float) -> str:
    """A loss in words: three digits, times a power of ten when very small
    or large."""
    if 1e-3 <= abs(x) < 1e3:
        return f"{x:.3g}"
    mantissa, exponent = f"{x:.2e}".split("e")
    return f"{mantissa} × {power_of_ten(int(exponent))}"


def powers(rows: list[dict]) -> range:
    """The loss axis's ticks as powers of ten, every thousandfold, from
    below the smallest loss of every rate to above the largest."""
    losses = np.log10([row["loss"] for row in rows])
    low, high = int(np.floor(losses.min())), int(np.ceil(losses.max()))
    return range(low, high + (-(high - low) % 3) + 1, 3)


def tick_labels(ticks: range) -> str:
    """A Vega expression labelling the loss axis's ticks 10⁻⁶, 10⁻³ …"""
    labels = {n: power_of_ten(n) for n in ticks}
    return f"{json.dumps(labels, ensure_ascii=False)}[round(log(datum.value) / LN10)]"


def valley_formula() -> str:
    """The package's valley, L(w) = ½(λ₁ w₁² + λ₂ w₂²), with its numbers."""
    terms = [
        f"{'' if curvature == 1 else f'{curvature:g} '}w{index}²"
        for curvature, index in zip(CURVATURES, "₁₂")
    ]
    return f"L(w) = ½({' + '.join(terms)})"


def verdict(eta: float) -> str:
    """Whether descent converges, by η against the package's 2/λ₁."""
    limit = largest_stable_rate()
    if eta < limit:
        return "converges"
    return "never settles" if eta == limit else "diverges"


def describe(eta: float) -> str:
    """The text alternative for one rate, with the package's path and
    losses."""
    limit = largest_stable_rate()
    path = np.array(descent_path(valley_gradient, START, eta, STEPS))
    history = gradient_descent(valley, valley_gradient, START, eta, STEPS)
    comparison = {
        "converges": "below",
        "never settles": "equal to",
        "diverges": "above",
    }[verdict(eta)]
    flips = np.all(path[1:, 0] * path[:-1, 0] < 0)
    return (
        f"Gradient descent with η = {key(eta)} from w = ({START[0]:g}, "
        f"{START[1]:g}) in the valley {valley_formula()}: η is "
        f"{comparison} 2/λ₁ = {limit:g}, so it {verdict(eta)}"
        f"{', w₁ changing sign at every step' if flips else ''}. After "
        f"{STEPS} steps the loss is {number(history[-1])}, from "
        f"{number(history[0])} at the start."
    )


def runs() -> list[dict]:
    """Every rate's path and loss per step, rounded for the page; ``drawn``
    says whether the plane draws the point: until the path first leaves
    it (beyond, a diverging path's long jumps would cross it again and
    again)."""
    rows = []
    for eta in RATES:
        path = descent_path(valley_gradient, START, eta, STEPS)
        history = gradient_descent(
            valley, valley_gradient, START, eta, STEPS
        )
        inside = [
            W1[0] <= w[0] <= W1[1] and W2[0] <= w[1] <= W2[1] for w in path
        ]
        last = inside.index(False) if False in inside else STEPS
        rows += [
            {
                "eta": key(eta),
                "step": step,
                "w1": float(f"{w[0]:.4g}"),
                "w2": float(f"{w[1]:.4g}"),
                "loss": float(f"{loss:.4g}"),
                "drawn": step <= last,
            }
            for step, (w, loss) in enumerate(zip(path, history))
        ]
    return rows


def contours() -> list[dict]:
    """The ellipses L(w) = c: w_i = √(2c/λ_i) cos t, sin t."""
    angles = np.linspace(0, 2 * np.pi, 73)
    rows = []
    for level in [*LEVELS, valley(START)]:
        radii = np.sqrt(2 * level / CURVATURES)
        for t in angles:
            w = radii * np.array([np.cos(t), np.sin(t)])
            assert np.isclose(valley(w), level)
            rows.append(
                {
                    "level": level,
                    "t": float(f"{t:.3f}"),
                    "w1": float(f"{w[0]:.4f}"),
                    "w2": float(f"{w[1]:.4f}"),
                }
            )
    return rows


def learning_rate_figure() -> Figure:
    """The path on the valley's contours and the loss per step, for the
    rate the slider sets."""
    headlines = {key(eta): headline(eta) for eta in RATES}
    rows = runs()
    figure = spec(
        datasets={"runs": rows},
        params=[
            slider(
                "eta", "learning rate η", RATES[0], RATES[-1], 0.01, FIRST
            ),
            {"name": "said", "expr": json.dumps(headlines) + PICK},
            alt(
                json.dumps({key(eta): describe(eta) for eta in RATES}) + PICK
            ),
        ],
        vconcat=[plane(), losses(rows)],
        spacing=10,
    )
    return Figure(figure, samples=tuple(samples()))


def headline(eta: float) -> list[str]:
    """The panels' titles: the verdict, and the loss after the last step."""
    history = gradient_descent(valley, valley_gradient, START, eta, STEPS)
    return [
        f"η = {key(eta)}: {verdict(eta)}",
        f"loss after {STEPS} steps: {number(history[-1])}",
    ]


def title(expression: str) -> dict:
    """A panel's title, left-aligned so that a long one grows rightwards
    only."""
    return {"text": {"expr": expression}, "anchor": "start", "fontSize": 13}


def plane() -> dict:
    """The valley's contours, its minimum, and the chosen rate's path."""
    w1 = {"type": "quantitative", "scale": {"domain": W1}, "title": "w₁"}
    w2 = {"type": "quantitative", "scale": {"domain": W2}, "title": "w₂"}
    at = {"x": {"field": "w1", **w1}, "y": {"field": "w2", **w2}}
    return {
        "width": WIDTH,
        "height": 126,
        "title": title("said[0]"),
        "layer": [
            {
                "data": {"values": contours()},
                "mark": {"type": "line", "clip": True, "strokeWidth": 1},
                "encoding": {
                    **at,
                    "detail": {"field": "level"},
                    "order": {"field": "t"},
                    "color": {"value": CONTOUR},
                },
            },
            {
                "data": {"values": [{"w1": 0, "w2": 0}]},
                "mark": {"type": "point", "shape": "cross", "size": 80},
                "encoding": {**at, "color": {"value": CONTOUR}},
            },
            {
                "data": {"name": "runs"},
                "transform": [*CHOSEN, {"filter": "datum.drawn"}],
                "mark": {
                    "type": "line",
                    "clip": True,
                    "point": {"size": 18},
                    "strokeWidth": 1.5,
                },
                "encoding": {
                    **at,
                    "order": {"field": "step"},
                    "color": {"value": PATH},
                },
            },
        ],
    }


def losses(rows: list[dict]) -> dict:
    """The chosen rate's loss after each step, on a logarithmic axis that
    holds every rate's losses."""
    ticks = powers(rows)
    return {
        "width": WIDTH,
        "height": 110,
        "data": {"name": "runs"},
        "transform": CHOSEN,
        "title": title("said[1]"),
        "mark": {"type": "line", "clip": True, "point": {"size": 14}},
        "encoding": {
            "x": {"field": "step", "type": "quantitative", "title": "step"},
            "y": {
                "field": "loss",
                "type": "quantitative",
                "scale": {
                    "type": "log",
                    "domain": [10.0 ** ticks[0], 10.0 ** ticks[-1]],
                },
                "axis": {
                    "values": [10.0**n for n in ticks],
                    "labelExpr": tick_labels(ticks),
                },
                "title": "loss",
            },
            "color": {"value": PATH},
        },
    }


def samples() -> list[Sample]:
    """Slow, fast, just below, at and above 2/λ₁: the verdict and the
    loss after the last step."""
    return [
        Sample(
            {"eta": eta},
            shows=(*headline(eta), describe(eta)),
        )
        for eta in (0.03, 0.15, 0.19, 0.2, 0.23)
    ]
