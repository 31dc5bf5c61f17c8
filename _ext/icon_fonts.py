"""Font Awesome, only the icons the book draws (measured: benchmarks/lighthouse.py).

The theme's style sheet declares Font Awesome's fonts and a rule for each of
its 2,000 icons: every page loaded 274 kB of fonts (118 kB of them brand logos,
for one GitHub logo) and parsed 84 kB of icon rules before its first paint. On
a phone's slow network the fonts took about 1.7 s of that first paint
(Lighthouse, mobile: First Contentful Paint 3.8 s with them, 2.1 s without).
When the build ends, this extension rewrites the site's copies so that they
hold only what the book can show:

* an icon is kept when some built page or one of the site's scripts names its
  class (``fa-github``), and so are the glyphs that any of the site's style
  sheets draws without a class (the theme's admonition and link icons,
  sphinx-exercise's pencil);
* the fonts are subset to those glyphs, from the theme's own files (a
  rebuild never subsets a subset), and the icon rules of the rest dropped;
* the fonts are drawn with ``font-display: swap``: the theme ships
  ``block``, which hides a page's icons, and text that shares their font,
  for up to three seconds.
"""

import re
from pathlib import Path

from fontTools import subset
from page_speed import theme_file
from sphinx.application import Sphinx

#: The theme's style sheet that declares Font Awesome's fonts and icons.
THEME_CSS = Path("_static", "styles", "pydata-sphinx-theme.css")
#: Where the theme keeps the fonts, in its package and in the built site.
FONTS = Path("vendor", "fontawesome", "webfonts")
#: A CSS rule (innermost: rules inside ``@media`` are found alone).
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
#: An icon's rule: nothing but ``.fa-NAME:before`` selectors.
ICON_SELECTOR = re.compile(r"\.(fa-[\w-]+):+before")
#: A glyph in Unicode's Private Use Areas, where icon fonts keep theirs, as a
#: style sheet writes it: by its code point (``content:"\f09b"``) or itself.
GLYPH = re.compile(
    r"\\([eEfF][0-9a-fA-F]{3}|[fF][0-9a-fA-F]{4}|10[0-9a-fA-F]{4})\b"
    "|([\ue000-\uf8ff\U000f0000-\U0010ffff])"
)
#: A class a page or script may give an element.
FA_CLASS = re.compile(r"\bfa-[a-z0-9-]+")
FONT_DISPLAY = ("font-display:block", "font-display:swap")


def classes_named(outdir: Path) -> set[str]:
    """Every ``fa-…`` word in the built pages and the site's scripts."""
    files = [*outdir.rglob("*.html"), *(outdir / "_static").rglob("*.js")]
    return {
        name
        for f in files
        if f.is_file()
        for name in FA_CLASS.findall(
            f.read_text(encoding="utf8", errors="ignore")
        )
    }


def keep_used_icons(css: str, used: set[str]) -> tuple[str, set[int]]:
    """The style sheet without the rules of icons no page uses, and the
    code points of the glyphs it can still draw."""
    glyphs: set[int] = set()

    def rule(match: re.Match) -> str:
        selectors, body = match.group(1), match.group(2)
        points = {
            int(code, 16) if code else ord(char)
            for code, char in GLYPH.findall(body)
        }
        names = [
            ICON_SELECTOR.fullmatch(s.strip()) for s in selectors.split(",")
        ]
        if points and all(names) and not {n.group(1) for n in names} & used:
            return ""
        glyphs.update(points)
        return match.group(0)

    return RULE.sub(rule, css), glyphs


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
    """The site's theme style sheet and Font Awesome fonts, cut."""
    outdir = Path(app.outdir)
    css = outdir / THEME_CSS
    if exception or app.builder.format != "html" or not css.is_file():
        return
    used = classes_named(outdir)
    original = theme_file(THEME_CSS.relative_to("_static"))
    text, glyphs = keep_used_icons(original.read_text(encoding="utf8"), used)
    # the glyphs the other style sheets draw (sphinx-exercise's, say)
    for other in (outdir / "_static").rglob("*.css"):
        if other != css:
            _, drawn = keep_used_icons(
                other.read_text(encoding="utf8"), used
            )
            glyphs |= drawn
    css.write_text(text.replace(*FONT_DISPLAY), encoding="utf8")
    for font in (outdir / "_static" / FONTS).glob("*.woff2"):
        subset_font(theme_file(FONTS / font.name), font, glyphs)


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", only_used_icons)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
