"""coursesite: the machinery around the course package, not part of the lesson.

The chapters teach with ``dlcourse``; this package is what builds the site
around it: the cached training runs (``runs``) and their status page
(``status``), the quizzes (``quiz``), the fingerprints that decide when a run
or a page is out of date (``fingerprint``), the CPU speed-ups of the training
command (``speed``) and safe file writing (``files``). It depends on
``dlcourse``; ``dlcourse`` never imports it (a test checks).
"""
