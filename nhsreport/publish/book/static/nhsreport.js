/* Charts: turn each chart's image (.nhs-chart-graphic) into an interactive vega-embed chart (the
   static SVG inside stays as the fallback if scripts are off or embedding fails), with buttons
   that save it as SVG or PNG. A mark's tooltip stays where it first appeared (it does not follow
   the pointer), so the pointer can move onto it; it stays until the pointer has left both the mark
   and the tooltip, or Escape closes it (WCAG 1.4.13); everything it shows is also in the figure's
   data table. Tables with class nhs-sortable sort with the buttons in their headers (figures by
   their value, as "1,234", "£12.50", "4.5%" or "−2.4" are written); a focused row
   is never left hidden under a table's sticky header (WCAG 2.4.11). */
(function () {
  "use strict";
  // One colour scheme, the light one, whatever the reader's system prefers: the charts are drawn for
  // a light page, and the theme's dark scheme left the report's own tables and captions below the
  // contrast of WCAG 1.4.3. The theme's switcher is hidden (nhsreport.css); a choice of dark saved by
  // an earlier version is replaced.
  document.documentElement.dataset.mode = "light";
  document.documentElement.dataset.theme = "light";
  try {
    window.localStorage.setItem("mode", "light");
    window.localStorage.setItem("theme", "light");
  } catch (err) { /* storage may be off (a copy opened from disk, private windows) */ }
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
  // --- tooltips: hoverable, dismissible, persistent ------------------------------------------
  var tip = null, tipItem = null, overTip = false, hideTimer = null;
  var HIDE_DELAY_MS = 400;  // time to move the pointer from the mark onto its tooltip
  function tooltipElement() {
    if (tip) { return tip; }
    tip = document.createElement("div");
    tip.id = "nhs-tooltip";
    tip.className = "nhs-tooltip";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    tip.addEventListener("mouseenter", function () { overTip = true; clearTimeout(hideTimer); });
    tip.addEventListener("mouseleave", function () { overTip = false; scheduleHide(); });
    document.body.appendChild(tip);
    return tip;
  }
  function hideTooltip() {
    clearTimeout(hideTimer);
    if (tip) { tip.hidden = true; }
    tipItem = null;
  }
  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(function () { if (!overTip) { hideTooltip(); } }, HIDE_DELAY_MS);
  }
  function fillTooltip(el, value) {
    el.textContent = "";
    if (value !== null && typeof value === "object") {
      var table = document.createElement("table");
      Object.keys(value).forEach(function (key) {
        var row = table.insertRow();
        var th = document.createElement("th");
        th.scope = "row";
        th.textContent = key;
        row.appendChild(th);
        row.insertCell().textContent = String(value[key]);
      });
      el.appendChild(table);
    } else {
      el.textContent = String(value);
    }
  }
  function placeTooltip(el, event) {
    var gap = 12;
    var x = event.clientX + gap, y = event.clientY + gap;
    var box = el.getBoundingClientRect();
    if (x + box.width > window.innerWidth - 4) { x = Math.max(4, event.clientX - gap - box.width); }
    if (y + box.height > window.innerHeight - 4) { y = Math.max(4, event.clientY - gap - box.height); }
    el.style.left = (x + window.scrollX) + "px";
    el.style.top = (y + window.scrollY) + "px";
  }
  function tooltipHandler(handler, event, item, value) {
    if (value === null || value === undefined || value === "") {
      scheduleHide();
      return;
    }
    clearTimeout(hideTimer);
    var el = tooltipElement();
    if (item === tipItem && !el.hidden) { return; }  // the same mark: the tooltip stays put
    tipItem = item;
    fillTooltip(el, value);
    el.hidden = false;
    placeTooltip(el, event);
  }
  // --- boundaries when the site is opened from disk -------------------------------------------
  // A browser will not fetch() a file:// address, so maps would stay blank in a downloaded copy of
  // the site. Each boundary file is also shipped as a script (<name>.topo.js) that puts the same
  // JSON in window.NHS_GEO; under file:// the charts' loader reads it from there.
  var GEO_FILE = /^_static\/geo\/[A-Za-z0-9_-]+\.topo\.json$/;
  var geoScripts = {};
  function geoFromScript(uri) {
    if (!geoScripts[uri]) {
      geoScripts[uri] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = contentRoot() + uri.replace(/\.json$/, ".js");
        script.onload = function () {
          var geo = window.NHS_GEO && window.NHS_GEO[uri];
          if (geo) { resolve(JSON.stringify(geo)); } else { reject(new Error("no boundaries in " + script.src)); }
        };
        script.onerror = function () { reject(new Error("could not load " + script.src)); };
        document.head.appendChild(script);
      });
    }
    return geoScripts[uri];
  }
  function chartLoader() {
    // over http(s), vega's own loader, relative to the site's root; from disk, one that reads the
    // boundary scripts (a chart has no other file to load: its data are in its specification)
    if (window.location.protocol !== "file:") { return { baseURL: contentRoot() }; }
    return {
      load: function (uri) {
        return GEO_FILE.test(uri) ? geoFromScript(uri) : Promise.reject(new Error("cannot load " + uri + " from disk"));
      },
      sanitize: function (uri) { return Promise.resolve({ href: contentRoot() + uri }); }
    };
  }
  // --- text spacing (WCAG 1.4.12) -------------------------------------------------------------
  // Vega places a chart's text by its measured width (canvas measureText), which knows nothing of
  // the letter and word spacing a reader's style sheet sets; the text is then drawn wider than the
  // room it was given. When the page's text takes extra spacing, text is measured with it, and the
  // charts are drawn again, so that legends, axis titles and labels get the room they need.
  var spacing = { letter: 0, word: 0 };
  var measureText = window.CanvasRenderingContext2D && CanvasRenderingContext2D.prototype.measureText;
  function readSpacing() {
    var probe = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    probe.setAttribute("aria-hidden", "true");
    probe.style.cssText = "position:absolute;width:0;height:0;overflow:hidden";
    var text = document.createElementNS("http://www.w3.org/2000/svg", "text");
    text.style.fontSize = "100px";
    text.textContent = "x";
    probe.appendChild(text);
    document.body.appendChild(probe);
    var cs = getComputedStyle(text);
    var found = { letter: (parseFloat(cs.letterSpacing) || 0) / 100, word: (parseFloat(cs.wordSpacing) || 0) / 100 };
    probe.remove();
    return found;
  }
  function spacedMeasureText(content) {
    var metrics = measureText.call(this, content);
    if (!spacing.letter && !spacing.word) { return metrics; }
    var size = parseFloat((/(\d+(?:\.\d+)?)px/.exec(this.font) || [0, 0])[1]);
    var text = String(content);
    var words = text.split(" ").length - 1;
    return { width: metrics.width + size * (spacing.letter * text.length + spacing.word * words) };
  }
  function redrawCharts() {
    document.querySelectorAll(".nhs-chart[data-embedded='done']").forEach(function (el) {
      var live = el.querySelector(".nhs-chart-live");
      if (live) { live.remove(); }
      el.querySelectorAll(".nhs-chart-tools .nhs-chart-save").forEach(function (b) { b.remove(); });
      delete el.dataset.embedded;
    });
    embedCharts();
  }
  function followSpacing() {
    if (!measureText) { return; }
    CanvasRenderingContext2D.prototype.measureText = spacedMeasureText;
    spacing = readSpacing();
    var pending = null;
    var check = function () {
      pending = null;
      var now = readSpacing();
      if (Math.abs(now.letter - spacing.letter) > 0.005 || Math.abs(now.word - spacing.word) > 0.005) {
        spacing = now;
        redrawCharts();
      }
    };
    // a style sheet added later (a bookmarklet puts one in the head) or a style set on the page
    var observer = new MutationObserver(function () {
      if (!pending) { pending = window.setTimeout(check, 100); }
    });
    observer.observe(document.head, { childList: true, subtree: true, characterData: true });
    [document.documentElement, document.body].forEach(function (node) {
      observer.observe(node, { attributes: true, attributeFilter: ["style"] });
    });
  }
  var LABEL_LIMITS = ["labelLimit", "titleLimit"];
  function liftLabelLimits(node) {
    // at the reader's spacing a legend's or an axis's labels and title are wider than the limits
    // the chart was drawn for, and Vega would cut them with "…" (words lost, WCAG 1.4.12): with no
    // limit (0), each is drawn whole, and the chart grows (it scrolls in its box if it must)
    if (Array.isArray(node)) { node.forEach(liftLabelLimits); return; }
    if (!node || typeof node !== "object") { return; }
    Object.keys(node).forEach(function (key) {
      if (key === "datasets" || key === "data" || key === "values") { return; }
      if (LABEL_LIMITS.indexOf(key) >= 0) { node[key] = 0; } else { liftLabelLimits(node[key]); }
    });
  }
  function embedCharts() {
    if (!window.vegaEmbed) { return; }
    document.querySelectorAll(".nhs-chart").forEach(function (el) {
      if (el.dataset.embedded) { return; }
      var graphic = el.querySelector(".nhs-chart-graphic") || el;
      var specEl = graphic.querySelector("script.nhs-chart-spec");
      if (!specEl) { return; }
      var spec = JSON.parse(specEl.textContent);
      if (spacing.letter || spacing.word) {
        // Vega keeps each text's width by its font: a font list that names the spacing (an unknown
        // family at its end changes no glyph) has the text measured afresh, with the spacing
        spec.config = spec.config || {};
        spec.config.font = (spec.config.font || "sans-serif") + ", nhs-spacing-" +
          Math.round(spacing.letter * 1000) + "-" + Math.round(spacing.word * 1000);
        liftLabelLimits(spec);
        ["axis", "legend"].forEach(function (part) {
          spec.config[part] = spec.config[part] || {};
          LABEL_LIMITS.forEach(function (key) { spec.config[part][key] = 0; });
        });
      }
      var target = document.createElement("div");
      target.className = "nhs-chart-live";
      graphic.appendChild(target);
      el.dataset.embedded = "pending";
      // no vega-embed menu: it would put a focusable control inside the chart's image
      window.vegaEmbed(target, spec, {
        renderer: "svg",
        actions: false,
        tooltip: tooltipHandler,
        loader: chartLoader()
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
    if (e.key === "Escape") { hideTooltip(); }
  }
  function nativeToolbarLabels() {
    // The theme's toolbar buttons carry Bootstrap tooltips, which vanish when the pointer moves onto
    // them (WCAG 1.4.13). The buttons are named by their aria-label or title; they keep the title,
    // which the browser shows as its own tooltip, and no Bootstrap tooltip is made (this runs before
    // the theme's script looks for them) or kept (one made already is disposed of).
    var bs = window.bootstrap && window.bootstrap.Tooltip;
    document.querySelectorAll("[data-bs-toggle='tooltip']").forEach(function (el) {
      var label = el.getAttribute("title") || el.getAttribute("data-bs-original-title") || el.getAttribute("aria-label");
      var tip = bs && bs.getInstance ? bs.getInstance(el) : null;
      if (tip) { tip.dispose(); }
      el.removeAttribute("data-bs-toggle");
      el.removeAttribute("data-bs-original-title");
      if (label) { el.setAttribute("title", label); }
    });
    document.querySelectorAll(".tooltip").forEach(function (tip) { tip.remove(); });
    // a menu button of the toolbar ("Download this page") is named by its aria-label alone: it
    // takes the label as its title too, so that hovering it shows the same tooltip as the others
    document.querySelectorAll(".bd-header-article .dropdown-toggle[aria-label]:not([title])").forEach(function (el) {
      el.setAttribute("title", el.getAttribute("aria-label"));
    });
  }
  function searchFocusReturns() {
    // closing the search box (Escape, or a click outside it) puts the keyboard focus back on the
    // button that opened it, or on the toolbar's search button when a shortcut opened it (WCAG 2.4.3)
    var dialog = document.getElementById("pst-search-dialog");
    if (!dialog) { return; }
    var opener = null;
    document.addEventListener("click", function (e) {
      var button = e.target.closest && e.target.closest(".search-button__button, .search-button");
      if (button) { opener = button; }
    }, true);
    dialog.addEventListener("close", function () {
      var back = opener;
      if (!back || !back.getClientRects().length) {
        back = Array.prototype.filter.call(
          document.querySelectorAll(".search-button__button, .search-button"),
          function (b) { return b.getClientRects().length > 0; }
        )[0];
      }
      opener = null;
      if (back) { window.setTimeout(function () { back.focus(); }, 0); }
    });
  }
  var FOCUS_MARGIN_PX = 8;  // room for the focus ring (3 px, 2 px off the element, and its halo)
  function keepFocusInBox(target) {
    // a table box that scrolls sideways: the browser leaves a heading's sort button (in the sticky
    // header) partly outside the box when Shift+Tab moves back to it; scroll the box until the
    // focused element and its ring are inside it (WCAG 2.4.7, 2.4.11)
    var wrap = target.closest(".nhs-table-wrap");
    var r = target.getBoundingClientRect(), box = wrap.getBoundingClientRect();
    var left = box.left + wrap.clientLeft, right = left + wrap.clientWidth;
    if (r.left - FOCUS_MARGIN_PX < left) {
      wrap.scrollLeft -= left - (r.left - FOCUS_MARGIN_PX);
    } else if (r.right + FOCUS_MARGIN_PX > right && r.width + 2 * FOCUS_MARGIN_PX <= wrap.clientWidth) {
      wrap.scrollLeft += r.right + FOCUS_MARGIN_PX - right;
    }
  }
  function keepFocusInView(e) {
    // a table box with a sticky header: when the keyboard focus lands on a row that the header
    // (or the page's own sticky header) covers, as Shift+Tab upwards does, bring the focused
    // element to the middle of the box and of the window
    var target = e.target;
    if (!target.closest || !target.closest(".nhs-table-wrap")) { return; }
    if (target !== target.closest(".nhs-table-wrap")) { keepFocusInBox(target); }
    if (target.closest("thead")) { return; }
    window.requestAnimationFrame(function () {
      var r = target.getBoundingClientRect();
      var x = r.left + Math.min(4, r.width / 2), y = r.top + r.height / 2;
      var seen = document.elementFromPoint(x, y);
      // covered: what shows at that point is neither the element, nor inside it, nor its own cell
      if (!seen || !(seen === target || target.contains(seen) || seen.contains(target))) {
        target.scrollIntoView({ block: "center", inline: "nearest" });
      }
    });
  }

  function tableBoxFocus(wrap) {
    // one rule, whichever way the box scrolls (down, across or both): it is a tab stop, and a tab
    // stop is a region named after its table's caption, as the pages that write the role do
    var scrolls = wrap.scrollHeight > wrap.clientHeight + 1 || wrap.scrollWidth > wrap.clientWidth + 1;
    if (!scrolls) { wrap.removeAttribute("tabindex"); return; }
    wrap.tabIndex = 0;
    var caption = wrap.querySelector("caption");
    if (!wrap.hasAttribute("role")) { wrap.setAttribute("role", "region"); }
    if (!wrap.hasAttribute("aria-label") && !wrap.hasAttribute("aria-labelledby") && caption) {
      wrap.setAttribute("aria-label", caption.textContent.trim());
    }
  }
  // a number as the tables write it: "1,234", "£12.50", "4.5%", "−2.4" (the minus sign), "+3"
  var NUMBER = /^[+-]?£?\d+(?:\.\d+)?%?$/;
  function parseNumber(text) {
    var t = text.replace(/[\u2212\u2013]/g, "-").replace(/[,\s\u00a0]/g, "");
    if (!NUMBER.test(t)) { return null; }
    return parseFloat(t.replace(/[£%]/g, ""));
  }
  function cellValue(row, i) {
    var cell = row.cells[i];
    if (!cell) { return ""; }
    var v = cell.getAttribute("data-sort");
    if (v !== null && v !== "" && !isNaN(parseFloat(v))) { return parseFloat(v); }
    var text = (v !== null ? v : cell.textContent).trim();
    var n = parseNumber(text);
    return n !== null ? n : text.toLowerCase();
  }
  function compareCells(x, y) {
    // numbers by value, before words and empty cells (so a column of figures with a few "–" sorts well)
    var nx = typeof x === "number", ny = typeof y === "number";
    if (nx && ny) { return x - y; }
    if (nx !== ny) { return nx ? -1 : 1; }
    return String(x).localeCompare(String(y));
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
          var c = compareCells(cellValue(a, i), cellValue(b, i));
          return asc ? c : -c;
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
  function sidebarToggles() {
    // The theme's script listens only on the first .primary-toggle and .secondary-toggle (the
    // navbar's, which the book's layout hides), so on a narrow screen or at 400% zoom the visible
    // buttons opened nothing and the chapters could not be reached (WCAG 1.4.10, 2.1.1). Each
    // visible button passes its click on to the one the theme listens to.
    ["primary", "secondary"].forEach(function (side) {
      var toggles = document.querySelectorAll("." + side + "-toggle");
      Array.prototype.slice.call(toggles, 1).forEach(function (button) {
        button.addEventListener("click", function (e) {
          e.preventDefault();
          e.stopPropagation();
          toggles[0].click();
        });
      });
    });
  }
  function init() {
    followSpacing();
    nativeToolbarLabels();
    searchFocusReturns();
    sidebarToggles();
    sidebarLandmark();
    embedCharts();
    document.querySelectorAll("table.nhs-sortable").forEach(makeSortable);
    // a table box that scrolls, however its page wrote it, can take the keyboard focus (to scroll
    // it); one that does not scroll is not a tab stop
    document.querySelectorAll(".nhs-table-wrap").forEach(tableBoxFocus);
    document.addEventListener("keydown", closeTooltips);
    document.addEventListener("focusin", keepFocusInView);
    window.addEventListener("load", nativeToolbarLabels);
    window.addEventListener("resize", function () {
      document.querySelectorAll(".nhs-chart[data-embedded='done'] .nhs-chart-graphic").forEach(scrollable);
      document.querySelectorAll(".nhs-table-wrap").forEach(tableBoxFocus);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
