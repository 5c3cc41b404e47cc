package shots

import (
	"fmt"
	"strings"
)

// Index is index.md: for each shot of the list that exists (exists says),
// the image with its alt text and caption, and the guide line it
// illustrates, in list order, for a docs site to include or copy from. It
// holds no date, so an unchanged set of shots gives an unchanged file.
func (l *List) Index(exists func(file string) bool) []byte {
	var b strings.Builder
	b.WriteString("# Screenshots for Codat's setup guides\n\n")
	b.WriteString("Taken by `bot shots` (portalbot). Secret values are masked; the element a step is about is framed in purple.\n")
	flow := ""
	for _, s := range l.Shots {
		if !exists(s.File) {
			continue
		}
		if s.Flow != flow {
			flow = s.Flow
			fmt.Fprintf(&b, "\n## %s\n", flowTitle(flow))
		}
		fmt.Fprintf(&b, "\n### %s\n\n", s.File)
		fmt.Fprintf(&b, "![%s](%s \"%s\")\n\n", s.Alt, s.File, s.Caption)
		fmt.Fprintf(&b, "*%s*\n\n", s.Caption)
		fmt.Fprintf(&b, "Illustrates (after step `%s`):\n\n", s.After)
		for _, line := range strings.Split(strings.TrimSpace(s.Guide), "\n") {
			fmt.Fprintf(&b, "> %s\n", strings.TrimRight(line, " "))
		}
	}
	return []byte(b.String())
}

func flowTitle(flow string) string {
	switch flow {
	case "xero":
		return "Xero (Configurer l'intégration Xero)"
	case "freeagent":
		return "FreeAgent (Configurer l'intégration FreeAgent)"
	}
	return flow
}
