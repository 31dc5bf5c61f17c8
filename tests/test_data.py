"""The data module on the shipped copy, a corrupted copy and a missing copy."""

import shutil

import pytest

from dlcourse import data


@pytest.fixture()
def copy_of_data(tmp_path):
    """The shipped .gz files and checksums, without the decompressed files."""
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for f in (data.DATA_ROOT / "MNIST" / "raw").iterdir():
        if f.name.endswith(".gz") or f.name.startswith("SHA256SUMS"):
            shutil.copy2(f, raw / f.name)
    return tmp_path


def test_loads_torchvision_mnist(copy_of_data):
    train = data.mnist(train=True, root=copy_of_data)
    test = data.mnist(train=False, root=copy_of_data)
    assert type(train).__name__ == "MNIST"
    assert (len(train), len(test)) == (60000, 10000)
    image, label = train[0]
    # the lecture's first digit
    assert tuple(image.shape) == (1, 28, 28) and label == 5
    # ToTensor scales to [0, 1]
    assert 0.0 <= image.min() and image.max() <= 1.0


def test_decompresses_once(copy_of_data):
    data.prepare_mnist(copy_of_data)
    target = copy_of_data / "MNIST" / "raw" / "train-labels-idx1-ubyte"
    first = target.stat().st_mtime_ns
    data.prepare_mnist(copy_of_data)
    assert target.stat().st_mtime_ns == first


def test_corrupt_file_is_named(copy_of_data):
    gz = copy_of_data / "MNIST" / "raw" / "t10k-labels-idx1-ubyte.gz"
    gz.write_bytes(gz.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(data.DataError) as err:
        data.mnist(train=False, root=copy_of_data)
    message = str(err.value)
    assert (
        "corrupt" in message
        and str(gz) in message
        and "git checkout" in message
    )
    assert not (
        copy_of_data / "MNIST" / "raw" / "t10k-labels-idx1-ubyte"
    ).exists()


def test_missing_file_is_named(copy_of_data):
    gz = copy_of_data / "MNIST" / "raw" / "train-images-idx3-ubyte.gz"
    gz.unlink()
    with pytest.raises(data.DataError) as err:
        data.prepare_mnist(copy_of_data)
    assert "missing" in str(err.value) and str(gz) in str(err.value)
    assert "download=True" in str(err.value)


def test_damaged_decompression_is_redone(copy_of_data):
    data.prepare_mnist(copy_of_data)
    target = copy_of_data / "MNIST" / "raw" / "t10k-labels-idx1-ubyte"
    target.write_bytes(b"half-written")
    data.prepare_mnist(copy_of_data)
    assert (
        data.sha256(target)
        == data.read_checksums(
            copy_of_data / "MNIST" / "raw" / "SHA256SUMS.uncompressed"
        )["t10k-labels-idx1-ubyte"]
    )


def test_interrupted_decompression_leaves_no_file(copy_of_data, monkeypatch):
    def broken_copy(src, dst):
        dst.write(b"partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(data.shutil, "copyfileobj", broken_copy)
    with pytest.raises(KeyboardInterrupt):
        data.prepare_mnist(copy_of_data)
    raw = copy_of_data / "MNIST" / "raw"
    assert not any(
        p.name.endswith("-ubyte") or p.name.endswith(".part")
        for p in raw.iterdir()
    )
