function() {
  // The guard of one real press on this element (or its label): "pressed"
  // once the press reached it, "hit" once the click did, "missed" (and
  // stopped before the page saw it) when any of it would land elsewhere. A
  // press whose click never came (the page redrew the element between the
  // press and the release) stays "pressed": the click did not happen.
  const el = this, g = {state: "armed"};
  const ours = e => { const p = e.composedPath(); if (p.includes(el)) return true;
    if (el.labels) for (const l of el.labels) if (p.includes(l)) return true; return false; };
  const types = ["pointerdown", "mousedown", "pointerup", "mouseup", "click"];
  const h = e => {
    if (!e.isTrusted) return;
    if (g.state !== "missed") {
      if (!ours(e)) g.state = "missed";
      else if (e.type === "click") g.state = "hit";
      else if (g.state === "armed") g.state = "pressed";
    }
    if (g.state === "missed") { e.preventDefault(); e.stopImmediatePropagation(); }
    if (e.type === "click") g.off();
  };
  g.off = () => types.forEach(t => window.removeEventListener(t, h, true));
  types.forEach(t => window.addEventListener(t, h, true));
  return g;
}
