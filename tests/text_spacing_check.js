() => {
  const bad = [];
  const scopes = document.querySelectorAll(".nhs-chart, figure, .nhs-table-wrap, .nhs-finder");
  const seen = new Set();
  const text = (e) => (e.innerText || "").trim().slice(0, 60);
  scopes.forEach((scope) => {
    scope.querySelectorAll("*").forEach((e) => {
      if (seen.has(e) || e.closest("svg") || e.closest(".nhs-chart-live") || e.closest(".nhs-chart-static")) { return; }
      seen.add(e);
      if (!e.offsetParent && getComputedStyle(e).position !== "fixed") { return; }
      const cs = getComputedStyle(e);
      const hiddenX = ["hidden", "clip"].includes(cs.overflowX), hiddenY = ["hidden", "clip"].includes(cs.overflowY);
      if ((hiddenX && e.scrollWidth > e.clientWidth + 1) || (hiddenY && e.scrollHeight > e.clientHeight + 1) ||
          (cs.textOverflow === "ellipsis" && e.scrollWidth > e.clientWidth + 1)) {
        bad.push("clipped: " + e.tagName + "." + e.className + " " + text(e));
      }
    });
    // controls side by side must not overlap
    scope.querySelectorAll(".nhs-chart-tools").forEach((tools) => {
      const kids = Array.from(tools.children).map((k) => [k, k.getBoundingClientRect()]);
      for (let i = 0; i < kids.length; i++) for (let j = i + 1; j < kids.length; j++) {
        const a = kids[i][1], b = kids[j][1];
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) {
          bad.push("overlap: " + text(kids[i][0]) + " / " + text(kids[j][0]));
        }
      }
    });
    // blocks of text (captions, descriptions, links, buttons) must not overlap one another
    const blocks = Array.from(scope.querySelectorAll("p, figcaption, caption, summary, a, button, .caption-number, .caption-text"))
      .filter((e) => !e.closest("svg") && !e.closest("td") && e.offsetParent && (e.innerText || "").trim());
    // each line box of an inline element on its own (a caption's number and text share a line)
    // what shows of it: a line inside a box that scrolls shows only within that box
    const shown = (e, r) => {
      let box = { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      for (let a = e.parentElement; a; a = a.parentElement) {
        const cs = getComputedStyle(a);
        if (cs.overflowX !== "visible" || cs.overflowY !== "visible") {
          const c = a.getBoundingClientRect();
          box = { left: Math.max(box.left, c.left), right: Math.min(box.right, c.right),
                  top: Math.max(box.top, c.top), bottom: Math.min(box.bottom, c.bottom) };
        }
      }
      return box;
    };
    const boxes = blocks.filter((e) => e.checkVisibility()).map((e) => [e, Array.from(e.getClientRects()).map((r) => shown(e, r))]);
    const meets = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const [ea, ra] = boxes[i], [eb, rb] = boxes[j];
      if (ea.contains(eb) || eb.contains(ea)) { continue; }
      if (ra.some((a) => rb.some((b) => meets(a, b)))) {
        bad.push("overlap: " + text(ea) + " / " + text(eb));
      }
    }
  });
  return bad;
}
