/**
 * thebe 0.9 typesets rich cell outputs through the MathJax 2 API, loading MathJax 2 from a CDN
 * unless told otherwise. The page already runs MathJax 3 from this site, so thebe is pointed here
 * instead: the few MathJax 2 calls it makes are mapped onto MathJax 3.
 */
(function () {
  "use strict";
  var mathjax = window.MathJax || (window.MathJax = {});
  mathjax.Hub = {
    config: {},
    Config: function () {},
    Configured: function () {},
    Register: { StartupHook: function () {} },
    Queue: function () {
      Array.prototype.forEach.call(arguments, function (job) {
        if (Array.isArray(job) && job[0] === "Typeset" && mathjax.typesetPromise) {
          mathjax.typesetPromise([job[2]]);
        }
      });
    },
  };
  mathjax.InputJax = mathjax.InputJax || { TeX: { resetEquationNumbers: function () {} } };
})();
