"""MNIST: pick a cell of the lecture network's confusion matrix and see the
test digits in it, with the probabilities the network gave them."""

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
    select,
    spec,
    words,
)
from dlcourse.evaluation import confusion_matrix
from dlcourse.training import mnist_tensors, predict

#: The most digits shown for a cell.
SHOWN = 6
#: A digit's slot in the strip, in source pixels: the digit and white.
SLOT = 30
#: CSS pixels per source pixel of the strip.
SCALE = 1.4
#: Where the strip starts: room for the probabilities' row labels.
LEFT = 40
#: Where the strip starts below the heading's two lines.
HEAD = 36
#: Each side of a cell of the matrix, in CSS pixels.
CELL = 21
DIGITS = list(range(10))


@dataclass(frozen=True)
class Tested:
    """The lecture network on the test digits: the images, their labels,
    the predicted digits and the softmax probabilities."""

    images: torch.Tensor
    labels: torch.Tensor
    predictions: torch.Tensor
    probabilities: torch.Tensor

    def cell(self, true: int, predicted: int) -> torch.Tensor:
        """The indices of the test digits of ``true`` predicted as
        ``predicted``, in the test set's order."""
        return (
            ((self.labels == true) & (self.predictions == predicted))
            .nonzero()
            .squeeze(1)
        )


@cache
def tested() -> Tested:
    """The lecture's run, loaded as the chapter loads it, on the test
    digits."""
    model = runs.load("lecture").model
    images, labels = mnist_tensors(train=False)
    with torch.no_grad():
        probabilities = torch.cat(
            [torch.softmax(model(x), dim=1) for x in images.split(1000)]
        )
    return Tested(images, labels, predict(model, images), probabilities)


def strip(images: torch.Tensor) -> np.ndarray:
    """Digits side by side, dark ink on white as the chapter draws them,
    each in a slot of :data:`SLOT` pixels."""
    ink = 1 - images[:, 0].numpy()
    slots = np.ones((len(ink), ink.shape[1], SLOT))
    slots[:, :, : ink.shape[2]] = ink
    return np.hstack(list(slots))


def describe(data: Tested, true: int, predicted: int) -> dict:
    """What the figure says about one cell: its heading, its text
    alternative, and the probabilities under its first digits (a row for
    the predicted digit, then one for the true digit if it differs)."""
    where = data.cell(true, predicted)
    count, first = len(where), where[:SHOWN]
    said = {
        digit: [f"{p:.2f}" for p in data.probabilities[first, digit]]
        for digit in dict.fromkeys([predicted, true])
    }
    shown = (
        f"the first {SHOWN}"
        if count > SHOWN
        else (f"all {count}" if count > 1 else "the one")
    )
    story = "; of the digit ".join(
        f"{digit}: {', '.join(ps)}" for digit, ps in said.items()
    )
    return {
        # two short lines: Vega sizes the static figure by an estimate of
        # each line's width that is generous
        "heading": [
            f"true {true}, predicted {predicted}: {count:,}",
            f"shown: {shown}" if count else "",
        ],
        "alt": f"True digit {true}, predicted digit {predicted}"
        f"{' (right)' if true == predicted else ''}: {count:,} of the "
        f"{len(data.labels):,} test digits."
        + (
            f" Shown: {shown}. The network's probability, for each, of the "
            f"digit {story}."
            if count
            else ""
        )
        + " The matrix above counts every pair of a true and a predicted"
        " digit.",
        "texts": [
            {"row": row, "slot": slot, "text": text}
            for row, (digit, ps) in enumerate(said.items())
            if count
            for slot, text in enumerate([f"p({digit})", *ps], start=-1)
        ],
    }


def cell_figure() -> Figure:
    """The confusion matrix with the chosen cell outlined, and that cell's
    first test digits with the network's probabilities of the predicted and
    the true digit."""
    data = tested()
    matrix = confusion_matrix(data.predictions, data.labels)
    worst = matrix.clone().fill_diagonal_(0).argmax().item()
    cells = [describe(data, t, p) for t in DIGITS for p in DIGITS]
    figure = spec(
        params=[
            select(
                "actual",
                "true digit",
                DIGITS,
                list(map(str, DIGITS)),
                worst // 10,
            ),
            select(
                "predicted",
                "predicted digit",
                DIGITS,
                list(map(str, DIGITS)),
                worst % 10,
            ),
            {
                "name": "cell",
                "expr": json.dumps(
                    [{k: c[k] for k in ("heading", "alt")} for c in cells]
                )
                + "[actual * 10 + predicted]",
            },
            alt("cell.alt"),
        ],
        vconcat=[heatmap(matrix), digits(data, cells)],
        spacing=8,
    )
    return Figure(figure, samples=tuple(samples(data, matrix)))


