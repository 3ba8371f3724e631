package graph

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// fieldKind is how a field of the state merges updates.
type fieldKind int

const (
	kindValue  fieldKind = iota // last write wins; two writers in one step conflict
	kindAppend                  // slice: updates are appended; stored as a log
	kindMerge                   // map: keys are merged, later nodes win
	kindCustom                  // a reducer registered with WithReducer
)

type field struct {
	name      string
	index     int
	kind      fieldKind
	typ       reflect.Type
	transient bool // graph:"-": merged but never checkpointed
	custom    func(cur, upd reflect.Value) reflect.Value
}

// schema is the reflection-derived description of a state type, built once
// per graph so the hot path does no type analysis.
type schema struct {
	typ    reflect.Type
	fields []field
	byName map[string]int
	hasLog bool
}

func newSchema(typ reflect.Type, reducers map[string]reducerSpec) (*schema, error) {
	if typ.Kind() != reflect.Struct {
		return nil, fmt.Errorf("graph: state must be a struct, not %s", typ)
	}
	s := &schema{typ: typ, byName: make(map[string]int)}
	for i := 0; i < typ.NumField(); i++ {
		sf := typ.Field(i)
		if !sf.IsExported() {
			return nil, fmt.Errorf("graph: state field %s.%s is unexported; the engine can neither merge nor persist it", typ.Name(), sf.Name)
		}
		f := field{name: sf.Name, index: i, typ: sf.Type}
		for _, opt := range strings.Split(sf.Tag.Get("graph"), ",") {
			switch strings.TrimSpace(opt) {
			case "":
			case "append":
				if sf.Type.Kind() != reflect.Slice {
					return nil, fmt.Errorf("graph: field %s.%s: append needs a slice, not %s", typ.Name(), sf.Name, sf.Type)
				}
				f.kind = kindAppend
			case "merge":
				if sf.Type.Kind() != reflect.Map {
					return nil, fmt.Errorf("graph: field %s.%s: merge needs a map, not %s", typ.Name(), sf.Name, sf.Type)
				}
				f.kind = kindMerge
			case "-":
				f.transient = true
			default:
				return nil, fmt.Errorf("graph: field %s.%s: unknown graph tag option %q", typ.Name(), sf.Name, opt)
			}
		}
		if r, ok := reducers[sf.Name]; ok {
			if r.typ != sf.Type {
				return nil, fmt.Errorf("graph: reducer for %s.%s takes %s, field is %s", typ.Name(), sf.Name, r.typ, sf.Type)
			}
			if f.kind != kindValue {
				return nil, fmt.Errorf("graph: field %s.%s has both a tag reducer and WithReducer", typ.Name(), sf.Name)
			}
			f.kind = kindCustom
			f.custom = r.fn
		}
		if f.kind == kindAppend && !f.transient {
			s.hasLog = true
		}
		s.byName[f.name] = len(s.fields)
		s.fields = append(s.fields, f)
	}
	for name := range reducers {
		if _, ok := s.byName[name]; !ok {
			return nil, fmt.Errorf("graph: reducer for unknown field %s.%s", typ.Name(), name)
		}
	}
	return s, nil
}

// merge applies updates, in order, to the state sv points to. writers is
// scratch space of len(fields), reused across steps to avoid allocation.
// names gives the node that produced each update, for conflict errors.
func (s *schema) merge(sv reflect.Value, updates []reflect.Value, names []string, writers []int) error {
	for i := range writers {
		writers[i] = -1
	}
	for ui, uv := range updates {
		if uv.IsZero() {
			continue
		}
		for fi := range s.fields {
			f := &s.fields[fi]
			src := uv.Field(f.index)
			if src.IsZero() {
				continue
			}
			dst := sv.Field(f.index)
			switch f.kind {
			case kindAppend:
				dst.Set(reflect.AppendSlice(dst, src))
			case kindMerge:
				if dst.IsNil() {
					dst.Set(reflect.MakeMapWithSize(f.typ, src.Len()))
				}
				it := src.MapRange()
				for it.Next() {
					dst.SetMapIndex(it.Key(), it.Value())
				}
			case kindCustom:
				dst.Set(f.custom(dst, src))
			default:
				if w := writers[fi]; w >= 0 {
					return &WriteConflictError{Field: f.name, Nodes: [2]string{names[w], names[ui]}}
				}
				writers[fi] = ui
				dst.Set(src)
			}
		}
	}
	return nil
}

