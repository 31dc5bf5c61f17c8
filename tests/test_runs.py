"""The run cache: keys, refusal of tampered or missing runs, a tiny real run, and the committed runs."""

import json
import shutil

import pytest
import torch

from dlcourse import runs, training
from dlcourse.gan import to_pixels
from dlcourse.training import accuracy, mnist_tensors

RECIPE = runs.RECIPES["lecture"]
SOURCES = runs.module_sources(("dlcourse.cnn", "dlcourse.training"))
DATA = runs.data_checksum()
#: A few hundred steps on a subset: seconds on a CPU.
TINY = {
    **runs.RECIPES["improved"],
    "batch_size": 10,
    "lr": 1e-3,
    "epochs": 1,
    "subset": 2000,
}


def key(recipe=RECIPE, sources=SOURCES, data=DATA):
    return runs.cache_key(recipe, sources, data)


def test_key_changes_with_recipe_model_source_and_data():
    assert key() == key(dict(RECIPE)), (
        "the key must be a pure function of its inputs"
    )
    assert key({**RECIPE, "lr": 1e-4}) != key()
    assert key({**RECIPE, "seed": 1}) != key()
    changed_model = SOURCES["dlcourse.cnn"].replace(
        "nn.Linear(64 * 6 * 6, 10)", "nn.Linear(64 * 6 * 6, 10, bias=False)"
    )
    assert changed_model != SOURCES["dlcourse.cnn"]
    assert key(sources={**SOURCES, "dlcourse.cnn": changed_model}) != key()
    assert key(data="0" * 64) != key()


def test_key_ignores_comments_docstrings_and_layout():
    edited = SOURCES["dlcourse.cnn"].replace(
        '"""The CNN of the lecture.', '"""The CNN from the lecture.'
    )
    edited = edited.replace(
        "# The lecture's", "# Edited comment. The lecture's"
    )
    # and the layout: the same call wrapped over three lines
    edited = edited.replace(
        "nn.Conv2d(1, 32, kernel_size=3, stride=1, padding=1)",
        "nn.Conv2d(\n            1, 32, kernel_size=3, stride=1, padding=1\n        )",
    )
    assert "nn.Conv2d(\n" in edited
    assert key(sources={**SOURCES, "dlcourse.cnn": edited}) == key()


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    """A real, tiny training run written into a temporary cache."""
    root = tmp_path_factory.mktemp("runs")
    runs.train("tiny", root=root, device="cpu", recipe=TINY)
    return root


def test_tiny_run_lowers_the_loss_and_loads(tiny_run):
    run = runs.load("tiny", root=tiny_run)
    losses = run.metrics["batch_loss"]
    assert len(losses) == TINY["subset"] // TINY["batch_size"]
    assert sum(losses[-20:]) / 20 < 0.5 * sum(losses[:20]) / 20
    images, labels = mnist_tensors(train=False)
    assert accuracy(run.model, images, labels) == pytest.approx(
        run.metrics["test_accuracy"], abs=1e-6
    )
    assert run.info["provenance"]["device"].startswith("CPU")
    assert run.info["sha256"]["weights.pt"] == runs.sha256(
        tiny_run / "tiny" / "weights.pt"
    )


def test_tiny_autoencoder_and_gan_runs_train_and_load(tmp_path):
    autoencoder = {
        **runs.RECIPES["autoencoder-2d"],
        "batch_size": 64,
        "epochs": 1,
        "subset": 1280,
    }
    gan = {**runs.RECIPES["gan"], "epochs": 1, "subset": 640}
    runs.train("tiny-ae", root=tmp_path, device="cpu", recipe=autoencoder)
    runs.train("tiny-gan", root=tmp_path, device="cpu", recipe=gan)
    ae = runs.load("tiny-ae", root=tmp_path)
    assert sum(ae.metrics["batch_loss"][-5:]) < 0.9 * sum(
        ae.metrics["batch_loss"][:5]
    )
    assert ae.model.encode(torch.zeros(3, 1, 28, 28)).shape == (3, 2)
    g = runs.load("tiny-gan", root=tmp_path)
    assert (
        len(g.metrics["batch_d_loss"])
        == len(g.metrics["batch_g_loss"])
        == 640 // 64
    )
    assert g.metrics["sample_epochs"] == [1]
    assert (
        g.tensors["samples"].shape == (1, 64, 1, 28, 28)
        and g.tensors["samples"].dtype == torch.uint8
    )


