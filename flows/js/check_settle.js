// Waits, before bot check takes a page's picture (this = document), until
// the page has stopped changing: the document is at least minAgeMs old
// (a banner or notice a page adds a moment after loading is in the
// picture, as a person would see it) and its DOM has not changed for
// quietMs; at most maxMs in all. Returns the viewport's size in CSS pixels.
async function(minAgeMs, quietMs, maxMs) {
  const start = performance.now();
  let last = start;
  const obs = new MutationObserver(() => { last = performance.now(); });
  obs.observe(document.documentElement, {subtree: true, childList: true, attributes: true, characterData: true});
  try {
    await new Promise((done) => {
      const tick = () => {
        const now = performance.now();
        if ((now >= minAgeMs && now - last >= quietMs) || now - start >= maxMs) return done();
        setTimeout(tick, 50);
      };
      tick();
    });
  } finally {
    obs.disconnect();
  }
  return {vw: window.innerWidth, vh: window.innerHeight};
}
