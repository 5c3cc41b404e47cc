package locate_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"portalbot/internal/browsertest"
	"portalbot/internal/locate"
	"portalbot/selectors"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

// serve serves one HTML page on loopback.
func serve(t testing.TB, body string) string {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = fmt.Fprint(w, "<!doctype html><html><head><title>t</title></head><body>"+body+"</body></html>")
	}))
	t.Cleanup(ts.Close)
	return ts.URL
}

// open shows body in a new tab and returns the tab's context, ended after
// timeout (and at the end of the test).
func open(t testing.TB, body string, timeout time.Duration) context.Context {
	t.Helper()
	return show(t, browsertest.Page(t), body, timeout)
}

// show shows body in tab, a new document for each case of a table, and
// returns the tab's context, ended after timeout (and at the end of the
// test).
func show(t testing.TB, tab context.Context, body string, timeout time.Duration) context.Context {
	t.Helper()
	if err := chromedp.Do(tab, chromedp.Navigate(serve(t, body))); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(tab, timeout)
	t.Cleanup(cancel)
	return ctx
}

func el(name string, within *selectors.Locator, locs ...selectors.Locator) *selectors.Element {
	e := &selectors.Element{Name: name, Page: "test", Locators: locs}
	if within != nil {
		e.Within = selectors.Scope{*within}
	}
	return e
}

