"""Font Awesome, only the icons the book draws (measured: benchmarks/lighthouse.py).

The theme's style sheet declares Font Awesome's fonts and a rule for each of
its 2,000 icons: every page loaded 274 kB of fonts (118 kB of them brand logos,
for one GitHub logo) and parsed 84 kB of icon rules before its first paint. On
a phone's slow network the fonts took about 1.7 s of that first paint
(Lighthouse, mobile: First Contentful Paint 3.8 s with them, 2.1 s without).
When the build ends, after ``_ext/used_css.py`` has dropped the rules of the
icons that no page or script names (and set the fonts to swap in), this
extension rewrites the site's fonts: they keep the glyphs that the site's
style sheets still draw, by class (``fa-github``) or without one (the theme's
admonition and link icons, sphinx-exercise's pencil), cut from the theme's
own files (a rebuild never subsets a subset).
"""

import re
from pathlib import Path

from fontTools import subset
from shared import THEME_CSS, theme_file
from sphinx.application import Sphinx

#: Where the theme keeps the fonts, in its package and in the built site.
FONTS = Path("vendor", "fontawesome", "webfonts")
#: A glyph in Unicode's Private Use Areas, where icon fonts keep theirs, as a
#: style sheet writes it: by its code point (``content:"\f09b"``) or itself.
GLYPH = re.compile(
    r"\\([eEfF][0-9a-fA-F]{3}|[fF][0-9a-fA-F]{4}|10[0-9a-fA-F]{4})\b"
    "|([\ue000-\uf8ff\U000f0000-\U0010ffff])"
)


def glyphs_drawn(css: str) -> set[int]:
    """The code points of the Private Use Area glyphs a style sheet draws."""
    return {
        int(code, 16) if code else ord(char)
        for code, char in GLYPH.findall(css)
    }


def subset_font(source: Path, target: Path, glyphs: set[int]) -> None:
    """``target``: ``source`` with only ``glyphs`` (WOFF2, as the CSS says)."""
    options = subset.Options()
    options.flavor = "woff2"
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=glyphs)
    subsetter.subset(font)
    subset.save_font(font, str(target), options)


def only_used_icons(app: Sphinx, exception) -> None:
    """The site's Font Awesome fonts, cut to the glyphs its style draws."""
    outdir = Path(app.outdir)
    css = outdir / THEME_CSS
    if exception or app.builder.format != "html" or not css.is_file():
        return
    glyphs = set().union(
        *(
            glyphs_drawn(sheet.read_text(encoding="utf8"))
            for sheet in (outdir / "_static").rglob("*.css")
        )
    )
    for font in (outdir / "_static" / FONTS).glob("*.woff2"):
        subset_font(theme_file(FONTS / font.name), font, glyphs)


def setup(app: Sphinx) -> dict:
    # after _ext/used_css.py has cut the theme's style sheet (800)
    app.connect("build-finished", only_used_icons, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
