const norm = (s) => (s || "").replace(/\s+/g, " ").trim().replace(/\s*(\*|\(required\))$/i, "").replace(/:$/, "").trim();
  const rx = (p) => p.startsWith("(?i)") ? new RegExp(p.slice(4), "i") : new RegExp(p);
  // The page may be built of web components: look inside open shadow roots.
  const deepAll = (root) => { const out = []; const walk = (n) => { for (const el of n.querySelectorAll("*")) { out.push(el); if (el.shadowRoot) walk(el.shadowRoot); } }; walk(root); if (root.shadowRoot) walk(root.shadowRoot); return out; };
  const up = (n) => n.parentElement || (n.parentNode && n.parentNode.host) || null;
  // scopeOf is the element a look searches in: the scope element, or the
  // document's body; null while a loading page's body has not arrived
  // (nothing to see yet: the look finds nothing and waits).
  const scopeOf = (n) => n.nodeType === 9 ? n.body : n;
  const within = (a, b) => { for (let n = b; n; n = up(n)) if (n === a) return true; return false; };
  const closestDeep = (el, sel) => { for (let n = el; n; n = up(n)) if (n.matches && n.matches(sel)) return n; return null; };
  // ownText is the text an element shows as its own words: without what
  // its buttons, links and fields say, decorations hidden from assistive
  // technology, or hidden text ("Client ID" of "Client ID <button>ⓘ</button>").
  const ownText = (el) => {
    const skip = "button,a,input,textarea,select,option,[role=button],[role=link],[role=switch],[role=checkbox],[role=radio],[role=textbox],[aria-hidden=true],script,style,template";
    const w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let out = "";
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      let ok = true;
      for (let p = n.parentElement; p && ok; p = p === el ? null : p.parentElement) {
        if (p !== el && p.matches(skip)) ok = false;
        else { const st = getComputedStyle(p); if (st.display === "none" || st.visibility === "hidden") ok = false; }
      }
      if (ok) out += n.nodeValue;
    }
    return out;
  };
  const saysOwn = (el, want) => norm(el.innerText).includes(norm(want)) && norm(ownText(el)) === norm(want);