func TestFindByWhatAPersonSees(t *testing.T) {
	dialog := &selectors.Locator{Role: "dialog", Name: "Add a new app"}
	tests := []struct {
		name string
		html string
		el   *selectors.Element
		want string // the value or text of the element found, "" for none
	}{
		{"label for", `<label for="a">App name</label><input id="a" value="v1">`,
			el("e", nil, selectors.Locator{Label: "App name"}), "v1"},
		{"wrapping label", `<label>App name <input value="v2"></label>`,
			el("e", nil, selectors.Locator{Label: "App name"}), "v2"},
		{"aria-labelledby", `<span id="l">App name</span><div><input aria-labelledby="l" value="v3"></div>`,
			el("e", nil, selectors.Locator{Label: "App name"}), "v3"},
		{"text not wired to its field", `<div><div>App name</div><div><input value="v5"></div></div>`,
			el("e", nil, selectors.Locator{Label: "App name"}), "v5"},
		{"flat form of unwired texts", `<form><span>Client ID</span><input value="id"><span>Client secret</span> * <input value="s"></form>`,
			el("e", nil, selectors.Locator{Label: "Client secret"}), "s"},
		{"unwired text after its checkbox", `<div><input type="checkbox" value="on"> <span>Trust this device</span></div>`,
			el("e", nil, selectors.Locator{Label: "Trust this device"}), "on"},
		{"label with an info button", `<label for="x">Client ID <button type="button" aria-label="More info">ⓘ</button></label><input id="x" value="id">`,
			el("e", nil, selectors.Locator{Label: "Client ID"}), "id"},
		{"unwired text with a decoration", `<div><span>Client ID</span><span aria-hidden="true">ⓘ</span><input value="v6"></div>`,
			el("e", nil, selectors.Locator{Label: "Client ID"}), "v6"},
		{"dialog title with a close button", `<div role="dialog"><h2>Add a new app <button aria-label="Close">×</button></h2><button>Enable</button></div>`,
			el("e", &selectors.Locator{Role: "dialog", Name: "Add a new app"}, selectors.Locator{Role: "button", Name: "Enable"}), "Enable"},
		{"unwired text whose field is gone is not the next field", `<form><span>Client ID</span><span>Client secret</span><input value="s"></form>`,
			el("e", nil, selectors.Locator{Label: "Client ID"}), ""},
		{"unwired text is not a field labelled otherwise", `<div><div>Client ID</div><label>Client secret <input value="s"></label></div>`,
			el("e", nil, selectors.Locator{Label: "Client ID"}), ""},
		{"unwired text in a button labels nothing", `<div><button>Password</button><input value="x"></div>`,
			el("e", nil, selectors.Locator{Label: "Password"}), ""},
		{"required marker", `<label for="a">App name *</label><input id="a" value="v4">`,
			el("e", nil, selectors.Locator{Label: "App name"}), "v4"},
		{"exact: Client id is not Show client id",
			`<button aria-label="Show client id">👁</button><label>Client id <input readonly value="ABC"></label>`,
			el("e", nil, selectors.Locator{Label: "Client id"}), "ABC"},
		{"exact: Password is not Show password",
			`<label for="p">Password</label><input id="p" type="password" value="pw"><button>Show password</button>`,
			el("e", nil, selectors.Locator{Label: "Password"}), "pw"},
		{"exact: Continue is not Continue with Google",
			`<button>Continue with Google</button><button>Continue</button>`,
			el("e", nil, selectors.Locator{Role: "button", Name: "Continue"}), "Continue"},
		{"hidden element is not found", `<div hidden><button>Log in</button></div>`,
			el("e", nil, selectors.Locator{Role: "button", Name: "Log in"}), ""},
		{"two yes/no questions, fieldsets",
			`<fieldset><legend>Q one?</legend><label><input type=radio name=a value=1>Yes</label><label><input type=radio name=a value=2>No</label></fieldset>
			 <fieldset><legend>Q two?</legend><label><input type=radio name=b value=3>Yes</label><label><input type=radio name=b value=4>No</label></fieldset>`,
			el("e", nil, selectors.Locator{Role: "radio", Name: "Yes", Near: "Q two?"}), "3"},
		{"two yes/no questions, flat",
			`<div><p>Q one?</p><input type=radio id=r1 name=a value=1><label for=r1>Yes</label><input type=radio id=r2 name=a value=2><label for=r2>No</label>
			 <p>Q two?</p><input type=radio id=r3 name=b value=3><label for=r3>Yes</label><input type=radio id=r4 name=b value=4><label for=r4>No</label></div>`,
			el("e", nil, selectors.Locator{Role: "radio", Name: "No", Near: "Q two?"}), "4"},
		{"row of a list",
			`<ul><li><h3>QuickBooks Online</h3><button>Set up</button></li><li><h3>Xero</h3><div><button>Set up</button></div></li></ul>`,
			el("e", nil, selectors.Locator{Role: "button", Name: "Set up", Near: "Xero"}), "Set up"},
		{"a row without the button does not borrow the next row's",
			`<ul><li><h3>Xero</h3><a role="button" href="#">Manage</a></li><li><h3>FreeAgent</h3><a role="button" href="#">Set up</a></li></ul>`,
			el("e", nil, selectors.Locator{Role: "button", Name: "Set up", Near: "Xero"}), ""},
		{"rows as groups named by their integration",
			`<div><div role="group" aria-label="FreeAgent"><span>FreeAgent</span><button>Set up</button></div><div role="group" aria-label="Xero"><span>Xero</span><button>Set up</button></div></div>`,
			el("e", nil, selectors.Locator{Role: "button", Name: "Set up", Near: "Xero"}), "Set up"},
		{"radiogroup beside its question, custom radios",
			`<div><span id="q1">Q one?</span><div role="radiogroup" aria-labelledby="q1"><div role="radio" aria-checked="false" tabindex="0">Yes</div><div role="radio" aria-checked="false" tabindex="0" data-v="n1">No</div></div></div>
			 <div><span id="q2">Q two?</span><div role="radiogroup" aria-labelledby="q2"><div role="radio" aria-checked="false" tabindex="0">Yes</div><div role="radio" aria-checked="false" tabindex="0">No</div></div></div>`,
			el("e", nil, selectors.Locator{Role: "radio", Name: "No", Near: "Q one?"}), "No"},
		{"table rows", `<table><tr><th scope="row">FreeAgent</th><td><button>Set up</button></td></tr><tr><th scope="row">Xero</th><td><button>Manage</button></td></tr></table>`,
			el("e", nil, selectors.Locator{Role: "button", Name: "Manage", Near: "Xero"}), "Manage"},
		{"table rows, the button is in another row", `<table><tr><th scope="row">FreeAgent</th><td><button>Set up</button></td></tr><tr><th scope="row">Xero</th><td><button>Manage</button></td></tr></table>`,
			el("e", nil, selectors.Locator{Role: "button", Name: "Set up", Near: "Xero"}), ""},
		{"an empty live region is not an alert", `<div role="alert"></div><div role="alert" style="padding:8px"> </div>`,
			el("e", nil, selectors.Locator{Role: "alert"}), ""},
		{"dialog named only by the title it shows",
			`<button role="switch" aria-label="Enable Xero" aria-checked="false"></button>
			 <div role="dialog"><h2>Add a new app</h2><button>Enable</button></div>`,
			el("e", dialog, selectors.Locator{Role: "button", Name: "Enable"}), "Enable"},
		{"native dialog named only by its title", `<dialog open><div><b>Add a new app</b></div><button>Later</button></dialog>`,
			el("e", dialog, selectors.Locator{Role: "button", Name: "Later"}), "Later"},
		{"a dialog's button is not its title", `<div role="dialog"><h2>Other</h2><button>Add a new app</button><button>Enable</button></div>`,
			el("e", dialog, selectors.Locator{Role: "button", Name: "Enable"}), "Enable"},
		{"a dialog named otherwise is not found by a title it shows", `<div role="dialog" aria-label="Other"><h2>Add a new app</h2><button>Enable</button></div>`,
			el("e", dialog, selectors.Locator{Role: "button", Name: "Enable"}), "Enable"},
		{"a dialog named otherwise, among two, is not it", `<div role="dialog" aria-label="Other"><h2>Add a new app</h2><button>Enable</button></div><div role="dialog" aria-label="Third"><button>Enable</button></div>`,
			el("e", dialog, selectors.Locator{Role: "button", Name: "Enable"}), ""},
		{"Enable in the dialog is not the Enable Xero switch",
			`<button role="switch" aria-checked="false" aria-label="Enable Xero">x</button>
			 <div role="dialog" aria-labelledby="h"><h2 id="h">Add a new app</h2><button>Enable</button></div>`,
			el("e", dialog, selectors.Locator{Role: "button", Name: "Enable"}), "Enable"},
		{"value beside a label (dl)", `<dl><dt>OAuth identifier</dt><dd>ID-123</dd><dt>OAuth secret</dt><dd>S-456</dd></dl>`,
			el("e", nil, selectors.Locator{Beside: "OAuth identifier"}), "ID-123"},
		{"value beside a label (table)", `<table><tr><th>OAuth secret</th><td>S-789</td></tr></table>`,
			el("e", nil, selectors.Locator{Beside: "OAuth secret"}), "S-789"},
		{"pattern", `<div class="x1"><span>25 max connections</span></div>`,
			el("e", nil, selectors.Locator{Pattern: `^\d+ max connections$`}), "25 max connections"},
		{"a badge inside the card of its app",
			`<div><div><a href="#">Other</a><div><span>5 max connections</span></div></div><div><a href="#">Acme</a><div class="m"><span>25 max connections</span></div></div></div>`,
			el("e", nil, selectors.Locator{Pattern: `^\d+ max connections$`, Near: "Acme"}), "25 max connections"},
		{"fallback locator", `<input data-automationid="Username--input" value="u">`,
			el("e", nil, selectors.Locator{Label: "Email address"}, selectors.Locator{CSS: `[data-automationid="Username--input"]`}), "u"},
		{"ambiguous is not found", `<button>Save</button><button>Save</button>`,
			el("e", nil, selectors.Locator{Role: "button", Name: "Save"}), ""},
	}
	// What the match's drift says (How) for the cases found although their
	// words changed; the others match as written.
	drifts := map[string]string{
		"a dialog's button is not its title":                        "the only dialog open",
		"a dialog named otherwise is not found by a title it shows": "the only dialog open",
	}
	tab := browsertest.Page(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := show(t, tab, tt.html, 15*time.Second)
			f := &locate.Finder{}
			if tt.want == "" {
				m, _, err := f.Probe(ctx, tt.el)
				if err != nil || m != nil {
					t.Fatalf("Probe = %v, %v; want nothing", m, err)
				}
				return
			}
			m, err := f.Find(ctx, tt.el)
			if err != nil {
				t.Fatal(err)
			}
			got, err := m.Value(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("found %q via %s, want %q", got, m.Via(), tt.want)
			}
			switch drift := drifts[tt.name]; {
			case drift == "" && m.Drifted():
				t.Errorf("found with a drift %+v, want as written", m.Drifts)
			case drift != "" && (!m.Drifted() || !strings.Contains(m.Drifts[0].How, drift)):
				t.Errorf("drifts %+v, want one that says %q", m.Drifts, drift)
			}
		})
	}
}

