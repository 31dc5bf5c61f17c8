"""Training runs as cached, verified artifacts: the book loads them, one
command retrains them.

A run is named by a recipe. It is trained once (ideally on a GPU) and
committed under ``runs/<name>/``: ``weights.pt`` (the ``state_dict``),
``metrics.json`` (losses and accuracies), optional ``tensors.pt`` (e.g. GAN
samples across training) and ``run.json`` (cache key, recipe, provenance and
every file's sha256).

The cache key hashes the recipe, the source of the modules that define the
model and its training, and the MNIST checksums. Pages call :func:`load`,
which never trains: a missing or stale run is an error naming the command
that retrains it, and a file whose sha256 does not match is refused before
``torch.load`` ever reads it.
"""

import argparse
import ast
import datetime
import hashlib
import importlib
import inspect
import json
import os
import platform
import shutil
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from dlcourse import REPO_ROOT
from dlcourse.cnn import LectureCNN
from dlcourse.data import DATA_ROOT, sha256

#: Where the committed runs live.
RUNS_ROOT = REPO_ROOT / "runs"

_CLASSIFIER = {
    "kind": "classifier",
    "model": "LectureCNN",
    "optimizer": "Adam",
    "loss": "cross_entropy",
    "shuffle": True,
}

#: Every run the book uses, by name.
RECIPES: dict[str, dict] = {
    "lecture": {
        **_CLASSIFIER,
        "batch_size": 10,
        "lr": 1e-5,
        "epochs": 10,
        "seed": 0,
    },
    "improved": {
        **_CLASSIFIER,
        "batch_size": 64,
        "lr": 1e-3,
        "lr_decay": 0.5,
        "epochs": 5,
        "seed": 0,
    },
    "autoencoder-2d": {
        "kind": "autoencoder",
        "latent_dim": 2,
        "batch_size": 128,
        "lr": 1e-3,
        "epochs": 20,
        "seed": 0,
    },
    "autoencoder-32d": {
        "kind": "autoencoder",
        "latent_dim": 32,
        "batch_size": 128,
        "lr": 1e-3,
        "epochs": 20,
        "seed": 0,
    },
    "gan": {
        "kind": "gan",
        "noise_dim": 64,
        "batch_size": 64,
        "lr": 2e-4,
        "epochs": 20,
        "seed": 0,
    },
}


@dataclass(frozen=True)
class Kind:
    """How to build and train one kind of run, and the modules whose source
    its key hashes."""

    # "module:function" taking the recipe and returning the untrained model
    build: str
    # "module:function" (model, recipe, device) -> (metrics, tensors)
    fit: str
    modules: tuple[str, ...]


KINDS = {
    "classifier": Kind(
        "dlcourse.runs:lecture_cnn",
        "dlcourse.training:fit_classifier",
        ("dlcourse.cnn", "dlcourse.training"),
    ),
    "autoencoder": Kind(
        "dlcourse.autoencoder:build",
        "dlcourse.autoencoder:fit_autoencoder",
        ("dlcourse.autoencoder", "dlcourse.training"),
    ),
    "gan": Kind(
        "dlcourse.gan:build",
        "dlcourse.gan:fit_gan",
        ("dlcourse.gan", "dlcourse.training"),
    ),
}


def lecture_cnn(recipe: dict) -> nn.Module:
    """The lecture's CNN (its recipe has nothing to configure)."""
    return LectureCNN()


class RunError(RuntimeError):
    """A cached run is missing, stale or damaged; the message says how to fix
    it."""


@dataclass
class Run:
    """A loaded run: the trained model (in eval mode, on the CPU) and
    everything recorded with it."""

    name: str
    model: nn.Module
    metrics: dict
    tensors: dict
    info: dict


def retrain_command(name: str) -> str:
    """The one command, run from the repository root, that (re)trains a
    run."""
    return f"PYTHONPATH=code python -m dlcourse.runs train {name}"


def _resolve(target: str):
    module, attr = target.split(":")
    return getattr(importlib.import_module(module), attr)


