"""The course text speaks to students: every chapter has a self-check and
exercises whose solutions the build executed, no maintainer vocabulary, and
the table of contents ends the course before the back matter."""

import os
import re

import pytest
from helpers import chapters, course_chapters, page, prose, toc_files

#: Words that belong to the people who maintain the course, not to a
#: chapter: build and retraining commands, test and benchmark files, CPU and
#: allocator tuning, build strings of torch.
MAINTAINER_VOCABULARY = [
    "PYTHONPATH",
    "dlcourse.runs train",
    "python -m",
    "tests/",
    "benchmarks/",
    "mallopt",
    "keep_freed_memory",
    "thread of",
    "threads",
    "+cu",
    "+cpu",
    "channels-last",
    "channels_last",
    "fused",
    "allocator",
    "this page was built",
    "built on the device",
    "committed with the book",
    "run.json",
]


def chapter_text(built_book, doc: str) -> str:
    """The rendered text of a chapter's article, code and outputs
    included."""
    soup = page(built_book, doc)
    return prose(soup.select_one("article") or soup)


def test_every_course_chapter_is_an_executed_notebook_page():
    """Whatever their number: each chapter of the numbered part is a
    MyST-NB page (executed, downloadable, with slides)."""
    assert course_chapters()
    assert set(course_chapters()) <= set(chapters())


@pytest.mark.parametrize("doc", course_chapters())
def test_every_chapter_has_a_quiz_and_executed_exercises(built_book, doc):
    soup = page(built_book, doc)
    assert soup.select(".dl-quiz"), f"{doc} has no quiz"
    exercises = soup.select("div.exercise")
    solutions = soup.select("div.solution")
    assert 2 <= len(exercises) <= 4, f"{doc}: {len(exercises)} exercises"
    executed = [
        solution
        for solution in solutions
        if solution.select(".cell_output")
        and "assert" in solution.select_one(".cell_input").get_text()
    ]
    assert len(executed) >= 2, f"{doc}: {len(executed)} executed solutions"
    # hidden until the reader opens them
    assert all("dropdown" in s.get("class", []) for s in solutions)


@pytest.mark.parametrize("doc", course_chapters())
def test_no_chapter_speaks_to_maintainers(built_book, doc):
    text = chapter_text(built_book, doc)
    found = [
        word
        for word in MAINTAINER_VOCABULARY
        if word.lower() in text.lower()
    ]
    assert not found, f"{doc} says {found}"


@pytest.mark.parametrize("doc", course_chapters())
def test_glued_values_are_words_not_python_booleans(built_book, doc):
    soup = page(built_book, doc)
    pasted = [span.get_text() for span in soup.select(".pasted-text")]
    assert pasted
    assert not [p for p in pasted if p in ("True", "False")]


def test_the_last_chapter_leads_to_the_back_matter(built_book):
    last = course_chapters()[-1]
    after = toc_files()[toc_files().index(last) + 1]
    soup = page(built_book, last)
    href = os.path.relpath(after, os.path.dirname(last))
    assert soup.select_one("a.right-next")["href"] == f"{href}.html"
    status = page(built_book, "book/status")
    captions = [c.get_text() for c in status.select("p.caption")]
    assert captions == ["The course", "Back matter", "For instructors"]


def test_every_bibliography_entry_links_to_its_original(built_book):
    soup = page(built_book, "book/bibliography")
    entries = soup.select("div.citation")
    assert len(entries) >= 12
    unlinked = [
        entry.get_text()[:60]
        for entry in entries
        if not entry.select('a[href^="https://"], a[href^="http://"]')
    ]
    assert not unlinked


def test_the_lecture_videos_are_linked(built_book):
    soup = page(built_book, "book/generative")
    links = {a.get("href") for a in soup.select("a")}
    assert "https://youtu.be/G06dEcZ-QTg" in links
    assert any(
        re.search("0B2tsfjLgpFVhMnhwUVVuQnJxZTg", link or "")
        for link in links
    )


def prose_right_after(quiz) -> str:
    """The visible paragraphs between a quiz's cell and the next code cell or
    section: what a reader sees before trying the quiz's question."""
    cell = quiz.find_parent("div", class_="cell")
    text = []
    for sibling in cell.find_next_siblings():
        classes = sibling.get("class") or []
        if sibling.name == "section" or "cell" in classes:
            break
        if sibling.name == "details" or sibling.find_parent("details"):
            continue
        if sibling.name in ("p", "ul", "ol", "blockquote"):
            text.append(sibling.get_text(" "))
    return " ".join(" ".join(text).split())


@pytest.mark.parametrize("doc", course_chapters())
def test_the_text_after_a_quiz_keeps_its_answer(built_book, doc):
    soup = page(built_book, doc)
    for quiz in soup.select(".dl-quiz"):
        answer = quiz.select_one("button[data-correct=true]").get_text()
        after = prose_right_after(quiz)
        assert not re.search(
            rf"(?<![\w.,]){re.escape(answer)}(?![\w]|[.,]\d)", after
        ), f"{doc}: the text after the quiz gives away {answer!r}: {after}"
