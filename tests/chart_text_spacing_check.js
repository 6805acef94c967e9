// The text of every drawn chart on the page (the interactive SVG): each text that leaves its
// chart's SVG ("outside"), each text cut short with an ellipsis ("cut"), and each two texts whose
// boxes overlap ("overlap"), as
// "<figure>: <kind>: <texts>". Two copies of one text at one place (a halo under a label) are one.
() => {
  const out = [];
  document.querySelectorAll(".nhs-chart").forEach((chart) => {
    const svg = chart.querySelector(".nhs-chart-live svg");
    if (!svg) { return; }
    const name = chart.getAttribute("data-figure");
    const frame = svg.getBoundingClientRect();
    const texts = Array.from(svg.querySelectorAll("text")).filter((t) => (t.textContent || "").trim() && t.getClientRects().length);
    const boxes = texts.map((t) => [t, t.getBoundingClientRect()]);
    texts.forEach((t) => {
      if (t.textContent.includes("\u2026")) { out.push(name + ": cut: " + t.textContent.slice(0, 40)); }
    });
    boxes.forEach(([t, r]) => {
      if (r.left < frame.left - 1 || r.right > frame.right + 1 || r.top < frame.top - 1 || r.bottom > frame.bottom + 1) {
        out.push(name + ": outside: " + t.textContent.slice(0, 40));
      }
    });
    const meets = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const [ta, a] = boxes[i], [tb, b] = boxes[j];
      const same = ta.textContent === tb.textContent && Math.abs(a.left - b.left) < 1 && Math.abs(a.top - b.top) < 1;
      if (!same && meets(a, b)) { out.push(name + ": overlap: " + ta.textContent.slice(0, 30) + " / " + tb.textContent.slice(0, 30)); }
    }
  });
  return out;
}
