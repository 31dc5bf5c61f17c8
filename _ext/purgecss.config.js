// PurgeCSS's options for the theme's style sheet (_ext/used_css.py names the
// style sheet and the site's pages and scripts): the selectors that stay
// although no page or script of the site names them as a word. Each entry
// says which script wears it; tests/test_page_speed.py fails when a rule a
// reader's page matches is cut, and then the rule's name belongs here.
module.exports = {
  safelist: {
    standard: [
      // Bootstrap (the theme's bootstrap.js) gives a tooltip a class built
      // from the component's name, `bs-${NAME}-auto` (the site has no
      // popovers, the other component named so).
      "bs-tooltip-auto",
      // A selector of a pseudo-class alone names nothing to look for, and
      // PurgeCSS drops it: the theme's focus ring, on every focused element.
      ":focus-visible",
    ],
  },
};
