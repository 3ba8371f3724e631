package console

import (
	"fmt"
	"html"
	"html/template"
	"regexp"
	"strings"
)

var (
	mermaidNode = regexp.MustCompile(`^([A-Za-z0-9_]+)\(\[?([^\])]*)\]?\)$`)
	mermaidEdge = regexp.MustCompile(`^([A-Za-z0-9_]+)\s+(-->|-\.->)\s+([A-Za-z0-9_]+)$`)
)

type gnode struct {
	id, label string
	rank, col int
}

// endID is the graph's end node as Mermaid() names it.
const endID = "__end__"

type gedge struct {
	from, to string
	dotted   bool
}

// graphSVG draws a Mermaid flowchart (as graph.Compiled.Mermaid writes it)
// as an SVG: nodes ranked top to bottom by their distance from the first,
// solid arrows for fixed edges, dotted for a router's choices. Labels are
// escaped; nothing of the input becomes markup. An empty or unreadable
// chart gives "".
func graphSVG(mermaid string) template.HTML {
	var nodes []*gnode
	byID := map[string]*gnode{}
	var edges []gedge
	for _, line := range strings.Split(mermaid, "\n") {
		line = strings.TrimSpace(line)
		if m := mermaidEdge.FindStringSubmatch(line); m != nil {
			edges = append(edges, gedge{from: m[1], to: m[3], dotted: m[2] == "-.->"})
			continue
		}
		if m := mermaidNode.FindStringSubmatch(line); m != nil {
			n := &gnode{id: m[1], label: m[2], rank: -1}
			nodes = append(nodes, n)
			byID[n.id] = n
		}
	}
	if len(nodes) == 0 {
		return ""
	}
	// Rank by breadth-first distance from the first node; the end goes
	// last, and unreachable nodes after it.
	nodes[0].rank = 0
	queue := []*gnode{nodes[0]}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, e := range edges {
			if e.from != n.id || e.to == endID {
				continue
			}
			if to, ok := byID[e.to]; ok && to.rank < 0 {
				to.rank = n.rank + 1
				queue = append(queue, to)
			}
		}
	}
	maxRank := 0
	for _, n := range nodes {
		maxRank = max(maxRank, n.rank)
	}
	if end, ok := byID[endID]; ok {
		maxRank++
		end.rank = maxRank
	}
	for _, n := range nodes {
		if n.rank < 0 {
			maxRank++
			n.rank = maxRank
		}
	}
	cols := map[int]int{}
	width := 1
	for _, n := range nodes {
		n.col = cols[n.rank]
		cols[n.rank]++
		width = max(width, cols[n.rank])
	}
	const boxW, boxH, gapX, gapY, pad = 120, 40, 50, 50, 80 // the pad leaves room for bending arrows
	w := pad*2 + width*boxW + (width-1)*gapX
	h := 20*2 + (maxRank+1)*boxH + maxRank*gapY
	pos := func(n *gnode) (x, y int) {
		rowW := cols[n.rank]*boxW + (cols[n.rank]-1)*gapX
		left := pad + (width*boxW+(width-1)*gapX-rowW)/2
		return left + n.col*(boxW+gapX), 20 + n.rank*(boxH+gapY)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="graph" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="The agent graph">`, w, h, w, h)
	b.WriteString(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="currentColor"/></marker></defs>`)
	for _, e := range edges {
		from, to := byID[e.from], byID[e.to]
		if from == nil || to == nil {
			continue
		}
		x1, y1 := pos(from)
		x2, y2 := pos(to)
		dash := ""
		if e.dotted {
			dash = ` stroke-dasharray="5 4"`
		}
		switch {
		case to.rank == from.rank+1:
			fmt.Fprintf(&b, `<path d="M%d,%d L%d,%d" fill="none" stroke="currentColor"%s marker-end="url(#arrow)"/>`,
				x1+boxW/2, y1+boxH, x2+boxW/2, y2, dash)
		case to.rank > from.rank:
			// A jump over ranks: bend out to the left, around the boxes
			// between.
			bx := min(x1, x2) - 60
			fmt.Fprintf(&b, `<path d="M%d,%d C%d,%d %d,%d %d,%d" fill="none" stroke="currentColor"%s marker-end="url(#arrow)"/>`,
				x1, y1+boxH/2, bx, y1+boxH/2, bx, y2+boxH/2, x2, y2+boxH/2, dash)
		default:
			// A way back up (a loop): bend out to the right.
			bx := max(x1, x2) + boxW + 60
			fmt.Fprintf(&b, `<path d="M%d,%d C%d,%d %d,%d %d,%d" fill="none" stroke="currentColor"%s marker-end="url(#arrow)"/>`,
				x1+boxW, y1+boxH/2, bx, y1+boxH/2, bx, y2+boxH/2, x2+boxW, y2+boxH/2, dash)
		}
	}
	for _, n := range nodes {
		x, y := pos(n)
		rx := 6
		if n.id == "__start__" || n.id == endID {
			rx = boxH / 2
		}
		fmt.Fprintf(&b, `<g class="gnode"><rect x="%d" y="%d" width="%d" height="%d" rx="%d"/><text x="%d" y="%d" text-anchor="middle" dominant-baseline="middle">%s</text></g>`,
			x, y, boxW, boxH, rx, x+boxW/2, y+boxH/2, html.EscapeString(n.label))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // built here; every label escaped above
}
