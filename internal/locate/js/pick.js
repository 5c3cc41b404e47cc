function(near, nearIsPattern, needText, anchor, ...cands) {
  /*@prelude*/
  const seen = (el) => {
    if (!el || !el.isConnected) return false;
    const box = (e) => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
      return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none"; };
    if (closestDeep(el, "[hidden],[inert],[aria-hidden=true]")) return false;
    if (box(el)) return true;
    // A styled checkbox or radio hides its input and shows its label.
    if (el.labels) for (const l of el.labels) if (box(l)) return true;
    return false;
  };
  let idx = cands.map((c, i) => i).filter(i => seen(cands[i]) && (!needText || norm(cands[i].innerText) !== ""));
  if (!near && !anchor) return idx;
  const root = scopeOf(this);
  if (!root) return [];
  const re = nearIsPattern ? rx(near) : null;
  // The anchor is the text near, or an element found by its own locators.
  let anchors = anchor ? [anchor] : deepAll(root).filter(el => !["SCRIPT","STYLE","TEMPLATE"].includes(el.tagName)).filter(el => { const t = norm(el.innerText); return re ? re.test(t) : t === norm(near); });
  anchors = anchors.filter(el => !anchors.some(o => o !== el && within(el, o)) && seen(el));
  // A match in the container is near the text unless it sits in a part of
  // the container that is a row of its own, with other text: the "Set up" of
  // the FreeAgent row is not near "Xero".
  // A part has a name of its own when it holds visible text outside its
  // controls (a heading, a cell): "FreeAgent" in the next row. The texts of
  // buttons, radios, checkboxes and their labels do not count.
  const control = 'button,input,select,textarea,label,[role=button],[role=radio],[role=checkbox],[role=switch],[role=option],[role=tab],[role=menuitem]';
  // The control's own label (aria-labelledby, <label>) is the control's
  // words, not a name of the part: a switch that reads "Disabled".
  const ownLabels = (c) => [...(c.labels || []), ...(c.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean)
    .map(id => c.getRootNode().getElementById(id)).filter(Boolean)];
  const namedPart = (part, c) => {
    const labels = ownLabels(c);
    const w = document.createTreeWalker(part, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      if (!n.nodeValue.trim() || !n.parentElement || closestDeep(n.parentElement, control) || within(c, n)) continue;
      if (labels.some(l => within(l, n))) continue;
      const st = getComputedStyle(n.parentElement);
      if (st.display === "none" || st.visibility === "hidden") continue;
      return true;
    }
    return false;
  };
  const inOwnRow = (box, a, c) => {
    let part = c;
    while (up(part) && up(part) !== box) part = up(part);
    if (part === c || within(part, a)) return false;
    return namedPart(part, c);
  };
  const out = new Set();
  for (const a of anchors) {
    for (let box = a; box && box !== up(root); box = up(box)) {
      let inside = idx.filter(i => within(box, cands[i]) && !within(cands[i], a));
      if (inside.length === 0) continue;
      inside = inside.filter(i => !inOwnRow(box, a, cands[i]));
      if (inside.length === 0) break;
      if (inside.length === 1) { out.add(inside[0]); break; }
      // Several in the nearest container: the first one after the text.
      const after = inside.filter(i => a.compareDocumentPosition(cands[i]) & Node.DOCUMENT_POSITION_FOLLOWING);
      out.add((after.length ? after : inside)[0]);
      break;
    }
  }
  return [...out];
}
