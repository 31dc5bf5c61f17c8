"""coursesite: the machinery around the course package, not part of the lesson.

The chapters teach with ``dlcourse``; this package is what builds the site
around it: the cached training runs (``runs``) and their status page
(``status``), the quizzes (``quiz``), the fingerprints that decide when a run
or a page is out of date (``fingerprint``), the CPU speed-ups of the training
command (``speed``), safe file writing (``files``), and the loopback
server and headless browser that the tests, tools and benchmarks share
(``browsing``). It depends on
``dlcourse``; ``dlcourse`` never imports it (a test checks).
"""
