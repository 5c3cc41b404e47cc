// The part of the page a docs screenshot shows (this = document), in CSS
// pixels of the viewport. With scroll, it first scrolls the framed elements
// and the shown ones into view (inner scroll areas too, then the window so
// the box and its padding fit).
//   mode     "page", "element" (the box of the elements with their labels)
//            or "section" (the smallest card, panel, dialog or form holding
//            them all)
//   padding  CSS pixels kept around it, less on a side where something
//            else is near: the crop stops halfway to it, never through it
//   nOf      how many of the elements that follow are shown; the rest are
//            framed
// It returns the content (what is shown, with the purple frames drawn),
// the crop (content and padding), what cuts the content off if anything
// (a scrolling area), the viewport, and the masks drawn over the page.
function(scroll, mode, padding, nOf, ...els) {
  const of = els.slice(0, nOf), frames = els.slice(nOf);
  const rect = (r) => ({x: r.left, y: r.top, w: r.width, h: r.height});
  const union = (a, b) => {
    if (!a) return b;
    if (!b) return a;
    const x = Math.min(a.x, b.x), y = Math.min(a.y, b.y);
    return {x: x, y: y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y};
  };
  const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  const inside = (a, b) => a.x >= b.x - 0.5 && a.y >= b.y - 0.5 && a.x + a.w <= b.x + b.w + 0.5 && a.y + a.h <= b.y + b.h + 0.5;
  const up = (n) => n.parentElement || (n.parentNode && n.parentNode.host) || null;
  const contains = (a, b) => { for (let n = b; n; n = up(n)) if (n === a) return true; return false; };
  const isOverlay = (el) => el.hasAttribute("data-portalbot-overlay");
  // A field as a person sees it: the control and its labels.
  const withLabels = (el) => {
    let b = rect(el.getBoundingClientRect());
    const labels = Array.from(el.labels || []);
    const root = el.getRootNode();
    for (const id of (el.getAttribute("aria-labelledby") || "").split(/\s+/)) {
      const l = id && root.getElementById ? root.getElementById(id) : null;
      if (l && !contains(l, el)) labels.push(l);
    }
    for (const l of labels) {
      const r = l.getBoundingClientRect();
      if (r.width && r.height) b = union(b, rect(r));
    }
    return b;
  };
  const transparent = (c) => !c || c === "transparent" || /rgba\(.*,\s*0\)$/.test(c);
  const background = (el) => {
    for (let n = el; n; n = up(n)) {
      const c = getComputedStyle(n).backgroundColor;
      if (!transparent(c)) return c;
    }
    return "rgb(255, 255, 255)";
  };
  // A box a person sees as one thing: a dialog, or an element with a border
  // all round, a shadow, or a background of its own.
  const boxed = (el) => {
    if (el.tagName === "DIALOG" || /^(alert)?dialog$/.test(el.getAttribute("role") || "")) return true;
    const cs = getComputedStyle(el);
    if (["Top", "Right", "Bottom", "Left"].every((s) => parseFloat(cs["border" + s + "Width"]) > 0 && cs["border" + s + "Style"] !== "none")) return true;
    if (cs.boxShadow && cs.boxShadow !== "none") return true;
    const p = up(el);
    return !transparent(cs.backgroundColor) && (!p || cs.backgroundColor !== background(p));
  };
  const section = () => {
    let c = of[0];
    while (c && !of.every((e) => contains(c, e))) c = up(c);
    if (of.includes(c)) c = up(c);
    for (let n = c; n && n !== document.body && n !== document.documentElement; n = up(n)) {
      if (boxed(n)) return n;
    }
    return c;
  };
  // The elements the shot is of: the section, or the elements themselves.
  const shown = () => (mode === "section" ? [section()] : of);
  const box = () => {
    if (mode === "page") return null;
    if (mode === "section") return rect(section().getBoundingClientRect());
    return of.map(withLabels).reduce(union, null);
  };
  const vw = document.documentElement.clientWidth || innerWidth, vh = document.documentElement.clientHeight || innerHeight;
  if (scroll) {
    for (const el of frames.concat(of)) el.scrollIntoView({block: "nearest", inline: "nearest", behavior: "instant"});
    const b = box();
    if (b) {
      const shift = (start, size, view) => {
        if (start - padding < 0) return start - padding;
        if (start + size + padding > view) return Math.min(start + size + padding - view, start - padding);
        return 0;
      };
      const dx = shift(b.x, b.w, vw), dy = shift(b.y, b.h, vh);
      if (dx || dy) window.scrollBy({left: dx, top: dy, behavior: "instant"});
    }
  }

  // What cuts a shown element off: its own scrolling content, or an
  // ancestor that clips it.
  const clipped = () => {
    if (mode === "page") return "";
    for (const el of shown()) {
      const cs = getComputedStyle(el);
      if ((cs.overflowY !== "visible" && el.scrollHeight > el.clientHeight + 1) ||
          (cs.overflowX !== "visible" && el.scrollWidth > el.clientWidth + 1)) {
        return "its content scrolls inside it";
      }
      const r = rect(el.getBoundingClientRect());
      for (let n = up(el); n && n !== document.body && n !== document.documentElement; n = up(n)) {
        const ns = getComputedStyle(n);
        if (ns.overflowX === "visible" && ns.overflowY === "visible") continue;
        if (!inside(r, rect(n.getBoundingClientRect()))) return "a scrolling area around it hides part of it";
      }
    }
    return "";
  };

  const overlays = (attr) => Array.from(document.querySelectorAll("[" + attr + "]"), (d) => rect(d.getBoundingClientRect()));
  const frameRects = overlays("data-portalbot-frame");
  let content = box(), crop = null;
  if (content) {
    for (const f of frameRects) content = union(content, {x: f.x - 4, y: f.y - 4, w: f.w + 8, h: f.h + 8});
    // Padding on each side, cut to half the gap to anything drawn near.
    const pad = {top: padding, bottom: padding, left: padding, right: padding};
    // One pixel more: the crop rounds outwards to whole pixels.
    const area = {x: content.x - padding - 1, y: content.y - padding - 1, w: content.w + 2 * padding + 2, h: content.h + 2 * padding + 2};
    const replaced = /^(INPUT|TEXTAREA|SELECT|BUTTON|IMG|SVG|CANVAS|VIDEO|IFRAME|HR)$/i;
    for (const el of document.body.querySelectorAll("*")) {
      if (isOverlay(el)) continue;
      const r = rect(el.getBoundingClientRect());
      if (!r.w || !r.h || !overlap(r, area) || overlap(r, content) || inside(content, r)) continue;
      const cs = getComputedStyle(el);
      if (cs.visibility === "hidden" || parseFloat(cs.opacity) === 0) continue;
      const paints = replaced.test(el.tagName) || !transparent(cs.backgroundColor) ||
        ["Top", "Right", "Bottom", "Left"].some((s) => parseFloat(cs["border" + s + "Width"]) > 0 && cs["border" + s + "Style"] !== "none") ||
        Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.nodeValue.trim() !== "");
      if (!paints) continue;
      const gaps = [
        ["top", content.y - (r.y + r.h)], ["bottom", r.y - (content.y + content.h)],
        ["left", content.x - (r.x + r.w)], ["right", r.x - (content.x + content.w)],
      ].filter((g) => g[1] >= 0);
      if (!gaps.length) continue;
      const [side, gap] = gaps.reduce((a, b) => (b[1] > a[1] ? b : a));
      pad[side] = Math.min(pad[side], Math.floor(gap / 2));
    }
    crop = {x: content.x - pad.left, y: content.y - pad.top, w: content.w + pad.left + pad.right, h: content.h + pad.top + pad.bottom};
    if (mode === "element") {
      // The padding of an element stays inside the card or dialog it is in.
      const h = rect(section().getBoundingClientRect());
      const x = Math.max(crop.x, h.x), y = Math.max(crop.y, h.y);
      const w = Math.min(crop.x + crop.w, h.x + h.w) - x, hh = Math.min(crop.y + crop.h, h.y + h.h) - y;
      if (w > 0 && hh > 0) crop = union(content, {x: x, y: y, w: w, h: hh});
    }
  }
  return {content: content, crop: crop, clipped: clipped(), vw: vw, vh: vh, masks: overlays("data-portalbot-mask")};
}
