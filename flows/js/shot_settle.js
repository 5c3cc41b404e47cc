// Makes the page hold still for a docs screenshot (this = document):
// running transitions finished, then transitions and animations off, the text
// caret hidden, smooth scrolling off, web fonts loaded, and two frames drawn
// since. The style carries data-portalbot-overlay, so the cleanup that
// removes the masks removes it too.
async function() {
  const frames = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  // A class a script adds in the next frame starts its transition first;
  // transitions that run end, as they would for a person (2 s at most): one
  // cut short, or never started, is composited differently and the picture
  // differs by a few pixels from one run to the next.
  await frames();
  const running = (document.getAnimations ? document.getAnimations() : []).filter((a) => {
    const t = a.effect && a.effect.getComputedTiming();
    return a.playState === "running" && t && t.endTime !== Infinity;
  });
  await Promise.race([
    Promise.all(running.map((a) => a.finished.catch(() => null))),
    new Promise((done) => setTimeout(done, 2000)),
  ]);
  if (!document.querySelector("style[data-portalbot-overlay]")) {
    const st = document.createElement("style");
    st.setAttribute("data-portalbot-overlay", "");
    st.textContent = "*,*::before,*::after{transition:none!important;animation:none!important;" +
      "caret-color:transparent!important;scroll-behavior:auto!important}";
    (document.head || document.documentElement).appendChild(st);
  }
  for (const a of document.getAnimations ? document.getAnimations() : []) {
    try { a.finish(); } catch (e) { a.cancel(); } // an endless animation cannot finish
  }
  await document.fonts.ready;
  await frames();
}
