/* Charts: turn each .nhs-chart container into an interactive vega-embed chart (the static SVG
   inside stays as the fallback if scripts are off or embedding fails). Tables with class
   nhs-sortable sort by clicking a column header. */
(function () {
  "use strict";
  function contentRoot() {
    return document.documentElement.dataset.content_root || "";
  }
  function embedCharts() {
    if (!window.vegaEmbed) { return; }
    document.querySelectorAll(".nhs-chart").forEach(function (el) {
      if (el.dataset.embedded) { return; }
      var specEl = el.querySelector("script.nhs-chart-spec");
      if (!specEl) { return; }
      var spec = JSON.parse(specEl.textContent);
      var target = document.createElement("div");
      target.className = "nhs-chart-live";
      el.appendChild(target);
      el.dataset.embedded = "pending";
      window.vegaEmbed(target, spec, {
        renderer: "svg",
        actions: { export: true, source: false, compiled: false, editor: false },
        loader: { baseURL: contentRoot() }
      }).then(function () {
        var fallback = el.querySelector(".nhs-chart-static");
        if (fallback) { fallback.remove(); }
        el.dataset.embedded = "done";
      }).catch(function (err) {
        target.remove();
        el.dataset.embedded = "failed";
        console.error("chart could not be drawn:", err);
      });
    });
  }
  function cellValue(row, i) {
    var cell = row.cells[i];
    if (!cell) { return ""; }
    var v = cell.getAttribute("data-sort");
    return v !== null ? parseFloat(v) : cell.textContent.trim().toLowerCase();
  }
  function makeSortable(table) {
    var headers = table.querySelectorAll("thead th");
    headers.forEach(function (th, i) {
      th.tabIndex = 0;
      th.title = "Sort by this column";
      function sort() {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, i), y = cellValue(b, i);
          if (typeof x === "number" && typeof y === "number") { return asc ? x - y : y - x; }
          return asc ? String(x).localeCompare(String(y)) : String(y).localeCompare(String(x));
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
  }
  function init() {
    embedCharts();
    document.querySelectorAll("table.nhs-sortable").forEach(makeSortable);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
