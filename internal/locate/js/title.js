function() {
  // The name a person gives a container: its accessible name, else the
  // heading it shows.
  const by = (this.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean)
    .map(id => this.getRootNode().getElementById(id)).filter(Boolean).map(l => l.innerText).join(" ");
  const h = this.querySelector("h1,h2,h3,h4,[role=heading]");
  return (this.getAttribute("aria-label") || by || (h ? h.innerText : "")).replace(/\s+/g, " ").trim();
}
