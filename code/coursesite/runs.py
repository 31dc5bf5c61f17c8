"""Training runs as cached, verified artifacts: the book loads them, one
command retrains them.

A run is named by a recipe (:data:`RECIPES`). It is trained once (ideally on
a GPU) and committed under ``runs/<name>/``: ``weights.pt`` (the
``state_dict``), ``metrics.json`` (losses and accuracies), optional
``tensors.pt`` (e.g. GAN samples across training) and ``run.json`` (cache
key, recipe, provenance and every file's sha256).

The cache key hashes the recipe, the normalised source of every course
module that builds and trains the model (found by following its imports,
see :mod:`coursesite.fingerprint`) and the MNIST checksums. Pages call
:func:`load`, which never trains and refuses, with a :class:`RunError` that
names the file and the command that retrains it, a run that is missing,
stale (recipe, code or data changed), or corrupt (a file that differs from
its checksum, checksums that do not cover exactly the files present, a
malformed ``run.json``, weights that do not fit the model).

Usage, from the repository root::

    PYTHONPATH=code python -m coursesite.runs train NAME [NAME ...] | all
"""

import argparse
import contextlib
import dataclasses
import datetime
import hashlib
import json
import os
import pickle
import platform
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import torch
from torch import nn

from coursesite import speed
from coursesite.fingerprint import Package
from dlcourse import (
    REPO_ROOT,
    autoencoder,
    cnn,
    dense,
    gan,
    regularisation,
    vae,
)
from dlcourse.data import DATA_ROOT, sha256
from dlcourse.training import hold_out, mnist_tensors

#: Where the committed runs live.
RUNS_ROOT = REPO_ROOT / "runs"


@dataclass(frozen=True, kw_only=True)
class Recipe:
    """Everything that decides what a run ends with: the lesson's network
    (``model(**model_args)``) and training function
    (``train(model, train, validation, **train_args)``), and the data.

    The network learns from the first ``subset`` training images (all when
    None) and is scored after every epoch on the first ``validation_subset``
    images of the 10,000 held out; when ``test`` is set, the test images
    are scored once, at the end (``test=`` of the training function).
    """

    model: Callable[..., nn.Module]
    train: Callable[..., dict]
    model_args: dict = field(default_factory=dict)
    train_args: dict = field(default_factory=dict)
    seed: int = 0
    subset: int | None = None
    validation_subset: int | None = None
    test: bool = True


def _classifier(model: Callable[..., nn.Module], **train_args) -> Recipe:
    """A digit classifier trained with the lecture's recipe: Adam on the
    cross entropy (:func:`dlcourse.cnn.train`)."""
    return Recipe(model=model, train=cnn.train, train_args=train_args)


def _autoencoder(model: Callable[..., nn.Module], **model_args) -> Recipe:
    """An autoencoder of the generative chapter, trained for 20 epochs."""
    return Recipe(
        model=model,
        model_args=model_args,
        train=autoencoder.train,
        train_args=dict(epochs=20, batch_size=128, lr=1e-3),
    )


_REGULARISED = {"dropout": 0.5, "batch_norm": True}
_SMALL = dict(epochs=50, batch_size=64, lr=1e-3)
_IMPROVED = dict(epochs=5, batch_size=64, lr=1e-3, lr_decay=0.5)

