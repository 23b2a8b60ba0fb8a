/* Static images of the charts for print: plotly.js draws each chart to a PNG in the page
   (no download), shown instead of the live chart by the print stylesheet. Made once the
   page has loaded and again before printing (the window may have been resized). */
(function () {
  function snapshot(gd) {
    if (!window.Plotly || !gd._fullLayout) return Promise.resolve();
    var box = gd.closest(".cg-figure");
    if (!box) return Promise.resolve();
    var height = gd._fullLayout.height || 450;
    return Plotly.toImage(gd, { format: "png", width: 1000, height: height, scale: 1.5 }).then(function (url) {
      var img = box.querySelector("img.cg-print-img");
      if (!img) {
        var title = ((gd.layout.title && gd.layout.title.text) || "").replace(/<[^>]+>/g, " ").trim();
        if (!title) {  // the chart's heading is the section's h3 above it
          for (var el = box.previousElementSibling; el && !title; el = el.previousElementSibling) {
            if (el.tagName === "H3") title = el.textContent;
          }
        }
        var cap = document.createElement("p"); cap.className = "cg-print-caption"; cap.textContent = title;
        img = document.createElement("img"); img.className = "cg-print-img"; img.alt = title;
        box.appendChild(cap); box.appendChild(img);
      }
      img.src = url;
      box.classList.add("cg-has-img");
    }).catch(function () { /* the live chart prints instead */ });
  }
  function snapshotAll() {
    var plots = document.querySelectorAll(".cg-figure .js-plotly-plot");
    return Promise.all(Array.prototype.map.call(plots, snapshot));
  }
  window.cgPrintImages = snapshotAll;
  window.addEventListener("load", function () { setTimeout(snapshotAll, 300); });
})();