def normalised_source(source: str) -> str:
    """The code of a module without its comments, docstrings and layout.

    Editing prose must not make a run stale; changing any statement must.
    """
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            if isinstance(body[0].value, ast.Constant) and isinstance(
                body[0].value.value, str
            ):
                node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


def data_checksum(root: Path = DATA_ROOT) -> str:
    """The sha256 of the shipped MNIST checksum list (the data module
    verifies the files against it)."""
    return sha256(Path(root) / "MNIST" / "raw" / "SHA256SUMS")


def cache_key(recipe: dict, sources: dict[str, str], data: str) -> str:
    """sha256 of the recipe, the normalised source of each module and the
    data checksum."""
    payload = {
        "recipe": recipe,
        "sources": {
            name: normalised_source(text)
            for name, text in sorted(sources.items())
        },
        "data": data,
    }
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True).encode()
    ).hexdigest()


def module_sources(modules: tuple[str, ...]) -> dict[str, str]:
    """The current source of each module, read from disk."""
    return {
        name: inspect.getsource(importlib.import_module(name))
        for name in modules
    }


def current_key(name: str, recipe: dict | None = None) -> str:
    """The cache key the run would have if trained now (its recipe from
    RECIPES unless given)."""
    recipe = RECIPES[name] if recipe is None else recipe
    return cache_key(
        recipe,
        module_sources(KINDS[recipe["kind"]].modules),
        data_checksum(),
    )


def device_description(device: torch.device) -> str:
    """A human-readable name of the device a run was trained on."""
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    threads = torch.get_num_threads()
    plural = "s" * (threads > 1)
    return (
        f"CPU ({platform.machine()}, {threads} thread{plural} "
        f"of {os.cpu_count()} cores)"
    )


def train(
    name: str,
    root: Path = RUNS_ROOT,
    device: str | None = None,
    recipe: dict | None = None,
) -> Path:
    """Train a run and replace ``root/name`` atomically; return its folder.

    ``recipe`` overrides ``RECIPES[name]`` (the tests use it for tiny runs).
    Uses CUDA when present unless ``device`` says otherwise.
    """
    recipe = dict(RECIPES[name] if recipe is None else recipe)
    kind = KINDS[recipe["kind"]]
    device = torch.device(
        device or ("cuda" if torch.cuda.is_available() else "cpu")
    )
    key = current_key(name, recipe)
    # the initial weights, and any other random draw, follow the seed
    torch.manual_seed(recipe["seed"])
    model = _resolve(kind.build)(recipe).to(device)
    start = time.perf_counter()
    metrics, tensors = _resolve(kind.fit)(
        model, {**recipe, "name": name}, device
    )
    wall = time.perf_counter() - start
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=root, prefix=f".{name}.tmp-"))
    tmp.chmod(0o755)
    try:
        torch.save(_portable(model.state_dict()), tmp / "weights.pt")
        if tensors:
            torch.save(_portable(tensors), tmp / "tensors.pt")
        (tmp / "metrics.json").write_text(json.dumps(_rounded(metrics)))
        info = {
            "name": name,
            "key": key,
            "recipe": recipe,
            "provenance": {
                "device": device_description(device),
                "torch": torch.__version__,
                "cuda": torch.version.cuda
                if device.type == "cuda"
                else None,
                "wall_time_s": round(wall, 1),
                "date": datetime.datetime.now(
                    datetime.timezone.utc
                ).isoformat(timespec="seconds"),
                "seed": recipe["seed"],
            },
            "sha256": {f.name: sha256(f) for f in sorted(tmp.iterdir())},
        }
        (tmp / "run.json").write_text(json.dumps(info, indent=2) + "\n")
        _replace_dir(tmp, root / name)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return root / name


