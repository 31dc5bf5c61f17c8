/**
 * Figures a reader can enlarge: each figure a cell drew becomes a link to its
 * own file (an SVG, sharp at any size), which the browser opens full size.
 */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  document.querySelectorAll(".cell_output img").forEach(function (img) {
    if (img.closest("a")) return;
    var link = document.createElement("a");
    link.href = img.getAttribute("src");
    link.className = "figure-enlarge";
    link.title = "Open the figure full size";
    img.replaceWith(link);
    link.appendChild(img);
  });
});