// clip caps every append field of the state at its length, so a node that
// appends to a slice it was handed gets a fresh array instead of writing
// into storage the engine (or a parallel node) also holds.
func (s *schema) clip(sv reflect.Value) {
	for i := range s.fields {
		f := &s.fields[i]
		if f.kind != kindAppend {
			continue
		}
		v := sv.Field(f.index)
		if n := v.Len(); v.Cap() != n {
			v.Set(v.Slice3(0, n, n))
		}
	}
}

// adopt prepares a state given to From, which sv now holds, to be run
// on: append fields get the spare capacity the engine recorded for them,
// or are clipped so that appending copies; merge maps are copied, so the
// run never writes to anything the caller holds.
func (s *schema) adopt(sv reflect.Value, sp *spares) {
	for i := range s.fields {
		f := &s.fields[i]
		v := sv.Field(f.index)
		switch f.kind {
		case kindAppend:
			if !v.IsNil() {
				v.Set(sp.claim(v))
			}
		case kindMerge:
			if !v.IsNil() {
				m := reflect.MakeMapWithSize(f.typ, v.Len())
				it := v.MapRange()
				for it.Next() {
					m.SetMapIndex(it.Key(), it.Value())
				}
				v.Set(m)
			}
		}
	}
}

// handOut records the spare capacity of the append fields of a finished
// run's state, which its result hands out clipped.
func (s *schema) handOut(sv reflect.Value, sp *spares) {
	for i := range s.fields {
		if f := &s.fields[i]; f.kind == kindAppend {
			sp.put(sv.Field(f.index))
		}
	}
}

// encoding is the version of the checkpoint payload format this engine
// writes: value channels and log entries are JSON, keyed by Go field name.
const encoding = 1

// encodeValues returns the encoded value channels of the state.
func (s *schema) encodeValues(sv reflect.Value) (map[string][]byte, error) {
	out := make(map[string][]byte, len(s.fields))
	for i := range s.fields {
		f := &s.fields[i]
		if f.kind == kindAppend || f.transient {
			continue
		}
		v := sv.Field(f.index)
		if v.IsZero() {
			continue
		}
		b, err := json.Marshal(v.Interface())
		if err != nil {
			return nil, fmt.Errorf("graph: encode %s.%s: %w", s.typ.Name(), f.name, err)
		}
		out[f.name] = b
	}
	return out, nil
}

// logLens returns the length of every log channel of the state.
func (s *schema) logLens(sv reflect.Value) map[string]int {
	if !s.hasLog {
		return nil
	}
	out := make(map[string]int)
	for i := range s.fields {
		f := &s.fields[i]
		if f.kind == kindAppend && !f.transient {
			out[f.name] = sv.Field(f.index).Len()
		}
	}
	return out
}

// encodeAppends returns the entries of every log channel past saved[name].
func (s *schema) encodeAppends(sv reflect.Value, saved map[string]int) (map[string][][]byte, error) {
	var out map[string][][]byte
	for i := range s.fields {
		f := &s.fields[i]
		if f.kind != kindAppend || f.transient {
			continue
		}
		v := sv.Field(f.index)
		from := saved[f.name]
		if v.Len() <= from {
			continue
		}
		entries := make([][]byte, 0, v.Len()-from)
		for j := from; j < v.Len(); j++ {
			b, err := json.Marshal(v.Index(j).Interface())
			if err != nil {
				return nil, fmt.Errorf("graph: encode %s.%s[%d]: %w", s.typ.Name(), f.name, j, err)
			}
			entries = append(entries, b)
		}
		if out == nil {
			out = make(map[string][][]byte)
		}
		out[f.name] = entries
	}
	return out, nil
}