// A look is one call: the page script tells what it found through the
// bot's binding and answers with the element. A world without the binding
// answers with both in an array, read with a second call: the same match.
func TestLookWithAndWithoutTheBinding(t *testing.T) {
	ctx := open(t, `<label for="a">App name</label><input id="a" value="v1"><button>Create app</button>`, 15*time.Second)
	els := []*selectors.Element{
		el("name", nil, selectors.Locator{Label: "App name"}),
		el("create", nil, selectors.Locator{Role: "button", Name: "Create app"}, selectors.Locator{Role: "button", Name: "Create"}),
	}
	for _, binding := range []bool{true, false} {
		if !binding {
			if err := locate.DropSayForTest(ctx); err != nil {
				t.Fatal(err)
			}
		}
		for _, e := range els {
			f := &locate.Finder{}
			m, err := f.Find(ctx, e)
			if err != nil {
				t.Fatalf("binding %v: %s: %v", binding, e.Name, err)
			}
			if m.Element != e || m.Index != 0 {
				t.Errorf("binding %v: %s: found %s by locator %d", binding, e.Name, m.Element.Name, m.Index)
			}
		}
		if m, _, err := (&locate.Finder{}).Probe(ctx, el("gone", nil, selectors.Locator{Role: "button", Name: "Delete app"})); err != nil || m != nil {
			t.Errorf("binding %v: Probe of a missing button = %v, %v; want nothing", binding, m, err)
		}
	}
}

