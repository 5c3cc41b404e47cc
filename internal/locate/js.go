package locate

// The page-side helpers. Each is a function declaration run with
// Runtime.callFunctionOn; `this` is the scope element (or document).

// jsNorm normalises a visible text or accessible name for an exact match:
// white space folded, a trailing required marker or colon dropped.
const jsNorm = `const norm = (s) => (s || "").replace(/\s+/g, " ").trim().replace(/\s*(\*|\(required\))$/i, "").replace(/:$/, "").trim();
  const rx = (p) => p.startsWith("(?i)") ? new RegExp(p.slice(4), "i") : new RegExp(p);
  // The page may be built of web components: look inside open shadow roots.
  const deepAll = (root) => { const out = []; const walk = (n) => { for (const el of n.querySelectorAll("*")) { out.push(el); if (el.shadowRoot) walk(el.shadowRoot); } }; walk(root); if (root.shadowRoot) walk(root.shadowRoot); return out; };
  const up = (n) => n.parentElement || (n.parentNode && n.parentNode.host) || null;
  const within = (a, b) => { for (let n = b; n; n = up(n)) if (n === a) return true; return false; };
  const closestDeep = (el, sel) => { for (let n = el; n; n = up(n)) if (n.matches && n.matches(sel)) return n; return null; };
  // ownText is the text an element shows as its own words: without what
  // its buttons, links and fields say, decorations hidden from assistive
  // technology, or hidden text ("Client ID" of "Client ID <button>ⓘ</button>").
  const ownText = (el) => {
    const skip = "button,a,input,textarea,select,option,[role=button],[role=link],[role=switch],[role=checkbox],[role=radio],[role=textbox],[aria-hidden=true],script,style,template";
    const w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let out = "";
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      let ok = true;
      for (let p = n.parentElement; p && ok; p = p === el ? null : p.parentElement) {
        if (p !== el && p.matches(skip)) ok = false;
        else { const st = getComputedStyle(p); if (st.display === "none" || st.visibility === "hidden") ok = false; }
      }
      if (ok) out += n.nodeValue;
    }
    return out;
  };
  const saysOwn = (el, want) => norm(el.innerText).includes(norm(want)) && norm(ownText(el)) === norm(want);`

// jsByText returns the innermost visible elements whose text is exactly
// args[0] (mode "text"), matches the regexp args[0] (mode "pattern"), or the
// value element beside a label whose text is args[0] (mode "beside").
const jsByText = `function(mode, want) {
  ` + jsNorm + `
  const root = (this.nodeType === 9 ? this.body : this) || this;
  const re = mode === "pattern" ? rx(want) : null;
  const match = (el) => {
    const t = norm(el.innerText !== undefined ? el.innerText : el.textContent);
    return re ? re.test(t) : t === norm(want);
  };
  const all = [root, ...deepAll(root)].filter(el => !["SCRIPT","STYLE","TEMPLATE","HEAD"].includes(el.tagName));
  let hits = all.filter(match);
  hits = hits.filter(el => !hits.some(o => o !== el && within(el, o)));
  if (mode !== "beside") return hits;
  const out = [];
  for (const lab of hits) {
    let v = null;
    if (lab.control) v = lab.control;
    if (!v && lab.id) v = root.querySelector('[aria-labelledby~="' + CSS.escape(lab.id) + '"]');
    if (!v && lab.tagName === "DT") { let n = lab.nextElementSibling; while (n && n.tagName !== "DD") n = n.nextElementSibling; v = n; }
    if (!v && lab.tagName === "TH") v = lab.nextElementSibling;
    if (!v) { let n = lab.nextElementSibling; while (n && !norm(n.innerText) && !n.matches("input,textarea,select")) n = n.nextElementSibling; v = n; }
    if (!v && lab.parentElement) { let n = lab.parentElement.nextElementSibling; v = n; }
    if (v) { const inner = v.matches("input,textarea,select") ? v : (v.querySelector("input,textarea,select") || v); out.push(inner); }
  }
  return out;
}`

// jsByCSS returns the elements of the scope that match a CSS selector.
const jsByCSS = `function(sel) {
  ` + jsNorm + `
  return [this, ...deepAll(this)].filter(el => el.matches && el.matches(sel));
}`

// jsPick keeps the candidates (arguments after the first two) that a person
// can see, narrows them to the nearest container around the visible text
// args[0] when it is set, and returns their indexes.
const jsPick = `function(near, nearIsPattern, needText, ...cands) {
  ` + jsNorm + `
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
  if (!near) return idx;
  const root = this.nodeType === 9 ? this.body : this;
  const re = nearIsPattern ? rx(near) : null;
  const all = deepAll(root).filter(el => !["SCRIPT","STYLE","TEMPLATE"].includes(el.tagName));
  let anchors = all.filter(el => { const t = norm(el.innerText); return re ? re.test(t) : t === norm(near); });
  anchors = anchors.filter(el => !anchors.some(o => o !== el && within(el, o)) && seen(el));
  // A match in the container is near the text unless it sits in a part of
  // the container that is a row of its own, with other text: the "Set up" of
  // the FreeAgent row is not near "Xero".
  // A part has a name of its own when it holds visible text outside its
  // controls (a heading, a cell): "FreeAgent" in the next row. The texts of
  // buttons, radios, checkboxes and their labels do not count.
  const control = 'button,input,select,textarea,label,[role=button],[role=radio],[role=checkbox],[role=switch],[role=option],[role=tab],[role=menuitem]';
  const namedPart = (part, c) => {
    const w = document.createTreeWalker(part, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      if (!n.nodeValue.trim() || !n.parentElement || closestDeep(n.parentElement, control) || within(c, n)) continue;
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
}`

