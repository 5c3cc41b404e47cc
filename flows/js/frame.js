// Frames this element in colour, as Codat's guides do: 3 px, 6 px away
// from it, rounded corners.
function(colour) {
  const r = this.getBoundingClientRect();
  const d = document.createElement("div");
  d.setAttribute("data-portalbot-overlay", "");
  d.setAttribute("data-portalbot-frame", "");
  d.style.cssText = "position:fixed;pointer-events:none;z-index:2147483646;border:3px solid " + colour + ";border-radius:6px;" +
    "left:" + (r.left - 6) + "px;top:" + (r.top - 6) + "px;width:" + (r.width + 12) + "px;height:" + (r.height + 12) + "px";
  document.documentElement.appendChild(d);
}
