// Covers this element (a field the selectors data marks secret).
function() {
  const r = this.getBoundingClientRect();
  if (!r.width || !r.height) return;
  const x = Math.floor(r.left), y = Math.floor(r.top);
  const d = document.createElement("div");
  d.setAttribute("data-portalbot-overlay", "");
  d.setAttribute("data-portalbot-mask", "");
  d.style.cssText = "position:fixed;pointer-events:none;z-index:2147483647;background:#222;" +
    "left:" + x + "px;top:" + y + "px;width:" + (Math.ceil(r.right) - x) + "px;height:" + (Math.ceil(r.bottom) - y) + "px";
  document.documentElement.appendChild(d);
}
