package locate

import "encoding/json"

// NormScriptForTest is an expression that runs the page's norm over texts.
func NormScriptForTest(texts []string) string {
	b, _ := json.Marshal(texts)
	return "(() => {\n" + jsNorm + "\nreturn " + string(b) + ".map(norm);\n})()"
}
