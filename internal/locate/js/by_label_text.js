function(want) {
  /*@prelude*/
  const root = scopeOf(this);
  if (!root) return [];
  const ctlSel = 'input:not([type=hidden]):not([type=button]):not([type=submit]):not([type=reset]):not([type=image]),textarea,select,[contenteditable=""],[contenteditable=true],[role=textbox],[role=searchbox],[role=combobox],[role=checkbox],[role=radio],[role=switch],[role=spinbutton],[role=slider],[role=listbox]';
  const toggles = 'input[type=checkbox],input[type=radio],[role=checkbox],[role=radio],[role=switch]';
  const inert = 'button,a,[role=button],[role=link],option,script,style,template';
  const all = [root, ...deepAll(root)].filter(el => !["SCRIPT","STYLE","TEMPLATE","HEAD"].includes(el.tagName));
  let hits = all.filter(el => !el.matches(ctlSel) && !closestDeep(el, inert) && saysOwn(el, want));
  hits = hits.filter(el => !hits.some(o => o !== el && within(el, o)));
  const ownName = (c) => {
    const names = [];
    if (c.getAttribute("aria-label")) names.push(c.getAttribute("aria-label"));
    for (const id of (c.getAttribute("aria-labelledby") || "").split(/\s+/)) { const l = id && c.getRootNode().getElementById && c.getRootNode().getElementById(id); if (l) names.push(ownText(l)); }
    if (c.labels) for (const l of c.labels) names.push(ownText(l));
    return names.map(norm).filter(Boolean);
  };
  // Only blank text, a required marker or a colon may sit between the two.
  const textBetween = (a, b) => {
    const [first, last] = (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING) ? [a, b] : [b, a];
    const w = document.createTreeWalker(first.getRootNode(), NodeFilter.SHOW_TEXT);
    w.currentNode = first;
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      if (within(last, n) || (last.compareDocumentPosition(n) & Node.DOCUMENT_POSITION_FOLLOWING)) return false;
      if (within(first, n) || /^[\s*:]*$/.test(n.nodeValue)) continue;
      const p = n.parentElement;
      if (!p || closestDeep(p, "[hidden],[aria-hidden=true]")) continue;
      const st = getComputedStyle(p);
      if (st.display === "none" || st.visibility === "hidden") continue;
      return true;
    }
    return false;
  };
  const out = [];
  for (const t of hits) {
    for (let box = up(t); box; box = up(box)) {
      const ctls = deepAll(box).filter(c => c.matches(ctlSel));
      if (ctls.length === 0) { if (box === root) break; continue; }
      const after = ctls.filter(c => t.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING);
      const before = ctls.filter(c => (t.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_PRECEDING) && c.matches(toggles));
      const c = after.length ? after[0] : before[before.length - 1];
      if (c && !textBetween(t, c) && ownName(c).every(n => n === norm(want))) out.push(c);
      break;
    }
  }
  return out;
}
