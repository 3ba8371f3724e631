package graph

import (
	"container/list"
	"sync"

	"github.com/switchboardhq/switchboard/checkpoint"
)

// DefaultStateCache is how many threads' decoded states a compiled graph
// keeps between runs unless WithStateCache says otherwise.
const DefaultStateCache = 128

// DefaultStateCacheBytes bounds the states a compiled graph keeps, by the
// size of their encoded form, unless WithStateCacheBytes says otherwise.
// A count alone does not bound memory: one thread may hold a few messages
// or a few thousand.
const DefaultStateCacheBytes = 64 << 20

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

// WithStateCacheBytes bounds the state cache by the encoded size of the
// states it holds (the bytes their checkpoints take: values and log
// entries), besides WithStateCache's count; the least recently run
// threads are dropped first, and a state larger than n is not kept.
// Decoded, a state takes a small multiple of its encoded size, so n is
// the figure to size against the process's memory. 0 turns the cache off.
func WithStateCacheBytes(n int64) CompileOption {
	return func(c *compileConfig) { c.cacheBytes = &n }
}

// stateCache is an LRU of thread states, each as of a stored checkpoint.
type stateCache[S any] struct {
	mu       sync.Mutex
	size     int
	maxBytes int64
	bytes    int64 // the sum of the entries' sizes
	items    map[string]*list.Element
	order    *list.List // front = most recently put
}

type cachedState[S any] struct {
	thread string
	state  S
	head   checkpoint.Checkpoint
	size   stateSize
}

// stateSize is the encoded size of a state as of its head checkpoint: its
// values whole, and every entry of its logs.
type stateSize struct{ values, logs int64 }

func (s stateSize) total() int64 { return s.values + s.logs }

// valuesSize is the size of encoded values.
func valuesSize(values map[string][]byte) int64 {
	var n int64
	for _, v := range values {
		n += int64(len(v))
	}
	return n
}

// logsSize is the size of encoded log entries.
func logsSize(logs map[string][][]byte) int64 {
	var n int64
	for _, entries := range logs {
		for _, e := range entries {
			n += int64(len(e))
		}
	}
	return n
}

func newStateCache[S any](size int, maxBytes int64) *stateCache[S] {
	if size <= 0 || maxBytes <= 0 {
		return nil
	}
	return &stateCache[S]{size: size, maxBytes: maxBytes, items: make(map[string]*list.Element), order: list.New()}
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
	cs := e.Value.(*cachedState[S])
	c.bytes -= cs.size.total()
	return cs
}

// put stores the thread's state as of head, of the given encoded size,
// evicting the least recently used entries while the cache holds too many
// or too many bytes.
func (c *stateCache[S]) put(thread string, state S, head checkpoint.Checkpoint, size stateSize) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[thread]; ok {
		c.remove(e)
	}
	if size.total() > c.maxBytes {
		return
	}
	c.items[thread] = c.order.PushFront(&cachedState[S]{thread: thread, state: state, head: head, size: size})
	c.bytes += size.total()
	for c.order.Len() > c.size || c.bytes > c.maxBytes {
		c.remove(c.order.Back())
	}
}

// remove drops an entry; c.mu is held.
func (c *stateCache[S]) remove(e *list.Element) {
	cs := e.Value.(*cachedState[S])
	c.order.Remove(e)
	delete(c.items, cs.thread)
	c.bytes -= cs.size.total()
}
