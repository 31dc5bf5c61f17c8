"""The run cache: keys, every way a run can be refused, interrupted saves,
tiny real runs, the training command's arguments and the committed runs."""

import dataclasses
import json
import os
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from torch.nn.functional import binary_cross_entropy

from coursesite import runs
from coursesite.fingerprint import Package, imported_names
from dlcourse.gan import to_pixels
from dlcourse.training import (
    accuracy,
    evaluate,
    hold_out,
    mnist_tensors,
    predict,
)

#: A hundred steps on a subset: seconds on a CPU.
TINY = dataclasses.replace(
    runs.RECIPES["improved"],
    train_args=dict(batch_size=20, lr=1e-3, epochs=1),
    subset=2000,
    validation_subset=1000,
)


def tiny(name: str, **train_args) -> runs.Recipe:
    """A committed recipe cut to one epoch on a few images."""
    recipe = runs.RECIPES[name]
    args = recipe.train_args | {"epochs": 1} | train_args
    return dataclasses.replace(
        recipe, train_args=args, subset=1280, validation_subset=500
    )


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory) -> Path:
    """A real, tiny training run written into a temporary cache."""
    root = tmp_path_factory.mktemp("runs")
    runs.train("tiny", root=root, device="cpu", recipe=TINY)
    return root


@pytest.fixture
def copy(tiny_run, tmp_path) -> Path:
    """A copy of the tiny run to damage; returns its folder."""
    shutil.copytree(tiny_run / "tiny", tmp_path / "tiny")
    return tmp_path / "tiny"


def load(folder: Path, recipe=TINY) -> runs.Run:
    return runs.load(folder.name, root=folder.parent, recipe=recipe)


def edit_info(folder: Path, edit) -> None:
    info = json.loads((folder / "run.json").read_text())
    edit(info)
    (folder / "run.json").write_text(json.dumps(info))


# --- the key ---------------------------------------------------------------


def test_key_changes_with_the_recipe_the_code_and_the_data():
    record = runs.recipe_record(TINY)
    code = runs.code_fingerprint(TINY)
    data = runs.data_checksum()
    key = runs.cache_key(record, code, data)
    assert runs.cache_key(dict(record), dict(code), data) == key
    for changed in (
        runs.recipe_record(
            dataclasses.replace(TINY, train_args={"lr": 1e-4})
        ),
        runs.recipe_record(dataclasses.replace(TINY, seed=1)),
        runs.recipe_record(runs.RECIPES["dense"]),
    ):
        assert runs.cache_key(changed, code, data) != key
    edited = {**code, "dlcourse.cnn": "0" * 64}
    assert runs.cache_key(record, edited, data) != key
    assert runs.cache_key(record, code, "0" * 64) != key


def test_the_key_covers_every_module_the_model_imports():
    """Not a hand-kept list: the modules that build and train the CNN,
    followed through their imports."""
    assert set(runs.code_fingerprint(runs.RECIPES["lecture"])) == {
        "dlcourse",
        "dlcourse.cnn",
        "dlcourse.training",
        "dlcourse.data",
    }
    assert "dlcourse.dense" in runs.code_fingerprint(runs.RECIPES["dense"])


def test_the_recipe_record_names_real_functions():
    record = runs.recipe_record(runs.RECIPES["gan"])
    assert "__main__" not in json.dumps(record)
    assert record["model"] == "dlcourse.gan.Generator"
    assert record["train"] == "dlcourse.gan.train"
    assert record["model_args"] == {"noise_dim": 64}
    vae = runs.recipe_record(runs.RECIPES["vae"])
    assert vae["train_args"]["loss_fn"] == "dlcourse.vae.vae_loss"


