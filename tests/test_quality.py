"""Quality gates over the built HTML: what a reader would otherwise find broken first.

Each gate collects every problem in the whole site and reports them together.
"""

import re
import stat
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from bs4 import BeautifulSoup
from helpers import REPO
from myst_nb.core.variables import format_plain_text

IMAGE_FILE = re.compile(
    r"(_images/|\.(png|jpe?g|gif|svg|webp)$)", re.IGNORECASE
)
ERROR_NAME = re.compile(
    r"\b\w*(Error|Exception)\b|Traceback \(most recent call last\)"
)
GLUE_ROLE = re.compile(r"\{glue(?::(\w+))?\}`([^`]+)`")
GLUE_DIRECTIVE = re.compile(
    r"^[`:]{3,}\{glue(?::\w+)?\}\s+(\S+)", re.MULTILINE
)


def pages(built_book: Path) -> list[Path]:
    """Every HTML page of the site (the theme's and Sphinx's own folders, ``_*``, left out)."""
    html = built_book / "html"
    return sorted(
        p
        for p in html.rglob("*.html")
        if not any(
            part.startswith("_") for part in p.relative_to(html).parts
        )
    )


@cache
def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf8"), "html.parser")


def article(path: Path):
    """The page's own content, without the theme's navigation."""
    return soup(path).select_one("article.bd-article") or soup(path)


def local_target(page: Path, url: str) -> tuple[Path, str] | None:
    """The file and fragment a link of ``page`` points to; None for links that leave the site."""
    parsed = urlparse(url)
    if parsed.scheme or parsed.netloc:
        return None
    target = (
        (page.parent / unquote(parsed.path)).resolve()
        if parsed.path
        else page
    )
    if target.is_dir():
        target = target / "index.html"
    return target, unquote(parsed.fragment)


def name(built_book: Path, path: Path) -> str:
    return str(path.relative_to(built_book / "html"))


def test_site_has_pages(built_book):
    # index, chapters, bibliography: the gates below check something
    assert len(pages(built_book)) >= 3


def test_every_internal_link_and_anchor_resolves(built_book):
    broken = []
    for page in pages(built_book):
        for a in soup(page).select("a[href]"):
            target = local_target(page, a["href"])
            if target is None:
                continue
            path, fragment = target
            if not path.exists():
                broken.append(
                    f"{name(built_book, page)}: link {a['href']!r} -> missing file"
                )
            elif (
                fragment
                and path.suffix == ".html"
                and not soup(path).find(id=fragment)
                and not soup(path).find(attrs={"name": fragment})
            ):
                broken.append(
                    f"{name(built_book, page)}: link {a['href']!r} -> no anchor #{fragment}"
                )
    assert not broken, "\n".join(broken)


def test_every_referenced_file_exists(built_book):
    """Images, scripts and style sheets that the pages load from the site itself."""
    missing = []
    for page in pages(built_book):
        for element, attribute in (
            ("img", "src"),
            ("script", "src"),
            ("link", "href"),
            ("source", "src"),
        ):
            for node in soup(page).select(f"{element}[{attribute}]"):
                target = local_target(page, node[attribute])
                if target is not None and not target[0].is_file():
                    missing.append(
                        f"{name(built_book, page)}: <{element}> {node[attribute]!r} does not exist"
                    )
    assert not missing, "\n".join(missing)


def test_every_content_image_has_alt_text(built_book):
    images = [
        (page, img)
        for page in pages(built_book)
        for img in article(page).select("img")
    ]
    assert images, "no content image in the whole site"
    bad = [
        f"{name(built_book, page)}: {img.get('src')} has alt {img.get('alt')!r}"
        for page, img in images
        if not (img.get("alt") or "").strip()
        or IMAGE_FILE.search(img["alt"])
    ]
    assert not bad, (
        "images need real alt text (mystnb: image: alt: ...):\n"
        + "\n".join(bad)
    )


def test_no_page_shows_an_error(built_book):
    shown = []
    for page in pages(built_book):
        content = article(page)
        for node in content.select(
            ".traceback, .output.error, .system-message, .problematic"
        ):
            shown.append(
                f"{name(built_book, page)}: {' '.join(node.get_text().split())[:200]}"
            )
        for node in content.select(".output.stderr"):
            if ERROR_NAME.search(node.get_text()):
                shown.append(
                    f"{name(built_book, page)}: stderr {' '.join(node.get_text().split())[:200]}"
                )
        if "Traceback (most recent call last)" in content.get_text():
            shown.append(f"{name(built_book, page)}: a raw traceback")
    assert not shown, "\n".join(shown)


