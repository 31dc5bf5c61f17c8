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

# One CPU thread for PyTorch's kernels (its OpenMP threads, read when torch
# is imported), unless the environment says otherwise: the book's pages
# score cached networks in batches too large for two threads to help
# (memory-bound), and on a shared machine two OpenMP threads wait on each
# other whenever another process holds a core (benchmarks/README.md).
import os  # noqa: E402

os.environ.setdefault("OMP_NUM_THREADS", "1")
