// Makes the page hold still for a docs screenshot (this = document):
// transitions and animations off (a running one jumps to its end), the text
// caret hidden, smooth scrolling off, web fonts loaded, and two frames drawn
// since. The style carries data-portalbot-overlay, so the cleanup that
// removes the masks removes it too.
async function() {
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
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
}
