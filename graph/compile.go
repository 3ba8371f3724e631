package graph

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/switchboardhq/switchboard/checkpoint"
)

// Durability says when a run writes checkpoints.
type Durability int

const (
	// DurabilityStep checkpoints after every superstep: a crash loses at
	// most the step in flight (or, with WithSyncAfter, the steps since the
	// last one stored). It is the default, because agent steps have
	// side effects (tool calls) that should not run twice after a crash.
	DurabilityStep Durability = iota
	// DurabilityExit checkpoints once when the run ends (done, paused,
	// failed, or at the step limit): one write per run instead of one per
	// step, for graphs whose steps are cheap to redo.
	DurabilityExit
)

// CompileOption configures a compiled graph.
type CompileOption func(*compileConfig)

type compileConfig struct {
	saver      checkpoint.Saver
	before     []string
	stepLimit  int
	durability Durability
	syncAfter  []string
	batched    bool // WithSyncAfter was given
	cacheSize  *int
	cacheBytes *int64
}

// WithSaver checkpoints runs with s, addressed by thread id.
func WithSaver(s checkpoint.Saver) CompileOption {
	return func(c *compileConfig) { c.saver = s }
}

// WithInterruptBefore pauses a run before any of the named nodes runs.
// Resume continues with that node. It needs a saver.
func WithInterruptBefore(nodes ...string) CompileOption {
	return func(c *compileConfig) { c.before = append(c.before, nodes...) }
}

// WithStepLimit sets the default step limit of runs (25 if unset).
func WithStepLimit(n int) CompileOption {
	return func(c *compileConfig) { c.stepLimit = n }
}

// WithDurability sets when runs write checkpoints (DurabilityStep if unset).
func WithDurability(d Durability) CompileOption {
	return func(c *compileConfig) { c.durability = d }
}

// WithSyncAfter makes DurabilityStep store checkpoints in batches: a
// checkpoint is stored as soon as a step in which one of nodes ran ends,
// and when the run ends, pauses or fails; the checkpoints of the steps in
// between are held in memory and stored with it, in one write when the
// saver is a checkpoint.BatchPutter (one round trip and one commit instead
// of one per step). Name the nodes whose effects reach outside the state:
// an agent's tools. A crash then loses at most the steps since the last
// of them, and the run goes again from there, re-running only nodes that
// changed nothing but the state (a model call); a node among nodes whose
// step was stored never runs again. A node among nodes that knows a run of
// it had no such effects (tools that only read) calls NoEffects, and its
// step is held like the others. Every step still gets its checkpoint,
// so time travel is as with plain DurabilityStep. Without this option each
// checkpoint is stored when its step ends. DurabilityExit ignores it.
func WithSyncAfter(nodes ...string) CompileOption {
	return func(c *compileConfig) {
		c.syncAfter = append(c.syncAfter, nodes...)
		c.batched = true
	}
}

// DefaultStepLimit is the step limit of a run when none is set.
const DefaultStepLimit = 25

// Compiled is a validated graph, ready to run. It is safe for concurrent
// use; runs of different threads proceed in parallel.
type Compiled[S any] struct {
	nodes     []*node[S]
	byName    map[string]int
	out       [][]int // static successors by node index; last entry is START's
	routes    []*router[S]
	dests     [][]int // router destinations by node index
	before    []bool
	sync      []bool // nodes after which a checkpoint is stored at once; nil: after every node
	schema    *schema
	cfg       compileConfig
	edges     []edge // for Mermaid, in insertion order
	routerDef []router[S]
	cache     *stateCache[S]
	spares    spares // spare log capacity behind results of runs without a saver
}

// endIdx marks END among node indices.
const endIdx = -1