// decode fills the state sv points to from a checkpoint's value channels
// and logs. Channels the state no longer has are ignored, so removing a
// field does not strand old threads; errors name the field path.
func (s *schema) decode(sv reflect.Value, version int, values map[string][]byte, logs map[string][][]byte) error {
	if version != encoding {
		return fmt.Errorf("unsupported state encoding version %d (this build reads %d)", version, encoding)
	}
	for name, b := range values {
		fi, ok := s.byName[name]
		if !ok || s.fields[fi].kind == kindAppend {
			continue
		}
		f := &s.fields[fi]
		ptr := reflect.New(f.typ)
		if err := json.Unmarshal(b, ptr.Interface()); err != nil {
			return fmt.Errorf("field %s.%s: %w", s.typ.Name(), f.name, err)
		}
		sv.Field(f.index).Set(ptr.Elem())
	}
	for name, entries := range logs {
		fi, ok := s.byName[name]
		if !ok || s.fields[fi].kind != kindAppend {
			continue
		}
		f := &s.fields[fi]
		slice := reflect.MakeSlice(f.typ, len(entries), len(entries))
		for j, b := range entries {
			if err := json.Unmarshal(b, slice.Index(j).Addr().Interface()); err != nil {
				return fmt.Errorf("field %s.%s[%d]: %w", s.typ.Name(), f.name, j, err)
			}
		}
		sv.Field(f.index).Set(slice)
	}
	return nil
}

// encodeUpdate encodes one node's update for a pending write: only the
// fields it writes, whole (append fields hold just the appended items).
func (s *schema) encodeUpdate(uv reflect.Value) ([]byte, error) {
	m := make(map[string]json.RawMessage)
	for i := range s.fields {
		f := &s.fields[i]
		v := uv.Field(f.index)
		if f.transient || v.IsZero() {
			continue
		}
		b, err := json.Marshal(v.Interface())
		if err != nil {
			return nil, fmt.Errorf("graph: encode update %s.%s: %w", s.typ.Name(), f.name, err)
		}
		m[f.name] = b
	}
	return json.Marshal(m)
}

// decodeUpdate is the inverse of encodeUpdate.
func (s *schema) decodeUpdate(uv reflect.Value, b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("pending write: %w", err)
	}
	for name, raw := range m {
		fi, ok := s.byName[name]
		if !ok {
			continue
		}
		f := &s.fields[fi]
		ptr := reflect.New(f.typ)
		if err := json.Unmarshal(raw, ptr.Interface()); err != nil {
			return fmt.Errorf("pending write field %s.%s: %w", s.typ.Name(), f.name, err)
		}
		uv.Field(f.index).Set(ptr.Elem())
	}
	return nil
}

// resetForLoad zeroes what a load sets from a checkpoint's values, and the
// transient fields, leaving the logs: the state is then as a fresh decode
// of the logs alone would leave it.
func (s *schema) resetForLoad(sv reflect.Value) {
	for i := range s.fields {
		f := &s.fields[i]
		if f.kind != kindAppend || f.transient {
			sv.Field(f.index).SetZero()
		}
	}
}

// decodeTail appends decoded log entries to the logs of the state sv
// points to; from gives the position each channel's entries start at,
// which must be the field's current length.
func (s *schema) decodeTail(sv reflect.Value, logs map[string][][]byte, from map[string]int) error {
	for name, entries := range logs {
		fi, ok := s.byName[name]
		if !ok || s.fields[fi].kind != kindAppend {
			continue
		}
		f := &s.fields[fi]
		v := sv.Field(f.index)
		if v.Len() != from[name] {
			return fmt.Errorf("field %s.%s: holds %d entries, the tail starts at %d", s.typ.Name(), f.name, v.Len(), from[name])
		}
		elem := f.typ.Elem()
		for j, b := range entries {
			ptr := reflect.New(elem)
			if err := json.Unmarshal(b, ptr.Interface()); err != nil {
				return fmt.Errorf("field %s.%s[%d]: %w", s.typ.Name(), f.name, from[name]+j, err)
			}
			v = reflect.Append(v, ptr.Elem())
		}
		sv.Field(f.index).Set(v)
	}
	return nil
}

// resetTransient zeroes the fields that are never checkpointed.
func (s *schema) resetTransient(sv reflect.Value) {
	for i := range s.fields {
		if f := &s.fields[i]; f.transient {
			sv.Field(f.index).SetZero()
		}
	}
}