// jsState describes an element for the actions: where it is, whether it is
// enabled, its value and checked state.
const jsState = `function() {
  const r = this.getBoundingClientRect();
  const disabled = !!(this.disabled || this.closest("[aria-disabled=true]") || this.closest("fieldset[disabled]"));
  // A text found by its words stands for the control it labels.
  const ctl = (this.type === "checkbox" || this.type === "radio" || this.hasAttribute("aria-checked") || this.hasAttribute("aria-pressed")) ? this :
    ((this.closest("label") || {}).control || this.closest("[role=radio],[role=checkbox],[role=switch]") ||
     (this.closest("label") ? this.closest("label").querySelector("input[type=checkbox],input[type=radio],[role=radio],[role=checkbox]") : null) || this);
  let checked = null;
  if (ctl.type === "checkbox" || ctl.type === "radio") checked = ctl.checked;
  else if (ctl.hasAttribute("aria-checked")) checked = ctl.getAttribute("aria-checked") === "true";
  else if (ctl.hasAttribute("aria-pressed")) checked = ctl.getAttribute("aria-pressed") === "true";
  const isField = this.matches("input,textarea,select");
  const value = isField ? this.value : (this.innerText || this.textContent || "").trim();
  return {x: r.left, y: r.top, w: r.width, h: r.height, disabled, checked, value, isField, connected: this.isConnected,
          tag: this.tagName.toLowerCase(), type: this.type || ""};
}`

// jsHit says whether a click at (x, y) lands on the element, one of its
// descendants or one of its labels, and not on something covering it.
const jsHit = `function(x, y) {
  ` + jsNorm + `
  let top = document.elementFromPoint(x, y);
  while (top && top.shadowRoot) { const inner = top.shadowRoot.elementFromPoint(x, y); if (!inner || inner === top) break; top = inner; }
  if (!top) return false;
  if (within(this, top)) return true;
  if (this.labels) for (const l of this.labels) if (within(l, top)) return true;
  const wrap = closestDeep(this, "label");
  if (wrap && within(wrap, top)) return true;
  return false;
}`

// jsClickTarget returns the element to click: the element itself, or the
// label of a hidden styled checkbox or radio.
const jsClickTarget = `function() {
  const r = this.getBoundingClientRect(), st = getComputedStyle(this);
  const hiddenInput = r.width < 4 || r.height < 4 || st.opacity === "0" || st.visibility === "hidden" ||
    (st.clip && st.clip !== "auto") || (st.clipPath && st.clipPath !== "none");
  if (!hiddenInput) return this;
  if (this.labels) for (const l of this.labels) { const b = l.getBoundingClientRect(); if (b.width > 0 && b.height > 0) return l; }
  const wrap = this.closest("label,[role=radio],[role=checkbox]");
  if (wrap && wrap !== this) return wrap;
  return this;
}`

// jsSelectAll selects the content of a field so typing replaces it.
const jsSelectAll = `function() { this.focus(); if (this.select) this.select(); else { const r = document.createRange(); r.selectNodeContents(this); const s = getSelection(); s.removeAllRanges(); s.addRange(r); } }`

// jsArmClick guards the next real click on the element: the page may move
// between the hit test and the press (a banner pushing the layout, a dialog
// still sliding in). A press that would land on anything else is stopped
// before the page sees it, so the bot never clicks the wrong thing, and the
// guard reports "missed" so the click is tried again. It returns the guard;
// jsDisarmClick removes it and says "hit", "missed" or "armed" (no event).
const jsArmClick = `function() {
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
}`

const jsDisarmClick = `function() { this.off(); return this.state; }`

// jsByLabelText finds the form control that a visible text labels by
// position only, as a person reads a form whose labels are not wired to
// their fields: the text, then the nearest control after it in the smallest
// container that holds one (before it, for a checkbox, radio or switch),
// with no other text between them and no label of its own that says
// something else. It is the fallback of a label locator when no control
// carries the label as its accessible name.
const jsByLabelText = `function(want) {
  ` + jsNorm + `
  const root = (this.nodeType === 9 ? this.body : this) || this;
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
}`

// jsByTitle finds the dialogs (or other containers of the given roles) that
// show the visible title args[1] and have no name at all: what a person
// calls "the Enable Xero dialog" when the page did not wire the title to
// the dialog. The title must be text of its own, not a button's or a
// field's; a dialog named something else is not it.
const jsByTitle = `function(roles, want) {
  ` + jsNorm + `
  const root = (this.nodeType === 9 ? this.body : this) || this;
  const sel = roles.map(r => "[role=" + r + "]").join(",") + (roles.includes("dialog") ? ",dialog[open]" : "");
  const inert = "button,a,input,textarea,select,[role=button],[role=link],[role=switch],[role=checkbox],[role=radio],[role=textbox]";
  const named = (box) => { const by = (box.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean)
    .map(id => box.getRootNode().getElementById(id)).filter(Boolean).map(l => l.innerText).join(" ");
    return norm(box.getAttribute("aria-label") || by) !== ""; };
  return [root, ...deepAll(root)].filter(el => el.matches && el.matches(sel) && !named(el)).filter(box =>
    deepAll(box).some(t => !closestDeep(t, inert) && saysOwn(t, want)));
}`