// A page drawn by script after a fetch, with a dialog that fades and scales
// in, and a banner that shifts the layout: the bot waits and clicks right.
func TestWaitsForRenderingAndTransitions(t *testing.T) {
	page := `<div id="app"></div><script>
	setTimeout(() => {
	  document.getElementById("app").innerHTML = '<h1>My Apps</h1><button id="n">New app</button><p id="out"></p>';
	  document.getElementById("n").onclick = () => {
	    const d = document.createElement("div");
	    d.setAttribute("role", "dialog"); d.setAttribute("aria-label", "Add a new app");
	    d.style = "transition: transform .3s, opacity .3s; transform: scale(.5) translateY(200px); opacity: 0";
	    d.innerHTML = '<label>App name <input></label><label><input type="checkbox" style="opacity:0;position:absolute;width:1px;height:1px">I agree</label><button disabled>Create app</button>';
	    document.body.appendChild(d);
	    requestAnimationFrame(() => requestAnimationFrame(() => { d.style.transform = "none"; d.style.opacity = 1; }));
	    const cb = d.querySelector("input[type=checkbox]"), b = d.querySelector("button");
	    cb.onchange = () => { b.disabled = !cb.checked; };
	    b.onclick = () => { document.getElementById("out").textContent = "created " + d.querySelector("input").value; d.remove(); };
	  };
	  const banner = document.createElement("div"); banner.style.height = "90px"; banner.textContent = "cookie banner";
	  setTimeout(() => document.body.prepend(banner), 150);
	}, 200);
	</script>`
	ctx := open(t, page, 20*time.Second)
	f := &locate.Finder{}
	dlg := &selectors.Locator{Role: "dialog", Name: "Add a new app"}
	steps := []struct {
		el  *selectors.Element
		act func(*locate.Match) error
	}{
		{el("new", nil, selectors.Locator{Role: "button", Name: "New app"}), func(m *locate.Match) error { return m.Click(ctx) }},
		{el("name", dlg, selectors.Locator{Label: "App name"}), func(m *locate.Match) error { return m.Fill(ctx, "Acme") }},
		{el("agree", dlg, selectors.Locator{Role: "checkbox", Name: "I agree"}), func(m *locate.Match) error { return m.SetChecked(ctx, true) }},
		{el("create", dlg, selectors.Locator{Role: "button", Name: "Create app"}), func(m *locate.Match) error { return m.Click(ctx) }},
	}
	for _, s := range steps {
		m, err := f.Find(ctx, s.el)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.act(m); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.Find(ctx, el("out", nil, selectors.Locator{Text: "created Acme"})); err != nil {
		t.Fatal(err)
	}
}

// The layout moves between the bot's hit test and its press (here, right
// after the first hit test, so the race is certain): the press that would
// land on the banner is stopped before the page sees it, and the click is
// tried again on the button.
func TestClickNeverLandsOnWhatMovedUnderTheMouse(t *testing.T) {
	page := `<button>Create app</button><p id="out"></p><script>
	const log = s => document.getElementById("out").textContent += s + ";";
	document.querySelector("button").onclick = () => log("button");
	const orig = document.elementFromPoint.bind(document);
	let shifted = false;
	document.elementFromPoint = (x, y) => {
	  const r = orig(x, y);
	  if (!shifted) { shifted = true;
	    const b = document.createElement("div"); b.style = "height:200px;background:#eee"; b.textContent = "cookie banner";
	    b.onmousedown = b.onclick = () => log("banner"); document.body.prepend(b); }
	  return r;
	};
	</script>`
	ctx := open(t, page, 20*time.Second)
	f := &locate.Finder{}
	m, err := f.Find(ctx, el("create", nil, selectors.Locator{Role: "button", Name: "Create app"}))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Click(ctx); err != nil {
		t.Fatal(err)
	}
	out, err := f.Find(ctx, el("out", nil, selectors.Locator{Pattern: `;$`}))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := out.Value(ctx); got != "button;" {
		t.Errorf("clicks seen by the page = %q, want exactly one on the button", got)
	}
}

// Web components: fields, buttons and texts inside open shadow roots are
// found, filled and clicked like any other.
func TestShadowDOM(t *testing.T) {
	page := `<x-form></x-form><p id="out"></p><script>
	customElements.define("x-field", class extends HTMLElement {
	  connectedCallback() { const r = this.attachShadow({mode: "open"});
	    r.innerHTML = '<label for="i">' + this.getAttribute("label") + '</label><input id="i">'; } });
	customElements.define("x-form", class extends HTMLElement {
	  connectedCallback() { const r = this.attachShadow({mode: "open"});
	    r.innerHTML = '<x-field label="App name"></x-field><div><span>Xero</span><button>Set up</button></div><div><span>FreeAgent</span><button>Set up</button></div>';
	    r.querySelectorAll("button").forEach((b, i) => b.onclick = () => {
	      document.getElementById("out").textContent = "clicked " + i + " " + r.querySelector("x-field").shadowRoot.querySelector("input").value; }); } });
	</script>`
	ctx := open(t, page, 20*time.Second)
	f := &locate.Finder{}
	m, err := f.Find(ctx, el("name", nil, selectors.Locator{Label: "App name"}))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Fill(ctx, "Acme"); err != nil {
		t.Fatal(err)
	}
	b, err := f.Find(ctx, el("set up", nil, selectors.Locator{Role: "button", Name: "Set up", Near: "FreeAgent"}))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Click(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Find(ctx, el("out", nil, selectors.Locator{Text: "clicked 1 Acme"})); err != nil {
		t.Fatal(err)
	}
}

// A visually hidden native checkbox is ticked through its label, and a
// widget that a framework redraws on every change is found again.
func TestHiddenInputsAndRedrawnWidgets(t *testing.T) {
	page := `<style>.vh{position:absolute;width:1px;height:1px;opacity:0;clip:rect(0 0 0 0);overflow:hidden}</style>
	<label><input type="radio" name="t"><b>Web app</b> <small>for apps on the web</small></label>
	<label><input type="checkbox" class="vh" id="c"><span>I agree</span></label>
	<div id="w"></div><script>
	let on = false;
	const draw = () => { document.getElementById("w").innerHTML =
	  '<button role="switch" aria-label="Enable Xero" aria-checked="' + on + '">x</button>';
	  document.querySelector("#w button").onclick = () => setTimeout(() => { on = !on; draw(); }, 100); };
	draw();
	</script>`
	ctx := open(t, page, 20*time.Second)
	f := &locate.Finder{}
	for _, e := range []*selectors.Element{
		el("agree", nil, selectors.Locator{Role: "checkbox", Name: "I agree"}),
		el("web app by its words", nil, selectors.Locator{Role: "radio", Name: "Web app"}, selectors.Locator{Text: "Web app"}),
		el("switch", nil, selectors.Locator{Role: "switch", Name: "Enable Xero"}),
	} {
		m, err := f.Find(ctx, e)
		if err != nil {
			t.Fatal(err)
		}
		if err := m.SetChecked(ctx, true); err != nil {
			t.Fatalf("%s: %v", e.Name, err)
		}
	}
}

// SetChecked leaves a box that is already as wanted alone, and refuses an
// element with no checked state, without a click on either.
func TestSetCheckedClicksOnlyWhenNeeded(t *testing.T) {
	page := `<label><input type="checkbox" checked>I agree</label><button>Enable</button><p id="out">clicks:</p>
	<script>document.addEventListener("click", (e) => { document.getElementById("out").textContent += "click;"; }, true);</script>`
	ctx := open(t, page, 20*time.Second)
	f := &locate.Finder{}
	agree, err := f.Find(ctx, el("agree", nil, selectors.Locator{Role: "checkbox", Name: "I agree"}))
	if err != nil {
		t.Fatal(err)
	}
	if err := agree.SetChecked(ctx, true); err != nil {
		t.Errorf("a ticked box, ticked: %v", err)
	}
	button, err := f.Find(ctx, el("enable", nil, selectors.Locator{Role: "button", Name: "Enable"}))
	if err != nil {
		t.Fatal(err)
	}
	if err := button.SetChecked(ctx, true); err == nil || !strings.Contains(err.Error(), "has no checked state") {
		t.Errorf("a button, ticked: %v; want \"has no checked state\"", err)
	}
	out, err := f.Find(ctx, el("out", nil, selectors.Locator{CSS: "#out"}))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := out.Value(ctx); got != "clicks:" {
		t.Errorf("the page saw %q, want no click", got)
	}
	if err := agree.SetChecked(ctx, false); err != nil {
		t.Fatalf("untick: %v", err)
	}
	if on, _, _ := agree.Checked(ctx); on {
		t.Error("the box is still ticked")
	}
}

// A look at a page still loading, whose body has not arrived (a portal's
// long head on a slow line), finds nothing yet and waits: each way of
// finding an element sees the body once it comes.
func TestLooksAtAPageWithoutItsBodyYet(t *testing.T) {
	tests := []struct {
		name string
		loc  selectors.Locator
	}{
		{"by label", selectors.Locator{Label: "Email"}},
		{"by text", selectors.Locator{Text: "Welcome back"}},
		{"by role near a text", selectors.Locator{Role: "button", Name: "Continue", Near: "Welcome back"}},
		{"a dialog by the title it shows", selectors.Locator{Role: "dialog", Name: "Sign in"}},
	}
	ctx := browsertest.Page(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The head at once; the body 0.4 s later.
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				_, _ = fmt.Fprint(w, "<!doctype html><html><head><title>t</title><style>"+strings.Repeat(" ", 2048)+"</style></head>")
				w.(http.Flusher).Flush()
				select {
				case <-time.After(400 * time.Millisecond):
				case <-r.Context().Done():
					return
				}
				_, _ = fmt.Fprint(w, `<body><div role="dialog"><h2>Sign in</h2><p>Welcome back</p>`+
					`<label>Email <input></label><button>Continue</button></div></body></html>`)
			}))
			t.Cleanup(ts.Close)
			if _, err := chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: ts.URL}); err != nil {
				t.Fatal(err)
			}
			// The look starts while the body is still on its way.
			fctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			if _, err := (&locate.Finder{}).Find(fctx, el("it", nil, tt.loc)); err != nil {
				t.Fatalf("find %s on a page still loading: %v", tt.loc, err)
			}
		})
	}
}

// Until looks again as soon as the page changes, including a field whose
// value a script sets (no DOM mutation tells of it), and reads the value
// the page shows then.
func TestUntilSeesWhatScriptsChange(t *testing.T) {
	tests := []struct {
		name, script string
		el           *selectors.Element
		want         string
	}{
		{"a field's value set by a script", `document.getElementById("f").value = "B9C1"`,
			el("f", nil, selectors.Locator{Label: "Client id"}), "B9C1"},
		{"a text changed", `document.getElementById("s").textContent = "ready"`,
			el("s", nil, selectors.Locator{Role: "status"}), "ready"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := open(t, `<label for="f">Client id</label><input id="f" readonly value="••••">`+
				`<output id="s">waiting</output><script>setTimeout(() => { `+tc.script+` }, 120)</script>`, 10*time.Second)
			f := &locate.Finder{}
			m, err := f.Find(ctx, tc.el)
			if err != nil {
				t.Fatal(err)
			}
			var got string
			err = locate.Until(ctx, "the value", func(ctx context.Context) (bool, error) {
				v, err := m.Value(ctx)
				got = v
				return v == tc.want, err
			})
			if err != nil {
				t.Fatalf("%v (last value %q)", err, got)
			}
		})
	}
}
