/* "Where do I fit?": find the integrated care board(s) of a trust, council or GP practice, offline.
   The index (finder-index.json, written by the build) is fetched from the book itself the first time
   the box is used. Everything typed is matched as plain text and every answer is built with
   textContent, so no input is ever read as HTML. Also: the areas of the systems map open their
   board's profile on click and on Enter. */
(function () {
  "use strict";
  var KINDS = { board: "ICB from 1 April 2026", board2022: "ICB of 2022", trust: "NHS trust", council: "council",
                practice: "GP practice" };
  var MAX_QUERY = 100, MAX_RESULTS = 8;
  var index = null, loading = null;

  function root() { return document.documentElement.dataset.content_root || ""; }

  function norm(s) {
    return String(s).toLowerCase().replace(/&/g, " and ").replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }
  function compact(s) { return norm(s).replace(/ /g, ""); }

  function load() {
    if (loading) { return loading; }
    loading = fetch(root() + "_static/finder-index.json").then(function (r) {
      if (!r.ok) { throw new Error("finder index: HTTP " + r.status); }
      return r.json();
    }).then(function (data) {
      data.items.forEach(function (it) {
        it.n = norm(it[2]);
        it.c = compact(it[1]);
        it.p = it[3] ? compact(it[3]) : "";
        it.b = bigrams(it.n);
        it.bn = Object.keys(it.b).length;
      });
      index = data;
      return data;
    });
    return loading;
  }

  function bigrams(s) {
    var out = {};
    for (var i = 0; i < s.length - 1; i++) { out[s.substr(i, 2)] = true; }
    return out;
  }
  // Dice similarity of the query's bigrams (a list) and an item's (a set with its size)
  function dice(ka, b, nb) {
    var n = 0;
    if (!ka.length || !nb) { return 0; }
    for (var i = 0; i < ka.length; i++) { if (b[ka[i]]) { n++; } }
    return 2 * n / (ka.length + nb);
  }

  // exact code or postcode first, then names starting with the query, then names containing it
  function search(q) {
    var nq = norm(q), cq = compact(q);
    if (!nq) { return { hits: [], closest: [] }; }
    var exact = [], named = [], start = [], inside = [];
    index.items.forEach(function (it) {
      if (it.c === cq || (it.p && it.p === cq)) { exact.push(it); }
      else if (it.n === nq) { named.push(it); }
      else if (it.n.indexOf(nq) === 0) { start.push(it); }
      else if (nq.length > 2 && (" " + it.n).indexOf(" " + nq) >= 0) { inside.push(it); }
      else if (nq.length > 3 && it.p && it.p.indexOf(cq) === 0) { start.push(it); }
    });
    var hits = exact.concat(named, start, inside);
    if (hits.length) { return { hits: hits.slice(0, MAX_RESULTS), more: hits.length - MAX_RESULTS, closest: [] }; }
    var bq = Object.keys(bigrams(nq.slice(0, 40))), scored = [];
    index.items.forEach(function (it) {
      if (it[0] === "practice" && nq.length < 4) { return; }
      var s = dice(bq, it.b, it.bn);
      if (s >= 0.45) { scored.push([s, it]); }
    });
    scored.sort(function (a, b) { return b[0] - a[0]; });
    return { hits: [], closest: scored.slice(0, 3).map(function (x) { return x[1]; }) };
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }

  function boardLinks(codes, and) {
    var span = el("span", undefined, "nhs-finder-boards");
    codes.forEach(function (c, i) {
      var b = index.boards[c];
      if (!b) { return; }
      if (i > 0) { span.appendChild(document.createTextNode(i === codes.length - 1 ? (and ? " and " : " or ") : ", ")); }
      var a = el("a", b[0]);
      a.href = root() + "book/" + b[1];
      span.appendChild(a);
    });
    return span;
  }

  function describe(it) {
    var li = el("li");
    li.appendChild(el("strong", it[2]));
    li.appendChild(document.createTextNode(" (" + KINDS[it[0]] + ", " + it[1] + (it[3] ? ", " + it[3] : "") + "): "));
    var several = it[4].length > 1;
    if (it[0] === "trust") {
      li.appendChild(boardLinks(it[4].slice(0, 1)));
      li.appendChild(document.createTextNode(" (where its headquarters is)"));
      if (several) {
        li.appendChild(document.createTextNode("; it also serves "));
        li.appendChild(boardLinks(it[4].slice(1), true));
        li.appendChild(document.createTextNode(" (partnerships of April 2019)"));
      }
      return li;
    }
    var lead = it[0] === "board2022" && several ? "divided in 2026 between " :
      it[0] === "council" && several ? "area shared between " :
      it[0] === "practice" && several ? "its CCG area is divided between " : "";
    if (lead) { li.appendChild(document.createTextNode(lead)); }
    li.appendChild(boardLinks(it[4]));
    return li;
  }

  function render(out, q, res) {
    out.textContent = "";
    if (!q.trim()) { return; }
    if (res.hits.length) {
      var ul = el("ul");
      res.hits.forEach(function (it) { ul.appendChild(describe(it)); });
      out.appendChild(ul);
      if (res.more > 0) { out.appendChild(el("p", res.more + " more: type more of the name.")); }
      return;
    }
    var p = el("p", "No match for \u201c" + q + "\u201d.");
    out.appendChild(p);
    if (res.closest.length) {
      out.appendChild(el("p", "Closest names:"));
      var ul2 = el("ul");
      res.closest.forEach(function (it) { ul2.appendChild(describe(it)); });
      out.appendChild(ul2);
    }
  }

  function initFinder() {
    var input = document.getElementById("nhs-finder-input");
    var out = document.getElementById("nhs-finder-results");
    if (!input || !out) { return; }
    function run() {
      var q = input.value.slice(0, MAX_QUERY);
      if (!index) {
        load().then(run).catch(function (err) {
          out.textContent = "The finder's index could not be loaded.";
          console.error(err);
        });
        return;
      }
      var t0 = performance.now();
      render(out, q, search(q));
      out.dataset.ms = String(performance.now() - t0);
    }
    input.addEventListener("focus", function () { load().catch(function () {}); });
    input.addEventListener("input", run);
    if (input.value) { run(); }
  }

  // the systems map: each board's first area becomes a keyboard stop that opens its profile
  function linkMap(chart) {
    var seen = {};
    // the drawn map holds keyboard stops, so it cannot be hidden from assistive technology
    chart.querySelectorAll(".nhs-chart-live svg[aria-hidden]").forEach(function (svg) { svg.removeAttribute("aria-hidden"); });
    // and its groups are plain containers of those links, not images of their own
    chart.querySelectorAll(".nhs-chart-live svg [role]:not(path)").forEach(function (g) {
      g.removeAttribute("role"); g.removeAttribute("aria-roledescription"); g.removeAttribute("aria-label");
    });
    chart.querySelectorAll(".nhs-chart-live path").forEach(function (p) {
      var item = p.__data__;
      var href = item && item.href;
      if (!href) { return; }
      var name = item.datum && item.datum.icb_2026_name;
      p.style.cursor = "pointer";
      p.setAttribute("focusable", "true");
      if (!seen[href]) {
        seen[href] = true;
        p.setAttribute("tabindex", "0");
        p.setAttribute("role", "link");
        p.setAttribute("aria-label", "Open the profile of " + (name || href));
      }
      p.addEventListener("keydown", function (e) {
        if (e.key === "Enter") { e.preventDefault(); window.location.href = root() + href; }
      });
    });
  }

  function init() {
    initFinder();
    document.addEventListener("nhs-chart-embedded", function (e) {
      if (e.target.closest && e.target.closest(".nhs-systems-map")) { linkMap(e.target); }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
  window.nhsFinder = { load: load, search: function (q) { return search(String(q).slice(0, MAX_QUERY)); } };
})();
