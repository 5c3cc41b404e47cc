function() {
  const r = this.getBoundingClientRect(), st = getComputedStyle(this);
  const hiddenInput = r.width < 4 || r.height < 4 || st.opacity === "0" || st.visibility === "hidden" ||
    (st.clip && st.clip !== "auto") || (st.clipPath && st.clipPath !== "none");
  if (!hiddenInput) return this;
  if (this.labels) for (const l of this.labels) { const b = l.getBoundingClientRect(); if (b.width > 0 && b.height > 0) return l; }
  const wrap = this.closest("label,[role=radio],[role=checkbox]");
  if (wrap && wrap !== this) return wrap;
  return this;
}
