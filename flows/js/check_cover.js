// Covers, for bot check's picture (this = document), what changes from one
// check to the next so that it is no visual difference: every element
// whose own text or value holds one of values (the app's name), in one
// solid colour. Whole pixels, rounded outwards, as the secrets' masks. An
// element under something else (the page behind a dialog) is left as it
// is: a mask over the dialog would hide what the dialog shows.
function(values, colour) {
  const up = (n) => n.parentElement || (n.parentNode && n.parentNode.host) || null;
  const onTop = (el, r) => {
    const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1), y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
    let hit = document.elementFromPoint(x, y);
    while (hit && hit.shadowRoot) { const inner = hit.shadowRoot.elementFromPoint(x, y); if (!inner || inner === hit) break; hit = inner; }
    for (let n = hit; n; n = up(n)) if (n === el) return true;
    return !!(hit && el.contains && el.contains(hit));
  };
  const draw = (el) => {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || !onTop(el, r)) return;
    const x = Math.floor(r.left), y = Math.floor(r.top);
    const d = document.createElement("div");
    d.setAttribute("data-portalbot-overlay", "");
    d.setAttribute("data-portalbot-mask", "");
    d.style.cssText = "position:fixed;pointer-events:none;z-index:2147483647;background:" + colour + ";" +
      "left:" + x + "px;top:" + y + "px;width:" + (Math.ceil(r.right) - x) + "px;height:" + (Math.ceil(r.bottom) - y) + "px";
    document.documentElement.appendChild(d);
  };
  if (this !== document) { draw(this); return; } // one element
  const holds = (s) => s && values.some((v) => v && s.includes(v));
  const roots = [document];
  for (let i = 0; i < roots.length; i++) for (const el of roots[i].querySelectorAll("*")) if (el.shadowRoot) roots.push(el.shadowRoot);
  for (const root of roots) {
    for (const el of root.querySelectorAll("input,textarea")) if (holds(el.value)) draw(el);
    const walker = document.createTreeWalker(root === document ? (document.body || document.documentElement) : root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (holds(n.nodeValue) && n.parentElement && !n.parentElement.closest("[data-portalbot-overlay]")) draw(n.parentElement);
    }
  }
}
