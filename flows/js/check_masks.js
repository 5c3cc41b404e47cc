// The masks drawn over the page for bot check's picture (this = document),
// in CSS pixels of the viewport, to check each is one colour in the picture.
function() {
  return Array.from(document.querySelectorAll("[data-portalbot-mask]")).map((m) => {
    const r = m.getBoundingClientRect();
    return {x: r.left, y: r.top, w: r.width, h: r.height};
  });
}
