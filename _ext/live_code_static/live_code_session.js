/**
 * Live Code's Jupyter server and token, from the page's address into this tab's session.
 *
 * A reader, or a classroom's hub, passes them in the address's fragment, which browsers never
 * send to a server, so no token lands in the static host's logs:
 *
 *     chapter.html#token=TOKEN
 *     chapter.html#server=https://hub.example.edu/user/NAME&token=TOKEN
 *
 * `server` (http or https) replaces the server built into the site (or Binder) for this tab;
 * without it, the token is for the built-in server. This script runs as the page loads, right
 * after the site's settings (`window.LIVE_CODE`): it keeps both in `sessionStorage` (so they
 * follow the reader from chapter to chapter in this tab and are gone when it closes), removes
 * them from the address bar and its history entry (`history.replaceState`), and puts them into
 * `window.LIVE_CODE`, which live_code.js reads when Live Code starts.
 */
(function () {
  "use strict";
  var KEY = "live-code";
  var settings = (window.LIVE_CODE = window.LIVE_CODE || {});

  function read() {
    try {
      return JSON.parse(window.sessionStorage.getItem(KEY)) || {};
    } catch (e) {
      return {};
    }
  }

  function write(record) {
    try {
      window.sessionStorage.setItem(KEY, JSON.stringify(record));
    } catch (e) {
      // storage refused (a private window's policy): the settings last for this page only
    }
  }

  function serverUrl(text) {
    // Only a plain http(s) address of a server, no credentials, query or fragment in it.
    try {
      var url = new URL(text);
      if (/^https?:$/.test(url.protocol) && !url.username && !url.password) {
        return (url.origin + url.pathname).replace(/\/+$/, "");
      }
    } catch (e) {}
    return "";
  }

  function takeFragment() {
    // The fragment's server= and token= parts; any other part (an anchor) stays.
    var found = {}, kept = [];
    window.location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var m = /^(server|token)=(.*)$/.exec(part);
      if (!m) {
        if (part) kept.push(part);
        return;
      }
      try {
        found[m[1]] = decodeURIComponent(m[2].replace(/\+/g, " "));
      } catch (e) {
        found[m[1]] = "";
      }
    });
    if (!("server" in found) && !("token" in found)) return null;
    window.history.replaceState(
      window.history.state,
      "",
      window.location.pathname + window.location.search + (kept.length ? "#" + kept.join("&") : "")
    );
    return found;
  }

  var given = takeFragment();
  if (given) {
    var server = given.server ? serverUrl(given.server) : "";
    // A server from a link runs the page's code elsewhere: live_code.js asks the reader first.
    write({ server: server, token: given.token || "", confirmed: !server });
  }
  var record = read();
  if (record.server) {
    settings.serverUrl = record.server;
    settings.token = record.token || "";
  } else if (record.token && settings.serverUrl) {
    settings.token = record.token;
  }
  settings.confirmed = !record.server || !!record.confirmed;

  /** What live_code.js keeps for the next chapter: a typed token, the reader's yes. */
  window.LIVE_CODE_SESSION = {
    keep: function (changes) {
      var current = read();
      Object.keys(changes).forEach(function (k) { current[k] = changes[k]; });
      if (!current.server) current.server = "";
      write(current);
    },
  };
})();