def test_missing_run_names_the_command(tmp_path):
    with pytest.raises(runs.RunError, match="missing") as err:
        runs.load("lecture", root=tmp_path)
    assert runs.retrain_command("lecture") in str(err.value)


def test_stale_run_names_the_command(tiny_run, tmp_path):
    # a run whose recipe is not the lecture's
    shutil.copytree(tiny_run / "tiny", tmp_path / "lecture")
    with pytest.raises(runs.RunError, match="stale") as err:
        runs.load("lecture", root=tmp_path)
    assert runs.retrain_command("lecture") in str(err.value)


def test_tampered_weights_are_refused_before_unpickling(
    tiny_run, tmp_path, monkeypatch
):
    shutil.copytree(tiny_run / "tiny", tmp_path / "tiny")
    weights = tmp_path / "tiny" / "weights.pt"
    data = bytearray(weights.read_bytes())
    data[-100] ^= 0xFF
    weights.write_bytes(bytes(data))

    def must_not_load(*args, **kwargs):
        raise AssertionError("torch.load was called on a tampered file")

    monkeypatch.setattr(torch, "load", must_not_load)
    with pytest.raises(runs.RunError, match="Refusing to load"):
        runs.load("tiny", root=tmp_path)


def test_interrupted_training_leaves_the_old_run_intact(
    tiny_run, tmp_path, monkeypatch
):
    shutil.copytree(tiny_run / "tiny", tmp_path / "tiny")
    before = {f.name: f.read_bytes() for f in (tmp_path / "tiny").iterdir()}

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(training, "fit_classifier", interrupted)
    with pytest.raises(KeyboardInterrupt):
        runs.train("tiny", root=tmp_path, device="cpu", recipe=TINY)
    assert {
        f.name: f.read_bytes() for f in (tmp_path / "tiny").iterdir()
    } == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny"], (
        "no temporary folder may be left behind"
    )


def committed(kind: str) -> list[str]:
    return [
        name
        for name, recipe in runs.RECIPES.items()
        if recipe["kind"] == kind
    ]


def test_every_recipe_has_a_committed_run():
    assert sorted(
        p.name
        for p in runs.RUNS_ROOT.iterdir()
        if not p.name.startswith(".")
    ) == sorted(runs.RECIPES)


@pytest.mark.parametrize("name", committed("classifier"))
def test_committed_classifier_accuracy_matches_a_fresh_evaluation(name):
    run = runs.load(name)
    images, labels = mnist_tensors(train=False)
    # Up to 2 of 10,000 test digits may flip between GPU training kernels and this CPU evaluation.
    assert accuracy(run.model, images, labels) == pytest.approx(
        run.metrics["test_accuracy"], abs=2e-4
    )
    assert json.loads((runs.RUNS_ROOT / name / "run.json").read_text())[
        "key"
    ] == runs.current_key(name)


@pytest.mark.parametrize("name", committed("autoencoder"))
def test_committed_autoencoder_test_loss_matches_a_fresh_evaluation(name):
    run = runs.load(name)
    images, _ = mnist_tensors(train=False)
    with torch.no_grad():
        loss = torch.nn.functional.binary_cross_entropy(
            run.model(images), images
        ).item()
    assert loss == pytest.approx(run.metrics["test_loss"], rel=1e-3)
    assert run.model.encode(images[:5]).shape == (
        5,
        run.info["recipe"]["latent_dim"],
    )


def test_committed_gan_reproduces_its_last_samples():
    run = runs.load("gan")
    with torch.no_grad():
        pixels = to_pixels(run.model(run.tensors["fixed_noise"])).int()
    last = run.tensors["samples"][-1].int()
    assert len(run.tensors["samples"]) == len(run.metrics["sample_epochs"])
    assert (pixels - last).abs().max() <= 1


def test_summary_tells_where_how_long_and_the_recipe_within_the_page():
    run = runs.load("lecture")
    text = runs.summary(run, width=60)
    p = run.info["provenance"]
    assert text.startswith("lecture: trained on ")
    flat = " ".join(line.strip() for line in text.splitlines())
    for fact in (p["device"], f"{p['wall_time_s']:.0f} s", p["torch"]):
        assert fact in flat
    assert "lr=1e-05" in flat and "batch_size=10" in flat
    assert max(len(line) for line in text.splitlines()) <= 60
