/**
 * thebe 0.9 typesets rich cell outputs through the MathJax 2 API, loading MathJax 2 from a CDN
 * unless told otherwise. The page already runs MathJax 3 from this site, so thebe is pointed here
 * instead: the few MathJax 2 calls it makes are mapped onto MathJax 3.
 */
(function () {
  "use strict";
  var mathjax = window.MathJax || (window.MathJax = {});

  function typeset(element) {
    if (!mathjax.typesetPromise) return; // a page without maths loads no MathJax
    // A LaTeX output (IPython's Math, Latex) is the whole element between $ or $$, delimiters
    // this site's MathJax does not scan for in pages: convert it directly.
    var latex = element.classList.contains("jp-RenderedLatex") &&
      /^\s*(\$\$?)([\s\S]*?)\1\s*$/.exec(element.textContent);
    if (latex) {
      element.replaceChildren(mathjax.tex2chtml(latex[2], { display: latex[1] === "$$" }));
      mathjax.startup.document.clear();
      mathjax.startup.document.updateDocument(); // adds the CSS the new maths needs
    } else {
      mathjax.typesetPromise([element]);
    }
  }

  mathjax.Hub = {
    config: {},
    Config: function () {},
    Configured: function () {},
    Register: { StartupHook: function () {} },
    Queue: function () {
      Array.prototype.forEach.call(arguments, function (job) {
        if (Array.isArray(job) && job[0] === "Typeset") typeset(job[2]);
      });
    },
  };
  mathjax.InputJax = mathjax.InputJax || { TeX: { resetEquationNumbers: function () {} } };
})();
