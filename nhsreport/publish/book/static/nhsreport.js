/* Charts: turn each chart's image (.nhs-chart-graphic) into an interactive vega-embed chart (the
   static SVG inside stays as the fallback if scripts are off or embedding fails), with buttons
   that save it as SVG or PNG. The tooltip closes with Escape; everything it shows is also in the
   figure's data table. Tables with class nhs-sortable sort with the buttons in their headers. */
(function () {
  "use strict";
  function contentRoot() {
    return document.documentElement.dataset.content_root || "";
  }
  function saveButton(view, type, name) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "nhs-chart-save";
    b.textContent = "Save as " + type.toUpperCase();
    b.addEventListener("click", function () {
      view.toImageURL(type, type === "png" ? 2 : 1).then(function (url) {
        var a = document.createElement("a");
        a.href = url;
        a.download = name + "." + type;
        document.body.appendChild(a);
        a.click();
        a.remove();
      });
    });
    return b;
  }
  function embedCharts() {
    if (!window.vegaEmbed) { return; }
    document.querySelectorAll(".nhs-chart").forEach(function (el) {
      if (el.dataset.embedded) { return; }
      var graphic = el.querySelector(".nhs-chart-graphic") || el;
      var specEl = graphic.querySelector("script.nhs-chart-spec");
      if (!specEl) { return; }
      var spec = JSON.parse(specEl.textContent);
      var target = document.createElement("div");
      target.className = "nhs-chart-live";
      graphic.appendChild(target);
      el.dataset.embedded = "pending";
      // no vega-embed menu: it would put a focusable control inside the chart's image
      window.vegaEmbed(target, spec, {
        renderer: "svg",
        actions: false,
        loader: { baseURL: contentRoot() }
      }).then(function (result) {
        // the chart is one image, named by its container: its marks are not announced one by one
        var svg = target.querySelector("svg");
        if (svg) { svg.setAttribute("aria-hidden", "true"); }
        var fallback = graphic.querySelector(".nhs-chart-static");
        if (fallback) { fallback.remove(); }
        var tools = el.querySelector(".nhs-chart-tools");
        if (tools) {
          var name = el.dataset.figure || "figure";
          tools.appendChild(saveButton(result.view, "svg", name));
          tools.appendChild(saveButton(result.view, "png", name));
        }
        el.dataset.embedded = "done";
        scrollable(graphic);
        el.dispatchEvent(new CustomEvent("nhs-chart-embedded", { bubbles: true }));
      }).catch(function (err) {
        target.remove();
        el.dataset.embedded = "failed";
        console.error("chart could not be drawn:", err);
      });
    });
  }
  function scrollable(graphic) {
    // a chart wider than the page scrolls in its own box: keyboard users must be able to focus
    // the box to scroll it (WCAG 2.1.1)
    if (graphic.scrollWidth > graphic.clientWidth + 1) {
      graphic.tabIndex = 0;
    } else {
      graphic.removeAttribute("tabindex");
    }
  }
  function closeTooltips(e) {
    if (e.key !== "Escape") { return; }
    var tip = document.getElementById("vg-tooltip-element");
    if (tip) { tip.classList.remove("visible"); }
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
      // a real button in each header, so that it is reached and announced as a control; the
      // arrow is decoration (the header's aria-sort says how the column is sorted)
      var button = document.createElement("button");
      button.type = "button";
      button.className = "nhs-sort";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      var arrow = document.createElement("span");
      arrow.className = "nhs-sort-arrow";
      arrow.setAttribute("aria-hidden", "true");
      button.appendChild(arrow);
      th.appendChild(button);
      button.addEventListener("click", function () {
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
      });
    });
  }
  function sidebarLandmark() {
    // the theme's sidebar holds the site's title and logo outside any landmark: make the whole
    // sidebar one, so that nothing on the page lies outside a landmark
    var sidebar = document.querySelector(".bd-sidebar-primary");
    if (sidebar && !sidebar.getAttribute("role")) {
      sidebar.setAttribute("role", "complementary");
      sidebar.setAttribute("aria-label", "The report's contents");
    }
  }
  function init() {
    sidebarLandmark();
    embedCharts();
    document.querySelectorAll("table.nhs-sortable").forEach(makeSortable);
    // every scrolling table box can take the keyboard focus, however its page wrote it
    document.querySelectorAll(".nhs-table-wrap:not([tabindex])").forEach(function (w) { w.tabIndex = 0; });
    document.addEventListener("keydown", closeTooltips);
    window.addEventListener("resize", function () {
      document.querySelectorAll(".nhs-chart[data-embedded='done'] .nhs-chart-graphic").forEach(scrollable);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
