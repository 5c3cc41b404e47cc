// Covers secrets in one solid colour, whole pixels rounded outwards (the
// mask covers every pixel the element touches). Called on an element (a
// field the selectors data marks secret): covers that element. Called on
// the document with values: covers every password field and every element
// whose value or own text holds one of values, open shadow roots included,
// so that no picture shows a secret even where the selectors data does not
// know the field.
function(values) {
  const draw = (el) => {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) return;
    const x = Math.floor(r.left), y = Math.floor(r.top);
    const d = document.createElement("div");
    d.setAttribute("data-portalbot-overlay", "");
    d.setAttribute("data-portalbot-mask", "");
    d.style.cssText = "position:fixed;pointer-events:none;z-index:2147483647;box-sizing:border-box;background:#222;" +
      "left:" + x + "px;top:" + y + "px;width:" + (Math.ceil(r.right) - x) + "px;height:" + (Math.ceil(r.bottom) - y) + "px";
    document.documentElement.appendChild(d);
  };
  if (this !== document) {
    draw(this);
    return;
  }
  const holds = (s) => s && values.some(v => s.includes(v));
  // Open shadow roots too: a page may be built of web components.
  const roots = [document];
  for (let i = 0; i < roots.length; i++) for (const el of roots[i].querySelectorAll("*")) if (el.shadowRoot) roots.push(el.shadowRoot);
  for (const root of roots) {
    for (const el of root.querySelectorAll("input,textarea")) {
      if (el.type === "password" || holds(el.value)) draw(el);
    }
    const walker = document.createTreeWalker(root === document ? (document.body || document.documentElement) : root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (holds(n.nodeValue) && n.parentElement) draw(n.parentElement);
    }
  }
}
