// Waits until the page has drawn two frames (this = document).
async function() {
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
}
