/* Single-page rendering of the portal replicas (fakeportal, variant "spa").
 * Plain ES5-ish browser script, no build step. Every visible label goes
 * through L("...") / S("...") with a literal, so the server can send the
 * labels (after its Rename / Remove faults) for all of them. */
(function () {
  'use strict';

  // ------------------------------------------------------------ utilities
  var seed = Math.random().toString(36).slice(2, 8);
  var idCounter = Math.floor(Math.random() * 40);
  function uid() { idCounter += 1; return ':r' + idCounter.toString(36) + ':'; }

  function hash(s) {
    var x = 2166136261;
    for (var i = 0; i < s.length; i++) { x ^= s.charCodeAt(i); x = Math.imul(x, 16777619); }
    return (x >>> 0).toString(36);
  }
  var CLS = {};
  function c(k) {
    if (!CLS[k]) { CLS[k] = 'css-' + hash(k + ':' + seed).slice(0, 6); }
    return CLS[k];
  }

  var LBL = {};
  var MOVED = {};  // shown text -> "placeholder" | "tooltip" (drift fault)
  var W26 = false; // the 2025-26 wording
  function L(k) { var x = LBL[k]; return x ? x.t : k; }
  function S(k) { var x = LBL[k]; return x ? !!x.show : true; }
  // K picks a label key by wording (2023, 2026); N marks a 2026-only key.
  function K(a, b) { return W26 ? b : a; }
  function N(k) { return k; }
  function fmt(tpl, v) { return tpl.replace('%d', String(v)).replace('%s', String(v)); }

  function add(el, ch) {
    if (ch === null || ch === undefined || ch === false || ch === true) { return; }
    if (Array.isArray(ch)) { for (var i = 0; i < ch.length; i++) { add(el, ch[i]); } return; }
    if (typeof ch === 'string' || typeof ch === 'number') { ch = document.createTextNode(String(ch)); }
    el.appendChild(ch);
  }
  // h(tag, props, ...children). props: cls (space separated style keys),
  // on<event>, value, checked, and any attribute.
  function h(tag, props) {
    var el = document.createElement(tag);
    if (props) {
      for (var k in props) {
        if (!Object.prototype.hasOwnProperty.call(props, k)) { continue; }
        var v = props[k];
        if (v === null || v === undefined || v === false) { continue; }
        if (k === 'cls') {
          el.className = String(v).split(' ').filter(Boolean).map(c).join(' ');
        } else if (k.slice(0, 2) === 'on' && typeof v === 'function') {
          el.addEventListener(k.slice(2), v);
        } else if (k === 'value') {
          el.value = String(v);
        } else if (k === 'checked') {
          el.checked = !!v;
        } else {
          el.setAttribute(k, v === true ? '' : String(v));
        }
      }
    }
    for (var i = 2; i < arguments.length; i++) { add(el, arguments[i]); }
    return el;
  }
  function clear(el) { while (el.firstChild) { el.removeChild(el.firstChild); } }

  // ------------------------------------------------------------ styles
  var CSS = [
    '*{box-sizing:border-box}',
    'body{margin:0;font:15px/1.5 "Inter",system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#17212b;background:#eef1f4}',
    '.$hide{display:none!important}',
    '.$vh{position:absolute!important;opacity:0;width:1px;height:1px;margin:-1px;padding:0;border:0;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap}',
    '.$bar{display:flex;align-items:center;gap:20px;padding:0 28px;height:60px;color:#fff;background:#10253a}',
    '.$tcodat .$bar{background:#23124d}',
    '.$tfreeagent .$bar{background:#005a9c}',
    '.$brand{font-weight:700;font-size:17px;color:#fff;text-decoration:none}',
    '.$navl{display:flex;gap:16px;list-style:none;margin:0;padding:0}',
    '.$navl a,.$barlink{color:#fff;text-decoration:none}',
    '.$grow{flex:1}',
    '.$wrap{max-width:1080px;margin:28px auto;padding:0 28px}',
    '.$panel{background:#fff;border-radius:10px;box-shadow:0 1px 3px rgba(0,0,0,.12);padding:22px;margin-bottom:18px}',
    '.$auth{max-width:430px;margin:60px auto}',
    '.$h1{font-size:25px;font-weight:650;margin:0 0 14px}',
    '.$h2{font-size:18px;font-weight:650;margin:0 0 12px}',
    '.$fld{display:flex;flex-direction:column;gap:5px;margin:0 0 16px}',
    '.$lbl{font-weight:600;font-size:14px}',
    '.$wl{display:flex;flex-direction:column;gap:5px}',
    '.$req{color:#c62828}',
    '.$inp{font:inherit;padding:9px 11px;border:1px solid #9aa7b4;border-radius:6px;width:100%;background:#fff}',
    '.$inp[readonly]{background:#f1f3f5}',
    '.$inp[aria-invalid=true]{border-color:#c62828}',
    '.$ta{min-height:84px;resize:vertical}',
    '.$err{color:#b3261e;font-size:13px}',
    '.$alert{background:#fdeceb;border:1px solid #f2bcb8;color:#8c1d18;padding:10px 12px;border-radius:6px;margin:0 0 16px}',
    '.$warn{background:#fff6dc;border:1px solid #f3d77b;padding:8px 12px;border-radius:6px;font-size:13px;margin:8px 0}',
    '.$btn{font:inherit;cursor:pointer;border-radius:6px;padding:9px 18px;border:0;background:#1f6feb;color:#fff;text-decoration:none;display:inline-block}',
    '.$btn:disabled{opacity:.4;cursor:not-allowed}',
    '.$ghost{background:#fff;color:#1f6feb;box-shadow:inset 0 0 0 1px #1f6feb}',
    '.$plain{background:none;color:#1f6feb;padding:4px 6px}',
    '.$wide{width:100%}',
    '.$top{display:flex;align-items:center;justify-content:space-between;margin-bottom:18px}',
    '.$cols{display:flex;gap:26px}',
    '.$side{width:210px;flex:none}',
    '.$side ul{list-style:none;margin:0;padding:0}',
    '.$side a{display:block;padding:8px 12px;border-radius:6px;color:#17212b;text-decoration:none}',
    '.$side a[aria-current=page]{background:#dde8f5;font-weight:650}',
    '.$main{flex:1;min-width:0}',
    '.$grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(270px,1fr));gap:16px}',
    '.$badge{display:inline-block;background:#e7eef7;border-radius:12px;padding:2px 10px;font-size:13px}',
    '.$opt{display:flex;align-items:center;gap:9px;padding:5px 0;cursor:pointer;user-select:none;outline-offset:2px}',
    '.$dot{width:18px;height:18px;border-radius:50%;border:2px solid #6b7785;display:inline-block;flex:none}',
    '.$opt[aria-checked=true] .$dot{border:6px solid #1f6feb}',
    '.$box{width:18px;height:18px;border-radius:4px;border:2px solid #6b7785;display:inline-flex;align-items:center;justify-content:center;flex:none;font-size:12px;color:#fff}',
    '.$opt[aria-checked=true] .$box{background:#1f6feb;border-color:#1f6feb}',
    '.$nbox{display:flex;align-items:center;gap:9px;position:relative;cursor:pointer}',
    '.$nbox .$box{background:#fff}',
    'input:checked + .$nfake .$box{background:#1f6feb;border-color:#1f6feb}',
    'input:focus-visible + .$nfake .$box{outline:2px solid #1f6feb;outline-offset:2px}',
    '.$nfake{display:flex;align-items:center;gap:9px}',
    '.$q{margin:0 0 16px}',
    '.$qt{font-weight:600;font-size:14px;margin-bottom:4px}',
    '.$portal{position:fixed;inset:0;z-index:50}',
    '.$back{position:absolute;inset:0;background:rgba(8,18,28,.5);opacity:0;transition:opacity .25s ease}',
    '.$dlg{position:absolute;top:5vh;left:50%;width:620px;max-width:94vw;max-height:90vh;overflow:auto;background:#fff;border-radius:12px;padding:26px;box-shadow:0 18px 50px rgba(0,0,0,.35);opacity:0;transform:translate(-50%,40px) scale(.96);transition:opacity .25s ease,transform .25s ease}',
    '.$portal.$shown .$back{opacity:1}',
    '.$portal.$shown .$dlg{opacity:1;transform:translate(-50%,0) scale(1)}',
    '.$acts{display:flex;justify-content:flex-end;gap:10px;margin-top:18px}',
    '.$x{position:absolute;top:12px;right:12px}',
    '.$mono{font-family:ui-monospace,Menlo,Consolas,monospace}',
    '.$kv{display:flex;align-items:center;gap:10px;margin:0 0 16px;flex-wrap:wrap}',
    '.$slot{border:1px solid #dce2e8;border-radius:8px;padding:14px;margin:0 0 12px}',
    '.$tbl{border-collapse:collapse;width:100%}',
    '.$tbl th,.$tbl td{text-align:left;padding:12px 14px;border-bottom:1px solid #e4e8ec}',
    '.$sw{position:relative;width:44px;height:24px;border-radius:12px;border:0;background:#b4bec8;padding:0;cursor:pointer}',
    '.$sw[aria-disabled=true]{opacity:.45;cursor:not-allowed}',
    '.$knob{position:absolute;top:3px;left:3px;width:18px;height:18px;border-radius:50%;background:#fff;transition:left .15s}',
    '.$sw[aria-checked=true]{background:#2e7d32}',
    '.$sw[aria-checked=true] .$knob{left:23px}',
    '.$toasts{position:fixed;right:24px;bottom:24px;display:flex;flex-direction:column;gap:8px;z-index:80}',
    '.$toast{background:#1d4d2a;color:#fff;padding:12px 18px;border-radius:8px;box-shadow:0 6px 20px rgba(0,0,0,.25)}',
    '.$shift{height:80px;background:#fff3cd;border-bottom:1px solid #e0c56e;display:flex;align-items:center;padding:0 28px}',
    '.$loading{padding:40px;text-align:center;color:#6b7785}',
    '.$crumbs{margin:0 0 12px;color:#51606e}',
    '.$muted{color:#5b6773}',
    '.$list{list-style:none;margin:0;padding:0}',
    '.$list li{padding:12px 0;border-bottom:1px solid #e4e8ec}'
  ].join('\n');

  function installStyles() {
    var css = CSS.replace(/\$([a-zA-Z]+)/g, function (_, k) { return c(k); });
    document.head.appendChild(h('style', null, css));
  }

  // ------------------------------------------------------------ page chrome
  var root = document.getElementById('root');
  var toastRegion = null;
  var env = null;        // current envelope {page,title,portal,status,labels,view}
  var shiftDone = false;
  var renderSeq = 0;

  function toast(text) {
    if (!text) { return; }
    var t = h('div', { role: 'status', cls: 'toast' }, text);
    toastRegion.appendChild(t);
    setTimeout(function () { if (t.parentNode) { t.parentNode.removeChild(t); } }, 4000);
  }

  function loading() {
    clear(root);
    root.setAttribute('aria-busy', 'true');
    root.appendChild(h('div', { cls: 'loading' }, '…'));
  }

  function delay() { return 150 + Math.floor(Math.random() * 250); }

  function isJSON(res) { return (res.headers.get('Content-Type') || '').indexOf('application/json') === 0; }

  // show draws an envelope after the artificial delay.
  function show(e, after) {
    var seq = ++renderSeq;
    loading();
    setTimeout(function () {
      if (seq !== renderSeq) { return; }
      env = e;
      LBL = e.labels || {};
      W26 = e.wording === '2026';
      MOVED = {};
      Object.keys(LBL).forEach(function (k) { if (LBL[k].m) { MOVED[LBL[k].t] = LBL[k].m; } });
      document.title = e.title || '';
      document.body.className = c('t' + (e.portal || 'x'));
      clear(root);
      root.removeAttribute('aria-busy');
      var fn = PAGES[e.page] || pageUnknown;
      add(root, fn(e.view || {}));
      if (after) { after(); }
      if (e.layoutShift && !shiftDone) {
        shiftDone = true;
        setTimeout(function () {
          document.body.insertBefore(h('div', { cls: 'shift' },
            'We use cookies to make this site work. Read our cookie policy to learn more.'), document.body.firstChild);
        }, 300);
      }
    }, delay());
  }

  var HDR = { 'X-Spa-Request': '1', 'Accept': 'application/json' };

  // navigate loads a same-origin page by the router; anything unexpected
  // becomes a full page load of the same URL.
  function navigate(url, push) {
    loading();
    fetch(url, { credentials: 'same-origin', headers: HDR }).then(function (res) {
      if (res.status === 401 || res.status >= 500 || !isJSON(res)) { location.assign(url); return null; }
      return res.json().then(function (e) {
        if (push !== false) { history.pushState({ spa: 1 }, '', res.url || url); }
        show(e);
      });
    }).catch(function () { location.assign(url); });
  }
  window.addEventListener('popstate', function () { navigate(location.href, false); });

  // submit posts a form by fetch and draws the answer: a redirect lands on
  // the new page (pushState), an error re-renders the same page.
  function submit(url, params, onJSON) {
    var body = params.toString();
    return fetch(url, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'X-Spa-Request': '1', 'Accept': 'application/json', 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      body: body
    }).then(function (res) {
      if (res.status === 401) { location.reload(); return null; }
      if (!isJSON(res)) { location.assign(res.url || url); return null; }
      return res.json().then(function (e) {
        if (onJSON && onJSON(res, e)) { return; }
        if (res.redirected) { history.pushState({ spa: 1 }, '', res.url); }
        show(e);
      });
    }).catch(function () { location.reload(); });
  }

  // api calls a JSON endpoint of the page (not a page).
  function api(method, url, data) {
    var init = { method: method, credentials: 'same-origin', headers: { 'Accept': 'application/json' } };
    if (data !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(data);
    }
    return fetch(url, init).then(function (r) {
      if (r.status === 401) { location.reload(); throw new Error('signed out'); }
      return r.json().catch(function () { return {}; }).then(function (j) {
        return { ok: r.ok, status: r.status, body: j };
      });
    });
  }

  // postForm posts form fields to a JSON endpoint of the page.
  function postForm(url, params) {
    return fetch(url, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Accept': 'application/json', 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      body: params.toString()
    }).then(function (r) {
      if (r.status === 401) { location.reload(); throw new Error('signed out'); }
      return r.json().catch(function () { return {}; }).then(function (j) {
        return { ok: r.ok, status: r.status, body: j };
      });
    });
  }

  function link(href, text, props) {
    var p = props || {};
    p.href = href;
    p.onclick = function (e) {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) { return; }
      e.preventDefault();
      navigate(href);
    };
    return h('a', p, text);
  }

  function heading(level, text, asDiv) {
    if (asDiv) { return h('div', { role: 'heading', 'aria-level': String(level), cls: level === 1 ? 'h1' : 'h2' }, text); }
    return h('h' + level, { cls: level === 1 ? 'h1' : 'h2' }, text);
  }

  function alertBox(text) { return text ? h('div', { role: 'alert', cls: 'alert' }, text) : null; }

  // ------------------------------------------------------------ fields
  function input(props) {
    var p = props || {};
    p.cls = (p.cls ? p.cls + ' ' : '') + 'inp';
    if (!p.type) { p.type = 'text'; }
    return h('input', p);
  }
  function textarea(props, value) {
    var p = props || {};
    p.cls = 'inp ta';
    var t = h('textarea', p);
    t.value = value || '';
    return t;
  }
  function star(req) { return req ? h('span', { 'aria-hidden': 'true', cls: 'req' }, ' *') : null; }

  // field wires a visible label to a control in one of four ways:
  // "for" (<label for> + generated id), "wrap" (wrapping <label>), "aria"
  // (aria-label on the control, the visible text not associated), "by"
  // (aria-labelledby pointing at a sibling span), "text" (the visible text
  // above the control and nothing wiring them: no accessible name at all).
  function field(kind, text, ctl, err, req) {
    var lab = [text, star(req)];
    var box;
    var moved = MOVED[text];
    if (moved) {
      // The drift fault moved the label into the control: no visible label.
      if (moved === 'placeholder' && !ctl.getAttribute('placeholder')) {
        ctl.setAttribute('placeholder', text);
      } else {
        ctl.setAttribute('title', text);
        ctl.setAttribute('aria-label', text);
      }
      box = h('div', { cls: 'fld' }, ctl);
    } else if (kind === 'for') {
      var id = uid();
      ctl.id = id;
      box = h('div', { cls: 'fld' }, h('label', { 'for': id, cls: 'lbl' }, lab), ctl);
    } else if (kind === 'wrap') {
      box = h('div', { cls: 'fld' }, h('label', { cls: 'wl' }, h('span', { cls: 'lbl' }, lab), ctl));
    } else if (kind === 'aria') {
      ctl.setAttribute('aria-label', text);
      box = h('div', { cls: 'fld' }, h('div', { cls: 'lbl' }, lab), ctl);
    } else if (kind === 'text') {
      box = h('div', { cls: 'fld' }, h('div', { cls: 'lbl' }, lab), h('div', null, ctl));
    } else {
      var sid = uid();
      ctl.setAttribute('aria-labelledby', sid);
      box = h('div', { cls: 'fld' }, h('span', { id: sid, cls: 'lbl' }, lab), ctl);
    }
    setError(box, ctl, err);
    return box;
  }
  function setError(box, ctl, err) {
    var old = box.querySelector('[data-err]');
    if (old) { old.parentNode.removeChild(old); }
    ctl.removeAttribute('aria-invalid');
    ctl.removeAttribute('aria-describedby');
    if (!err) { return; }
    var eid = uid();
    ctl.setAttribute('aria-invalid', 'true');
    ctl.setAttribute('aria-describedby', eid);
    box.appendChild(h('div', { id: eid, role: 'alert', cls: 'err', 'data-err': '' }, err));
  }

  // checkbox: a div with role=checkbox (click, Space). extra: attributes.
  function checkbox(text, checked, onChange, extra) {
    var p = extra || {};
    p.role = 'checkbox';
    p.tabindex = '0';
    p.cls = 'opt';
    p['aria-checked'] = checked ? 'true' : 'false';
    if (MOVED[text]) { p.title = text; p['aria-label'] = text; }
    var el = h('div', p, h('span', { cls: 'box', 'aria-hidden': 'true' }, '✓'), MOVED[text] ? null : h('span', null, text));
    function toggle() {
      var on = el.getAttribute('aria-checked') !== 'true';
      el.setAttribute('aria-checked', on ? 'true' : 'false');
      if (onChange) { onChange(on); }
    }
    el.addEventListener('click', function (e) { e.preventDefault(); toggle(); });
    el.addEventListener('keydown', function (e) {
      if (e.key === ' ' || e.key === 'Spacebar') { e.preventDefault(); toggle(); }
    });
    el.isChecked = function () { return el.getAttribute('aria-checked') === 'true'; };
    return el;
  }

  // nativeCheckbox: a real input, visually hidden, clicked through its label.
  function nativeCheckbox(name, value, text, checked) {
    var id = uid();
    var moved = !!MOVED[text];
    return h('div', { cls: 'fld' },
      h('div', { cls: 'nbox' },
        h('input', { type: 'checkbox', id: id, name: name, value: value, cls: 'vh', checked: !!checked,
          title: moved ? text : null, 'aria-label': moved ? text : null }),
        h('label', { 'for': id, cls: 'nfake' }, h('span', { cls: 'box', 'aria-hidden': 'true' }, '✓'), moved ? null : h('span', null, text))));
  }

  // radioGroup: role=radiogroup labelled by labelId, role=radio options
  // [{value, text}] (click, Space, arrows; roving tabindex).
  function radioGroup(labelId, options, value, onChange) {
    var g = h('div', { role: 'radiogroup', 'aria-labelledby': labelId });
    var radios = [];
    var current = value || '';
    function sync() {
      var focusable = -1;
      radios.forEach(function (r, i) {
        var on = r.getAttribute('data-v') === current;
        r.setAttribute('aria-checked', on ? 'true' : 'false');
        if (on) { focusable = i; }
      });
      radios.forEach(function (r, i) { r.tabIndex = (i === (focusable < 0 ? 0 : focusable)) ? 0 : -1; });
    }
    function pick(v, focus) {
      current = v;
      sync();
      if (focus) { radios.forEach(function (r) { if (r.getAttribute('data-v') === v) { r.focus(); } }); }
      if (onChange) { onChange(v); }
    }
    options.forEach(function (o, i) {
      var r = h('div', { role: 'radio', 'aria-checked': 'false', cls: 'opt', 'data-v': o.value },
        h('span', { cls: 'dot', 'aria-hidden': 'true' }), h('span', null, o.text));
      r.addEventListener('click', function () { pick(o.value, true); });
      r.addEventListener('keydown', function (e) {
        if (e.key === ' ' || e.key === 'Spacebar' || e.key === 'Enter') { e.preventDefault(); pick(o.value, true); return; }
        var d = 0;
        if (e.key === 'ArrowDown' || e.key === 'ArrowRight') { d = 1; }
        if (e.key === 'ArrowUp' || e.key === 'ArrowLeft') { d = -1; }
        if (d !== 0) {
          e.preventDefault();
          var n = radios[(i + d + radios.length) % radios.length];
          pick(n.getAttribute('data-v'), true);
        }
      });
      radios.push(r);
      g.appendChild(r);
    });
    sync();
    g.value = function () { return current; };
    return g;
  }

  // switchButton: <button role=switch aria-checked>, named by a
  // visually hidden span.
  // stateWords: the name is the visible state word beside the switch
  // ("Disabled" / "Enabled", 2026), which follows aria-checked.
  function switchButton(name, on, disabled, onToggle, stateWords) {
    var nid = uid();
    var b = h('button', {
      type: 'button', role: 'switch', cls: 'sw', 'aria-checked': on ? 'true' : 'false',
      'aria-labelledby': nid, 'aria-disabled': disabled ? 'true' : null
    }, h('span', { cls: 'knob', 'aria-hidden': 'true' }));
    b.addEventListener('click', function () { onToggle(b); });
    if (stateWords) {
      return [h('span', { style: 'display:inline-flex;align-items:center;gap:8px' }, b,
        h('span', { id: nid, 'data-state-word': '' }, on ? L("Enabled") : L("Disabled")))];
    }
    return [h('span', { id: nid, cls: 'vh' }, name), b];
  }

  // dialog: rendered into a portal at the end of <body>, backdrop over the
  // page, ~250 ms opening transition, focus moved in, Tab kept inside.
  function openDialog(title, build, opts) {
    var o = opts || {};
    var tid = uid();
    var portal = h('div', { cls: 'portal' });
    var back = h('div', { cls: 'back', 'aria-hidden': 'true' });
    // o.unnamed: the title is shown but not wired to the dialog (no
    // accessible name), as some component libraries leave it.
    var dlg = h('div', { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': o.unnamed ? null : tid, cls: 'dlg', tabindex: '-1' });
    var closed = false;
    // Everything outside the dialog is hidden from assistive technology while
    // it is open, the toasts too, as Radix's and MUI's modals do.
    var hidden = Array.prototype.filter.call(document.body.children, function (el) {
      return el.getAttribute('aria-hidden') !== 'true';
    });
    hidden.forEach(function (el) { el.setAttribute('aria-hidden', 'true'); });
    function close(now) {
      if (closed) { return; }
      closed = true;
      hidden.forEach(function (el) { el.removeAttribute('aria-hidden'); });
      openDialogs = openDialogs.filter(function (d) { return d !== handle; });
      portal.classList.remove(c('shown'));
      document.removeEventListener('keydown', onKey, true);
      if (now === true) { if (portal.parentNode) { portal.parentNode.removeChild(portal); } return; }
      setTimeout(function () { if (portal.parentNode) { portal.parentNode.removeChild(portal); } }, 260);
    }
    var handle = { close: close, el: dlg };
    openDialogs.push(handle);
    function onKey(e) {
      if (e.key === 'Escape' && o.escape !== false) { e.preventDefault(); close(); return; }
      if (e.key === 'Tab') {
        var f = Array.prototype.filter.call(dlg.querySelectorAll('button,input,textarea,a[href],[tabindex="0"]'),
          function (x) { return !x.disabled && x.offsetParent !== null; });
        if (!f.length) { return; }
        if (e.shiftKey && document.activeElement === f[0]) { e.preventDefault(); f[f.length - 1].focus(); }
        else if (!e.shiftKey && document.activeElement === f[f.length - 1]) { e.preventDefault(); f[0].focus(); }
      }
    }
    add(dlg, h('h2', { id: tid, cls: 'h2' }, title));
    add(dlg, build(close));
    portal.appendChild(back);
    portal.appendChild(dlg);
    document.body.insertBefore(portal, toastRegion);
    document.addEventListener('keydown', onKey, true);
    void dlg.offsetWidth;
    requestAnimationFrame(function () { requestAnimationFrame(function () { portal.classList.add(c('shown')); }); });
    var first = o.focus ? o.focus() : null;
    if (!first || !dlg.contains(first)) { first = dlg.querySelector('input,button:not([disabled]),[tabindex="0"]'); }
    (first || dlg).focus();
    return handle;
  }
  var openDialogs = [];
  function closeAllDialogs() {
    openDialogs.slice().forEach(function (d) { d.close(true); });
  }

  // ------------------------------------------------------------ common pages
  function card(children, narrow) { return h('div', { cls: narrow ? 'panel auth' : 'panel' }, children); }

  function pageUnknown() { return h('main', { cls: 'wrap' }, card(heading(1, L("Page not found")))); }

  var PAGES = {};
  PAGES.error500 = function () {
    return h('main', { cls: 'wrap' }, card([heading(1, L("Something went wrong")),
      h('p', null, L("We couldn't load this page. Please try again."))], true));
  };
  PAGES.notfound = function () {
    return h('main', { cls: 'wrap' }, card([heading(1, L("Page not found")),
      h('p', null, h('a', { href: '/' }, L("Home")))], true));
  };
  PAGES.simple = function (v) {
    return h('main', { cls: 'wrap' }, card([heading(1, v.heading), h('p', null, v.text)]));
  };
  PAGES.captcha = function (v) {
    return h('main', { cls: 'wrap' }, card([
      heading(1, L("Verify you are human"), true),
      h('p', null, L("We need to check that you're not a robot before you sign in.")),
      v.error ? alertBox(L("Please tick the box to continue.")) : null,
      h('form', { method: 'post', action: '/challenge/verify' },
        h('input', { type: 'hidden', name: 'return', value: v['return'] || '/' }),
        S("I'm not a robot") ? nativeCheckbox('robot', 'on', L("I'm not a robot"), false) : null,
        S("Verify") ? h('button', { type: 'submit', cls: 'btn' }, L("Verify")) : null)
    ], true));
  };

  // ------------------------------------------------------------ Xero
  PAGES.xero_login = function (v) {
    // 2026: the fields are named "Please enter your email/password" and
    // carry the ids older scripts use.
    var email = input({ type: 'email', name: 'Username', 'data-automationid': 'Username--input', autocomplete: 'username', value: v.email || '', id: W26 ? 'xl-form-email' : null });
    var emailKey = K("Email address", "Please enter your email");
    var emailBox = S(emailKey) ? field('by', L(emailKey), email, v.emailError) : null;
    var pw = input({ type: 'password', name: 'Password', 'data-automationid': 'PassWord--input', autocomplete: 'current-password', id: W26 ? 'xl-form-password' : null });
    var pwKey = K("Password", "Please enter your password");
    var pwBox = h('div', { cls: v.passwordStep ? '' : 'hide' }, S(pwKey) ? field(W26 ? 'by' : 'for', L(pwKey), pw) : null);
    var form = h('form', { method: 'post', action: v.action, novalidate: true },
      h('input', { type: 'hidden', name: 'ReturnUrl', value: v.returnUrl || '' }),
      emailBox, pwBox,
      S("Log in") ? h('button', { type: 'submit', cls: 'btn wide', 'data-automationid': 'LoginSubmit--button', id: W26 ? 'xl-form-submit' : null }, L("Log in")) : null);
    form.addEventListener('submit', function (e) {
      if (!pwBox.classList.contains(c('hide'))) { return; }
      e.preventDefault();
      if (!emailBox) { return; }
      if (email.value.trim() === '') { setError(emailBox, email, L("Enter your email address")); return; }
      setError(emailBox, email, '');
      pwBox.classList.remove(c('hide'));
      pw.focus();
    });
    var out = h('main', { cls: 'wrap' }, card([
      h('div', { 'aria-hidden': 'true', style: 'font-weight:700;color:#13b5ea;font-size:22px;margin:0 0 8px' }, 'xero'),
      heading(1, L("Log in to Xero")),
      alertBox(v.alert),
      form,
      h('p', null, h('a', { href: '/identity/user/forgotpassword' }, L("Forgot password?")))
    ], true));
    setTimeout(function () { (v.passwordStep && S(pwKey) ? pw : email).focus(); }, 0);
    return out;
  };

  PAGES.xero_twofactor = function (v) {
    var trust = h('input', { type: 'hidden', name: 'trust', value: 'on', disabled: true });
    var codeIn = input({ name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '6', 'data-automationid': 'auth-onetimepassword--input' });
    var other = h('p', { cls: 'hide' }, L("Security questions are not available in this replica."));
    var out = h('main', { cls: 'wrap' }, card([
      heading(1, L("Two-step authentication"), true),
      h('p', null, L("Enter the 6-digit code from your authenticator app.")),
      alertBox(v.alert),
      h('form', { method: 'post', action: v.action, novalidate: true },
        S("Authentication code") ? field('aria', L("Authentication code"), codeIn) : null,
        trust,
        S(K("Trust this device", "Remember me for 30 days")) ? h('div', { cls: 'fld' }, checkbox(L(K("Trust this device", "Remember me for 30 days")), false, function (on) { trust.disabled = !on; },
          { 'data-automationid': 'auth-remembermecheckbox--input' })) : null,
        S("Confirm") ? h('button', { type: 'submit', cls: 'btn', 'data-automationid': 'auth-submitcodebutton' }, L("Confirm")) : null),
      S("Use another authentication method") ? [h('p', null, h('button', {
        type: 'button', cls: 'btn plain', onclick: function () { other.classList.remove(c('hide')); }
      }, L("Use another authentication method"))), other] : null
    ], true));
    setTimeout(function () { codeIn.focus(); }, 0);
    return out;
  };

  // The Xero Verify push screen (2026): "Use a backup method instead" leads
  // to the code page.
  PAGES.xero_push = function (v) {
    return h('main', { cls: 'wrap' }, card([
      h('div', { 'aria-hidden': 'true', style: 'font-weight:700;color:#13b5ea;font-size:22px;margin:0 0 8px' }, 'xero'),
      heading(1, L(N("Check your Xero Verify app"))),
      h('p', null, L(N("We've sent a notification to your phone. Approve it in Xero Verify to log in."))),
      h('p', { role: 'status' }, L(N("Waiting for approval…"))),
      S(N("Use a backup method instead")) ? h('p', null, h('button', {
        type: 'button', cls: 'btn plain', onclick: function () { navigate(v.backup); }
      }, L(N("Use a backup method instead")))) : null
    ], true));
  };

  function xeroHeader(email) {
    return h('header', { cls: 'bar' },
      link('/app/manage', L("Xero Developer"), { cls: 'brand' }),
      h('nav', { 'aria-label': L("Main") }, h('ul', { cls: 'navl' },
        S("My Apps") ? h('li', null, link('/app/manage', L("My Apps"))) : null,
        h('li', null, h('a', { href: '/app/manage#docs' }, L("Documentation"))))),
      h('span', { cls: 'grow' }),
      h('span', null, email),
      h('a', { href: '/logout', cls: 'barlink' }, L("Log out")));
  }

  PAGES.xero_myapps = function (v) {
    var apps = v.apps || [];
    var limitLabel = v.limitLabel || fmt('%d max connections', v.limit);
    var list = apps.length ? h('div', { cls: 'grid', role: 'list', 'aria-label': L("Apps") }, apps.map(function (a) {
      return h('article', { role: 'listitem', cls: 'panel' },
        h('h3', { cls: 'h2' }, link('/app/manage/app/' + encodeURIComponent(a.id), a.name)),
        h('div', { cls: 'muted' }, a.integrationType),
        S(limitLabel) ? h('div', null, h('span', { cls: 'badge' }, L(limitLabel))) : null);
    })) : card(h('p', null, L("You don't have any apps yet.")));
    var newBtn = S("New app") ? h('button', {
      type: 'button', cls: 'btn', 'aria-haspopup': 'dialog',
      onclick: function () { newAppDialog(v, {}); }
    }, L("New app")) : null;
    var out = [xeroHeader(v.email), h('main', { cls: 'wrap' },
      h('div', { cls: 'top' }, S("My Apps") ? heading(1, L("My Apps"), true) : h('span'), newBtn),
      list)];
    if (v.form && v.form.open) { setTimeout(function () { newAppDialog(v, v.form); }, 0); }
    return out;
  };

  // newAppDialog: one form, or (v.screens 2) two screens: name, type and
  // the questions, "Next" (disabled until they are all set; the portal
  // checks them and answers a draft id), then the URLs, the terms and
  // "Create app", with "Back".
  function newAppDialog(v, f) {
    closeAllDialogs();
    var errs = f.errors || {};
    var two = v.screens === 2;
    var name = input({ name: 'name', value: f.name || '' });
    var company = input({ type: 'url', placeholder: 'https://', value: f.companyUrl || '' });
    var companyFocus = company;
    openDialog(L(K("Add a new app", "Add a new Xero app")), function (close) {
      var redirect = input({ type: 'url', value: f.redirectUri || '' });
      var create = h('button', { type: 'submit', cls: 'btn', disabled: true }, L("Create app"));
      var next = two ? h('button', { type: 'button', cls: 'btn', disabled: true }, L(N("Next"))) : null;
      var draft = f.draft || '';
      var typeLabel = uid();
      var types = (v.types || []).filter(function (t) { return S(t.label); })
        .map(function (t) { return { value: t.value, text: L(t.label) }; });
      var typeGroup = radioGroup(typeLabel, types, f.type, update);
      var ai = null, sec = null, qAI = uid(), qSec = uid();
      function question(id, text, val, err) {
        var yn = [];
        if (S("Yes")) { yn.push({ value: 'yes', text: L("Yes") }); }
        if (S("No")) { yn.push({ value: 'no', text: L("No") }); }
        var g = radioGroup(id, yn, val, update);
        return { g: g, el: h('div', { cls: 'q' }, h('div', { id: id, cls: 'qt' }, text), g, err ? h('div', { role: 'alert', cls: 'err' }, err) : null) };
      }
      var qa = null, qs = null;
      if (v.ask) {
        if (S(K("Will you use Xero data to train an AI model?", "Will you use Xero data to train, fine-tune, adapt, or enhance an AI model?"))) {
          qa = question(qAI, L(K("Will you use Xero data to train an AI model?", "Will you use Xero data to train, fine-tune, adapt, or enhance an AI model?")), f.ai, errs.ai_training);
          ai = qa.g;
        }
        if (S("Do you understand and agree to meet Xero's minimum security requirements?")) {
          qs = question(qSec, L("Do you understand and agree to meet Xero's minimum security requirements?"), f.security, errs.security);
          sec = qs.g;
        }
      }
      var terms = S("I have read and agree to the Xero Developer Platform Terms & Conditions") ?
        checkbox(L("I have read and agree to the Xero Developer Platform Terms & Conditions"), !!f.terms, update) : null;
      function update() {
        var ok = !!(terms && terms.isChecked());
        if (v.ask) { ok = ok && !!(ai && ai.value()) && !!(sec && sec.value()); }
        create.disabled = !ok;
        if (next) {
          var first = name.value.trim() !== '' && !!typeGroup.value();
          if (v.ask) { first = first && !!(ai && ai.value()) && !!(sec && sec.value()); }
          next.disabled = !first;
        }
      }
      name.addEventListener('input', update);
      var nameBox = S("App name") ? field('by', L("App name"), name, errs.name, true) : null;
      var typeErr = h('div', { role: 'alert', cls: errs.integration_type ? 'err' : 'err hide' }, errs.integration_type || '');
      var typeBox = S("Integration type") ? h('div', { cls: 'q' }, h('div', { id: typeLabel, cls: 'qt' }, L("Integration type")), typeGroup, typeErr) : null;
      var urls = [
        S("Company or application URL") ? field('for', L("Company or application URL"), company, errs.company_url, true) : null,
        S(K("Redirect URI", "OAuth 2.0 redirect URI")) ? field('wrap', L(K("Redirect URI", "OAuth 2.0 redirect URI")), redirect, errs.redirect_uri) : null];
      var termsBox = terms ? h('div', { cls: 'fld' }, terms, errs.terms ? h('div', { role: 'alert', cls: 'err' }, errs.terms) : null) : null;
      var cancel = S("Cancel") ? h('button', { type: 'button', cls: 'btn ghost', onclick: function () { close(); } }, L("Cancel")) : null;
      var form;
      if (!two) {
        form = h('form', { novalidate: true }, nameBox, typeBox, urls, qa ? qa.el : null, qs ? qs.el : null, termsBox,
          h('div', { cls: 'acts' }, cancel, S("Create app") ? create : null));
      } else {
        var alertEl = h('div', { role: 'alert', cls: f.alert ? 'alert' : 'alert hide' }, f.alert || '');
        var s1 = h('div', { cls: f.screen === 2 ? 'hide' : '' }, nameBox, typeBox, qa ? qa.el : null, qs ? qs.el : null,
          h('div', { cls: 'acts' }, cancel, S(N("Next")) ? next : null));
        var back = S(N("Back")) ? h('button', { type: 'button', cls: 'btn ghost' }, L(N("Back"))) : null;
        var s2 = h('div', { cls: f.screen === 2 ? '' : 'hide' }, urls, termsBox,
          h('div', { cls: 'acts' }, back, S("Create app") ? create : null));
        var screen = function (n) {
          s1.classList.toggle(c('hide'), n !== 1);
          s2.classList.toggle(c('hide'), n !== 2);
          (n === 1 ? name : company).focus();
        };
        if (back) { back.addEventListener('click', function () { screen(1); }); }
        var qErr = function (q, msg) {
          if (!q) { return; }
          var old = q.el.querySelector('[data-err]');
          if (old) { old.parentNode.removeChild(old); }
          if (msg) { q.el.appendChild(h('div', { role: 'alert', cls: 'err', 'data-err': '' }, msg)); }
        };
        next.addEventListener('click', function () {
          alertEl.classList.add(c('hide'));
          var p = new URLSearchParams();
          p.append('name', name.value);
          p.append('integration_type', typeGroup.value());
          if (ai) { p.append('ai_training', ai.value()); }
          if (sec) { p.append('security', sec.value()); }
          next.disabled = true;
          postForm('/app/manage/api/app-drafts', p).then(function (r) {
            update();
            var e = (r.status === 422 && r.body.errors) || {};
            if (nameBox) { setError(nameBox, name, e.name || ''); }
            typeErr.textContent = e.integration_type || '';
            typeErr.classList.toggle(c('hide'), !e.integration_type);
            qErr(qa, e.ai_training); qErr(qs, e.security);
            if (r.status === 422) { return; }
            if (!r.ok) { throw new Error(r.body.error || L("Something went wrong. Try again.")); }
            draft = r.body.draft;
            screen(2);
          }).catch(function (err) {
            update();
            alertEl.textContent = err.message; alertEl.classList.remove(c('hide'));
          });
        });
        form = h('form', { novalidate: true }, alertEl, s1, s2);
      }
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        if (create.disabled || (two && !s2.offsetParent)) { return; }
        create.disabled = true;
        var p = new URLSearchParams();
        p.append('name', name.value);
        p.append('integration_type', typeGroup.value());
        p.append('company_url', company.value);
        p.append('redirect_uri', redirect.value);
        if (ai) { p.append('ai_training', ai.value()); }
        if (sec) { p.append('security', sec.value()); }
        if (terms && terms.isChecked()) { p.append('terms', 'on'); }
        if (two) { p.append('draft', draft); }
        submit('/app/manage/app', p, function () { closeAllDialogs(); return false; });
      });
      update();
      return [S("Close") ? h('button', { type: 'button', cls: 'btn plain x', 'aria-label': L("Close"), onclick: function () { close(); } }, '✕') : null, form];
    }, { focus: function () { return f.screen === 2 ? companyFocus : name; } });
  }

  function xeroAppChrome(v, content) {
    var base = '/app/manage/app/' + encodeURIComponent(v.app.id);
    function item(key, shown, text, href) {
      if (!shown) { return null; }
      return h('li', null, link(href, text, { 'aria-current': v.nav === key ? 'page' : null }));
    }
    return [xeroHeader(v.email), h('main', { cls: 'wrap' },
      h('div', { cls: 'crumbs' }, link('/app/manage', '← ' + L("My Apps"))),
      heading(1, v.app.name),
      h('div', { cls: 'cols' },
        h('nav', { cls: 'side', 'aria-label': L("App settings") }, h('ul', null,
          item('details', S("App details"), L("App details"), base),
          item('configuration', S("Configuration"), L("Configuration"), base + '/configuration'),
          item('webhooks', S("Webhooks"), L("Webhooks"), base + '/webhooks'))),
        h('div', { cls: 'main' }, content)))];
  }

  PAGES.xero_details = function (v) {
    var e = v.errors || {};
    var name = input({ value: v.name || '' });
    var company = input({ type: 'url', value: v.companyUrl || '' });
    var privacy = input({ type: 'url', placeholder: 'https://', value: v.privacyUrl || '' });
    var terms = input({ type: 'url', placeholder: 'https://', value: v.termsUrl || '' });
    var form = h('form', { novalidate: true },
      S("App name") ? field('for', L("App name"), name, e.name, true) : null,
      S("Company or application URL") ? field('by', L("Company or application URL"), company, e.company_url, true) : null,
      S("Privacy policy URL") ? field('wrap', L("Privacy policy URL"), privacy, e.privacy_url) : null,
      S("Terms and conditions URL") ? field('aria', L("Terms and conditions URL"), terms, e.terms_url) : null,
      S("Save") ? h('button', { type: 'submit', cls: 'btn' }, L("Save")) : null);
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var p = new URLSearchParams();
      p.append('name', name.value);
      p.append('company_url', company.value);
      p.append('privacy_url', privacy.value);
      p.append('terms_url', terms.value);
      submit('/app/manage/app/' + encodeURIComponent(v.app.id), p);
    });
    if (v.saved && S("App details saved")) { setTimeout(function () { toast(L("App details saved")); }, 0); }
    return xeroAppChrome(v, h('section', { cls: 'panel' }, heading(2, L("App details")), form));
  };

  PAGES.xero_webhooks = function (v) {
    return xeroAppChrome(v, h('section', { cls: 'panel' }, heading(2, L("Webhooks")),
      h('p', null, L("No webhooks are set up for this app."))));
  };

  PAGES.xero_config = function (v) {
    var base = '/app/manage/api/apps/' + encodeURIComponent(v.app.id);
    var errBox = h('div', { role: 'alert', cls: 'alert hide' });
    function fail(msg) { errBox.textContent = msg || L("Something went wrong. Try again."); errBox.classList.remove(c('hide')); }

    // Client id: a div with the label, then the value as its next sibling.
    var idValue = h('span', { cls: 'mono' }, v.mask);
    var revealed = false;
    var eye = S("Show client id") ? h('button', { type: 'button', cls: 'btn ghost', 'aria-label': L("Show client id"), 'aria-pressed': 'false' },
      h('span', { 'aria-hidden': 'true' }, '👁')) : null;
    if (eye) {
      eye.addEventListener('click', function () {
        if (revealed) {
          revealed = false; idValue.textContent = v.mask;
          eye.setAttribute('aria-label', L("Show client id")); eye.setAttribute('aria-pressed', 'false');
          return;
        }
        api('GET', base + '/client-id').then(function (r) {
          if (!r.ok) { fail(r.body.error); return; }
          revealed = true; idValue.textContent = r.body.clientId;
          eye.setAttribute('aria-label', L("Hide client id")); eye.setAttribute('aria-pressed', 'true');
        }).catch(function () { fail(); });
      });
    }
    var copy = S("Copy client id") ? h('button', {
      type: 'button', cls: 'btn ghost', 'aria-label': L("Copy client id"), onclick: function () {
        api('GET', base + '/client-id').then(function (r) {
          if (!r.ok) { fail(r.body.error); return; }
          try { navigator.clipboard.writeText(r.body.clientId).catch(function () {}); } catch (x) { /* no clipboard */ }
          toast(L("Client id copied"));
        }).catch(function () { fail(); });
      }
    }, h('span', { 'aria-hidden': 'true' }, '⧉')) : null;
    var idRow = S("Client id") ? h('div', { cls: 'kv' }, h('div', { cls: 'lbl' }, L("Client id")), idValue, eye, copy) : null;

    // Secrets: client state, redrawn on each change.
    var slots = {};
    (v.slots || []).forEach(function (s) { slots[s.slot] = { live: s.live, createdText: s.createdText || '', value: '' }; });
    var secretsBox = h('div');
    function liveCount() { var n = 0; [1, 2].forEach(function (i) { if (slots[i] && slots[i].live) { n++; } }); return n; }
    function drawSecrets(focusSlot) {
      clear(secretsBox);
      var focusEl = null;
      [1, 2].forEach(function (i) {
        var s = slots[i];
        if (!s || !s.live) { return; }
        var label = fmt('Client secret %d', i);
        var body;
        if (s.value) {
          var inp = input({ cls: 'mono', readonly: true, value: s.value, size: '52' });
          if (i === focusSlot) { focusEl = inp; }
          body = [h('label', { cls: 'wl' }, h('span', { cls: 'lbl' }, L(label)), inp),
            h('div', { cls: 'warn' }, L("Copy this secret now. If you leave this page, you won't be able to see it again and you'll need to generate a new one."))];
        } else {
          body = [h('div', { cls: 'lbl' }, L(label)), h('div', null, L("Created") + ' ' + s.createdText)];
        }
        secretsBox.appendChild(h('div', { cls: 'slot' }, body,
          S("Remove") ? h('button', { type: 'button', cls: 'btn ghost', onclick: function (e) { removeSecret(i, e.currentTarget); } }, L("Remove")) : null));
      });
      var n = liveCount();
      if (n === 0 && S("Generate a secret")) {
        secretsBox.appendChild(h('button', { type: 'button', cls: 'btn', onclick: function (e) { generate(e.currentTarget); } }, L("Generate a secret")));
      } else if (n === 1 && S("Generate another secret")) {
        secretsBox.appendChild(h('button', { type: 'button', cls: 'btn', onclick: function (e) { generate(e.currentTarget); } }, L("Generate another secret")));
      } else if (n >= 2) {
        secretsBox.appendChild(h('p', null, L("You can have up to two client secrets. Remove one to generate another.")));
      }
      if (focusEl) { focusEl.focus(); }
    }
    function generate(btn) {
      errBox.classList.add(c('hide'));
      btn.disabled = true;
      api('POST', base + '/secrets').then(function (r) {
        if (!r.ok) { btn.disabled = false; fail(r.body.error); return; }
        slots[r.body.slot] = { live: true, value: r.body.value, createdText: '' };
        drawSecrets(r.body.slot);
      }).catch(function () { btn.disabled = false; fail(); });
    }
    function removeSecret(i, btn) {
      errBox.classList.add(c('hide'));
      btn.disabled = true;
      api('POST', base + '/secrets/' + i + '/remove').then(function (r) {
        if (!r.ok) { btn.disabled = false; fail(r.body.error); return; }
        slots[i] = { live: false, value: '', createdText: '' };
        drawSecrets(0);
      }).catch(function () { btn.disabled = false; fail(); });
    }
    drawSecrets(0);

    // Redirect URIs.
    var e = v.errors || {};
    var uris = (v.redirectUris && v.redirectUris.length) ? v.redirectUris : [''];
    var list = h('ul', { cls: 'list' });
    function addURI(val, err, focus) {
      var n = list.children.length + 1;
      var inp = input({ type: 'url', name: 'redirect_uri', value: val || '', 'aria-label': L(fmt('Redirect URI %d', n)) });
      var li = h('li', null, inp);
      if (err) {
        var eid = uid();
        inp.setAttribute('aria-invalid', 'true');
        inp.setAttribute('aria-describedby', eid);
        li.appendChild(h('div', { id: eid, role: 'alert', cls: 'err' }, err));
      }
      list.appendChild(li);
      if (focus) { inp.focus(); }
    }
    uris.forEach(function (u, i) { addURI(u, e[String(i)]); });
    var ruForm = h('form', { novalidate: true },
      heading(2, L("Redirect URIs")),
      list,
      S("+ Add another redirect URI") ? h('p', null, h('button', { type: 'button', cls: 'btn plain', onclick: function () { addURI('', '', true); } }, L("+ Add another redirect URI"))) : null,
      S("Save") ? h('button', { type: 'submit', cls: 'btn' }, L("Save")) : null);
    ruForm.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var p = new URLSearchParams();
      Array.prototype.forEach.call(list.querySelectorAll('input'), function (i) { p.append('redirect_uri', i.value); });
      submit('/app/manage/app/' + encodeURIComponent(v.app.id) + '/configuration', p);
    });

    if (v.saved && S("Configuration saved")) { setTimeout(function () { toast(L("Configuration saved")); }, 0); }
    return xeroAppChrome(v, [
      h('section', { cls: 'panel' }, heading(2, L("Configuration")), idRow, errBox, secretsBox),
      h('section', { cls: 'panel' }, ruForm)
    ]);
  };

  // ------------------------------------------------------------ Codat
  function codatLogo() {
    return h('div', { 'aria-hidden': 'true', style: 'font-weight:700;font-size:22px;color:#5b2ee6;text-align:center;margin:0 0 8px' }, 'codat');
  }
  function continueButton() {
    return S("Continue") ? h('button', { type: 'submit', name: 'action', value: 'default', cls: 'btn wide' }, L("Continue")) : null;
  }

  PAGES.codat_identifier = function (v) {
    var email = input({ type: 'email', name: 'username', autocomplete: 'username', value: v.email || '' });
    var out = h('main', { cls: 'wrap' }, card([
      codatLogo(),
      heading(1, L("Welcome")),
      h('p', null, L("Log in to Codat to continue to Codat Portal.")),
      alertBox(v.alert),
      h('form', { method: 'post', action: v.action, novalidate: true },
        h('input', { type: 'hidden', name: 'state', value: v.state || '' }),
        S("Email address") ? field('wrap', L("Email address"), email, v.emailError) : null,
        continueButton()),
      h('p', null, L("Don't have an account?"), ' ', h('a', { href: '/u/signup' }, L("Sign up"))),
      h('p', { style: 'text-align:center', cls: 'muted' }, L("OR")),
      S("Continue with Google") ? h('button', {
        type: 'button', cls: 'btn ghost wide', onclick: function () { location.assign('/u/login/google'); }
      }, L("Continue with Google")) : null
    ], true));
    setTimeout(function () { email.focus(); }, 0);
    return out;
  };

  PAGES.codat_password = function (v) {
    var pw = input({ type: 'password', name: 'password', autocomplete: 'current-password' });
    var toggle = S("Show password") ? h('button', { type: 'button', cls: 'btn ghost', 'aria-label': L("Show password"), 'aria-pressed': 'false' },
      h('span', { 'aria-hidden': 'true' }, '👁')) : null;
    if (toggle) {
      toggle.addEventListener('click', function () {
        var showing = pw.type === 'password';
        pw.type = showing ? 'text' : 'password';
        toggle.setAttribute('aria-label', showing ? L("Hide password") : L("Show password"));
        toggle.setAttribute('aria-pressed', showing ? 'true' : 'false');
      });
    }
    var pwField = null;
    if (S("Password")) {
      pwField = field('by', L("Password"), pw);
      var pwRow = h('div', { style: 'display:flex;gap:8px' });
      pwField.insertBefore(pwRow, pw);
      pwRow.appendChild(pw);
      add(pwRow, toggle);
    }
    var out = h('main', { cls: 'wrap' }, card([
      codatLogo(),
      heading(1, L("Enter Your Password"), true),
      h('p', null, L("Enter your password for Codat to continue to Codat Portal.")),
      alertBox(v.alert),
      h('p', null, h('span', null, v.email), ' ', h('a', { href: '/u/login/identifier?state=' + encodeURIComponent(v.state || '') }, L("Edit"))),
      h('form', { method: 'post', action: v.action, novalidate: true },
        h('input', { type: 'hidden', name: 'state', value: v.state || '' }),
        h('input', { type: 'hidden', name: 'username', value: v.email || '' }),
        pwField,
        h('p', null, h('a', { href: '/u/reset-password?state=' + encodeURIComponent(v.state || '') }, L("Forgot password?"))),
        continueButton())
    ], true));
    setTimeout(function () { pw.focus(); }, 0);
    return out;
  };

  PAGES.codat_mfa = function (v) {
    var code = input({ name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '6' });
    var out = h('main', { cls: 'wrap' }, card([
      codatLogo(),
      heading(1, L("Verify Your Identity")),
      h('p', null, L("Check your preferred one-time password application for a code.")),
      alertBox(v.alert),
      h('form', { method: 'post', action: v.action, novalidate: true },
        h('input', { type: 'hidden', name: 'state', value: v.state || '' }),
        S("Enter your one-time code") ? field('for', L("Enter your one-time code"), code) : null,
        continueButton())
    ], true));
    setTimeout(function () { code.focus(); }, 0);
    return out;
  };

  // The code Codat says it emailed (a new sign-in method to confirm).
  PAGES.codat_emailcode = function (v) {
    var code = input({ name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '6' });
    var out = h('main', { cls: 'wrap' }, card([
      codatLogo(),
      heading(1, L("Verify Your Identity")),
      h('p', null, L("We've sent an email with your code to"), ' ', h('span', null, v.email)),
      alertBox(v.alert),
      h('form', { method: 'post', action: v.action, novalidate: true },
        h('input', { type: 'hidden', name: 'state', value: v.state || '' }),
        S("Enter the code") ? field('wrap', L("Enter the code"), code) : null,
        continueButton()),
      h('p', null, L("Didn't receive an email?"), ' ', h('a', { href: v.action + '&resend=1' }, L("Resend")))
    ], true));
    setTimeout(function () { code.focus(); }, 0);
    return out;
  };

  function codatChrome(v, crumbs, content) {
    return [h('header', { cls: 'bar' },
      link('/', L("Codat"), { cls: 'brand' }),
      h('nav', { 'aria-label': L("Main") }, h('ul', { cls: 'navl' },
        h('li', null, link('/companies', L("Companies"))),
        h('li', null, link('/settings/integrations/accounting', L("Settings"))))),
      h('span', { cls: 'grow' }),
      h('span', null, v.email),
      h('a', { href: '/logout', cls: 'barlink' }, L("Log out"))),
    h('main', { cls: 'wrap' },
      h('div', { cls: 'crumbs' }, crumbs),
      h('div', { cls: 'cols' },
        h('nav', { cls: 'side', 'aria-label': L("Settings") }, h('ul', null,
          h('li', null, h('strong', null, L("Integrations"))),
          h('li', null, link('/settings/integrations/accounting', L("Accounting"), { 'aria-current': 'page' })),
          h('li', null, link('/settings/integrations/banking', L("Banking"))),
          h('li', null, link('/settings/integrations/commerce', L("Commerce"))))),
        h('div', { cls: 'main' }, content)))];
  }

  function manageURL(r) {
    return '/settings/integrations/accounting/manage/' + encodeURIComponent(r.key) + '?integrationName=' + encodeURIComponent(r.name);
  }

  // codatSwitch: the enable switch of one integration; all switches of a
  // key follow the server's answer.
  function codatSwitch(r, errBox) {
    if (!S(r.switchName)) { return null; }
    return switchButton(L(r.switchName), r.enabled, !r.configured, function (b) {
      if (b.getAttribute('aria-disabled') === 'true') {
        errBox.textContent = L("Set up this integration before enabling it");
        errBox.classList.remove(c('hide'));
        return;
      }
      if (b.getAttribute('data-busy')) { return; }
      b.setAttribute('data-busy', '1');
      setEnabled(r.key, b.getAttribute('aria-checked') !== 'true').then(function () {
        b.removeAttribute('data-busy');
        errBox.classList.add(c('hide'));
      }).catch(function (err) {
        b.removeAttribute('data-busy');
        errBox.textContent = err.message;
        errBox.classList.remove(c('hide'));
      });
    }, W26).map(function (x) {
      var sw = x.getAttribute('role') === 'switch' ? x : x.querySelector('[role=switch]');
      if (sw) { sw.setAttribute('data-key', r.key); }
      return x;
    });
  }
  function setEnabled(key, on) {
    return api('POST', '/api/integrations/' + encodeURIComponent(key) + '/enabled', { enabled: on }).then(function (r) {
      if (!r.ok) { throw new Error(r.body.error || L("Something went wrong. Try again.")); }
      Array.prototype.forEach.call(document.querySelectorAll('[role=switch]'), function (s) {
        if (s.getAttribute('data-key') !== key) { return; }
        s.setAttribute('aria-checked', r.body.enabled ? 'true' : 'false');
        var w = document.getElementById(s.getAttribute('aria-labelledby'));
        if (w && w.hasAttribute('data-state-word')) { w.textContent = r.body.enabled ? L("Enabled") : L("Disabled"); }
      });
      return r.body;
    });
  }

  PAGES.codat_integrations = function (v) {
    var errBox = h('div', { role: 'alert', cls: 'alert hide' });
    var table = h('table', { cls: 'tbl' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, L("Integration")),
        h('th', { scope: 'col' }, h('span', { cls: 'vh' }, L("Actions"))),
        h('th', { scope: 'col' }, L("Status")))),
      h('tbody', null, (v.rows || []).map(function (r) {
        var btn = null;
        if (v.noRole) {
          return h('tr', null, h('th', { scope: 'row' }, L(r.name)), h('td', null), h('td', null));
        }
        if (r.configured && S("Manage")) {
          btn = h('button', { type: 'button', cls: 'btn ghost', onclick: function () { navigate(manageURL(r)); } }, L("Manage"));
        } else if (!r.configured && S("Set up")) {
          btn = h('button', { type: 'button', cls: 'btn', onclick: function () { navigate(manageURL(r)); } }, L("Set up"));
        }
        return h('tr', null,
          h('th', { scope: 'row' }, L(r.name)),
          h('td', null, btn),
          h('td', null, codatSwitch(r, errBox)));
      })));
    return codatChrome(v, [link('/settings', L("Settings")), ' › ', L("Integrations"), ' › ', L("Accounting")],
      [heading(1, L("Accounting integrations")), v.noRole ? alertBox(v.noRoleText) : null, errBox, h('div', { cls: 'panel' }, table)]);
  };

  // A user without the role to manage integrations (403).
  PAGES.codat_forbidden = function (v) {
    return codatChrome(v, [link('/settings/integrations/accounting', L("Accounting integrations"))],
      [heading(1, L("Access denied")), alertBox(v.noRoleText)]);
  };

  PAGES.codat_manage = function (v) {
    var r = v.row;
    var errBox = h('div', { role: 'alert', cls: 'alert hide' });
    var sw = codatSwitch(r, errBox);
    var switchArea = h('div', { cls: r.configured ? 'panel' : 'panel hide' },
      h('div', { style: 'display:flex;align-items:center;gap:12px' }, h('span', null, L("Integration status")), sw));
    var id = input({ name: 'clientId', autocomplete: 'off', spellcheck: 'false', value: r.clientId || '' });
    var sec = input({ type: 'password', name: 'clientSecret', autocomplete: 'off', spellcheck: 'false', placeholder: r.configured ? '••••••••••••' : null });
    var idBox = S("Client ID") ? field('text', L("Client ID"), id) : null;
    var secBox = S("Client secret") ? field('wrap', L("Client secret"), sec) : null;
    var save = S("Save") ? h('button', { type: 'submit', cls: 'btn' }, L("Save")) : null;
    var form = h('form', { novalidate: true }, idBox, secBox, save);
    var titleKey = r.switchName; // "Enable Xero"
    function enableDialog() {
      var now = S("Enable") ? h('button', { type: 'button', cls: 'btn' }, L("Enable")) : null;
      openDialog(L(titleKey), function (close) {
        if (now) {
          now.addEventListener('click', function () {
            now.disabled = true;
            setEnabled(r.key, true).then(function () { close(); }).catch(function (err) {
              close(); errBox.textContent = err.message; errBox.classList.remove(c('hide'));
            });
          });
        }
        return [h('p', null, L("Do you want to enable this integration now? You can also enable it later from the Accounting integrations page.")),
          h('div', { cls: 'acts' },
            S("Later") ? h('button', { type: 'button', cls: 'btn ghost', onclick: function () { close(); } }, L("Later")) : null,
            now)];
      }, { focus: function () { return now; }, unnamed: true });
    }
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      errBox.classList.add(c('hide'));
      if (idBox) { setError(idBox, id, ''); }
      if (secBox) { setError(secBox, sec, ''); }
      if (save) { save.disabled = true; }
      api('POST', '/api/integrations/' + encodeURIComponent(r.key) + '/settings',
        { clientId: idBox ? id.value : '', clientSecret: secBox ? sec.value : '' }).then(function (res) {
        if (save) { save.disabled = false; }
        if (res.status === 422 && res.body.errors) {
          if (idBox) { setError(idBox, id, res.body.errors.clientId || ''); }
          if (secBox) { setError(secBox, sec, res.body.errors.clientSecret || ''); }
          return;
        }
        if (!res.ok) { throw new Error(res.body.error || L("Something went wrong. Try again.")); }
        sec.value = '';
        sec.placeholder = '••••••••••••';
        if (res.body.showStatus) { toast(res.body.message); }
        switchArea.classList.remove(c('hide'));
        Array.prototype.forEach.call(document.querySelectorAll('[role=switch]'), function (s) {
          if (s.getAttribute('data-key') === r.key) { s.removeAttribute('aria-disabled'); }
        });
        setTimeout(enableDialog, 700);
      }).catch(function (err) {
        if (save) { save.disabled = false; }
        errBox.textContent = err.message; errBox.classList.remove(c('hide'));
      });
    });
    var sid = uid();
    return codatChrome(v, [link('/settings/integrations/accounting', L("Accounting integrations")), ' › ', L(r.name)], [
      heading(1, L(r.name)), errBox, switchArea,
      h('section', { cls: 'panel', 'aria-labelledby': sid },
        h('h2', { id: sid, cls: 'h2' }, L("Integration settings")),
        h('p', null, L("Enter the credentials of your app. Keys must not contain spaces.")),
        form)]);
  };

  // ------------------------------------------------------------ FreeAgent
  function faChrome(v, content) {
    var items = [];
    if (S("My Apps")) { items.push(h('li', null, link('/apps', L("My Apps")))); }
    if (S("API Docs")) { items.push(h('li', null, link('/docs', L("API Docs")))); }
    if (S("Discussion")) { items.push(h('li', null, link('/discussion', L("Discussion")))); }
    if (v.signedIn) {
      if (S("Log out")) { items.push(h('li', null, h('a', { href: '/users/sign_out' }, L("Log out")))); }
    } else {
      if (S("Sign up")) { items.push(h('li', null, link('/users/sign_up', L("Sign up")))); }
      if (S("Log in")) { items.push(h('li', null, h('a', { href: '/users/sign_in' }, L("Log in")))); }
    }
    if (v.flash) { setTimeout(function () { toast(v.flash); }, 0); }
    return [h('header', { cls: 'bar' },
      link('/', L("FreeAgent Developer Dashboard"), { cls: 'brand' }),
      h('span', { cls: 'grow' }),
      h('nav', { 'aria-label': L("Main") }, h('ul', { cls: 'navl' }, items))),
    h('main', { cls: 'wrap' }, content)];
  }

  PAGES.fa_simple = function (v) { return faChrome(v, card([heading(1, v.heading), h('p', null, v.text)])); };

  PAGES.fa_signin = function (v) {
    var email = input({ type: 'email', name: 'user[email]', autocomplete: 'email', value: v.email || '' });
    var pw = input({ type: 'password', name: 'user[password]', autocomplete: 'current-password' });
    setTimeout(function () { email.focus(); }, 0);
    return faChrome(v, card([
      heading(1, L("Sign in")),
      v.note ? h('p', null, v.note) : null,
      alertBox(v.alert),
      h('form', { method: 'post', action: '/users/sign_in', novalidate: true },
        S("Email") ? field('for', L("Email"), email) : null,
        S("Password") ? field('by', L("Password"), pw) : null,
        S("Remember me") ? nativeCheckbox('user[remember_me]', '1', L("Remember me"), false) : null,
        S("Sign in") ? h('button', { type: 'submit', cls: 'btn' }, L("Sign in")) : null),
      S("Forgot your password?") ? h('p', null, link('/users/password/new', L("Forgot your password?"))) : null
    ], true));
  };

  PAGES.fa_apps = function (v) {
    var apps = v.apps || [];
    return faChrome(v, [
      h('div', { cls: 'top' }, heading(1, L("My Apps")),
        S(K("Create New App", "Create new app")) ? link('/apps/new', L(K("Create New App", "Create new app")), { cls: 'btn' }) : null),
      card(apps.length ? h('ul', { cls: 'list' }, apps.map(function (a) {
        return h('li', null, h('div', null, link('/apps/' + encodeURIComponent(a.id), a.name)),
          a.description ? h('div', { cls: 'muted' }, a.description) : null);
      })) : h('p', null, L("You haven't created any apps yet.")))
    ]);
  };

  PAGES.fa_new = function (v) {
    var e = v.errors || {};
    var name = input({ value: v.name || '' });
    var desc = textarea({ rows: '3' }, v.description);
    var home = input({ type: 'url', value: v.homepageUrl || '' });
    var uris = textarea({ rows: '3' }, v.redirectUris);
    var hintId = uid();
    var practice = S("Enable Accountancy Practice API") ? checkbox(L("Enable Accountancy Practice API"), !!v.practice) : null;
    var urisBox = null;
    if (S("OAuth Redirect URIs")) {
      urisBox = field('aria', L("OAuth Redirect URIs"), uris, e.redirect_uris);
      urisBox.insertBefore(h('div', { id: hintId, cls: 'muted', style: 'font-size:13px' }, L("One URI per line.")), uris.nextSibling);
      uris.setAttribute('aria-describedby', ((uris.getAttribute('aria-describedby') || '') + ' ' + hintId).trim());
    }
    var create = S("Create App") ? h('button', { type: 'submit', cls: 'btn' }, L("Create App")) : null;
    var form = h('form', { novalidate: true },
      S("Name") ? field('wrap', L("Name"), name, e.name, true) : null,
      S("Description") ? field('for', L("Description"), desc) : null,
      S("App homepage URL") ? field('text', L("App homepage URL"), home, e.homepage_url) : null,
      urisBox,
      practice ? h('div', { cls: 'fld' }, practice) : null,
      h('div', { style: 'display:flex;gap:14px;align-items:center' }, create, link('/apps', L("Cancel"))));
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      if (create) { create.disabled = true; }
      var p = new URLSearchParams();
      p.append('app[name]', name.value);
      p.append('app[description]', desc.value);
      p.append('app[homepage_url]', home.value);
      p.append('app[redirect_uris]', uris.value);
      p.append('app[practice_api]', '0');
      if (practice && practice.isChecked()) { p.append('app[practice_api]', '1'); }
      submit('/apps', p);
    });
    return faChrome(v, h('div', { cls: 'panel', style: 'max-width:700px' }, heading(1, L("New App"), true), form));
  };

  PAGES.fa_app = function (v) {
    var a = v.app || {};
    function cred(shown, text, value) {
      if (!shown) { return null; }
      var id = uid();
      return h('div', { cls: 'fld' }, h('span', { id: id, cls: 'lbl' }, text),
        input({ cls: 'mono', readonly: true, value: value, 'aria-labelledby': id }));
    }
    function row(text, value) { return h('tr', null, h('th', { scope: 'row' }, text), h('td', null, value)); }
    // 2026: the secret is shown once; after that it is masked and can be
    // regenerated.
    var secret = cred(S("OAuth secret"), L("OAuth secret"), v.hideSecret ? v.mask : a.secret);
    if (secret && v.hideSecret) {
      if (S(N("Regenerate secret"))) {
        secret.appendChild(h('div', null, h('button', {
          type: 'button', cls: 'btn ghost', onclick: function (e) {
            e.currentTarget.disabled = true;
            submit('/apps/' + encodeURIComponent(a.id) + '/regenerate_secret', new URLSearchParams());
          }
        }, L(N("Regenerate secret")))));
      }
      secret.appendChild(h('div', { cls: 'muted' }, L(N("The OAuth secret is only shown once. Regenerate it to see a new one."))));
    } else if (secret && v.onceSecret) {
      secret.appendChild(h('div', { cls: 'warn' }, L(N("Copy the OAuth secret now: you won't be able to see it again."))));
    }
    return faChrome(v, card([
      h('div', { cls: 'crumbs' }, link('/apps', '← ' + L("My Apps"))),
      heading(1, a.name),
      cred(S("OAuth identifier"), L("OAuth identifier"), a.identifier),
      secret,
      h('table', { cls: 'tbl' }, h('tbody', null,
        row(L("Description"), a.description || ''),
        row(L("App homepage URL"), a.homepageUrl || ''),
        row(L("OAuth Redirect URIs"), (a.redirectUris || []).map(function (u) { return h('div', null, u); })),
        row(L("Accountancy Practice API"), a.practice ? L("Enabled") : L("Disabled"))))
    ]));
  };

  // ------------------------------------------------------------ boot
  function boot() {
    installStyles();
    toastRegion = h('div', { cls: 'toasts', 'aria-live': 'polite' });
    document.body.appendChild(toastRegion);
    loading();
    var inline = document.querySelector('script[data-spa-inline]');
    if (inline) {
      try { show(JSON.parse(inline.textContent)); } catch (x) { root.textContent = 'Something went wrong'; }
      return;
    }
    var meta = document.querySelector('meta[name="spa-view"]');
    var viewURL = meta ? '/_spa/view/' + encodeURIComponent(meta.getAttribute('content')) : null;
    if (!viewURL) { navigate(location.href, false); return; }
    fetch(viewURL, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } }).then(function (res) {
      if (!res.ok) { throw new Error('view ' + res.status); }
      return res.json();
    }).then(function (e) { show(e); }).catch(function () {
      // The snapshot is gone (e.g. a restored tab): ask the router.
      navigate(location.href, false);
    });
  }
  boot();
})();
