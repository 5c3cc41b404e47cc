function(x, y) {
  /*@prelude*/
  let top = document.elementFromPoint(x, y);
  while (top && top.shadowRoot) { const inner = top.shadowRoot.elementFromPoint(x, y); if (!inner || inner === top) break; top = inner; }
  if (!top) return false;
  if (within(this, top)) return true;
  if (this.labels) for (const l of this.labels) if (within(l, top)) return true;
  const wrap = closestDeep(this, "label");
  if (wrap && within(wrap, top)) return true;
  return false;
}