#: Every run the book uses, by name.
RECIPES: dict[str, Recipe] = (
    {
        "lecture": _classifier(
            cnn.LectureCNN, epochs=10, batch_size=10, lr=1e-5
        ),
        "improved": _classifier(cnn.LectureCNN, **_IMPROVED),
        "dense": Recipe(
            model=dense.dense_network,
            train=dense.train,
            train_args=dict(epochs=30, batch_size=10, lr=3.0),
        ),
        # the CNN's recipe and size, without convolution
        "dense-relu": _classifier(dense.relu_network, **_IMPROVED),
        "autoencoder-2d": _autoencoder(
            autoencoder.Autoencoder, latent_dim=2
        ),
        # the same recipe with a code large enough to rebuild digits well
        "autoencoder-32d": _autoencoder(
            autoencoder.Autoencoder, latent_dim=32
        ),
        "vae": dataclasses.replace(
            _autoencoder(vae.VAE, latent_dim=2),
            train_args=dict(
                epochs=20, batch_size=128, lr=1e-3, loss_fn=vae.vae_loss
            ),
        ),
        "gan": Recipe(
            model=gan.Generator,
            model_args=dict(noise_dim=64),
            train=gan.train,
            train_args=dict(epochs=20, batch_size=64, lr=2e-4),
            test=False,
        ),
    }
    | {
        # the generalisation chapter: 1,000 training images, one remedy each
        f"small-{remedy}": Recipe(
            model=regularisation.cnn,
            model_args=model_args,
            train=cnn.train,
            train_args=_SMALL | train_args,
            subset=1_000,
            validation_subset=2_000,
            test=False,
        )
        for remedy, model_args, train_args in [
            ("none", {}, {}),
            ("weight-decay", {}, {"weight_decay": 1e-3}),
            ("dropout", {"dropout": 0.5}, {}),
            ("augment", {}, {"augment": regularisation.augment}),
            ("batch-norm", {"batch_norm": True}, {}),
            ("combined", _REGULARISED, {"augment": regularisation.augment}),
        ]
    }
    | {
        # what helped on the small set, applied to all 50,000 images
        "full-regularised": Recipe(
            model=regularisation.cnn,
            model_args=_REGULARISED,
            train=cnn.train,
            train_args=dict(
                epochs=10,
                batch_size=64,
                lr=1e-3,
                lr_decay=0.7,
                augment=regularisation.augment,
            ),
        ),
    }
)

#: The files a run always has besides ``run.json``.
REQUIRED = {"weights.pt", "metrics.json"}


class RunError(RuntimeError):
    """A cached run cannot be used; ``state`` says why (``missing``,
    ``stale`` or ``corrupt``) and the message how to fix it."""

    def __init__(self, state: str, message: str) -> None:
        super().__init__(message)
        self.state = state


@dataclass
class Run:
    """A loaded run: the trained model (in eval mode, on the CPU, its
    convolutions' weights channels-last: see :func:`load`) and everything
    recorded with it."""

    name: str
    model: nn.Module
    metrics: dict
    tensors: dict
    info: dict


def retrain_command(name: str) -> str:
    """The one command, run from the repository root, that (re)trains a
    run."""
    return f"PYTHONPATH=code python -m coursesite.runs train {name}"


def _qualified(value: object) -> object:
    """A function or class as ``module.name``, the values of a dict alike;
    any other value as it is."""
    if isinstance(value, dict):
        return {k: _qualified(v) for k, v in value.items()}
    if isinstance(value, Callable):
        return f"{value.__module__}.{value.__qualname__}"
    return value


def _callables(recipe: Recipe) -> list[Callable]:
    """The functions and classes a recipe names, its arguments' included."""
    values = [getattr(recipe, f.name) for f in dataclasses.fields(recipe)]
    values += [*recipe.model_args.values(), *recipe.train_args.values()]
    return [v for v in values if isinstance(v, Callable)]


def recipe_record(recipe: Recipe) -> dict:
    """The recipe as ``run.json`` stores it: every field, the functions and
    classes by their qualified names.

    (Not the recipe's own type: run as ``python -m coursesite.runs``, it
    would be ``__main__.Recipe``.)
    """
    return {
        field.name: _qualified(getattr(recipe, field.name))
        for field in dataclasses.fields(recipe)
    }


def code_fingerprint(recipe: Recipe) -> dict[str, str]:
    """{module: hash} of every course module that building and training
    the recipe's model imports."""
    package = Package("dlcourse")
    modules = {f.__module__ for f in _callables(recipe)}
    return package.fingerprint(package.closure(modules))


def data_checksum(root: Path = DATA_ROOT) -> str:
    """The sha256 of the shipped MNIST checksum list (the data module
    verifies the files against it)."""
    return sha256(Path(root) / "MNIST" / "raw" / "SHA256SUMS")


