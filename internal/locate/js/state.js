function() {
  const r = this.getBoundingClientRect();
  const disabled = !!(this.disabled || this.closest("[aria-disabled=true]") || this.closest("fieldset[disabled]"));
  // A text found by its words stands for the control it labels.
  const ctl = (this.type === "checkbox" || this.type === "radio" || this.hasAttribute("aria-checked") || this.hasAttribute("aria-pressed")) ? this :
    ((this.closest("label") || {}).control || this.closest("[role=radio],[role=checkbox],[role=switch]") ||
     (this.closest("label") ? this.closest("label").querySelector("input[type=checkbox],input[type=radio],[role=radio],[role=checkbox]") : null) || this);
  let checked = null;
  if (ctl.type === "checkbox" || ctl.type === "radio") checked = ctl.checked;
  else if (ctl.hasAttribute("aria-checked")) checked = ctl.getAttribute("aria-checked") === "true";
  else if (ctl.hasAttribute("aria-pressed")) checked = ctl.getAttribute("aria-pressed") === "true";
  const isField = this.matches("input,textarea,select");
  const value = isField ? this.value : (this.innerText || this.textContent || "").trim();
  return {x: r.left, y: r.top, w: r.width, h: r.height, disabled, checked, value, isField, connected: this.isConnected,
          tag: this.tagName.toLowerCase(), type: this.type || ""};
}
