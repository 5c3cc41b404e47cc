package locate

import (
	"context"
	"encoding/json"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// NormScriptForTest is an expression that runs the page's norm over texts.
func NormScriptForTest(texts []string) string {
	b, _ := json.Marshal(texts)
	return "(() => {\n" + jsNorm + "\nreturn " + string(b) + ".map(norm);\n})()"
}

// DropSayForTest removes the binding from the bot's world in the tab's
// current document, as in a browser that would not install it there: the
// looks then answer with an array, read with a second call.
func DropSayForTest(ctx context.Context) error {
	id, err := currentWorld(ctx, false)
	if err != nil {
		return err
	}
	_, err = chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{Expression: "delete globalThis." + sayBinding, ContextID: id})
	return err
}