#: The chosen cell.
CHOSEN = "datum.t == actual && datum.p == predicted"


def heatmap(matrix: torch.Tensor) -> dict:
    """The confusion matrix: cells coloured by the logarithm of their count
    (empty cells left blank), the chosen one outlined."""
    axis = {"type": "ordinal", "scale": {"domain": DIGITS}}
    return {
        "width": 10 * CELL,
        "height": 10 * CELL,
        "data": {
            "values": [
                {"t": t, "p": p, "count": int(matrix[t, p])}
                for t in DIGITS
                for p in DIGITS
            ]
        },
        "encoding": {
            "x": {
                "field": "p",
                **axis,
                "title": "predicted digit",
                "axis": {"labelAngle": 0, "orient": "top"},
            },
            "y": {"field": "t", **axis, "title": "true digit"},
        },
        "layer": [
            {
                "transform": [
                    {"filter": "datum.count > 0"},
                    {"calculate": "log(datum.count)", "as": "log"},
                ],
                "mark": "rect",
                "encoding": {
                    "color": {
                        "field": "log",
                        "type": "quantitative",
                        "scale": {"range": ["#c6dbef", "#08519c"]},
                        "legend": None,
                    }
                },
            },
            {
                "mark": {
                    "type": "rect",
                    "fill": None,
                    "stroke": "#999999",
                    "strokeWidth": 0.5,
                }
            },
            {
                "transform": [{"filter": CHOSEN}],
                "mark": {
                    "type": "rect",
                    "fill": None,
                    "stroke": "#e8590c",
                    "strokeWidth": 3,
                },
            },
        ],
    }


def digits(data: Tested, cells: list[dict]) -> dict:
    """The chosen cell's heading, its first digits as one image, and under
    each digit the network's probabilities."""
    slot = SLOT * SCALE
    side = data.images.shape[-1] * SCALE
    pairs = [(t, p) for t in DIGITS for p in DIGITS]
    shown = {pair: data.images[data.cell(*pair)[:SHOWN]] for pair in pairs}
    return {
        "width": LEFT + SHOWN * slot,
        "height": HEAD + side + 2 * 18,
        "layer": [
            words("cell.heading"),
            {
                "data": {
                    "values": [
                        {
                            "t": t,
                            "p": p,
                            "n": len(images),
                            "image": grey_png(strip(images)),
                        }
                        for (t, p), images in shown.items()
                        if len(images)
                    ]
                },
                "transform": [{"filter": CHOSEN}],
                **pixels({"expr": f"{slot} * datum.n"}, side, LEFT, HEAD),
            },
            {
                "data": {
                    "values": [
                        {"t": t, "p": p, **text}
                        for (t, p), cell in zip(pairs, cells)
                        for text in cell["texts"]
                    ]
                },
                "transform": [
                    {"filter": CHOSEN},
                    {
                        "calculate": f"{LEFT} + ({slot}) * (datum.slot + 0.5)"
                        f" - (datum.slot < 0 ? {LEFT - slot} / 2 : 0)",
                        "as": "x",
                    },
                    {
                        "calculate": f"{HEAD + side + 4} + 18 * datum.row",
                        "as": "y",
                    },
                ],
                "mark": {"type": "text", "fontSize": 12, "baseline": "top"},
                "encoding": {
                    "text": {"field": "text"},
                    "x": {
                        "field": "x",
                        "type": "quantitative",
                        "scale": None,
                    },
                    "y": {
                        "field": "y",
                        "type": "quantitative",
                        "scale": None,
                    },
                },
            },
        ],
    }


def samples(data: Tested, matrix: torch.Tensor) -> list[Sample]:
    """The most frequent mistake, cells of one digit, of a few and of none,
    and a diagonal cell: the count, the first digit's probabilities of the
    predicted and the true digit, and the digits themselves."""
    off = matrix.clone().fill_diagonal_(0)
    chosen = [
        divmod(int(off.argmax()), 10),
        *(
            tuple(where.nonzero()[0].tolist())
            for where in (off == 1, (off > 1) & (off <= SHOWN), matrix == 0)
        ),
        (3, 3),
    ]
    found = []
    for true, predicted in chosen:
        where = data.cell(true, predicted)
        words = [
            f"predicted digit {predicted}"
            f"{' (right)' if true == predicted else ''}: "
            f"{int(matrix[true, predicted]):,} of the"
        ]
        if len(where):
            p = data.probabilities[where[0]]
            words.append(f"of the digit {predicted}: {p[predicted]:.2f}")
            if true != predicted:
                words.append(f"of the digit {true}: {p[true]:.2f}")
        found.append(
            Sample(
                {"actual": true, "predicted": predicted},
                shows=tuple(words),
                image=strip(data.images[where[:SHOWN]])
                if len(where)
                else None,
            )
        )
    return found
