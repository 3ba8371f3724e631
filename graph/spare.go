package graph

import (
	"reflect"
	"sync"
	"weak"
)

// maxSpares bounds the spare-capacity records a compiled graph keeps. A
// record that is dropped only costs its loop one copy of the history.
const maxSpares = 1024

// spares remembers, weakly, the capacity behind the append fields of the
// results that runs without a saver handed out, so that a run started From
// such a result extends the history in place instead of copying it.
//
// A result's append fields are clipped (length = capacity): nothing the
// caller holds can see or write the storage past their length. That
// storage is what a later run may use, and only one run may: claim removes
// the record, so two runs started from the same result never share it —
// the second copies, as every run did before. The engine stores only weak
// pointers, so a result the caller drops is collected as usual, and a
// record is honoured only while the array it describes is alive at the
// address looked up, which rules out an unrelated array reusing the memory.
type spares struct {
	mu sync.Mutex
	m  map[uintptr]spare
}

type spare struct {
	arr weak.Pointer[byte] // the array's first element
	len int                // the length the result was handed out with
	cap int
}

// put records the spare capacity of v, a slice the engine allocated (so
// its array is on the heap), about to be handed out clipped.
func (s *spares) put(v reflect.Value) {
	n, c := v.Len(), v.Cap()
	if c == n || v.Type().Elem().Size() == 0 {
		return
	}
	p := v.UnsafePointer()
	rec := spare{arr: weak.Make((*byte)(p)), len: n, cap: c}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = make(map[uintptr]spare)
	}
	if len(s.m) >= maxSpares {
		s.evict()
	}
	s.m[uintptr(p)] = rec
}

// evict drops the records of collected arrays and, if that is not enough,
// arbitrary others, down to three quarters of the bound.
func (s *spares) evict() {
	for k, r := range s.m {
		if r.arr.Value() == nil {
			delete(s.m, k)
		}
	}
	for k := range s.m {
		if len(s.m) <= maxSpares*3/4 {
			return
		}
		delete(s.m, k)
	}
}

// claim returns v with the capacity recorded for it, if v is exactly a
// recorded result (same array, same length) and no run claimed it yet;
// otherwise v clipped, so that appending to it never writes into storage
// the caller owns.
func (s *spares) claim(v reflect.Value) reflect.Value {
	n := v.Len()
	clipped := v.Slice3(0, n, n)
	if n == 0 {
		return clipped
	}
	p := v.UnsafePointer()
	s.mu.Lock()
	rec, ok := s.m[uintptr(p)]
	if ok {
		delete(s.m, uintptr(p))
	}
	s.mu.Unlock()
	if !ok || rec.len != n || rec.arr.Value() != (*byte)(p) {
		return clipped
	}
	return reflect.SliceAt(v.Type().Elem(), p, rec.cap).Slice3(0, n, rec.cap).Convert(v.Type())
}
