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
    // reader brings it: in the address's fragment (#token=..., kept for this tab by
    // live_code_session.js) or typed when asked, and then kept for the next chapter.
    if (!settings.token) {
      settings.token = window.prompt("Token of the Jupyter server at " + settings.serverUrl) || "";
      if (settings.token) window.LIVE_CODE_SESSION.keep({ token: settings.token });
    }
    return settings.token;
  }

  function confirmed() {
    // A server named in a link (#server=...) runs the page's code and shows what it sends back:
    // the reader says yes once per tab, so a stranger's link cannot pick the server unnoticed.
    if (settings.confirmed) return true;
    settings.confirmed = window.confirm(
      "Run this page's code on the Jupyter server at " + settings.serverUrl +
      "? Only say yes if your course gave you this link.");
    if (settings.confirmed) window.LIVE_CODE_SESSION.keep({ confirmed: true });
    return settings.confirmed;
  }

  function kernelSource() {
    // thebe renders rich outputs with MathJax 2 and would fetch it from a CDN: give it our shim.
    // requestKernel must be in bootstrap's own argument: page configuration does not start one.
    // The editor keeps the page's light code style (sphinx-thebe asks for a dark theme) and
    // wraps long lines instead of hiding their end.
    var common = {
      requestKernel: true,
      mathjaxUrl: staticRoot + "mathjax2-shim.js",
      codeMirrorConfig: { theme: "default", lineWrapping: true, lineNumbers: true },
    };
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

  // ---- Telling the reader what happens, in words -------------------------------------------
  // thebe reports progress only as status events and failures only in the console (or never:
  // an unreachable Binder leaves it waiting). The page says where the kernel comes from, shows
  // a Binder build's progress, and gives up in plain words when the source has not answered.
  var NO_ANSWER_MS = 20000;
  // Binder's own build and launch phases: the source has answered. (thebe's "launching" comes
  // before any answer, so it does not stop the clock.)
  var ANSWERED = /^(building|built|server-ready|starting|waiting|fetching|pushing)/;
  var READY = /^(ready|attached|idle|busy)/;
  var FAILED = /^(failed|error|dead|disconnected|unavailable)/;
  var live = { state: "off", timer: null };

  function source() {
    return settings.serverUrl ? "the Jupyter server at " + escaped(settings.serverUrl) : "mybinder.org";
  }

  function escaped(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
  }

  function statusBox() {
    var box = document.querySelector(".live-code-status");
    if (!box) {
      box = document.createElement("div");
      box.className = "live-code-status";
      box.setAttribute("role", "status");
      box.setAttribute("aria-live", "polite");
      document.body.appendChild(box);
    }
    return box;
  }

  function link(selector, text) {
    var a = document.querySelector(selector);
    return a ? '<a href="' + a.getAttribute("href") + '">' + text + "</a>" : text;
  }

  function say(state, html) {
    live.state = state;
    var box = statusBox();
    box.dataset.state = state;
    box.hidden = false;
    box.innerHTML = html;
  }

  function fail(reason) {
    clearTimeout(live.timer);
    // a wrong token is asked for again on the next try, not reused
    if (settings.serverUrl) window.LIVE_CODE_SESSION.keep({ token: "" });
    say("failed",
      "<strong>Live Code could not start:</strong> " + reason + ". " +
      "The page's code and results are still here. To run it yourself, " +
      link('a[href$=".ipynb"]:not([href*="://"])', "download this chapter as a notebook") + " and open it in " +
      "Jupyter, " + link('a[href*="/v2/gh/"]', "open it on Binder") + ", or run a Jupyter " +
      "server on your computer as the course's README explains (section \"Live code\").");
  }

  function waitForAnswer() {
    clearTimeout(live.timer);
    live.timer = setTimeout(function () {
      fail(source() + " did not answer within " + NO_ANSWER_MS / 1000 + " seconds");
    }, NO_ANSWER_MS);
  }

  function onStatus(evt, data) {
    var status = String((data && data.status) || "");
    var message = String((data && data.message) || "");
    if (live.state === "failed") return;
    if (READY.test(status)) {
      clearTimeout(live.timer);
      say("ready", "Live Code is ready: edit a cell and press its run button.");
      setTimeout(function () { if (live.state === "ready") statusBox().hidden = true; }, 6000);
    } else if (FAILED.test(status)) {
      fail(source() + " refused or failed (" + (message || status) + ")");
    } else {
      // a Binder build can take minutes: once the source answers, show its progress instead
      if (ANSWERED.test(status)) clearTimeout(live.timer);
      say("starting", "Starting Live Code on " + source() + ": " + status +
        (message ? " &mdash; " + message.replace(/</g, "&lt;") : ""));
    }
  }

  function start(thebeApi) {
    say("starting", "Starting Live Code: asking " + source() + " for a kernel&hellip;");
    waitForAnswer();
    if (thebeApi.on) thebeApi.on("status", onStatus);
  }

  // A run button pressed before the kernel is ready would do nothing visible.
  document.addEventListener("click", function (event) {
    if (live.state !== "off" && live.state !== "ready" &&
        event.target.closest && event.target.closest(".thebe-run-button")) {
      statusBox().classList.add("live-code-status-flash");
      setTimeout(function () { statusBox().classList.remove("live-code-status-flash"); }, 600);
    }
  }, true);
  window.addEventListener("unhandledrejection", function (event) {
    if (live.state === "off") return;
    var reason = event.reason && (event.reason.message || event.reason);
    if (live.state === "ready") {
      say("ready", "Live Code: a cell could not run (" + String(reason).replace(/</g, "&lt;") + ").");
    } else {
      fail(source() + " refused or failed (" + String(reason).replace(/</g, "&lt;") + ")");
    }
  });

  var api = window.thebe || {};
  var bootstrap;
  Object.defineProperty(api, "bootstrap", {
    configurable: true,
    enumerable: true,
    set: function (fn) { bootstrap = fn; },
    get: function () {
      return function (options) {
        loadThebeStyles();
        start(this || api);
        if (settings.serverUrl && !confirmed()) {
          fail("you chose not to run it on " + source());
          return Promise.resolve();
        }
        var started = bootstrap(Object.assign({}, options, kernelSource()));
        if (started && started.catch) {
          started.catch(function (error) {
            fail(source() + " refused or failed (" + ((error && error.message) || error) + ")");
          });
        }
        return started;
      };
    },
  });
  window.thebe = api;
})();
