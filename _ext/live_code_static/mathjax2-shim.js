/**
 * thebe 0.9 typesets rich cell outputs through the MathJax 2 API, loading MathJax 2 from a CDN
 * unless told otherwise (live_code.js points its mathjaxUrl here). The pages' own maths is typeset
 * when the book is built (_ext/katex_math.py) and pages load no maths script; this file, loaded
 * only when a Live Code output needs typesetting, maps thebe's few MathJax 2 calls onto the site's
 * KaTeX, which it loads on first use from _static/katex/ (its style sheet is already on the page).
 */
(function () {
  "use strict";
  var katexRoot = new URL("katex/", document.currentScript.src).href; // this site's _static/katex/
  var mathjax = window.MathJax || (window.MathJax = {});
  var loaded = null;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(script);
    });
  }

  function loadKatex() {
    // auto-render needs katex itself first
    loaded = loaded || loadScript(katexRoot + "katex.min.js").then(function () {
      return loadScript(katexRoot + "contrib/auto-render.min.js");
    });
    return loaded;
  }

  function typeset(element) {
    return loadKatex().then(function () {
      // A LaTeX output (IPython's Math, Latex) is the whole element between $ or $$.
      var latex = element.classList.contains("jp-RenderedLatex") &&
        /^\s*(\$\$?)([\s\S]*?)\1\s*$/.exec(element.textContent);
      if (latex) {
        window.katex.render(latex[2], element, { displayMode: latex[1] === "$$", throwOnError: false });
      } else {
        // Markdown and HTML outputs: the delimiters thebe's MathJax 2 configuration names
        window.renderMathInElement(element, {
          delimiters: [
            { left: "$$", right: "$$", display: true },
            { left: "\\[", right: "\\]", display: true },
            { left: "$", right: "$", display: false },
            { left: "\\(", right: "\\)", display: false },
          ],
          throwOnError: false,
        });
      }
    });
  }

  mathjax.Hub = {
    config: {},
    Config: function () {},
    Configured: function () {},
    Register: { StartupHook: function () {} },
    Queue: function () {
      Array.prototype.forEach.call(arguments, function (job) {
        if (Array.isArray(job) && job[0] === "Typeset") {
          typeset(job[2]).catch(function (error) { console.error("Live Code maths:", error); });
        }
      });
    },
  };
  mathjax.InputJax = mathjax.InputJax || { TeX: { resetEquationNumbers: function () {} } };
})();
