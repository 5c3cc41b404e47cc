function() {
  const el = this, g = {state: "armed"};
  const ours = e => { const p = e.composedPath(); if (p.includes(el)) return true;
    if (el.labels) for (const l of el.labels) if (p.includes(l)) return true; return false; };
  const types = ["pointerdown", "mousedown", "pointerup", "mouseup", "click"];
  const h = e => {
    if (!e.isTrusted) return;
    if (g.state === "armed") g.state = ours(e) ? "hit" : "missed";
    if (g.state === "missed") { e.preventDefault(); e.stopImmediatePropagation(); }
    if (e.type === "click") g.off();
  };
  g.off = () => types.forEach(t => window.removeEventListener(t, h, true));
  types.forEach(t => window.addEventListener(t, h, true));
  return g;
}