def test_the_key_covers_the_functions_a_recipe_passes_as_arguments():
    """The VAE trains with the autoencoder's loop and its own loss: both
    modules are in its key, and augmentation's module in that run's."""
    assert {"dlcourse.vae", "dlcourse.autoencoder"} <= set(
        runs.code_fingerprint(runs.RECIPES["vae"])
    )
    augmented = runs.RECIPES["small-augment"]
    assert "dlcourse.regularisation" in runs.code_fingerprint(augmented)


def test_the_record_is_the_same_when_the_module_runs_as_a_script():
    """``python -m coursesite.runs train`` runs the module as ``__main__``:
    the record, and so the key, must not depend on that."""
    script = runpy.run_module("coursesite.runs", run_name="__mp_main__")
    for name, recipe in script["RECIPES"].items():
        record = script["recipe_record"](recipe)
        assert record == runs.recipe_record(runs.RECIPES[name])


# --- tiny real runs ----------------------------------------------------------


def test_tiny_run_lowers_the_loss_and_loads(tiny_run):
    run = runs.load("tiny", root=tiny_run, recipe=TINY)
    losses = run.metrics["batch_loss"]
    assert len(losses) == TINY.subset // TINY.train_args["batch_size"]
    assert sum(losses[-10:]) < 0.6 * sum(losses[:10])
    for key in ("train_accuracy", "validation_loss", "validation_accuracy"):
        assert len(run.metrics[key]) == TINY.train_args["epochs"]
    images, labels = mnist_tensors(train=False)
    assert accuracy(run.model, images, labels) == pytest.approx(
        run.metrics["test_accuracy"], abs=1e-6
    )
    assert not run.model.training
    assert run.info["provenance"]["device"].startswith("CPU")


@pytest.mark.slow  # trains
def test_tiny_dense_autoencoder_and_gan_runs_train_and_load(tmp_path):
    recipes = {
        "tiny-dense": tiny("dense"),
        "tiny-ae": tiny("autoencoder-2d"),
        "tiny-vae": tiny("vae"),
        "tiny-gan": tiny("gan"),
        "tiny-augment": tiny("small-augment", batch_size=640),
    }
    for name, recipe in recipes.items():
        runs.train(name, root=tmp_path, device="cpu", recipe=recipe)
    loaded = {
        name: runs.load(name, tmp_path, recipe)
        for name, recipe in recipes.items()
    }
    assert 0.1 < loaded["tiny-dense"].metrics["test_accuracy"] <= 1
    ae = loaded["tiny-ae"]
    assert ae.metrics["batch_loss"][-1] < ae.metrics["batch_loss"][0]
    assert ae.model.encode(torch.zeros(3, 1, 28, 28)).shape == (3, 2)
    assert "test_loss" in loaded["tiny-vae"].metrics
    assert loaded["tiny-vae"].model.encode(torch.zeros(3, 1, 28, 28))[
        0
    ].shape == (3, 2)
    augmented = loaded["tiny-augment"].metrics
    assert len(augmented["batch_loss"]) == 2
    assert "test_accuracy" not in augmented
    g = loaded["tiny-gan"]
    assert len(g.metrics["batch_d_loss"]) == 1280 // 64
    assert g.metrics["sample_epochs"] == [1]
    assert g.tensors["samples"].shape == (1, 64, 1, 28, 28)


@pytest.mark.slow  # trains
def test_fast_training_gives_the_plain_weights_and_leaves_no_hook(tmp_path):
    """--fast changes the memory layout while training, not the maths, and
    puts the model back as it was."""
    recipe = dataclasses.replace(TINY, subset=200)
    runs.train("plain", tmp_path, "cpu", recipe)
    runs.train("fast", tmp_path, "cpu", recipe, fast=True)
    plain = runs.load("plain", tmp_path, recipe)
    fast = runs.load("fast", tmp_path, recipe)
    for p, q in zip(plain.model.parameters(), fast.model.parameters()):
        assert torch.allclose(p, q, atol=1e-5)
    # stored in the default layout (load then makes its own choice)
    stored = torch.load(tmp_path / "fast" / "weights.pt", weights_only=True)
    assert all(w.is_contiguous() for w in stored.values())


