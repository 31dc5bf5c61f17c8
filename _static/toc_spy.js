/**
 * The page's contents list marks the section being read: the last section,
 * in the page's order, that reaches into the top 40 % of the window (the
 * band Bootstrap's ScrollSpy used here). An IntersectionObserver tells it
 * without laying anything out; ScrollSpy asked the size of the section of
 * every link on the page as the page loaded, which laid out, one by one,
 * the sections the page leaves for later (content-visibility,
 * _static/course.css): a long task on a phone.
 */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var links = document.querySelectorAll("#pst-page-toc-nav a.nav-link[href^='#']");
  var linkOf = new Map();
  links.forEach(function (a) {
    var section = document.getElementById(decodeURIComponent(a.hash.slice(1)));
    if (section) linkOf.set(section, a);
  });
  var sections = Array.from(linkOf.keys()).sort(function (a, b) {
    return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  });
  var inBand = new Set();

  function mark(current) {
    links.forEach(function (a) {
      a.classList.toggle("active", a === current);
      if (a === current) a.setAttribute("aria-current", "location");
      else a.removeAttribute("aria-current");
    });
  }

  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) inBand.add(entry.target);
      else inBand.delete(entry.target);
    });
    var current = sections.filter(function (s) { return inBand.has(s); }).pop();
    if (current) mark(linkOf.get(current));
  }, { rootMargin: "0px 0px -60% 0px" });
  sections.forEach(function (s) { observer.observe(s); });
});
