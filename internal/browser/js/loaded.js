// The document's address and HTTP status once it has loaded, as a
// navigation's end is told: {href, status} (status 0 when the browser does
// not tell it). The tab's first, blank document (the browser still opening
// the page it was launched on) never answers: the call ends when the page
// replaces it.
new Promise((done) => {
  if (location.href === "about:blank") return;
  const loaded = () => done({
    href: location.href,
    status: /*@status*/,
  });
  if (document.readyState === "complete") {
    loaded();
    return;
  }
  addEventListener("load", loaded, { once: true });
})
