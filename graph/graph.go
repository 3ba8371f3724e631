package graph

import (
	"context"
	"fmt"
	"reflect"
	"time"
)

// START and END are the virtual nodes a graph begins at and ends at.
const (
	START = "__start__"
	END   = "__end__"
)

// NodeFunc is a node: it reads the state and returns an update holding only
// the fields it changes.
type NodeFunc[S any] func(ctx context.Context, state S) (S, error)

// RouterFunc picks the next node or nodes after a node ran, from the state
// with the step's updates merged. It may return only destinations declared
// with AddConditionalEdges, or END.
type RouterFunc[S any] func(ctx context.Context, state S) ([]string, error)

// Graph is a graph under construction. Its methods record errors instead
// of returning them, so a graph reads as one chain of calls; Compile reports
// every error found.
type Graph[S any] struct {
	cfg     config
	nodes   []*node[S]
	byName  map[string]int
	edges   []edge
	routers []router[S]
	errs    []error
}

type node[S any] struct {
	name    string
	fn      NodeFunc[S]
	timeout time.Duration
	retry   RetryPolicy
}

type edge struct{ from, to string }

type router[S any] struct {
	from  string
	fn    RouterFunc[S]
	dests []string
}

type reducerSpec struct {
	typ reflect.Type
	fn  func(cur, upd reflect.Value) reflect.Value
}

type config struct {
	reducers map[string]reducerSpec
}

// Option configures a Graph at New.
type Option func(*config)

// WithReducer declares how updates to the field named field are merged:
// fn receives the current value and a node's update and returns the new
// value. Nodes of one step are merged in the order they were added to the
// graph. A field with a custom reducer is checkpointed whole.
func WithReducer[T any](field string, fn func(current, update T) T) Option {
	return func(c *config) {
		if c.reducers == nil {
			c.reducers = make(map[string]reducerSpec)
		}
		c.reducers[field] = reducerSpec{
			typ: reflect.TypeFor[T](),
			fn: func(cur, upd reflect.Value) reflect.Value {
				return reflect.ValueOf(fn(cur.Interface().(T), upd.Interface().(T)))
			},
		}
	}
}

// New starts a graph over state S.
func New[S any](opts ...Option) *Graph[S] {
	g := &Graph[S]{byName: make(map[string]int)}
	for _, opt := range opts {
		opt(&g.cfg)
	}
	return g
}

// NodeOption configures one node.
type NodeOption func(*nodeOptions)

type nodeOptions struct {
	timeout time.Duration
	retry   RetryPolicy
}

// Timeout bounds each attempt of the node: its context is cancelled after d.
// Nodes must honour their context, as all Go code must.
func Timeout(d time.Duration) NodeOption {
	return func(o *nodeOptions) { o.timeout = d }
}

// Retry sets the node's retry policy.
func Retry(p RetryPolicy) NodeOption {
	return func(o *nodeOptions) { o.retry = p }
}

// AddNode adds a node. Names must be unique and not START or END.
func (g *Graph[S]) AddNode(name string, fn NodeFunc[S], opts ...NodeOption) *Graph[S] {
	switch {
	case name == "":
		g.errs = append(g.errs, fmt.Errorf("graph: node with an empty name"))
		return g
	case name == START || name == END:
		g.errs = append(g.errs, fmt.Errorf("graph: node name %q is reserved", name))
		return g
	case fn == nil:
		g.errs = append(g.errs, fmt.Errorf("graph: node %q has a nil function", name))
		return g
	}
	if _, dup := g.byName[name]; dup {
		g.errs = append(g.errs, fmt.Errorf("graph: node %q added twice", name))
		return g
	}
	var o nodeOptions
	for _, opt := range opts {
		opt(&o)
	}
	g.byName[name] = len(g.nodes)
	g.nodes = append(g.nodes, &node[S]{name: name, fn: fn, timeout: o.timeout, retry: o.retry})
	return g
}

// AddEdge makes to run in the step after from.
func (g *Graph[S]) AddEdge(from, to string) *Graph[S] {
	g.edges = append(g.edges, edge{from, to})
	return g
}

// AddConditionalEdges routes from a node through fn, which may pick any of
// dests (END included). Declaring the destinations lets Compile check the
// graph and draw it.
func (g *Graph[S]) AddConditionalEdges(from string, fn RouterFunc[S], dests ...string) *Graph[S] {
	if fn == nil {
		g.errs = append(g.errs, fmt.Errorf("graph: router from %q is nil", from))
		return g
	}
	if len(dests) == 0 {
		g.errs = append(g.errs, fmt.Errorf("graph: router from %q declares no destinations", from))
		return g
	}
	g.routers = append(g.routers, router[S]{from: from, fn: fn, dests: dests})
	return g
}
