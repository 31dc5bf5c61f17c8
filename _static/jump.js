/**
 * A jump to a place further down the page lands on it: an address with
 * #name (from the slides, a notebook or another page), a link in the page
 * or in its contents list. The page's later sections are laid out only as
 * they near the screen, each with a guessed height until then
 * (content-visibility, _static/course.css), so a jump past them landed
 * where the guesses put its target, up to thousands of pixels away; a
 * figure there did not start. A jump lays the whole page out first.
 */
(function () {
  "use strict";
  function land() {
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!target) return;
    document.documentElement.classList.add("laid-out");
    target.scrollIntoView();
  }
  window.addEventListener("hashchange", land);
  if (location.hash) land(); // a deferred script: the page is parsed
})();
