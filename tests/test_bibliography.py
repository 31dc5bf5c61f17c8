"""Every work in references.bib links to its original, with an entry type
that says what it is."""

import re

from helpers import REPO

ENTRY = re.compile(r"@(\w+)\{(\w+),(.*?)\n\}", re.S)


def entries() -> list[tuple[str, str, str]]:
    return ENTRY.findall((REPO / "references.bib").read_text())


def test_every_entry_has_a_doi_or_url():
    found = entries()
    assert len(found) >= 12
    unlinked = [
        key
        for _, key, body in found
        if not re.search(r"\b(doi|url)\s*=", body)
    ]
    assert not unlinked


def test_preprints_are_misc_and_proceedings_are_inproceedings():
    for kind, key, body in entries():
        if re.search(r"journal\s*=\s*\{(arXiv|bioRxiv|Conference)", body):
            raise AssertionError(
                f"{key}: a preprint or a conference as a journal"
            )
        if "howpublished" in body:
            assert kind == "misc", key
        if "booktitle" in body:
            assert kind == "inproceedings", key