// Compile validates the graph and returns it ready to run. Unknown node
// names, edges out of END or into START, nodes unreachable from START and
// nodes with no path to END are errors that name the node.
func (g *Graph[S]) Compile(opts ...CompileOption) (*Compiled[S], error) {
	errs := slices.Clone(g.errs)
	var cfg compileConfig
	for _, opt := range opts {
		opt(&cfg)
	}
	if cfg.stepLimit <= 0 {
		cfg.stepLimit = DefaultStepLimit
	}
	sc, err := newSchema(reflect.TypeFor[S](), g.cfg.reducers)
	if err != nil {
		errs = append(errs, err)
	}
	n := len(g.nodes)
	c := &Compiled[S]{
		nodes:     g.nodes,
		byName:    g.byName,
		out:       make([][]int, n+1),
		routes:    make([]*router[S], n),
		dests:     make([][]int, n),
		before:    make([]bool, n),
		schema:    sc,
		cfg:       cfg,
		edges:     g.edges,
		routerDef: g.routers,
	}
	start := n
	// index resolves a name used as an edge's source (START allowed) or
	// target (END allowed).
	index := func(name string, source bool) (int, error) {
		switch name {
		case START:
			if source {
				return start, nil
			}
			return 0, fmt.Errorf("graph: edge into %s", START)
		case END:
			if !source {
				return endIdx, nil
			}
			return 0, fmt.Errorf("graph: edge out of %s", END)
		}
		i, ok := g.byName[name]
		if !ok {
			return 0, fmt.Errorf("graph: unknown node %q", name)
		}
		return i, nil
	}
	for _, e := range g.edges {
		from, err1 := index(e.from, true)
		to, err2 := index(e.to, false)
		if err := errors.Join(err1, err2); err != nil {
			errs = append(errs, fmt.Errorf("edge %s → %s: %w", e.from, e.to, err))
			continue
		}
		if !slices.Contains(c.out[from], to) {
			c.out[from] = append(c.out[from], to)
		}
	}
	for i := range g.routers {
		r := &g.routers[i]
		from, err := index(r.from, true)
		if err == nil && from == start {
			err = fmt.Errorf("graph: routing from %s is not supported; add an edge to a node that routes", START)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("router from %s: %w", r.from, err))
			continue
		}
		if c.routes[from] != nil {
			errs = append(errs, fmt.Errorf("graph: node %q has two routers", r.from))
			continue
		}
		c.routes[from] = r
		for _, d := range r.dests {
			to, err := index(d, false)
			if err != nil {
				errs = append(errs, fmt.Errorf("router from %s: %w", r.from, err))
				continue
			}
			c.dests[from] = append(c.dests[from], to)
		}
	}
	for _, name := range cfg.before {
		i, ok := g.byName[name]
		if !ok {
			errs = append(errs, fmt.Errorf("graph: interrupt before unknown node %q", name))
			continue
		}
		c.before[i] = true
	}
	if cfg.batched {
		c.sync = make([]bool, n)
		for _, name := range cfg.syncAfter {
			i, ok := g.byName[name]
			if !ok {
				errs = append(errs, fmt.Errorf("graph: sync after unknown node %q", name))
				continue
			}
			c.sync[i] = true
		}
	}
	if len(cfg.before) > 0 && cfg.saver == nil {
		errs = append(errs, fmt.Errorf("graph: interrupts need a checkpoint saver (WithSaver)"))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(c.out[start]) == 0 {
		return nil, fmt.Errorf("graph: no edge from %s: add one to the entry node", START)
	}
	if err := c.checkReach(); err != nil {
		return nil, err
	}
	size := DefaultStateCache
	if cfg.cacheSize != nil {
		size = *cfg.cacheSize
	}
	maxBytes := int64(DefaultStateCacheBytes)
	if cfg.cacheBytes != nil {
		maxBytes = *cfg.cacheBytes
	}
	if _, ok := cfg.saver.(checkpoint.IncrementalLoader); ok {
		c.cache = newStateCache[S](size, maxBytes)
	}
	return c, nil
}

// successors lists everything that may follow node i, static and routed.
func (c *Compiled[S]) successors(i int) []int {
	if i == len(c.nodes) {
		return c.out[i]
	}
	return append(slices.Clone(c.out[i]), c.dests[i]...)
}

func (c *Compiled[S]) checkReach() error {
	n := len(c.nodes)
	reached := make([]bool, n)
	stack := []int{n}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, j := range c.successors(i) {
			if j != endIdx && !reached[j] {
				reached[j] = true
				stack = append(stack, j)
			}
		}
	}
	var errs []error
	for i, nd := range c.nodes {
		if !reached[i] {
			errs = append(errs, fmt.Errorf("graph: node %q is unreachable from %s", nd.name, START))
		}
	}
	// Walk backwards from END to find the nodes that can finish.
	finishes := make([]bool, n)
	for changed := true; changed; {
		changed = false
		for i := 0; i < n; i++ {
			if finishes[i] {
				continue
			}
			for _, j := range c.successors(i) {
				if j == endIdx || finishes[j] {
					finishes[i] = true
					changed = true
					break
				}
			}
		}
	}
	for i, nd := range c.nodes {
		if reached[i] && !finishes[i] {
			errs = append(errs, fmt.Errorf("graph: node %q has no path to %s", nd.name, END))
		}
	}
	return errors.Join(errs...)
}

// Mermaid renders the graph as a Mermaid flowchart: solid arrows are
// static edges, dotted arrows are a router's possible destinations.
func (c *Compiled[S]) Mermaid() string {
	var b strings.Builder
	b.WriteString("flowchart TD\n")
	fmt.Fprintf(&b, "\t%s([%s])\n", START, START)
	for _, nd := range c.nodes {
		fmt.Fprintf(&b, "\t%s(%s)\n", mermaidID(nd.name), nd.name)
	}
	fmt.Fprintf(&b, "\t%s([%s])\n", END, END)
	for _, e := range c.edges {
		fmt.Fprintf(&b, "\t%s --> %s\n", mermaidID(e.from), mermaidID(e.to))
	}
	for _, r := range c.routerDef {
		for _, d := range r.dests {
			fmt.Fprintf(&b, "\t%s -.-> %s\n", mermaidID(r.from), mermaidID(d))
		}
	}
	return b.String()
}

func mermaidID(name string) string {
	return strings.Map(func(r rune) rune {
		if r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '_'
	}, name)
}
