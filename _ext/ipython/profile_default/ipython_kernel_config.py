# The book's kernels (IPYTHONDIR points here while the book builds, see
# _ext/figures.py): matplotlib's inline backend from the start, so that
# startup/00-figures.py can add SVG figures (text kept as text, so
# tests/test_figures.py can read each figure's font sizes as matplotlib drew
# them) next to the PNGs; no history file written here.
c = get_config()  # noqa: F821
c.InteractiveShellApp.matplotlib = "inline"
c.InlineBackend.figure_formats = {"png"}
c.InlineBackend.rc = {"svg.fonttype": "none", "svg.hashsalt": "dlcourse"}
c.HistoryManager.enabled = False
