// The document's address once it has loaded, as a navigation's end is
// told. The tab's first, blank document (the browser still opening the page
// it was launched on) never answers: the call ends when the page replaces it.
new Promise((done) => {
  if (location.href === "about:blank") return;
  if (document.readyState === "complete") {
    done(location.href);
    return;
  }
  addEventListener("load", () => done(location.href), { once: true });
})