def test_a_loaded_network_is_channels_last_and_predicts_as_stored():
    """load stores the convolutions' weights channels-last, for fast
    scoring on a CPU: the same weights, the same predictions as the
    network in the default layout."""
    run = runs.load("improved")
    plain = runs.RECIPES["improved"].model()
    plain.load_state_dict(run.model.state_dict())
    assert run.model.conv2.weight.is_contiguous(
        memory_format=torch.channels_last
    )
    assert plain.conv2.weight.is_contiguous()
    images, _ = mnist_tensors(train=False)
    assert torch.equal(
        predict(run.model, images[:1000]),
        predict(plain.eval(), images[:1000]),
    )


# --- refused runs: each names the file and the fix -------------------------


def refused(folder: Path, state: str, recipe=TINY) -> str:
    with pytest.raises(runs.RunError) as error:
        load(folder, recipe)
    assert error.value.state == state, str(error.value)
    assert runs.retrain_command(folder.name) in str(error.value)
    return str(error.value)


def test_missing_run(tmp_path):
    assert "missing" in refused(tmp_path / "tiny", "missing")


def test_a_recipe_edited_in_run_json_is_refused(copy):
    edit_info(copy, lambda info: info["recipe"].update(epochs=99))
    assert "run.json" in refused(copy, "stale")


def test_a_run_of_another_recipe_is_refused(copy):
    other = TINY.train_args | {"lr": 0.5}
    refused(copy, "stale", dataclasses.replace(TINY, train_args=other))


def test_a_stale_key_is_refused(copy):
    edit_info(copy, lambda info: info.update(key="0" * 64))
    assert "stale" in refused(copy, "stale")


@pytest.mark.parametrize(
    "damage",
    [
        lambda sums: sums.pop("weights.pt"),
        lambda sums: sums.clear(),
        lambda sums: sums.update({"extra.pt": "0" * 64}),
    ],
    ids=["weights unchecked", "no checksums", "a file that is not there"],
)
def test_checksums_must_cover_exactly_the_files_present(copy, damage):
    edit_info(copy, lambda info: damage(info["sha256"]))
    assert "records checksums for" in refused(copy, "corrupt")


def test_an_unrecorded_file_is_refused(copy):
    (copy / "notes.txt").write_text("added by hand")
    assert "notes.txt" in refused(copy, "corrupt")


