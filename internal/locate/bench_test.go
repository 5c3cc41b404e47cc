package locate_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"portalbot/internal/locate"
	"portalbot/selectors"
)

// formPage is a portal-like page: a menu of 60 links, a form of 30
// labelled fields and a table of rows (three cells, a button each): about
// 7 elements a row, 2,300 in all at 300 rows.
func formPage(rows int) string {
	var b strings.Builder
	b.WriteString("<nav><ul>")
	for i := range 60 {
		fmt.Fprintf(&b, `<li><a href="#%d">Link %d</a></li>`, i, i)
	}
	b.WriteString("</ul></nav><main><form>")
	for i := range 30 {
		fmt.Fprintf(&b, `<div><label for="f%d">Field number %d</label><input id="f%d" value="v%d"><p>Help for field %d, with <b>bold</b> words.</p></div>`, i, i, i, i, i)
	}
	b.WriteString(`<button type="submit">Create app</button></form><table>`)
	for i := range rows {
		fmt.Fprintf(&b, `<tr><td>row %d</td><td><span>status</span></td><td><button>Delete %d</button></td></tr>`, i, i)
	}
	b.WriteString("</table></main>")
	return b.String()
}

// BenchmarkFind is one look for a field by its label and for a button by
// its role and name, on a small page and on a page of 2,300 elements: the
// engine's cost per look, which reading the browser's roles and names
// dominates (browser.AccessibilityFlag).
func BenchmarkFind(b *testing.B) {
	for _, rows := range []int{20, 300} {
		for _, e := range []*selectors.Element{
			el("label", nil, selectors.Locator{Label: "Field number 27"}),
			el("button", nil, selectors.Locator{Role: "button", Name: "Create app"}),
		} {
			b.Run(fmt.Sprintf("rows-%d/%s", rows, e.Name), func(b *testing.B) {
				ctx := open(b, formPage(rows), time.Minute)
				f := &locate.Finder{}
				if _, err := f.Find(ctx, e); err != nil { // the engine installed
					b.Fatal(err)
				}
				for b.Loop() {
					if _, err := f.Find(ctx, e); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