def cache_key(record: dict, code: dict[str, str], data: str) -> str:
    """sha256 of the recipe's record, the code's fingerprint and the data
    checksum."""
    payload = {"recipe": record, "code": code, "data": data}
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True).encode()
    ).hexdigest()


def current_key(recipe: Recipe) -> str:
    """The cache key a run of ``recipe`` would have if trained now."""
    return cache_key(
        recipe_record(recipe), code_fingerprint(recipe), data_checksum()
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


def recover(root: Path, name: str) -> None:
    """Undo what an interrupted save left behind in ``root``.

    A save writes ``.NAME.tmp-*``, moves the old run to ``.NAME.old`` and
    the new one into place. Cut before the swap, the temporary folder is
    removed; cut between the two moves, the old run is put back.
    """
    root = Path(root)
    for tmp in root.glob(f".{name}.tmp-*"):
        shutil.rmtree(tmp, ignore_errors=True)
    old = root / f".{name}.old"
    if old.exists():
        if (root / name).exists():
            shutil.rmtree(old)
        else:
            os.replace(old, root / name)


def _replace_dir(new: Path, target: Path) -> None:
    """Put ``new`` at ``target``; the old folder is only removed once the new
    one is in place (see :func:`recover` for an interruption)."""
    old = target.with_name(f".{target.name}.old")
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def train(
    name: str,
    root: Path = RUNS_ROOT,
    device: str | None = None,
    recipe: Recipe | None = None,
    fast: bool = False,
) -> Path:
    """Train a run and replace ``root/name`` atomically; return its folder.

    ``recipe`` overrides ``RECIPES[name]`` (the tests use it for tiny runs).
    Uses CUDA when present unless ``device`` says otherwise; ``fast`` trains
    with the weights stored channels-last (:mod:`coursesite.speed`).
    """
    recipe = RECIPES[name] if recipe is None else recipe
    root = Path(root)
    recover(root, name)
    device = torch.device(
        device or ("cuda" if torch.cuda.is_available() else "cpu")
    )
    # the initial weights, and any other random draw, follow the seed
    torch.manual_seed(recipe.seed)
    model = recipe.model(**recipe.model_args).to(device)
    start = time.perf_counter()
    with speed.channels_last(model) if fast else contextlib.nullcontext():
        history = recipe.train(
            model,
            *_data(recipe, device),
            seed=recipe.seed,
            **_test(recipe, device),
            **recipe.train_args,
        )
    wall = time.perf_counter() - start
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=root, prefix=f".{name}.tmp-"))
    tmp.chmod(0o755)
    try:
        torch.save(_portable(model.state_dict()), tmp / "weights.pt")
        tensors = {
            k: v for k, v in history.items() if isinstance(v, torch.Tensor)
        }
        metrics = {k: v for k, v in history.items() if k not in tensors}
        if tensors:
            torch.save(_portable(tensors), tmp / "tensors.pt")
        (tmp / "metrics.json").write_text(json.dumps(_rounded(metrics)))
        info = {
            "name": name,
            "key": current_key(recipe),
            "recipe": recipe_record(recipe),
            "provenance": _provenance(device, wall, recipe),
            "sha256": {f.name: sha256(f) for f in sorted(tmp.iterdir())},
        }
        (tmp / "run.json").write_text(json.dumps(info, indent=2) + "\n")
        _replace_dir(tmp, root / name)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return root / name


def _data(recipe: Recipe, device: torch.device) -> tuple[tuple, tuple]:
    """The training and validation images and labels a recipe asks for,
    on ``device``."""
    (images, labels), (val_images, val_labels) = hold_out(
        mnist_tensors(train=True, device=device)
    )
    n, m = recipe.subset, recipe.validation_subset
    return (images[:n], labels[:n]), (val_images[:m], val_labels[:m])


def _test(recipe: Recipe, device: torch.device) -> dict:
    """``test=`` for the training function, when the recipe scores the test
    images."""
    return {"test": mnist_tensors(False, device)} if recipe.test else {}


