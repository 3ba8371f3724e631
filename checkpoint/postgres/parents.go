package postgres

import (
	"maps"
	"sync"

	"github.com/switchboardhq/switchboard/checkpoint"
)

// parentCache remembers the branch and log lengths of checkpoints this
// Saver wrote, so the next Put on the thread need not read its parent
// back. A checkpoint row never changes once written, so an entry is right
// for as long as the row exists, and Put's fast path checks that it does.
type parentCache struct {
	mu sync.Mutex
	m  map[string]parentInfo
}

type parentInfo struct {
	branch string
	lens   map[string]int
}

// parentCacheMax bounds the cache: a thread's next Put needs only its
// latest checkpoint, so a few thousand entries cover as many threads
// active at once; past it the cache starts over.
const parentCacheMax = 4096

func parentKey(thread, id string) string { return thread + "\x00" + id }

func (c *parentCache) add(cp checkpoint.Checkpoint) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= parentCacheMax {
		c.m = make(map[string]parentInfo)
	}
	if cp.ParentID != "" {
		delete(c.m, parentKey(cp.ThreadID, cp.ParentID)) // superseded: the thread moved on
	}
	// A copy: the caller owns cp's map and may reuse it.
	c.m[parentKey(cp.ThreadID, cp.ID)] = parentInfo{branch: cp.Branch, lens: maps.Clone(cp.LogLens)}
}

func (c *parentCache) get(thread, id string) (parentInfo, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.m[parentKey(thread, id)]
	return p, ok
}
