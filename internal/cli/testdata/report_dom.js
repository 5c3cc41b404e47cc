// What a person sees in report.html (this = window's document, evaluated
// as an expression): the elements listed as missing, the elements outlined
// on the pictures, and the visual diffs with their images loaded.
(() => {
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden"; };
  const loaded = (img) => img.complete && img.naturalWidth > 0 && visible(img);
  return {
    exit: document.querySelector(".verdict") ? document.querySelector(".verdict").getAttribute("data-exit") : "",
    missing: Array.from(document.querySelectorAll("[data-missing]")).filter(visible).map((e) => e.getAttribute("data-missing")),
    missingRows: Array.from(document.querySelectorAll("tr[data-status=missing]")).filter(visible).map((e) => e.getAttribute("data-element")),
    boxes: Array.from(document.querySelectorAll(".shot .box")).filter(visible).map((e) => e.getAttribute("data-element") + "=" + e.getAttribute("data-status")),
    differs: Array.from(document.querySelectorAll("[data-visual-status=differs]")).filter(visible).map((e) => e.getAttribute("data-visual")),
    diffImages: Array.from(document.querySelectorAll("img.visual-diff")).filter(loaded).length,
    baselineImages: Array.from(document.querySelectorAll("img.visual-baseline")).filter(loaded).length,
    pagePictures: Array.from(document.querySelectorAll("img.page-picture")).filter(loaded).length,
    external: Array.from(document.querySelectorAll("img,link,script")).filter((e) => (e.src || e.href || "") && !(e.src || e.href).startsWith("data:")).length,
  };
})()