def _provenance(device: torch.device, wall: float, recipe: Recipe) -> dict:
    """Where, when and with what a run was trained: recorded, never part of
    the key."""
    return {
        "device": device_description(device),
        "torch": torch.__version__,
        "python": platform.python_version(),
        "cuda": torch.version.cuda if device.type == "cuda" else None,
        "wall_time_s": round(wall, 1),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(
            timespec="seconds"
        ),
        "seed": recipe.seed,
    }


def _portable(tensors: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """The tensors on the CPU in the default layout, whatever device and
    memory format training used."""
    return {k: v.cpu().contiguous() for k, v in tensors.items()}


def _rounded(metrics: dict) -> dict:
    """Metrics with 6 significant digits: plenty for plots, and a third of
    the file size."""

    def r(v):
        if isinstance(v, list):
            return [r(x) for x in v]
        return float(f"{v:.6g}") if isinstance(v, float) else v

    return {k: r(v) for k, v in metrics.items()}


def _refuse(state: str, name: str, problem: str, fix: str) -> RunError:
    return RunError(
        state,
        f"{problem} {fix} Retrain it with: {retrain_command(name)}",
    )


def _read_info(name: str, folder: Path) -> dict:
    """run.json, parsed and with the entries :func:`verify` needs."""
    info_file = folder / "run.json"
    if not info_file.exists():
        raise _refuse(
            "missing", name, f"Run {name!r} is missing: no {info_file}.", ""
        )
    try:
        info = json.loads(info_file.read_text())
        for entry in ("key", "recipe", "provenance", "sha256"):
            info[entry]
        dict(info["sha256"])
    except (ValueError, TypeError, KeyError) as error:
        raise _refuse(
            "corrupt",
            name,
            f"{info_file} is not a valid run record ({error!r}).",
            "Restore it from git (git checkout -- runs/), or",
        ) from None
    return info


def verify(
    name: str, root: Path = RUNS_ROOT, recipe: Recipe | None = None
) -> dict:
    """Check a run without loading its weights; return its ``run.json``.

    Raises :class:`RunError` when the run is missing, corrupt (see the
    module's docstring) or stale: its recorded recipe differs from the
    code's, or its key from the key the recipe, code and data give now.
    """
    recipe = RECIPES[name] if recipe is None else recipe
    folder = Path(root) / name
    recover(Path(root), name)
    info = _read_info(name, folder)
    present = {p.name for p in folder.iterdir()} - {"run.json"}
    recorded = set(info["sha256"])
    if present != recorded or not REQUIRED <= recorded:
        raise _refuse(
            "corrupt",
            name,
            f"{folder / 'run.json'} records checksums for "
            f"{sorted(recorded)}, but the folder holds {sorted(present)}.",
            "Restore the run from git (git checkout -- runs/), or",
        )
    for file, expected in info["sha256"].items():
        actual = sha256(folder / file)
        if actual != expected:
            raise _refuse(
                "corrupt",
                name,
                f"Refusing to load {folder / file}: sha256 is {actual}, "
                f"run.json records {expected}.",
                "The file is corrupt or was changed. Restore it from git, or",
            )
    if info["recipe"] != recipe_record(recipe):
        raise _refuse(
            "stale",
            name,
            f"{folder / 'run.json'} records the recipe {info['recipe']}, "
            f"but the code's recipe is {recipe_record(recipe)}.",
            "",
        )
    if info["key"] != current_key(recipe):
        raise _refuse(
            "stale",
            name,
            f"Run {name!r} in {folder} is stale: its model or training "
            "code, or the data, changed since it was trained.",
            "",
        )
    return info


def _load_tensors(path: Path, name: str) -> dict:
    """``torch.load`` with ``weights_only``: a file may hold tensors only,
    never code to run."""
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:
        raise _refuse(
            "corrupt", name, f"{path} holds more than tensors ({error}).", ""
        ) from None


def load(
    name: str, root: Path = RUNS_ROOT, recipe: Recipe | None = None
) -> Run:
    """Load a cached run, never training it (see :func:`verify` for what is
    refused).

    The model's 4-D weights are stored channels-last, as the training
    command's ``--fast`` stores them (:mod:`coursesite.speed`): the pages
    score loaded networks on up to 10,000 digits, and oneDNN runs
    channels-last convolutions and max-pooling several times faster on a
    CPU. The weights are the same, only their order in memory differs;
    scores can differ in their last bits, as between any two kernels.
    """
    recipe = RECIPES[name] if recipe is None else recipe
    info = verify(name, root, recipe)
    folder = Path(root) / name
    model = recipe.model(**recipe.model_args)
    try:
        model.load_state_dict(_load_tensors(folder / "weights.pt", name))
    except RuntimeError as error:
        raise _refuse(
            "corrupt",
            name,
            f"{folder / 'weights.pt'} does not fit the model ({error}).",
            "",
        ) from None
    model.eval().to(memory_format=torch.channels_last)
    tensors = (
        _load_tensors(folder / "tensors.pt", name)
        if "tensors.pt" in info["sha256"]
        else {}
    )
    metrics = json.loads((folder / "metrics.json").read_text())
    return Run(name, model, metrics, tensors, info)


def final_metrics(metrics: dict) -> dict[str, float]:
    """The single-number results of a run, then the last epoch's validation
    scores (the per-batch and per-epoch curves left out)."""
    scalars = {
        key: value
        for key, value in metrics.items()
        if isinstance(value, (int, float))
    }
    return scalars | {
        key: values[-1]
        for key, values in metrics.items()
        if key.startswith("validation_")
    }


def provenance(run: Run) -> str:
    """One line for the instructor: where and how long the run was
    trained."""
    p = run.info["provenance"]
    return (
        f"trained on {p['device']} in {p['wall_time_s']:.0f} s "
        f"(torch {p['torch']}, {p['date'][:10]}, seed {p['seed']})"
    )


def _device(text: str) -> str:
    """argparse type of ``--device``: cpu, or cuda where torch sees a GPU."""
    if text not in ("cpu", "cuda"):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a device: use cpu or cuda"
        )
    if text == "cuda" and not torch.cuda.is_available():
        raise argparse.ArgumentTypeError(
            "cuda was asked for, but torch sees no CUDA GPU here "
            f"(torch {torch.__version__}); use --device cpu"
        )
    return text


