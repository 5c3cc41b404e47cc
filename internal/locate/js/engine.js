// The locate engine: installed once per document in the bot's isolated
// world (the page's scripts neither see it nor can change it), as
// Playwright's injected script is. It resolves an element of the selectors
// data in one call, and waits in the page: a wait wakes on DOM changes (a
// MutationObserver) and on a slow timer for what styles change without a
// mutation, and answers the bot once. js.go assembles this file: the shared
// helpers go where the prelude marker is, the one-function files (by_text.js,
// pick.js, state.js, ...) where the fns marker is, as methods of fns.
(() => {
  if (!("computedRole" in Element.prototype)) {
    throw new Error("this browser does not give page scripts the accessible role and name of elements: " +
      "start it with --enable-blink-features=ComputedAccessibilityInfo");
  }
  /*@prelude*/
  const fns = {
    /*@fns*/
  };
  // Roles a label names, and the containers a person names by their title:
  // the same lists as controlRoles and titledRoles in locate.go.
  const CONTROL = new Set(["textbox", "searchbox", "combobox", "checkbox", "radio", "switch", "spinbutton", "slider", "listbox"]);
  const TITLED = new Set(["dialog", "alertdialog"]);
  // The roles a reworded label may be taken from (textEntryRoles in
  // drift.go): a label names a field one types into.
  const TEXT_ENTRY = new Set(["textbox", "searchbox", "combobox", "spinbutton"]);
  const SKIP = new Set(["SCRIPT", "STYLE", "TEMPLATE", "HEAD", "META", "LINK", "TITLE", "NOSCRIPT"]);

  // The browser's role and name of an element (computedRole/computedName)
  // are exact but dear: each read walks the accessibility tree of the whole
  // document. So byRole reads them only for elements that can have the
  // role and can bear the name, found by cheap DOM tests that never leave
  // out an element that has them (supersets): the elements HTML gives the
  // role (IMPLICIT, as HTML-AAM maps them), any element whose role
  // attribute names it, any custom element (its ElementInternals may), and
  // for a name, the elements whose own words, in any attribute a name is
  // taken from, hold the name's letters in order.
  const IMPLICIT = {
    button: "button,input[type=button],input[type=submit],input[type=reset],input[type=image],summary",
    link: "a[href],area[href]",
    heading: "h1,h2,h3,h4,h5,h6",
    dialog: "dialog", alertdialog: "dialog",
    checkbox: "input[type=checkbox]", radio: "input[type=radio]", switch: "input[type=checkbox]",
    textbox: "input:not([type]),input[type=text],input[type=email],input[type=tel],input[type=url],input[type=password],textarea,[contenteditable]:not([contenteditable=false])",
    searchbox: "input[type=search]", spinbutton: "input[type=number]", slider: "input[type=range]",
    combobox: "select,input[list],input:not([type]),input[type=text],input[type=email],input[type=tel],input[type=url],input[type=search]",
    listbox: "select,datalist", option: "option", status: "output", img: "img,svg",
    list: "ul,ol,menu", listitem: "li", table: "table", row: "tr", cell: "td", columnheader: "th", rowheader: "th",
    form: "form", navigation: "nav", main: "main", banner: "header", contentinfo: "footer", region: "section",
    article: "article", group: "fieldset,details,optgroup", radiogroup: "", tab: "", menuitem: "", alert: "",
    paragraph: "p", progressbar: "progress", meter: "meter", separator: "hr",
  };
  const mayHave = (el, roles) => {
    const attr = el.getAttribute("role");
    // A role attribute the browser does not know falls back to the next
    // token or the element's own role: test both.
    if (attr && attr.split(/\s+/).some(r => roles.includes(r))) return true;
    if (el.tagName.includes("-")) return true;
    return roles.some(r => IMPLICIT[r] === undefined || (IMPLICIT[r] !== "" && el.matches(IMPLICIT[r])));
  };
  const squash = (t) => (t || "").replace(/\s+/g, "").toLowerCase();
  // mayBeNamed: every word the name could come from (text, labels, the
  // attributes a name is computed from, those of the descendants too)
  // holds the wanted name's letters, white space aside.
  const mayBeNamed = (el, want) => {
    const w = squash(want);
    let t = el.textContent || "";
    const attrs = ["aria-label", "alt", "title", "value", "placeholder"];
    const add = (e) => { for (const a of attrs) { const v = e.getAttribute && e.getAttribute(a); if (v) t += " " + v; } };
    add(el);
    if (el.value && typeof el.value === "string") t += " " + el.value;
    for (const e of el.querySelectorAll("[aria-label],[alt],[title],[value],[placeholder]")) add(e);
    if (el.labels) for (const l of el.labels) t += " " + l.textContent;
    for (const id of (el.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean)) {
      const l = el.getRootNode().getElementById && el.getRootNode().getElementById(id);
      if (l) { t += " " + l.textContent; add(l); }
    }
    if (el.shadowRoot) t += " " + el.shadowRoot.textContent;
    return squash(t).includes(w);
  };

  // byRole returns the elements under root (root included) whose role, as
  // the browser computes it for assistive technology, is one of roles (any
  // role in only, or any at all, when roles is empty) and whose accessible
  // name is name (normalised; any name when name is empty).
  const byRole = (root, roles, name, only) => {
    const want = name ? norm(name) : "";
    const wanted = roles.length ? roles : (only ? [...only] : null);
    const out = [];
    const all = root.nodeType === 9 ? deepAll(root) : [root, ...deepAll(root)];
    for (const el of all) {
      if (SKIP.has(el.tagName)) continue;
      if (wanted && !mayHave(el, wanted)) continue;
      if (want && !mayBeNamed(el, want)) continue;
      const r = el.computedRole;
      if (!r || r === "none" || r === "generic" || r === "presentation") continue;
      if (roles.length ? !roles.includes(r) : (only && !only.has(r))) continue;
      if (want && norm(el.computedName) !== want) continue;
      out.push(el);
    }
    return out;
  };

  // candidates is what one locator finds in root, narrowed by pick to what a
  // person sees (near its text or anchor): {els, unwired}.
  const candidates = (doc, root, loc, depth, anchorEl) => {
    let els = [], unwired = "";
    if (loc.role || loc.name) {
      const roles = loc.role ? loc.role.split("|") : [];
      els = byRole(root, roles, loc.name, null);
      if (!els.length && loc.name && roles.length && roles.every(r => TITLED.has(r))) {
        unwired = "by its visible title: the " + loc.role + " is not named";
        els = fns.byTitle.call(root, roles, loc.name);
      }
    } else if (loc.label) {
      els = byRole(root, [], loc.label, CONTROL);
      if (!els.length) {
        unwired = "by position: the label is not wired to its field";
        els = fns.byLabelText.call(root, loc.label);
      }
    } else if (loc.text) els = fns.byText.call(root, "text", loc.text);
    else if (loc.pattern) els = fns.byText.call(root, "pattern", loc.pattern);
    else if (loc.beside) els = fns.byText.call(root, "beside", loc.beside);
    else if (loc.css) els = fns.byCSS.call(root, loc.css);
    if (!els.length) return {els: [], unwired: ""};
    let anchor = null, near = loc.near || "", isPattern = false;
    if (anchorEl) {
      anchor = anchorEl;
      near = "";
    } else if (loc.anchor) {
      if (depth > 4) return {els: [], unwired: ""};
      const a = resolve(doc, loc.anchor, depth + 1);
      if (!a.el) return {els: [], unwired: ""};
      anchor = a.el;
      near = "";
    } else if (near.startsWith("re:")) {
      near = near.slice(3);
      isPattern = true;
    }
    const roleOnly = !loc.name && loc.role && !CONTROL.has(loc.role) && !TITLED.has(loc.role);
    const idx = fns.pick.call(root, near, isPattern, !!roleOnly, anchor, ...els);
    return {els: idx.map(i => els[i]), unwired};
  };

  // resolve finds the element e (its scope, then its locators in order) as
  // written: {el, index, unwired} or {most} (the most candidates one locator
  // had, to report ambiguity).
  const resolve = (doc, e, depth) => {
    let root = doc;
    if (e.scope && e.scope.length) {
      root = null;
      for (const w of e.scope) {
        const c = candidates(doc, doc, w, depth);
        if (c.els.length === 1) { root = c.els[0]; break; }
      }
      if (!root) return {most: 0};
    }
    let most = 0;
    for (let i = 0; i < e.locs.length; i++) {
      const c = candidates(doc, root, e.locs[i], depth);
      if (c.els.length === 1) return {el: c.els[0], index: i, unwired: c.unwired};
      most = Math.max(most, c.els.length);
    }
    return {most};
  };

  // first resolves each of specs in order and returns the first found, with
  // which one it was.
  const first = (doc, specs) => {
    let most = 0;
    for (let i = 0; i < specs.length; i++) {
      const r = resolve(doc, specs[i], 0);
      if (r.el) { r.which = i; return r; }
      most = Math.max(most, r.most);
    }
    return {most};
  };

  // until runs test now and again after each DOM change (and on a slow
  // timer, for what styles change without a mutation) until it returns
  // something, or ms pass (then it resolves to onTimeout()).
  const until = (test, ms, onTimeout) => new Promise((resolve) => {
    let done = false, pending = false;
    const finish = (v) => { done = true; mo.disconnect(); clearInterval(tick); clearTimeout(timer); resolve(v); };
    const look = () => {
      pending = false;
      if (done) return;
      let v;
      try { v = test(); } catch (err) { finish({error: String(err && err.message || err)}); return; }
      if (v) finish(v);
    };
    const soon = () => { if (!pending) { pending = true; setTimeout(look, 0); } };
    const mo = new MutationObserver(soon);
    mo.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
    const tick = setInterval(look, 100);
    const timer = setTimeout(() => { if (!done) finish(onTimeout()); }, Math.max(0, ms));
    look();
  });

  // frame resolves after the next animation frame (or 50 ms, for a page
  // the browser does not paint).
  const frame = () => new Promise((r) => { requestAnimationFrame(() => r()); setTimeout(r, 100); });

  // moving says a finite animation or transition runs on el or a box
  // around it (a dialog sliding in): its box is not where a press lands.
  const moving = (el) => {
    for (let n = el; n && n.getAnimations; n = up(n)) {
      for (const a of n.getAnimations()) {
        if (a.playState !== "running") continue;
        const t = a.effect && a.effect.getComputedTiming ? a.effect.getComputedTiming() : null;
        if (t && t.endTime !== Infinity) return true;
      }
    }
    return false;
  };

  // pack is the answer to the bot: the element (a reference) and what it
  // needs to know of the look, as JSON. With a token and the bot's binding
  // in this world, the JSON goes to the bot through the binding (an event
  // that reaches it before the call's answer) and the answer is the
  // element: one call. Else the answer is [element, JSON], which the bot
  // reads with a second call.
  const pack = (token) => (r) => {
    const info = JSON.stringify({index: r.index ?? -1, unwired: r.unwired || "", most: r.most || 0,
      which: r.which ?? -1, timeout: !!r.timeout, error: r.error || "", href: location.href});
    const say = globalThis.__portalbotSay;
    if (token && typeof say === "function") {
      say(token + " " + info);
      return r.el || null;
    }
    return [r.el || null, info];
  };

  let guard = null;
  let waited = false; // changed has been called in this document

  globalThis.__portalbot = {
    // find resolves specs once, or waits up to ms for the first of them.
    find(doc, specs, ms, token) {
      if (!(ms > 0)) return pack(token)(first(doc, specs));
      let most = 0;
      return until(() => { const r = first(doc, specs); most = Math.max(most, r.most); return r.el ? r : null; },
        ms, () => ({most, timeout: true})).then(pack(token));
    },
    // gone waits up to ms until spec no longer resolves: true when it did.
    gone(doc, spec, ms) {
      return until(() => resolve(doc, spec, 0).el ? null : {ok: true}, ms, () => ({ok: false})).then(r => r.ok === true);
    },
    // changed waits up to ms for the page to change: a DOM mutation, or a
    // field's value set by a script (no mutation tells of it, so the fields
    // are read every 10 ms). True when it did. Its first call in a document
    // answers true at once: the document is new to the wait that asks (the
    // page navigated since its last look), and its changes so far were
    // made before anything could watch them.
    changed(doc, ms) {
      if (!waited) {
        waited = true;
        return Promise.resolve(true);
      }
      const fields = [...doc.querySelectorAll("input,textarea,select")];
      const before = fields.map((f) => f.value);
      return new Promise((resolve) => {
        let done = false;
        const finish = (v) => {
          if (done) return;
          done = true; mo.disconnect(); clearInterval(tick); clearTimeout(timer); resolve(v);
        };
        const mo = new MutationObserver(() => finish(true));
        mo.observe(doc, {subtree: true, childList: true, attributes: true, characterData: true});
        const tick = setInterval(() => { if (fields.some((f, i) => f.value !== before[i])) finish(true); }, 10);
        const timer = setTimeout(() => finish(false), Math.max(0, ms));
      });
    },
    // cands is what one locator finds in root (near anchor, an element
    // the bot found already, when given), with how it was found: the drift
    // rules' look (the words they try are the bot's, not the data's).
    cands(root, loc, anchor) {
      const doc = root.nodeType === 9 ? root : root.ownerDocument;
      const c = candidates(doc, root, loc, 0, anchor || null);
      const out = [...c.els];
      out.unwired = c.unwired;
      return out;
    },
    // names returns the distinct accessible names of the visible elements
    // of roles in root (of the text-entry roles, for textEntry): the words
    // a reworded name or label is compared with.
    names(root, roles, textEntry) {
      const els = byRole(root, textEntry ? [] : roles, "", textEntry ? TEXT_ENTRY : null);
      const vis = fns.pick.call(root, "", false, false, null, ...els);
      const out = [];
      for (const i of vis) { const n = els[i].computedName || ""; if (n && !out.includes(n)) out.push(n); }
      return out;
    },
    // hidden waits up to ms until el is removed or no longer shown (a
    // dialog closed): true when it is.
    hidden(el, ms) {
      const shown = () => {
        if (!el.isConnected || closestDeep(el, "[hidden],[inert],[aria-hidden=true]")) return false;
        const r = el.getBoundingClientRect(), st = getComputedStyle(el);
        return r.width > 0 && r.height > 0 && st.visibility !== "hidden" && st.display !== "none";
      };
      return until(() => shown() ? null : {ok: true}, ms, () => ({ok: false})).then(r => r.ok === true);
    },
    // prepareClick waits until el can be clicked as a person would: enabled,
    // in view, still for two frames, and the centre of what is clicked (el,
    // or the label of a hidden styled box) is el's and not covered. It arms
    // the click guard on that target and returns {x, y}; else {detached},
    // {blocked: [...]} (disabled for graceMs with a question left) or
    // {timeout: why} after ms. With want (true or false: a box to tick or
    // untick), a box already so is not clicked ({already: true}), and an
    // element with no checked state is not either ({noState: true}). With a
    // token, the guard tells the bot of the click as it lands (armClick).
    async prepareClick(el, graceMs, ms, want, token) {
      const t0 = performance.now();
      let last = null, disabledSince = -1, why = "moving or covered";
      for (;;) {
        if (!el.isConnected) return {detached: true};
        const now = performance.now();
        const st = fns.state.call(el);
        if (typeof want === "boolean") {
          if (st.checked === null) return {noState: true};
          if (st.checked === want) return {already: true};
        }
        if (!st.disabled) disabledSince = -1;
        else if (disabledSince < 0) disabledSince = now;
        else if (now - disabledSince >= graceMs) {
          const asks = fns.diagnose.call(el);
          if (asks.length) return {blocked: asks};
          disabledSince = now;
        }
        const target = fns.clickTarget.call(el);
        // Into view, in the window and in every scrolled box around it (a
        // dialog's body): a no-op when it is in view already.
        if (target.scrollIntoViewIfNeeded) target.scrollIntoViewIfNeeded(true);
        else target.scrollIntoView({block: "nearest", inline: "nearest"});
        const r = target.getBoundingClientRect();
        const box = {x: r.left, y: r.top, w: r.width, h: r.height};
        const still = last && !moving(target) && box.w > 0 && box.h > 0 && box.x === last.x && box.y === last.y && box.w === last.w && box.h === last.h;
        why = st.disabled ? "disabled" : "moving or covered";
        if (still && !st.disabled) {
          const x = box.x + box.w / 2, y = box.y + box.h / 2;
          if (fns.hit.call(target, x, y)) {
            if (guard) guard.off();
            guard = fns.armClick.call(target, token);
            return {x, y};
          }
        }
        last = box;
        if (performance.now() - t0 >= ms) return {timeout: why};
        await frame();
      }
    },
    // disarm removes the guard of the last prepared click and says whether
    // the press reached its target ("hit"), was stopped ("missed") or was
    // not seen at all ("armed"), and whether el is checked now (null: it
    // has no such state): {guard, checked}.
    disarm(el) {
      const checked = el && el.isConnected ? fns.state.call(el).checked : null;
      if (!guard) return {guard: "armed", checked};
      const g = guard;
      guard = null;
      g.off();
      return {guard: g.state, checked};
    },
  };
  return document;
})()
