// Covers, for bot check's picture (this = document), what changes from one
// check to the next so that it is no visual difference: every element
// whose own text or value holds one of values (the app's name), in one
// solid colour. Whole pixels, rounded outwards, as the secrets' masks.
function(values, colour) {
  const draw = (el) => {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) return;
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