def _threads(text: str) -> int:
    """argparse type of ``--threads``: a whole number, at least 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of threads: give 1 or more"
        )
    return int(text)


def parser() -> argparse.ArgumentParser:
    """The training command's arguments, checked while parsing."""
    parser = argparse.ArgumentParser(
        prog="python -m coursesite.runs",
        description=__doc__.splitlines()[0],
    )
    sub = parser.add_subparsers(dest="command", required=True)
    cmd = sub.add_parser(
        "train", help="train runs and replace them in runs/"
    )
    cmd.add_argument("names", nargs="+", choices=[*RECIPES, "all"])
    cmd.add_argument(
        "--device",
        type=_device,
        help="cpu or cuda (default: cuda when present)",
    )
    cmd.add_argument("--threads", type=_threads, help="CPU threads")
    cmd.add_argument(
        "--fast",
        action="store_true",
        help="channels-last weights and glibc keeping freed memory "
        "(coursesite.speed): same maths, faster on a CPU",
    )
    cmd.add_argument(
        "--root",
        type=Path,
        default=RUNS_ROOT,
        help="where to write the runs (default: runs/)",
    )
    return parser


def main(argv: list[str] | None = None) -> None:
    """Retrain runs and print their final metrics."""
    args = parser().parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.fast:
        speed.keep_freed_memory()
    names = list(RECIPES) if "all" in args.names else args.names
    for name in names:
        folder = train(name, args.root, args.device, fast=args.fast)
        run = load(name, args.root)
        finals = final_metrics(run.metrics)
        print(f"{name}: {provenance(run)}; {finals} -> {folder}", flush=True)


if __name__ == "__main__":
    main()
