function() {
  /*@prelude*/
  // What keeps a submit button disabled, as a person would see it: in the
  // dialog or form around it, a question whose answers are all unticked, a
  // required field left empty, a required box unticked, an error shown.
  // Returns [{kind, text}] with the words the page shows for each.
  const box = closestDeep(this, "[role=dialog],[role=alertdialog],dialog,form") || document.body;
  const shown = (e) => { if (!e || closestDeep(e, "[hidden],[inert],[aria-hidden=true]")) return false;
    const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
    if (r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none") return true;
    if (e.labels) for (const l of e.labels) { const b = l.getBoundingClientRect(); if (b.width > 0 && b.height > 0) return true; }
    return false; };
  const on = (e) => e.matches("input") ? e.checked : e.getAttribute("aria-checked") === "true";
  const nameOf = (e) => {
    if (e.getAttribute("aria-label")) return e.getAttribute("aria-label");
    const by = (e.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean).map(id => e.getRootNode().getElementById(id)).filter(Boolean);
    if (by.length) return by.map(l => l.innerText).join(" ");
    if (e.labels && e.labels.length) return ownText(e.labels[0]);
    if (e.matches("fieldset")) { const l = e.querySelector("legend"); if (l) return l.innerText; }
    return e.getAttribute("placeholder") || e.getAttribute("title") || "";
  };
  const out = [];
  const all = deepAll(box);
  // Radio groups: by role=radiogroup or fieldset, else by name, else by parent.
  const groups = new Map();
  for (const r of all.filter(e => e.matches("input[type=radio],[role=radio]") && shown(e))) {
    const g = closestDeep(r, "[role=radiogroup],fieldset") || (r.name ? "name:" + r.name : up(r));
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g).push(r);
  }
  for (const [g, radios] of groups) {
    if (radios.some(on)) continue;
    let q = typeof g === "string" ? "" : norm(nameOf(g));
    if (!q) {
      // The question is the text of the nearest container around the
      // answers that says more than the answers' own labels.
      const answers = radios.map(r => norm((r.labels && r.labels[0] ? r.labels[0].innerText : r.innerText) || r.value));
      for (let c = up(radios[0]); c && c !== up(box); c = up(c)) {
        if (!radios.every(r => within(c, r))) continue;
        let t = norm(c.innerText);
        for (const a of answers) if (a) t = t.split(a).join(" ");
        t = norm(t);
        if (t) { q = t; break; }
      }
    }
    out.push({kind: "question", text: q || "(a question with answers " + radios.map(r => norm(r.innerText || r.value)).join(" / ") + ")"});
  }
  for (const c of all.filter(e => e.matches("input,textarea,select,[role=textbox],[role=combobox],[role=checkbox]") && shown(e))) {
    const req = c.required || c.getAttribute("aria-required") === "true";
    if (!req || c.matches("input[type=radio]")) continue;
    const box_ = c.matches("input[type=checkbox],[role=checkbox]");
    if (box_ ? on(c) : (c.value !== undefined ? c.value !== "" : norm(c.innerText) !== "")) continue;
    out.push({kind: box_ ? "checkbox" : "field", text: norm(nameOf(c)) || "(a required " + (box_ ? "box" : "field") + " with no label)"});
  }
  for (const c of all.filter(e => e.getAttribute && e.getAttribute("aria-invalid") === "true" && shown(e))) {
    const ids = ((c.getAttribute("aria-errormessage") || "") + " " + (c.getAttribute("aria-describedby") || "")).split(/\s+/).filter(Boolean);
    const msg = ids.map(id => c.getRootNode().getElementById(id)).filter(e => e && shown(e)).map(e => norm(e.innerText)).filter(Boolean).join(" ");
    out.push({kind: "error", text: (norm(nameOf(c)) ? norm(nameOf(c)) + ": " : "") + (msg || "marked invalid")});
  }
  for (const a of all.filter(e => e.matches("[role=alert]") && shown(e))) {
    const t = norm(a.innerText);
    if (t && !out.some(o => o.text.includes(t))) out.push({kind: "error", text: t});
  }
  return out;
}
