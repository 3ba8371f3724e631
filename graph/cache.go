package graph

import (
	"container/list"
	"sync"

	"github.com/switchboardhq/switchboard/checkpoint"
)

// DefaultStateCache is how many threads' decoded states a compiled graph
// keeps between runs unless WithStateCache says otherwise.
const DefaultStateCache = 128

// WithStateCache keeps the decoded state of up to n recently run threads
// in memory, so the next run of a thread loads and decodes only what was
// appended since — with a saver that implements
// checkpoint.IncrementalLoader — instead of the whole conversation. 0 turns
// the cache off. A run checks its thread's state out of the cache, so two
// runs never share one; another process's writes are picked up because the
// saver is always asked for the latest checkpoint.
func WithStateCache(n int) CompileOption {
	return func(c *compileConfig) { c.cacheSize = &n }
}

// stateCache is an LRU of thread states, each as of a stored checkpoint.
type stateCache[S any] struct {
	mu    sync.Mutex
	size  int
	items map[string]*list.Element
	order *list.List // front = most recently put
}

type cachedState[S any] struct {
	thread string
	state  S
	head   checkpoint.Checkpoint
}

func newStateCache[S any](size int) *stateCache[S] {
	if size <= 0 {
		return nil
	}
	return &stateCache[S]{size: size, items: make(map[string]*list.Element), order: list.New()}
}

// checkout removes and returns the thread's entry, if any.
func (c *stateCache[S]) checkout(thread string) *cachedState[S] {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[thread]
	if !ok {
		return nil
	}
	delete(c.items, thread)
	c.order.Remove(e)
	return e.Value.(*cachedState[S])
}

// put stores the thread's state as of head, evicting the least recently
// used entry when full.
func (c *stateCache[S]) put(thread string, state S, head checkpoint.Checkpoint) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[thread]; ok {
		c.order.Remove(e)
	}
	c.items[thread] = c.order.PushFront(&cachedState[S]{thread: thread, state: state, head: head})
	for c.order.Len() > c.size {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.items, old.Value.(*cachedState[S]).thread)
	}
}
