"""The explorable figures' data and specs, one module per chapter.

Each figure is a function with no arguments that returns a :class:`Figure`:
a Vega-Lite spec whose data the course package computes when the book is
built (``_ext/explorables.py`` draws it). Its parameters are bound to
labelled form inputs (:func:`slider`, :func:`select`), and a parameter named
``alt`` (:func:`alt`) is the figure's text alternative, which follows the
controls.

A figure's ``samples`` say, for a few settings of its controls, what the
figure must show there, as the course package computes it: words of its
text (the text alternative and the text drawn) and, for a figure that draws
an image, that image. The build checks them in Node against the spec, so a
formula the page computes cannot drift from the package's; the browser test
(``tests/test_explorables.py``) moves the page's controls to each setting
and checks what the page shows.

Figures are at most about 340 pixels wide, so that a phone shows them at
full size (``tests/test_explorables.py`` allows 360).
"""

import base64
import io
from dataclasses import dataclass

import numpy as np
from PIL import Image


@dataclass(frozen=True)
class Sample:
    """With its parameters set to ``params``, the figure's text must contain
    each of ``shows``, and its one image (if ``image`` is given; grey
    levels in [0, 1]) must match ``image`` within ``tolerance``."""

    params: dict
    shows: tuple[str, ...] = ()
    image: np.ndarray | None = None
    tolerance: float = 0.02


@dataclass(frozen=True)
class Figure:
    """A Vega-Lite ``spec`` and the ``samples`` it must meet."""

    spec: dict
    samples: tuple[Sample, ...] = ()


@dataclass(frozen=True)
class Shown:
    """What a figure shows in one state: its text alternative, the text it
    draws, and the ``data:`` URLs of the images it draws."""

    alt: str
    texts: list[str]
    images: list[str]


def mismatches(sample: Sample, shown: Shown) -> list[str]:
    """How ``shown`` differs from what ``sample`` says the figure must show
    (empty when it agrees)."""
    text = " ".join([shown.alt, *shown.texts])
    found = [
        f"{word!r} is not in the figure's text: {text!r}"
        for word in sample.shows
        if word not in text
    ]
    if sample.image is not None:
        if len(shown.images) != 1:
            return [*found, f"{len(shown.images)} images drawn, not 1"]
        drawn = png_grey(shown.images[0])
        if drawn.shape != sample.image.shape:
            return [
                *found,
                f"the image is {drawn.shape}, the package's "
                f"{sample.image.shape}",
            ]
        error = np.abs(drawn - sample.image).max()
        if error > sample.tolerance:
            found.append(
                f"the image differs from the package's by {error:.3f} "
                f"(tolerance {sample.tolerance})"
            )
    return found


def problems(figure: Figure) -> list[str]:
    """What a figure lacks for every reader: a text alternative, and a
    label on every control."""
    found = []
    names = {p["name"] for p in figure.spec.get("params", [])}
    if "alt" not in names:
        found.append("it has no `alt` parameter (its text alternative)")
    found += [
        f"its control {name!r} has no label (bind's `name`)"
        for name, bind in bound(figure).items()
        if not bind.get("name")
    ]
    return found


def bound(figure: Figure) -> dict[str, dict]:
    """The figure's controls: each bound parameter's ``bind``, by name."""
    return {
        p["name"]: p["bind"] for p in figure.spec["params"] if "bind" in p
    }


def slider(
    name: str, label: str, low: float, high: float, step: float, value: float
) -> dict:
    """A parameter set by a labelled range input."""
    return {
        "name": name,
        "value": value,
        "bind": {
            "input": "range",
            "min": low,
            "max": high,
            "step": step,
            "name": label,
        },
    }


def select(
    name: str, label: str, options: list, labels: list[str], value
) -> dict:
    """A parameter chosen from a labelled drop-down list."""
    return {
        "name": name,
        "value": value,
        "bind": {
            "input": "select",
            "options": options,
            "labels": labels,
            "name": label,
        },
    }


def alt(expression: str) -> dict:
    """The figure's text alternative: a Vega expression of the parameters."""
    return {"name": "alt", "expr": expression}


def spec(**fields) -> dict:
    """A Vega-Lite spec with the book's defaults: no background (the page's
    shows through, in light and dark mode), the page's font, no actions."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "background": None,
        "config": {
            # the page's own text alternative (``alt``) speaks for the
            # figure; Vega's per-mark descriptions would only repeat data
            "aria": False,
            "font": "system-ui, sans-serif",
            "axis": {"labelFontSize": 12, "titleFontSize": 13},
            "legend": {"labelFontSize": 12, "titleFontSize": 13},
            "title": {"fontSize": 14},
            "view": {"stroke": None},
        },
        **fields,
    }


def pixels(width, height, x: float = 0, y: float = 0) -> dict:
    """An image mark and its encoding that draw each datum's ``image`` (a
    ``data:`` URL) ``width`` by ``height`` pixels with its top left at
    (``x``, ``y``), its pixels kept square and sharp (no smoothing), as
    the chapters draw digits."""
    return {
        "mark": {
            "type": "image",
            "width": width,
            "height": height,
            "aspect": False,
            "smooth": False,
            "align": "left",
            "baseline": "top",
        },
        "encoding": {
            "url": {"field": "image"},
            "x": {"value": x},
            "y": {"value": y},
        },
    }


def words(expression: str, x: float = 0, y: float = 0, **mark) -> dict:
    """A text layer that writes what the Vega ``expression`` gives (a line,
    or an array of lines) with its top left at (``x``, ``y``); ``mark``
    adds to or overrides the text mark's properties."""
    return {
        "data": {"values": [{}]},
        "mark": {
            "type": "text",
            "fontSize": 13,
            "align": "left",
            "baseline": "top",
            "x": x,
            "y": y,
            **mark,
        },
        "encoding": {"text": {"value": {"expr": expression}}},
    }


def png_grey(url: str) -> np.ndarray:
    """The grey levels in [0, 1] of a PNG ``data:`` URL (:func:`grey_png`)."""
    data = base64.b64decode(url.split(",", 1)[1])
    return np.asarray(Image.open(io.BytesIO(data)).convert("L")) / 255


def grey_png(pixels: np.ndarray) -> str:
    """A grey-scale image (values in [0, 1], 1 white) as a PNG ``data:``
    URL, which an image mark shows."""
    image = Image.fromarray(
        np.round(np.clip(pixels, 0, 1) * 255).astype(np.uint8), mode="L"
    )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return (
        "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()
    )
