/**
 * Explorable figures (_ext/explorables.py): when a figure nears the screen,
 * load the site's Vega (once) and the figure's spec, and put the live figure
 * and its controls in place of its static image. The figure's text
 * alternative follows the controls (the spec's `alt` signal).
 */
(function () {
  "use strict";
  var root = document.documentElement.dataset.content_root || "";
  var vegaLoaded = null;

  function loadVega() {
    if (!vegaLoaded) {
      vegaLoaded = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = root + "_static/vega/vega.min.js";
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return vegaLoaded;
  }

  function element(tag, className) {
    var node = document.createElement(tag);
    node.className = className;
    return node;
  }

  // Vega labels each control with its name and its current value; the
  // control is named by its name alone (a slider announces its own value),
  // and a group of radio buttons by the name too.
  function nameControls(controls) {
    controls.querySelectorAll(".vega-bind").forEach(function (bind) {
      var name = bind.querySelector(".vega-bind-name").textContent;
      var radios = bind.querySelector(".vega-bind-radio");
      if (radios) {
        radios.setAttribute("role", "radiogroup");
        radios.setAttribute("aria-label", name);
        return;
      }
      bind.querySelector("input, select").setAttribute("aria-label", name);
      var value = bind.querySelector("label > span:last-child");
      if (value && value !== bind.querySelector(".vega-bind-name")) {
        value.setAttribute("aria-hidden", "true");
      }
    });
  }

  async function start(figure) {
    await loadVega();
    var spec = await (await fetch(root + figure.dataset.spec)).json();
    var image = figure.querySelector("img");
    var controls = element("div", "explorable-controls");
    var chart = element("div", "explorable-chart");
    chart.setAttribute("role", "img");
    var said = element("p", "explorable-alt visually-hidden");
    said.setAttribute("aria-live", "polite");
    var view = new vega.View(vega.parse(spec), {
      renderer: "svg",
      container: chart,
      bind: controls,
      hover: true,
    });
    function describe(name, text) {
      chart.setAttribute("aria-label", text);
      said.textContent = text;
    }
    view.addSignalListener("alt", describe);
    await view.runAsync();
    describe("alt", view.signal("alt"));
    nameControls(controls);
    // the chart's label speaks for the drawing; Vega's own roles inside it
    // (a group, a symbol) would each ask for a name of their own
    chart.querySelector("svg").setAttribute("aria-hidden", "true");
    image.parentNode.insertBefore(controls, image);
    image.parentNode.insertBefore(chart, image);
    image.parentNode.insertBefore(said, image);
    figure.classList.add("explorable-live");
  }

  function whenNear(figures) {
    var observer = new IntersectionObserver(
      function (entries) {
        entries.forEach(function (entry) {
          if (!entry.isIntersecting) return;
          observer.unobserve(entry.target);
          start(entry.target).catch(function (error) {
            console.error("explorable figure", entry.target.id, error);
          });
        });
      },
      { rootMargin: "600px 0px" }
    );
    figures.forEach(function (figure) {
      observer.observe(figure);
    });
  }

  whenNear(document.querySelectorAll("div.explorable"));
})();
