function(roles, want) {
  /*@prelude*/
  const root = scopeOf(this);
  if (!root) return [];
  const sel = roles.map(r => "[role=" + r + "]").join(",") + (roles.includes("dialog") ? ",dialog[open]" : "");
  const inert = "button,a,input,textarea,select,[role=button],[role=link],[role=switch],[role=checkbox],[role=radio],[role=textbox]";
  const named = (box) => { const by = (box.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean)
    .map(id => box.getRootNode().getElementById(id)).filter(Boolean).map(l => l.innerText).join(" ");
    return norm(box.getAttribute("aria-label") || by) !== ""; };
  return [root, ...deepAll(root)].filter(el => el.matches && el.matches(sel) && !named(el)).filter(box =>
    deepAll(box).some(t => !closestDeep(t, inert) && saysOwn(t, want)));
}
