function(max) {
  /*@prelude*/
  // The visible texts of the scope, each as a person reads it (an element's
  // own words, without its buttons' and fields' text): what a reworded text
  // locator is compared with.
  const root = scopeOf(this);
  if (!root) return [];
  const out = new Set();
  for (const el of [root, ...deepAll(root)]) {
    if (["SCRIPT", "STYLE", "TEMPLATE", "HEAD", "INPUT", "TEXTAREA", "SELECT", "OPTION"].includes(el.tagName)) continue;
    // A block of text of its own: an element with words directly in it
    // (a container of such blocks is not one more candidate).
    if (![...el.childNodes].some(n => n.nodeType === 3 && n.nodeValue.trim())) continue;
    if (closestDeep(el, "[hidden],[inert],[aria-hidden=true]")) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    const t = norm(ownText(el));
    if (!t || t.length > 300) continue;
    out.add(t);
    if (out.size >= max) break;
  }
  return [...out];
}