def test_every_file_of_the_site_is_readable_by_a_web_server(built_book):
    """A web server runs as another user: a file that only its owner may
    read (as ``tempfile.mkstemp`` makes them) is a 403 for every reader."""
    private = sorted(
        name(built_book, path)
        for path in (built_book / "html").rglob("*")
        if path.is_file() and not path.stat().st_mode & stat.S_IROTH
    )
    assert not private, f"not readable by others: {private[:10]}"


#: What a cell prints when its last line returns a plotting object by accident.
PLOT_REPR = re.compile(r"^\[?(<matplotlib|<Figure|Text\(|\(<Figure)")


def test_every_cell_shows_its_figure_once_and_no_plot_repr(built_book):
    """A figure both returned and drawn by a cell appears twice; a cell
    ending in ``ax.set_xlabel(...)`` prints ``Text(0, 0.5, ...)``."""
    shown = []
    for page in pages(built_book):
        for cell in article(page).select("div.cell_output"):
            sources = [img.get("src") for img in cell.select("img")]
            shown += [
                f"{name(built_book, page)}: {src} twice"
                for src in sorted(set(sources))
                if sources.count(src) > 1
            ]
            for pre in cell.select("pre"):
                if PLOT_REPR.match(pre.get_text().strip()):
                    shown.append(
                        f"{name(built_book, page)}: {pre.get_text()[:60]!r}"
                    )
    assert not shown, "\n".join(shown)


def test_no_unresolved_reference(built_book):
    unresolved = []
    for page in pages(built_book):
        content = article(page)
        # Sphinx renders a reference it could not resolve as a bare .xref, without a link around it
        for node in content.select(".xref"):
            if node.name != "a" and node.find_parent("a") is None:
                unresolved.append(
                    f"{name(built_book, page)}: {node.get_text()!r}"
                )
        if "??" in content.get_text() or "pending_xref" in str(content):
            unresolved.append(
                f"{name(built_book, page)}: a '??' or pending_xref placeholder"
            )
    assert not unresolved, "\n".join(unresolved)


def glue_references(source: str) -> list[tuple[str, str | None]]:
    """(key, format spec or None) of every glue role and directive; the spec only for ``glue:text``."""
    found = []
    for kind, content in GLUE_ROLE.findall(source):
        if kind == "text":
            key, spec = (
                content.rsplit(":", 1) if ":" in content else (content, "s")
            )  # as myst-nb reads it
            found.append((key, spec))
        else:
            found.append((content, None))
    return found + [(key, None) for key in GLUE_DIRECTIVE.findall(source)]


def test_glue_reference_parser():
    assert glue_references(
        "a {glue:text}`acc:.2%` b {glue}`n` c {glue:text}`ch::k:s`\n```{glue:figure} fig\n```"
    ) == [("acc", ".2%"), ("n", None), ("ch::k", "s"), ("fig", None)]


def test_every_glued_value_is_present(built_book):
    """Each glue reference of a chapter has its value in the cache, and glue:text shows it in the page."""
    import json

    checked, problems = 0, []
    for source in sorted((REPO / "book").glob("*.md")):
        html = built_book / "html" / "book" / f"{source.stem}.html"
        if not html.exists():
            continue  # not in the toc
        pasted = [
            " ".join(s.get_text().split())
            for s in soup(html).select(".pasted-text")
        ]
        for key, spec in glue_references(source.read_text()):
            doc, _, key = (
                key.rpartition("::") if "::" in key else ("", "", key)
            )
            glue_file = (
                built_book
                / "jupyter_execute"
                / "book"
                / f"{Path(doc).stem if doc else source.stem}.glue.json"
            )
            data = (
                json.loads(glue_file.read_text()).get(key)
                if glue_file.exists()
                else None
            )
            checked += 1
            if data is None:
                problems.append(
                    f"{source.name}: glue key {key!r} was never glued"
                )
            elif (
                spec is not None
                and " ".join(
                    format_plain_text(
                        data["data"]["text/plain"], spec
                    ).split()
                )
                not in pasted
            ):
                problems.append(
                    f"{source.name}: glued {key!r} is not shown in the page"
                )
    assert checked, "no glue reference found in any chapter"
    assert not problems, "\n".join(problems)


def test_pages_leave_out_the_font_awesome_script(built_book):
    """_templates/layout.html drops the theme's 1.5 MB icon script; the icons come from its CSS."""
    loading = [
        name(built_book, page)
        for page in pages(built_book)
        if soup(page).select('script[src*="fontawesome"]')
    ]
    assert not loading, f"pages loading fontawesome.js: {loading}"
    css = (
        built_book
        / "html"
        / "_static"
        / "styles"
        / "pydata-sphinx-theme.css"
    ).read_text()
    assert "@font-face" in css and ".fa-github" in css, (
        "the theme's CSS no longer carries the icons"
    )
