"""Generalisation: choose a remedy and an epoch, and see the training and
validation accuracy up to that epoch and the gap between them."""

import json

from coursesite import runs
from coursesite.explorables import Figure, Sample, alt, select, slider, spec

#: The chapter's small runs (``small-NAME``), and how the figure names them.
REMEDIES = {
    "none": "no remedy",
    "weight-decay": "weight decay",
    "dropout": "dropout",
    "augment": "augmentation",
    "batch-norm": "batch normalisation",
    "combined": "dropout, batch normalisation and augmentation",
}
#: The two accuracies each run records after every epoch, by the key of its
#: record.
SETS = {"training": "train_accuracy", "validation": "validation_accuracy"}
#: Their colours: mid-tones, readable on a light and a dark page.
COLOURS = ["#2f6db5", "#d9730d"]


def histories() -> dict[str, dict[str, list[float]]]:
    """Each small run's training and validation accuracy after every epoch,
    as the chapter loads them."""
    found = {}
    for remedy in REMEDIES:
        metrics = runs.load(f"small-{remedy}").metrics
        found[remedy] = {s: metrics[key] for s, key in SETS.items()}
    return found


def gap_points(history: dict[str, list[float]], epoch: int) -> float:
    """The generalisation gap after ``epoch``, in percentage points: the
    training accuracy minus the validation accuracy (the same arithmetic as
    the figure's :data:`GAP`)."""
    return 100 * (
        history["training"][epoch - 1] - history["validation"][epoch - 1]
    )


#: The gap as the page computes it from the chosen run's history.
GAP = (
    "100 * (history[remedy].training[epoch - 1]"
    " - history[remedy].validation[epoch - 1])"
)


def gap_figure() -> Figure:
    """The chosen run's two accuracy curves up to the chosen epoch, and the
    gap between them there, drawn as a bar and written out."""
    found = histories()
    epochs = len(found["none"]["training"])
    low = min(min(h[s]) for h in found.values() for s in SETS)
    bottom = int(low * 20) / 20  # the lowest accuracy, rounded down to 0.05
    x = {
        "type": "quantitative",
        "title": "epoch",
        "scale": {"domain": [0, epochs]},
    }
    y = {
        "type": "quantitative",
        "title": "accuracy",
        "scale": {"domain": [bottom, 1]},
    }
    at_epoch = [
        {"calculate": f"history[remedy].{s}[epoch - 1]", "as": s}
        for s in SETS
    ]
    right_half = f"epoch > {epochs / 2}"
    figure = spec(
        params=[
            select(
                "remedy",
                "remedy",
                list(REMEDIES),
                [name[0].upper() + name[1:] for name in REMEDIES.values()],
                "none",
            ),
            slider("epoch", "epoch", 1, epochs, 1, epochs),
            {"name": "history", "expr": json.dumps(found)},
            {"name": "names", "expr": json.dumps(REMEDIES)},
            {"name": "gap", "expr": GAP},
            alt(
                "'With ' + names[remedy] + ', after epoch ' + epoch + ' of "
                f"{epochs}: training accuracy ' + "
                "format(history[remedy].training[epoch - 1], '.3f') + ', "
                "validation accuracy ' + "
                "format(history[remedy].validation[epoch - 1], '.4f') + ', a "
                "gap of ' + format(gap, '.2f') + ' percentage points.'"
            ),
        ],
        width=260,
        height=190,
        layer=[
            curves(x, y, epochs),
            {
                "data": {"values": [{}]},
                "transform": at_epoch,
                "mark": {"type": "rule", "strokeWidth": 3, "color": "#888"},
                "encoding": {
                    "x": {"datum": {"expr": "epoch"}, **x},
                    "y": {"field": "validation", **y},
                    "y2": {"field": "training"},
                },
            },
            {
                "data": {"values": [{}]},
                "mark": {
                    "type": "text",
                    "fontSize": 13,
                    "align": {"expr": f"{right_half} ? 'right' : 'left'"},
                    "dx": {"expr": f"{right_half} ? -6 : 6"},
                },
                "encoding": {
                    "x": {"datum": {"expr": "epoch"}, **x},
                    "y": {"datum": bottom + 0.05, **y},
                    "text": {
                        "value": {
                            "expr": "'gap ' + format(gap, '.2f') + ' points'"
                        }
                    },
                },
            },
        ],
    )
    return Figure(figure, samples=tuple(samples(found)))


def curves(x: dict, y: dict, epochs: int) -> dict:
    """The run's training and validation accuracy, from epoch 1 to the
    chosen one, with a dot at the chosen one."""
    values = [
        {"epoch": e, "set": s} for s in SETS for e in range(1, epochs + 1)
    ]
    colour = {
        "field": "set",
        "type": "nominal",
        "title": None,
        "scale": {"domain": list(SETS), "range": COLOURS},
        "legend": {"orient": "top", "direction": "horizontal"},
    }
    return {
        "data": {"values": values},
        "transform": [
            {"filter": "datum.epoch <= epoch"},
            {
                "calculate": "history[remedy][datum.set][datum.epoch - 1]",
                "as": "accuracy",
            },
        ],
        "encoding": {
            "x": {"field": "epoch", **x},
            "y": {"field": "accuracy", **y},
            "color": colour,
        },
        "layer": [
            {"mark": {"type": "line", "strokeWidth": 2}},
            {
                "transform": [{"filter": "datum.epoch == epoch"}],
                "mark": {"type": "point", "filled": True, "size": 50},
            },
        ],
    }


def samples(found: dict) -> list[Sample]:
    """The run without a remedy at its last epoch and at its widest gap,
    and three remedies at an early, a middle and the last epoch: the
    accuracies and the gap the package's record gives there."""
    epochs = len(found["none"]["training"])
    widest = max(
        range(1, epochs + 1), key=lambda e: gap_points(found["none"], e)
    )
    settings = [
        ("none", epochs),
        ("none", widest),
        ("dropout", 5),
        ("augment", epochs // 2),
        ("combined", epochs),
    ]
    return [
        Sample(
            {"remedy": remedy, "epoch": epoch},
            shows=(
                f"With {REMEDIES[remedy]}, after epoch {epoch} of {epochs}:",
                f"training accuracy {found[remedy]['training'][epoch - 1]:.3f}",
                "validation accuracy "
                f"{found[remedy]['validation'][epoch - 1]:.4f}",
                f"gap {gap_points(found[remedy], epoch):.2f} points",
            ),
        )
        for remedy, epoch in settings
    ]
