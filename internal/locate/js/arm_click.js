function(token) {
  // The guard of one real press on this element (or its label): "pressed"
  // once the press reached it, "hit" once the click did, "missed" (and
  // stopped before the page saw it) when any of it would land elsewhere. A
  // press whose click never came (the page redrew the element between the
  // press and the release) stays "pressed": the click did not happen.
  // With a token, a click that reached it is told to the bot through its
  // binding as it happens, so the bot need not ask. (Not the box's state:
  // a listener after this one may still cancel the click's toggle.)
  const target = this, g = {state: "armed"};
  const ours = e => { const p = e.composedPath(); if (p.includes(target)) return true;
    if (target.labels) for (const l of target.labels) if (p.includes(l)) return true; return false; };
  const types = ["pointerdown", "mousedown", "pointerup", "mouseup", "click"];
  const h = e => {
    if (!e.isTrusted) return;
    if (g.state !== "missed") {
      if (!ours(e)) g.state = "missed";
      else if (e.type === "click") g.state = "hit";
      else if (g.state === "armed") g.state = "pressed";
    }
    if (g.state === "missed") { e.preventDefault(); e.stopImmediatePropagation(); }
    if (e.type === "click") {
      g.off();
      const say = globalThis.__portalbotSay;
      if (g.state === "hit" && token && typeof say === "function") say(token + " hit");
    }
  };
  g.off = () => types.forEach(t => window.removeEventListener(t, h, true));
  types.forEach(t => window.addEventListener(t, h, true));
  return g;
}