@pytest.mark.parametrize("file", ["weights.pt", "metrics.json"])
def test_a_changed_byte_is_refused_before_unpickling(
    copy, file, monkeypatch
):
    data = bytearray((copy / file).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (copy / file).write_bytes(bytes(data))

    def must_not_load(*args, **kwargs):
        raise AssertionError("torch.load was called on a tampered file")

    monkeypatch.setattr(torch, "load", must_not_load)
    assert "Refusing to load" in refused(copy, "corrupt")


@pytest.mark.parametrize(
    "text", ['{"key": "abc", "recipe": {', "", "[]", '{"key": 1}']
)
def test_a_malformed_run_json_names_the_file(copy, text):
    (copy / "run.json").write_text(text)
    message = refused(copy, "corrupt")
    assert str(copy / "run.json") in message


class Payload:
    """Unpickling this runs code: it touches a file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_weights_are_loaded_as_tensors_only(copy, tmp_path):
    """A weights file that would run code when unpickled is refused, and the
    code never runs (``weights_only=True``)."""
    marker = tmp_path / "code-ran"
    weights = torch.load(copy / "weights.pt", weights_only=True)
    torch.save({**weights, "payload": Payload(marker)}, copy / "weights.pt")
    edit_info(
        copy,
        lambda info: info["sha256"].update(
            {"weights.pt": runs.sha256(copy / "weights.pt")}
        ),
    )
    assert "holds more than tensors" in refused(copy, "corrupt")
    assert not marker.exists()


def test_weights_of_another_shape_are_refused(copy):
    weights = torch.load(copy / "weights.pt", weights_only=True)
    weights["fc.weight"] = torch.zeros(10, 5)
    torch.save(weights, copy / "weights.pt")
    edit_info(
        copy,
        lambda info: info["sha256"].update(
            {"weights.pt": runs.sha256(copy / "weights.pt")}
        ),
    )
    assert "does not fit the model" in refused(copy, "corrupt")


# --- interrupted saves -------------------------------------------------------


def test_an_interruption_during_training_leaves_the_old_run(copy):
    before = {f.name: f.read_bytes() for f in copy.iterdir()}

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    recipe = dataclasses.replace(TINY, train=interrupted)
    with pytest.raises(KeyboardInterrupt):
        runs.train("tiny", root=copy.parent, device="cpu", recipe=recipe)
    assert {f.name: f.read_bytes() for f in copy.iterdir()} == before
    assert sorted(p.name for p in copy.parent.iterdir()) == ["tiny"]


def test_an_interruption_while_writing_removes_the_new_files(
    copy, monkeypatch
):
    """Cut while ``run.json`` is written: the half-made run is removed and
    the old one is untouched."""
    before = {f.name: f.read_bytes() for f in copy.iterdir()}
    real_dumps = json.dumps

    def cut(obj, *args, **kwargs):
        if isinstance(obj, dict) and "sha256" in obj:
            raise KeyboardInterrupt
        return real_dumps(obj, *args, **kwargs)

    monkeypatch.setattr(runs.json, "dumps", cut)
    with pytest.raises(KeyboardInterrupt):
        runs.train("tiny", copy.parent, "cpu", TINY)
    assert {f.name: f.read_bytes() for f in copy.iterdir()} == before
    assert sorted(p.name for p in copy.parent.iterdir()) == ["tiny"]


def test_a_swap_cut_between_its_two_moves_is_undone(copy, monkeypatch):
    """The process dies after the old run was moved aside and before the
    new one took its place: the next load puts the old run back."""
    before = {f.name: f.read_bytes() for f in copy.iterdir()}
    real_replace = os.replace
    moves = []

    def dies_on_second_move(src, dst):
        moves.append(dst)
        if len(moves) == 2:
            raise SystemExit("killed")
        real_replace(src, dst)

    monkeypatch.setattr(runs.os, "replace", dies_on_second_move)
    with pytest.raises(SystemExit):
        runs.train("tiny", copy.parent, "cpu", TINY)
    monkeypatch.setattr(runs.os, "replace", real_replace)
    assert not copy.exists(), "the cut must fall between the two moves"
    leftovers = [p.name for p in copy.parent.iterdir()]
    assert ".tiny.old" in leftovers
    load(copy)
    assert {f.name: f.read_bytes() for f in copy.iterdir()} == before
    assert sorted(p.name for p in copy.parent.iterdir()) == ["tiny"]


def test_leftovers_of_a_save_are_ignored_by_git(tmp_path):
    root = Path(runs.RUNS_ROOT)
    names = [".lecture.tmp-abc123/weights.pt", ".lecture.old/run.json"]
    result = subprocess.run(
        ["git", "check-ignore", *(f"runs/{n}" for n in names)],
        cwd=root.parent,
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == [f"runs/{n}" for n in names]


# --- the training command's arguments -----------------------------------------


@pytest.mark.parametrize(
    "args, complaint",
    [
        (["--device", "gpu"], "'gpu' is not a device"),
        (["--threads", "-1"], "is not a number of threads"),
        (["--threads", "0"], "is not a number of threads"),
        (["--threads", "two"], "is not a number of threads"),
    ],
)
def test_bad_arguments_are_refused_while_parsing(args, complaint, capsys):
    with pytest.raises(SystemExit) as exit:
        runs.parser().parse_args(["train", "lecture", *args])
    assert exit.value.code == 2
    assert complaint in capsys.readouterr().err


def test_cuda_without_a_gpu_is_refused_while_parsing(monkeypatch, capsys):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(SystemExit):
        runs.parser().parse_args(["train", "lecture", "--device", "cuda"])
    assert "torch sees no CUDA GPU" in capsys.readouterr().err


def test_the_command_line_refuses_before_training():
    """``python -m coursesite.runs`` in a fresh process: a bad device is a
    usage error, not a traceback after minutes of training."""
    result = subprocess.run(
        [sys.executable, "-m", "coursesite.runs", "train", "lecture"]
        + ["--device", "gpu"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "'gpu' is not a device" in result.stderr
    assert "Traceback" not in result.stderr


# --- the committed runs --------------------------------------------------------


def test_every_recipe_has_a_committed_run():
    assert sorted(
        p.name
        for p in runs.RUNS_ROOT.iterdir()
        if not p.name.startswith(".")
    ) == sorted(runs.RECIPES)


def classifiers(tested: bool) -> list[str]:
    """The runs whose model is a digit classifier, and whose recipe scores
    the test images (or not)."""
    return [
        name
        for name, recipe in runs.RECIPES.items()
        if recipe.test is tested
        and recipe.train.__module__ in ("dlcourse.cnn", "dlcourse.dense")
    ]


@pytest.mark.slow  # classifies held-out digits
@pytest.mark.parametrize("name", classifiers(tested=False))
def test_committed_validation_accuracy_matches_a_fresh_evaluation(name):
    """The runs that never see the test set: their last recorded
    validation accuracy, from the loaded weights."""
    run = runs.load(name)
    recipe = runs.RECIPES[name]
    _, (images, labels) = hold_out(mnist_tensors(train=True))
    n = recipe.validation_subset
    assert accuracy(run.model, images[:n], labels[:n]) == pytest.approx(
        run.metrics["validation_accuracy"][-1],
        abs=2e-4 * 10_000 / len(labels[:n]),
    )
    assert "test_accuracy" not in run.metrics


@pytest.mark.slow  # classifies the 10,000 test digits
@pytest.mark.parametrize("name", classifiers(tested=True))
def test_committed_classifier_accuracy_matches_a_fresh_evaluation(name):
    run = runs.load(name)
    images, labels = mnist_tensors(train=False)
    # Up to 2 of 10,000 test digits may flip between training kernels and
    # this CPU evaluation.
    assert accuracy(run.model, images, labels) == pytest.approx(
        run.metrics["test_accuracy"], abs=2e-4
    )


@pytest.mark.parametrize(
    "name", ["autoencoder-2d", "autoencoder-32d", "vae"]
)
def test_committed_autoencoder_test_loss_matches_a_fresh_evaluation(name):
    run = runs.load(name)
    images, _ = mnist_tensors(train=False)
    loss_fn = runs.RECIPES[name].train_args.get(
        "loss_fn", binary_cross_entropy
    )
    loss = evaluate(run.model, loss_fn, (images, images))["loss"]
    assert loss == pytest.approx(run.metrics["test_loss"], rel=1e-3)


def test_committed_gan_reproduces_its_last_samples():
    run = runs.load("gan")
    with torch.no_grad():
        pixels = to_pixels(run.model(run.tensors["fixed_noise"])).int()
    last = run.tensors["samples"][-1].int()
    assert len(run.tensors["samples"]) == len(run.metrics["sample_epochs"])
    assert (pixels - last).abs().max() <= 1


def test_the_course_package_never_imports_the_machinery():
    """Two layers: dlcourse is what students read; coursesite depends on it,
    never the other way round."""
    course = Package("dlcourse")
    offenders = {
        path.name
        for path in course.root.rglob("*.py")
        if any(
            name.split(".")[0] == "coursesite"
            for name in imported_names(path.read_text(), "dlcourse")
        )
    }
    assert offenders == set()
