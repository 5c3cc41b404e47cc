// Test helpers for the replicas' own browser tests (not the bot's way of
// finding things): window.fpt finds visible elements by their words.
window.fpt = (function () {
  function visible(el) {
    if (!el || !el.isConnected) { return false; }
    var r = el.getBoundingClientRect();
    var s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.opacity !== '0';
  }
  // words: the text of el without its aria-hidden parts.
  function words(el) {
    var out = '';
    (function walk(n) {
      if (n.nodeType === 3) { out += n.nodeValue; return; }
      if (n.nodeType !== 1 || n.getAttribute('aria-hidden') === 'true') { return; }
      for (var c = n.firstChild; c; c = c.nextSibling) { walk(c); }
    })(el);
    return out.replace(/\s+/g, ' ').trim();
  }
  var CLICKABLE = 'button, a, [role=radio], [role=checkbox], [role=switch], label';
  // el: the visible clickable element whose words are text (within root).
  function el(text, root) {
    var all = (root || document).querySelectorAll(CLICKABLE);
    for (var i = 0; i < all.length; i++) {
      if (words(all[i]) === text && visible(all[i])) { return all[i]; }
    }
    return null;
  }
  // field: the visible input named text by a label, aria-labelledby or
  // aria-label.
  function field(text) {
    var all = document.querySelectorAll('input, textarea');
    for (var i = 0; i < all.length; i++) {
      var f = all[i];
      var names = [f.getAttribute('aria-label') || ''];
      if (f.labels) { Array.prototype.forEach.call(f.labels, function (l) { names.push(words(l)); }); }
      (f.getAttribute('aria-labelledby') || '').split(' ').forEach(function (id) {
        var l = id && document.getElementById(id);
        if (l) { names.push(words(l)); }
      });
      if (names.some(function (n) { return n.replace(/ \*$/, '') === text; }) && visible(f)) { return f; }
    }
    return null;
  }
  return {
    has: function (text) { return !!el(text) || !!field(text); },
    shown: function (text) {
      return Array.prototype.some.call(document.querySelectorAll('h1, h2, [role=heading], p, span, legend, div'), function (e) {
        return words(e) === text && visible(e);
      });
    },
    disabled: function (text) { var e = el(text); return e ? (e.disabled || e.getAttribute('aria-disabled') === 'true') : null; },
    click: function (text) { var e = el(text); if (!e) { return false; } e.click(); return true; },
    fill: function (text, value) {
      var f = field(text);
      if (!f) { return false; }
      f.focus();
      f.value = value;
      f.dispatchEvent(new Event('input', { bubbles: true }));
      f.dispatchEvent(new Event('change', { bubbles: true }));
      return true;
    },
    // choose clicks the answer of one question (its own Yes or No).
    choose: function (question, answer) {
      var all = document.querySelectorAll('legend, div, span');
      for (var i = 0; i < all.length; i++) {
        if (words(all[i]) === question && all[i].children.length === 0 && visible(all[i])) {
          var e = el(answer, all[i].parentElement);
          if (e) { e.click(); return true; }
        }
      }
      return false;
    },
    value: function (text) { var f = field(text); return f ? f.value : null; },
    attr: function (sel, name) { var e = document.querySelector(sel); return e ? e.getAttribute(name) : null; },
    clickCSS: function (sel) { var e = document.querySelector(sel); if (!e) { return false; } e.click(); return true; },
    fillCSS: function (sel, value) {
      var f = document.querySelector(sel);
      if (!f) { return false; }
      f.value = value;
      f.dispatchEvent(new Event('input', { bubbles: true }));
      return true;
    },
    switchName: function () {
      var s = document.querySelector('[role=switch]');
      if (!s) { return null; }
      var l = document.getElementById(s.getAttribute('aria-labelledby'));
      return (l ? words(l) : s.getAttribute('aria-label')) + ' ' + s.getAttribute('aria-checked');
    }
  };
})();
true;
