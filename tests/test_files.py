"""Atomic writes: the old file or the new one, never half of one, and readable like any other."""

import stat

import pytest

from coursesite.files import atomic_write


def test_the_new_file_replaces_the_old_with_ordinary_permissions(tmp_path):
    target, plain = tmp_path / "record.json", tmp_path / "plain.json"
    target.write_text("old")
    plain.write_text("made with open()")
    with atomic_write(target, encoding="utf-8") as stream:
        stream.write("new")
        assert target.read_text() == "old", (
            "the old file stays until the block ends"
        )
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == stat.S_IMODE(
        plain.stat().st_mode
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "plain.json",
        "record.json",
    ]


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary_one(
    tmp_path,
):
    target = tmp_path / "weights.bin"
    target.write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt):
        with atomic_write(target, binary=True) as stream:
            stream.write(b"half of the ne")
            raise KeyboardInterrupt
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["weights.bin"]


def test_missing_folders_are_made(tmp_path):
    target = tmp_path / "a" / "b" / "c.txt"
    with atomic_write(target) as stream:
        stream.write("x")
    assert target.read_text() == "x"
