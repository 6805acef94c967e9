/* "Where do I fit?": find the integrated care board(s) of a trust, council, GP practice or
   postcode, offline. The index (_static/finder-index.js, written by the build from the data:
   nhsreport/publish/pages/finder.py) is a script that sets window.nhsFinderIndex; it is loaded by a
   script element the first time the box is used, so the finder works from a page opened from disk
   too. Every answer's wording comes from the index; this file matches and lays out. Everything
   typed is matched as plain text and every answer is built with textContent, so no input is ever
   read as HTML. Also: the areas of the systems map open their board's profile on click and on
   Enter. */
(function () {
  "use strict";
  var MAX_QUERY = 100, MAX_RESULTS = 8, MAX_TOKENS = 8, ANNOUNCE_MS = 450;
  // words of organisations' names a query may add or leave out
  var OPTIONAL = { nhs: 1, trust: 1, foundation: 1, the: 1, and: 1, of: 1, council: 1, city: 1, borough: 1,
                   district: 1, county: 1, metropolitan: 1, royal: 1, icb: 1, board: 1, integrated: 1, care: 1 };
  var KIND_ORDER = { board: 0, board2022: 1, trust: 2, council: 3, practice: 4, outside: 5 };
  // when one answer is exact, at most this many look-alikes are shown under their own heading
  var MAX_OTHERS = 3;
  var ACCEPTS = "It answers: the name or ODS code of an NHS trust (including trusts closed or merged since 2012), " +
    "the name of a council (including councils abolished since 2019), the name, code or postcode of a GP practice, " +
    "a postcode or the first part of one (such as LS2), and the name or code of an integrated care board. " +
    "Welsh, Scottish and Northern Irish bodies and places are outside NHS England, so in no integrated care board.";
  var index = null, loading = null;

  function root() { return document.documentElement.dataset.content_root || ""; }

  function norm(s) {
    return String(s).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/['\u2018\u2019`]/g, "").replace(/&/g, " and ").replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }
  function compact(s) { return norm(s).replace(/ /g, ""); }

  // a name's words without those a query may add or leave out
  function core(n) { return n.split(" ").filter(function (t) { return !OPTIONAL[t]; }).join(" "); }

  function push(map, key, value) { (map[key] || (map[key] = [])).push(value); }

  function prepare(data) {
    var vocab = {}, byCode = {}, byPostcode = {};
    data.items.forEach(function (it, i) {
      var names = [it[2]].concat(it[5] || []), toks = {};
      it.i = i;
      it.n = names.map(norm);
      it.cn = names.map(compact);
      it.k = KIND_ORDER[it[0]];
      it.core = it.n.map(core);
      names.forEach(function (n) { norm(n).split(" ").forEach(function (t) { if (t) { toks[t] = 1; } }); });
      it.words = toks;
      Object.keys(toks).forEach(function (t) { push(vocab, t, i); });
      push(byCode, compact(it[1]), it);
      if (it[3]) { push(byPostcode, compact(it[3]), it); }
    });
    data.vocab = vocab;
    data.words = Object.keys(vocab).sort();
    data.byLength = [];
    data.words.forEach(function (w) { (data.byLength[w.length] || (data.byLength[w.length] = [])).push(w); });
    data.byCode = byCode;
    data.byPostcode = byPostcode;
    index = data;
    return data;
  }

  function load() {
    if (loading) { return loading; }
    loading = new Promise(function (resolve, reject) {
      if (window.nhsFinderIndex) { resolve(prepare(window.nhsFinderIndex)); return; }
      var s = document.createElement("script");
      s.src = root() + "_static/finder-index.js";
      s.onload = function () {
        if (window.nhsFinderIndex) { resolve(prepare(window.nhsFinderIndex)); }
        else { reject(new Error("finder index: empty")); }
      };
      s.onerror = function () { loading = null; reject(new Error("finder index: not loaded")); };
      document.head.appendChild(s);
    });
    return loading;
  }

  // edit distance (insertions, deletions, substitutions, swaps of neighbours), or max + 1 when larger
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) { return max + 1; }
    var prev2 = null, prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) { prev[j] = j; }
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) { v = Math.min(v, prev2[j - 2] + 1); }
        cur[j] = v;
        if (v < best) { best = v; }
      }
      if (best > max) { return max + 1; }
      prev2 = prev; prev = cur;
    }
    return prev[b.length];
  }

  // the items whose names hold a word matching token t: 3 the word itself, 2 a word it begins, 1 a near miss
  function matchToken(t, prefixOK) {
    var out = {}, words = index.words, vocab = index.vocab;
    function mark(w, s) { vocab[w].forEach(function (i) { if (!(out[i] >= s)) { out[i] = s; } }); }
    if (prefixOK) {
      var lo = 0, hi = words.length;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (words[mid] < t) { lo = mid + 1; } else { hi = mid; } }
      for (var k = lo; k < words.length && words[k].indexOf(t) === 0; k++) { mark(words[k], words[k] === t ? 3 : 2); }
    } else if (vocab[t]) { mark(t, 3); }
    if (t.length >= 4) {
      var max = t.length >= 8 ? 2 : 1;
      for (var len = t.length - max; len <= t.length + max; len++) {
        (index.byLength[len] || []).forEach(function (w) {
          if (w !== t && distance(t, w, max) <= max) { mark(w, 1); }
        });
      }
    }
    return out;
  }

  var POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?)(?: ?([0-9])([A-Z]{2}))?$/, SECTOR = /^([A-Z]{1,2}[0-9][A-Z0-9]?) ([0-9])$/;

  function postcode(q) {
    var s = q.toUpperCase().replace(/\s+/g, " ").trim(), m = s.match(POSTCODE) || s.match(SECTOR);
    if (!m) { return null; }
    return { district: m[1], sector: m[2] ? m[1] + " " + m[2] : null, full: !!m[3] };
  }

  function outsideEngland(area, cq) {
    var found = null;
    Object.keys(index.outside).forEach(function (country) {
      if (area && index.outside[country].indexOf(area) >= 0) { found = country; }
    });
    if (/^w\d/.test(cq) || /^7[a-z]\d/.test(cq)) { found = "Wales"; }
    if (/^s\d{8}$/.test(cq)) { found = "Scotland"; }
    if (/^(n|9)\d{8}$/.test(cq)) { found = "Northern Ireland"; }
    return found;
  }

  function nameHits(nq, cq, add) {
    var toks = nq.split(" ").slice(0, MAX_TOKENS);
    var need = toks.filter(function (t) { return !OPTIONAL[t]; });
    if (!need.length) { need = toks; }
    var per = need.map(function (t, j) { return matchToken(t, t.length >= 2 || need.length === 1 || j === need.length - 1); });
    per.sort(function (a, b) { return Object.keys(a).length - Object.keys(b).length; });
    Object.keys(per[0]).forEach(function (i) {
      var score = 0, fuzzy = false;
      for (var j = 0; j < per.length; j++) {
        var s = per[j][i];
        if (!s) { return; }
        score += s;
        if (s === 1) { fuzzy = true; }
      }
      var it = index.items[i], whole = it.n.indexOf(nq) >= 0 || it.core.indexOf(need.join(" ")) >= 0;
      // every word typed, "royal" and "the" included, is a whole word of its names: nearly exact
      var allWords = !fuzzy && toks.every(function (t) { return it.words[t]; });
      add(it, whole ? 1 : fuzzy ? 3 : allWords ? 1.5 : 2, score);
    });
    if (cq.length >= 4) {
      index.items.forEach(function (it) {
        if (it.cn.some(function (c) { return c.indexOf(cq) >= 0; })) { add(it, 4, 0); }
      });
    }
  }

  // exact codes and postcodes first, then names: whole name, every word, near misses, run together
  function search(q) {
    var nq = norm(q), cq = compact(q), res = { hits: [], more: 0, fuzzy: false, area: null, outside: null };
    if (!nq) { return res; }
    var seen = {}, ranked = [];
    function add(it, tier, score) {
      var k = seen[it.i];
      if (k === undefined) { seen[it.i] = ranked.length; ranked.push({ it: it, tier: tier, score: score }); }
      else if (tier < ranked[k].tier) { ranked[k].tier = tier; ranked[k].score = score; }
    }
    (index.byCode[cq] || []).concat(index.byPostcode[cq] || []).forEach(function (it) { add(it, 0, 0); });
    var pc = postcode(q);
    if (pc && index.outside_districts[pc.district]) {
      // a district of an English postcode area that is in Wales (CH5 to CH8, ...)
      res.district = pc.district;
      res.welsh = { name: "Postcode district " + pc.district, note: index.outside_districts[pc.district] };
    } else if (pc) {
      var letters = pc.district.replace(/[0-9].*$/, "");
      var stem = (pc.district.match(/^([A-Z]{1,2}[0-9]{1,2})[A-Z]$/) || [])[1];
      var key = pc.sector && index.areas[pc.sector] ? pc.sector : index.areas[pc.district] ? pc.district : letters;
      res.district = pc.district;
      if (key === letters && stem && index.families[stem]) {
        // a lettered district with no practice (SW1A): its neighbours of the same stem (SW1P, SW1V, ...)
        res.area = { key: stem, name: index.families[stem][0], parts: index.families[stem][1],
          note: "No GP practice in England has a postcode in " + pc.district + "; practices in the neighbouring districts " +
            stem + "\u2026 serve " };
      } else {
        res.area = index.areas[key] ? { key: key, name: index.areas[key][0], parts: index.areas[key][1] } : null;
      }
      if (res.area && key === letters && !res.area.note) {
        res.area.note = "No GP practice in England has a postcode in " + pc.district + ", so this answer is for the whole " +
          letters + " area" + (index.border[letters] ? ", part of which is in " + index.border[letters] +
          ", outside NHS England" : "") + ". ";
      }
    }
    nameHits(nq, cq, add);
    ranked.sort(function (a, b) {
      return a.tier - b.tier || b.score - a.score || a.it.k - b.it.k || a.it[2].length - b.it[2].length;
    });
    res.fuzzy = ranked.length > 0 && ranked[0].tier >= 3 && !res.area;
    res.exact = ranked.filter(function (r) { return r.tier === 0; }).length;
    res.others = [];
    res.dropped = 0;
    var best = ranked.length ? ranked[0].tier : 9;
    if (best < 2) {
      // exact answers first; the look-alikes under their own heading, or left out when many
      var exact = ranked.filter(function (r) { return r.tier === best; }), rest = ranked.slice(exact.length);
      res.others = rest.length <= MAX_OTHERS ? rest.map(function (r) { return r.it; }) : [];
      res.dropped = rest.length - res.others.length;
      ranked = exact;
    }
    res.hits = ranked.slice(0, MAX_RESULTS).map(function (r) { return r.it; });
    res.more = Math.max(0, ranked.length - MAX_RESULTS);
    if (!res.hits.length && !res.area && !res.welsh) {
      res.outside = outsideEngland(pc ? pc.district.replace(/[0-9].*$/, "") : null, cq);
    }
    return res;
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }

  // an answer: pieces of text and board links ([code, share])
  function answer(parts) {
    var span = el("span", undefined, "nhs-finder-answer");
    parts.forEach(function (p) {
      if (typeof p === "string") { span.appendChild(document.createTextNode(p)); return; }
      var b = index.boards[p[0]];
      if (!b) { span.appendChild(document.createTextNode(p[0])); return; }
      var a = el("a", b[0]);
      a.href = root() + "book/" + b[1];
      span.appendChild(a);
      if (p[1]) { span.appendChild(document.createTextNode(" (" + p[1] + ")")); }
    });
    return span;
  }

  function describe(it) {
    var li = el("li");
    li.appendChild(el("strong", it[2]));
    li.appendChild(document.createTextNode(" (" + index.kinds[it[0]] + ", " + it[1] + (it[3] ? ", " + it[3] : "") + "): "));
    li.appendChild(answer(it[4]));
    return li;
  }

  function areaItem(area) {
    var li = el("li");
    li.appendChild(el("strong", area.name));
    li.appendChild(document.createTextNode(": " + (area.note || "")));
    li.appendChild(answer(area.parts));
    return li;
  }

  function countText(res, q) {
    // a short status, read out once the typing pauses: how many answers, for what
    var n = res.hits.length + res.more + res.others.length + (res.area ? 1 : 0) + (res.welsh ? 1 : 0);
    var what = " for \u201c" + q.trim().slice(0, 40) + "\u201d";
    if (!n) { return "No answer" + what + "."; }
    return (n === 1 ? "One answer" : n.toLocaleString("en-GB") + " answers") + what +
      (res.more ? ", the first " + MAX_RESULTS + " shown." : ".");
  }

  function render(out, q, res) {
    out.textContent = "";
    if (!q.trim()) { return; }
    var ul = el("ul");
    if (res.fuzzy) { out.appendChild(el("p", "Nothing matches \u201c" + q + "\u201d exactly; the closest names:")); }
    if (res.welsh) {
      var li = el("li");
      li.appendChild(el("strong", res.welsh.name));
      li.appendChild(document.createTextNode(": " + res.welsh.note));
      ul.appendChild(li);
    }
    res.hits.forEach(function (it, i) {
      if (i === res.exact && res.area) { ul.appendChild(areaItem(res.area)); }
      ul.appendChild(describe(it));
    });
    if (res.area && res.exact >= res.hits.length) { ul.appendChild(areaItem(res.area)); }
    if (ul.childNodes.length) {
      out.appendChild(ul);
      if (res.more > 0) { out.appendChild(el("p", res.more + " more: type more of the name.")); }
      if (res.others.length) {
        var heading = el("p", undefined, "nhs-finder-others");
        heading.appendChild(el("strong", "Other names like this"));
        out.appendChild(heading);
        var others = el("ul");
        res.others.forEach(function (it) { others.appendChild(describe(it)); });
        out.appendChild(others);
      } else if (res.dropped > 0) {
        out.appendChild(el("p", res.dropped.toLocaleString("en-GB") + " other names are like this: type more of a name to see them."));
      }
      return;
    }
    out.appendChild(el("p", "Nothing in the finder matches \u201c" + q + "\u201d."));
    if (res.outside) {
      out.appendChild(el("p", "That looks like a body or postcode in " + res.outside +
        ": Welsh, Scottish and Northern Irish bodies are outside NHS England, so they have no integrated care board."));
    } else if (res.district !== undefined) {
      out.appendChild(el("p", "No GP practice in England has a postcode in " + res.district +
        ": try the postcode of your GP practice, or a neighbouring district."));
    }
    out.appendChild(el("p", ACCEPTS));
  }

  function keyboard(input, out) {
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") {
        var first = out.querySelector("a");
        if (first) { e.preventDefault(); first.focus(); }
      } else if (e.key === "Escape") { input.value = ""; input.dispatchEvent(new Event("input")); }
    });
    out.addEventListener("keydown", function (e) {
      var links = Array.prototype.slice.call(out.querySelectorAll("a")), at = links.indexOf(document.activeElement);
      if (at < 0) { return; }
      if (e.key === "ArrowDown" && at < links.length - 1) { e.preventDefault(); links[at + 1].focus(); }
      else if (e.key === "ArrowUp") { e.preventDefault(); (at > 0 ? links[at - 1] : input).focus(); }
      else if (e.key === "Escape") { e.preventDefault(); input.focus(); }
    });
  }

  function initFinder() {
    var input = document.getElementById("nhs-finder-input");
    var out = document.getElementById("nhs-finder-results");
    if (!input || !out) { return; }
    // the list of answers is not read out on every keystroke: a polite status line (in the page
    // from the start, so that screen readers watch it) says how many, once the typing pauses
    out.removeAttribute("role");
    out.removeAttribute("aria-live");
    var status = document.getElementById("nhs-finder-count");
    if (!status) {
      status = el("p", "", "nhs-finder-count");
      status.id = "nhs-finder-count";
      out.parentNode.insertBefore(status, out);
    }
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var timer = null;
    function run() {
      var q = input.value.slice(0, MAX_QUERY);
      if (!index) {
        load().then(run).catch(function (err) {
          out.textContent = "The finder's index could not be loaded.";
          status.textContent = "The finder's index could not be loaded.";
          console.error(err);
        });
        return;
      }
      var t0 = performance.now(), res = search(q);
      render(out, q, res);
      out.dataset.ms = String(performance.now() - t0);
      clearTimeout(timer);
      timer = setTimeout(function () { status.textContent = q.trim() ? countText(res, q) : ""; }, ANNOUNCE_MS);
    }
    input.addEventListener("focus", function () { load().catch(function () {}); });
    input.addEventListener("input", run);
    keyboard(input, out);
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
      if (p.getAttribute("tabindex") === "0") {
        p.addEventListener("focus", function () { showFocus(p); });
        p.addEventListener("blur", hideFocus);
      }
    });
  }

  // the focused board's stop: its outline drawn on top of its neighbours in black over white (seen
  // on every fill), and a ring of at least 24 CSS pixels around a board drawn smaller than that
  // (WCAG 2.4.7, 2.4.11); the "All boards" table links every profile as well (2.5.8)
  var SVG_NS = "http://www.w3.org/2000/svg", MIN_TARGET_PX = 24;
  function hideFocus() {
    document.querySelectorAll(".nhs-map-focus").forEach(function (g) { g.remove(); });
  }
  function showFocus(path) {
    hideFocus();
    var g = document.createElementNS(SVG_NS, "g");
    g.setAttribute("class", "nhs-map-focus");
    g.setAttribute("pointer-events", "none");
    g.setAttribute("aria-hidden", "true");
    [["#ffffff", 5], ["#000000", 2.5]].forEach(function (paint) {
      var line = document.createElementNS(SVG_NS, "path");
      line.setAttribute("d", path.getAttribute("d"));
      if (path.getAttribute("transform")) { line.setAttribute("transform", path.getAttribute("transform")); }
      line.setAttribute("fill", "none");
      line.setAttribute("stroke", paint[0]);
      line.setAttribute("stroke-width", String(paint[1]));
      line.setAttribute("vector-effect", "non-scaling-stroke");
      g.appendChild(line);
    });
    var box = path.getBBox(), screen = path.getBoundingClientRect();
    var perUnit = box.width > 0 ? screen.width / box.width : 1;
    if (screen.width < MIN_TARGET_PX || screen.height < MIN_TARGET_PX) {
      var ring = document.createElementNS(SVG_NS, "circle");
      ring.setAttribute("cx", String(box.x + box.width / 2));
      ring.setAttribute("cy", String(box.y + box.height / 2));
      ring.setAttribute("r", String((MIN_TARGET_PX / 2 + 2) / perUnit));
      ring.setAttribute("fill", "none");
      ring.setAttribute("stroke", "#000000");
      ring.setAttribute("stroke-width", "2.5");
      ring.setAttribute("vector-effect", "non-scaling-stroke");
      if (path.getAttribute("transform")) { ring.setAttribute("transform", path.getAttribute("transform")); }
      g.appendChild(ring);
    }
    path.parentNode.appendChild(g);
    revealInBox(path);
  }
  // a map wider than the screen scrolls in its own box, and the browser does not always scroll it
  // to a focused board (an SVG path): bring the focused board into the middle of the box when any
  // of it lies outside (WCAG 2.4.7, 2.4.11)
  function revealInBox(path) {
    var box = path.closest(".nhs-chart-graphic");
    if (!box || box.scrollWidth <= box.clientWidth + 1) { return; }
    var r = path.getBoundingClientRect(), b = box.getBoundingClientRect();
    var left = b.left + box.clientLeft, right = left + box.clientWidth;
    if (r.left < left || r.right > right) {
      box.scrollLeft += (r.left + r.right) / 2 - (left + right) / 2;
    }
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
