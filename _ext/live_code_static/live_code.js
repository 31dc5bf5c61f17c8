/**
 * Live Code: start thebe's kernel where _config.yml says (see _ext/live_code.py).
 *
 * sphinx-thebe loads the site's copy of thebe on the first "Live Code" click and then calls
 * thebe.bootstrap(), which in thebe 0.9 always asks Binder for a kernel. thebe installs its API
 * by assigning onto window.thebe, so an accessor placed there beforehand catches `bootstrap` and
 * wraps it with the kernel source and the site's own assets.
 */
(function () {
  "use strict";
  var settings = window.LIVE_CODE || {};
  var staticRoot = new URL(".", document.currentScript.src).href; // this site's _static/

  function token() {
    // A token in the page only when the instructor set one for a local server; otherwise the
    // reader brings it: in the address (?token=...) or typed when asked.
    return settings.token || new URLSearchParams(window.location.search).get("token") ||
      window.prompt("Token of the Jupyter server at " + settings.serverUrl) || "";
  }

  function kernelSource() {
    // thebe renders rich outputs with MathJax 2 and would fetch it from a CDN: give it our shim.
    // requestKernel must be in bootstrap's own argument: page configuration does not start one.
    var common = { requestKernel: true, mathjaxUrl: staticRoot + "mathjax2-shim.js" };
    if (!settings.serverUrl) return Object.assign(common, { useBinder: true });
    return Object.assign(common, {
      useBinder: false,
      serverSettings: {
        baseUrl: settings.serverUrl,
        wsUrl: settings.serverUrl.replace(/^http/, "ws"),
        token: token(),
        appendToken: true,
      },
    });
  }

  function loadThebeStyles() {
    // Only on the first click, so pages stay light for readers who never run code.
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = staticRoot + "thebe/thebe.css";
    document.head.appendChild(link);
    if (settings.serverUrl) {
      // sphinx-thebe's status line says "Launching from mybinder.org"; not true for a server.
      var style = document.createElement("style");
      style.textContent = ".thebe-launch-button .launch_msg { display: none; }";
      document.head.appendChild(style);
    }
  }

  var api = window.thebe || {};
  var bootstrap;
  Object.defineProperty(api, "bootstrap", {
    configurable: true,
    enumerable: true,
    set: function (fn) { bootstrap = fn; },
    get: function () {
      return function (options) {
        loadThebeStyles();
        return bootstrap(Object.assign({}, options, kernelSource()));
      };
    },
  });
  window.thebe = api;
})();
