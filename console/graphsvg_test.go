package console

import (
	"strings"
	"testing"
)

func TestGraphSVG(t *testing.T) {
	m := "flowchart TD\n\t__start__([__start__])\n\treceive(receive)\n\tchat(chat <b>)\n\ttools(tools)\n\t__end__([__end__])\n" +
		"\t__start__ --> receive\n\ttools --> chat\n\treceive -.-> chat\n\treceive -.-> __end__\n\tchat -.-> tools\n\tchat -.-> __end__\n"
	svg := string(graphSVG(m))
	if !strings.HasPrefix(svg, "<svg") || strings.Count(svg, "<rect") != 5 || strings.Count(svg, "<path d=\"M") != 7 {
		t.Fatalf("svg:\n%s", svg)
	}
	if strings.Contains(svg, "<b>") || !strings.Contains(svg, "chat &lt;b&gt;") {
		t.Error("a label was not escaped")
	}
	if strings.Count(svg, "stroke-dasharray") != 4 {
		t.Error("router edges are not dotted")
	}
	if graphSVG("") != "" || graphSVG("not mermaid at all") != "" {
		t.Error("unreadable input drew something")
	}
}