def _portable(tensors: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """The tensors on the CPU in the default layout, whatever device and
    memory format training used."""
    return {k: v.cpu().contiguous() for k, v in tensors.items()}


def _rounded(metrics: dict) -> dict:
    """Metrics with 6 significant digits: plenty for plots, and a third of
    the file size."""

    def r(v):
        return (
            [r(x) for x in v]
            if isinstance(v, list)
            else float(f"{v:.6g}")
            if isinstance(v, float)
            else v
        )

    return {k: r(v) for k, v in metrics.items()}


def _replace_dir(new: Path, target: Path) -> None:
    """Put ``new`` at ``target``; the old folder is only removed once the new
    one is in place."""
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def load(name: str, root: Path = RUNS_ROOT) -> Run:
    """Load a cached run, never training it.

    Raises RunError when the run is missing, when its key no longer matches
    the recipe, code and data, or when a file's sha256 differs from the one
    recorded.
    """
    folder = Path(root) / name
    info_file = folder / "run.json"
    if not info_file.exists():
        raise RunError(
            f"Run {name!r} is missing: no {info_file}. Train it with: "
            f"{retrain_command(name)}"
        )
    info = json.loads(info_file.read_text())
    # A named recipe must match RECIPES; an ad-hoc run (tests) its recorded
    # recipe.
    if info["key"] != current_key(
        name, None if name in RECIPES else info["recipe"]
    ):
        raise RunError(
            f"Run {name!r} in {folder} is stale: its recipe, model or "
            "training code, or the data changed since it was trained. "
            f"Retrain it with: {retrain_command(name)}"
        )
    for file, expected in info["sha256"].items():
        path = folder / file
        actual = sha256(path) if path.exists() else "missing"
        if actual != expected:
            raise RunError(
                f"Refusing to load {path}: sha256 is {actual}, run.json "
                f"records {expected}. The file is corrupt or was changed. "
                "Restore it from git, or retrain with: "
                f"{retrain_command(name)}"
            )
    model = _resolve(KINDS[info["recipe"]["kind"]].build)(info["recipe"])
    model.load_state_dict(
        torch.load(
            folder / "weights.pt", map_location="cpu", weights_only=True
        )
    )
    model.eval()
    tensors_file = folder / "tensors.pt"
    tensors = (
        torch.load(tensors_file, map_location="cpu", weights_only=True)
        if tensors_file.exists()
        else {}
    )
    metrics = json.loads((folder / "metrics.json").read_text())
    return Run(name, model, metrics, tensors, info)


def final_metrics(metrics: dict) -> dict[str, float]:
    """The single-number results of a run (the per-batch and per-epoch curves
    left out)."""
    return {
        key: value
        for key, value in metrics.items()
        if isinstance(value, (int, float))
    }


def provenance(run: Run) -> str:
    """One line for a chapter: where and how long the run was trained."""
    p = run.info["provenance"]
    return (
        f"trained on {p['device']} in {p['wall_time_s']:.0f} s "
        f"(torch {p['torch']}, {p['date'][:10]}, seed {p['seed']})"
    )


def summary(run: Run, width: int = 77) -> str:
    """The run's :func:`provenance` and recipe, as lines a chapter prints.

    Lines are at most ``width`` characters wide, so that a page shows them
    without scrolling sideways.
    """
    recipe = ", ".join(f"{k}={v}" for k, v in run.info["recipe"].items())
    return "\n".join(
        textwrap.fill(line, width, subsequent_indent="  ")
        for line in (f"{run.name}: {provenance(run)}", f"recipe: {recipe}")
    )


def main(argv: list[str] | None = None) -> None:
    """``python -m dlcourse.runs train NAME|all``: retrain runs and print
    their final metrics."""
    parser = argparse.ArgumentParser(
        prog="python -m dlcourse.runs", description=__doc__.splitlines()[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    cmd = sub.add_parser(
        "train", help="train runs and replace them in runs/"
    )
    cmd.add_argument("names", nargs="+", choices=[*RECIPES, "all"])
    cmd.add_argument(
        "--device", help="cpu or cuda (default: cuda when present)"
    )
    cmd.add_argument("--threads", type=int, help="CPU threads for torch")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    names = list(RECIPES) if "all" in args.names else args.names
    for name in names:
        folder = train(name, device=args.device)
        run = load(name)
        finals = final_metrics(run.metrics)
        print(f"{name}: {provenance(run)}; {finals} -> {folder}")


if __name__ == "__main__":
    main()
