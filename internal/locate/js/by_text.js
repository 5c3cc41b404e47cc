function(mode, want) {
  /*@prelude*/
  const root = scopeOf(this);
  if (!root) return [];
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
}
