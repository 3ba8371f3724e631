package graph

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"reflect"
	"runtime/debug"
	"sync"
	"time"

	"github.com/switchboardhq/switchboard/checkpoint"
)

// RunOption configures one run.
type RunOption func(*runConfig)

type runConfig struct {
	thread     string
	stepLimit  int
	durability *Durability
	from       any // the state given to From, if any
}

// Thread addresses the run's checkpoints: the run starts from the thread's
// latest checkpoint and stores its own there. Needed with a saver.
func Thread(id string) RunOption {
	return func(c *runConfig) { c.thread = id }
}

// MaxSteps overrides the graph's step limit for this run.
func MaxSteps(n int) RunOption {
	return func(c *runConfig) { c.stepLimit = n }
}

// Durable overrides the graph's durability for this run.
func Durable(d Durability) RunOption {
	return func(c *runConfig) { c.durability = &d }
}

// From starts a run without a saver from state instead of the zero state:
// the input is merged into it as into a thread's stored state. It is how a
// program without a saver keeps a conversation going — pass the previous
// Result's State and only the new messages as input:
//
//	res, err = agent.Invoke(ctx, State{Messages: []Msg{userMsg}}, graph.From(res.State))
//
// A run started From the State of a Result of the same graph extends that
// result's logs in place rather than copying them, so a turn costs what
// its new entries cost, whatever the history holds. The state passed is
// never modified: its append fields keep the length they had (the run
// writes only past it, into storage no one else can reach) and its merge
// maps are copied before the run writes to them. With a saver the state
// comes from the thread's checkpoints, and From is an error.
func From[S any](state S) RunOption {
	return func(c *runConfig) { c.from = state }
}

type threadKey struct{}

// ThreadFromContext returns the thread id of the run a node or router is
// called in, or "" outside a run with a thread. Tools use it to scope data
// to the conversation they serve.
func ThreadFromContext(ctx context.Context) string {
	id, _ := ctx.Value(threadKey{}).(string)
	return id
}

type effectsKey struct{}

// NoEffects tells the run that the node calling it changed nothing outside
// the state this time: an agent's tools step in which every tool called
// only read. Under WithSyncAfter the step of a node named there is then
// held like any other rather than stored at once, and a crash before the
// next store runs the node again, which costs nothing a user could see.
// It has no effect in a node not named in WithSyncAfter, and outside a
// run.
func NoEffects(ctx context.Context) {
	if p, ok := ctx.Value(effectsKey{}).(*bool); ok {
		*p = true
	}
}

// errStopped ends a run whose stream consumer stopped reading.
var errStopped = errors.New("graph: stream consumer stopped")

type runner[S any] struct {
	c          *Compiled[S]
	thread     string
	limit      int
	durability Durability
	emit       func(Event[S]) bool

	state S
	view  S // state with append fields clipped: what nodes and routers see
	sv    reflect.Value
	vv    reflect.Value

	head  checkpoint.Checkpoint // last stored checkpoint; ID "" if none
	saved map[string]int        // log lengths stored in head
	size  stateSize             // the encoded size of the state as of head
	dirty bool                  // state or next changed since head was taken
	held  []heldCheckpoint      // taken, not yet stored (WithSyncAfter); head is the last
	next  []int
	steps int

	// scratch, reused across steps
	updates []S
	uvals   []reflect.Value
	names   []string
	errs    []error
	pure    []bool // per node of the step: it called NoEffects
	writers []int
	mark    []bool
}

func (c *Compiled[S]) newRunner(opts []RunOption) (*runner[S], error) {
	var rc runConfig
	for _, opt := range opts {
		opt(&rc)
	}
	r := &runner[S]{
		c:          c,
		thread:     rc.thread,
		limit:      c.cfg.stepLimit,
		durability: c.cfg.durability,
		writers:    make([]int, len(c.schema.fields)),
		mark:       make([]bool, len(c.nodes)),
	}
	if rc.stepLimit > 0 {
		r.limit = rc.stepLimit
	}
	if rc.durability != nil {
		r.durability = *rc.durability
	}
	if c.cfg.saver != nil && r.thread == "" {
		return nil, fmt.Errorf("graph: a run with a saver needs a thread id (graph.Thread)")
	}
	r.sv = reflect.ValueOf(&r.state).Elem()
	r.vv = reflect.ValueOf(&r.view).Elem()
	if rc.from != nil {
		if c.cfg.saver != nil {
			return nil, fmt.Errorf("graph: From is for runs without a saver; with one, a thread's state comes from its checkpoints")
		}
		st, ok := rc.from.(S)
		if !ok {
			return nil, fmt.Errorf("graph: From got a %T, the graph's state is %s", rc.from, c.schema.typ)
		}
		r.state = st
		c.schema.adopt(r.sv, &c.spares)
	}
	return r, nil
}

// heldCheckpoint is a checkpoint taken and not yet stored, and the step
// whose end it records.
type heldCheckpoint struct {
	put  checkpoint.Put
	step int
}

func (r *runner[S]) saver() checkpoint.Saver { return r.c.cfg.saver }

// load restores the thread's latest checkpoint, if any. With the state
// cache, a thread run here before is restored from its cached state plus
// the log entries appended since.
func (r *runner[S]) load(ctx context.Context) (checkpoint.Tuple, bool, error) {
	if r.saver() == nil {
		return checkpoint.Tuple{}, false, nil
	}
	var (
		t   checkpoint.Tuple
		err error
	)
	inc, incremental := r.saver().(checkpoint.IncrementalLoader)
	cached := r.c.cache.checkout(r.thread)
	switch {
	case cached != nil && incremental:
		t, err = inc.LatestSince(ctx, r.thread, checkpoint.Cursor{Branch: cached.head.Branch, Lens: cached.head.LogLens})
	default:
		t, err = r.saver().Latest(ctx, r.thread)
	}
	if errors.Is(err, checkpoint.ErrNotFound) {
		return checkpoint.Tuple{}, false, nil
	}
	if err != nil {
		return checkpoint.Tuple{}, false, fmt.Errorf("graph: load thread %s: %w", r.thread, err)
	}
	if cached != nil && t.LogsFrom != nil {
		if err := r.restoreTail(cached, t); err != nil {
			return checkpoint.Tuple{}, false, err
		}
		return t, true, nil
	}
	if err := r.restore(t); err != nil {
		return checkpoint.Tuple{}, false, err
	}
	return t, true, nil
}

// restoreTail restores t onto a cached state that holds t's logs up to
// t.LogsFrom.
func (r *runner[S]) restoreTail(cached *cachedState[S], t checkpoint.Tuple) error {
	cp := t.Checkpoint
	r.state = cached.state
	r.size = cached.size
	if cp.ID != cached.head.ID {
		if cp.Version != encoding {
			return &checkpoint.CorruptError{ThreadID: cp.ThreadID, CheckpointID: cp.ID,
				Err: fmt.Errorf("unsupported state encoding version %d (this build reads %d)", cp.Version, encoding)}
		}
		r.c.schema.resetForLoad(r.sv)
		err := r.c.schema.decode(r.sv, cp.Version, cp.Values, nil)
		if err == nil {
			err = r.c.schema.decodeTail(r.sv, t.Logs, t.LogsFrom)
		}
		if err != nil {
			return &checkpoint.CorruptError{ThreadID: cp.ThreadID, CheckpointID: cp.ID, Err: err}
		}
		r.size = stateSize{values: valuesSize(cp.Values), logs: cached.size.logs + logsSize(t.Logs)}
	}
	r.head = cp
	r.saved = cp.LogLens
	return nil
}

// keep returns the thread's state to the cache when it is exactly what
// the head checkpoint holds.
func (r *runner[S]) keep() {
	if r.c.cache == nil || r.dirty || r.head.ID == "" || len(r.held) > 0 {
		return
	}
	r.c.schema.resetTransient(r.sv)
	r.c.cache.put(r.thread, r.state, r.head, r.size)
}

func (r *runner[S]) restore(t checkpoint.Tuple) error {
	cp := t.Checkpoint
	if err := r.c.schema.decode(r.sv, cp.Version, cp.Values, t.Logs); err != nil {
		return &checkpoint.CorruptError{ThreadID: cp.ThreadID, CheckpointID: cp.ID, Err: err}
	}
	r.head = cp
	r.saved = cp.LogLens
	r.size = stateSize{values: valuesSize(cp.Values), logs: logsSize(t.Logs)}
	return nil
}

func (r *runner[S]) refreshView() {
	r.view = r.state
	r.c.schema.clip(r.vv)
}

func (r *runner[S]) nodeNames(idx []int) []string {
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = r.c.nodes[j].name
	}
	return out
}

// save stores the current state as a checkpoint when it changed, with
// any checkpoints held before it.
func (r *runner[S]) save(ctx context.Context, source string) error {
	if len(r.held) > 0 && ctx.Err() != nil {
		// The run was cancelled (a job timeout, a shutdown) with steps
		// held (WithSyncAfter) that plain DurabilityStep would have
		// stored already: store them all the same, so that cancelling
		// loses no more than it would have.
		detached, cancel := context.WithTimeout(context.WithoutCancel(ctx), heldFlushTimeout)
		defer cancel()
		if err := r.flush(detached); err != nil {
			return err
		}
	}
	if err := r.take(source); err != nil {
		return err
	}
	return r.flush(ctx)
}

// storesStep reports whether, under DurabilityStep, the checkpoint of the
// step whose nodes are r.next is stored when the step ends rather than
// held: always, unless the graph syncs only after some nodes
// (WithSyncAfter) and none of them is among these but those that said
// they had no effects (NoEffects).
func (r *runner[S]) storesStep() bool {
	if r.c.sync == nil {
		return true
	}
	for k, i := range r.next {
		if r.c.sync[i] && !r.pure[k] {
			return true
		}
	}
	return false
}

// endStep checkpoints the state a step (or the input) left under
// DurabilityStep: stored now with what was held before it, or held
// (WithSyncAfter) until the next store.
func (r *runner[S]) endStep(ctx context.Context, source string, store bool) error {
	if store {
		return r.save(ctx, source)
	}
	return r.take(source)
}

// heldFlushTimeout bounds the write of held checkpoints when a run ends
// because its context did.
const heldFlushTimeout = 5 * time.Second

// take records the current state as a checkpoint when it changed, to be
// stored by the next flush. The head moves to it: the next checkpoint is
// its child.
func (r *runner[S]) take(source string) error {
	if r.saver() == nil || !r.dirty {
		return nil
	}
	values, err := r.c.schema.encodeValues(r.sv)
	if err != nil {
		return err
	}
	appends, err := r.c.schema.encodeAppends(r.sv, r.saved)
	if err != nil {
		return err
	}
	step := 0
	if r.head.ID != "" {
		step = r.head.Step + 1
	}
	cp := checkpoint.Checkpoint{
		ThreadID: r.thread,
		ID:       checkpoint.NewID(),
		ParentID: r.head.ID,
		Branch:   r.head.Branch,
		Step:     step,
		Version:  encoding,
		Values:   values,
		LogLens:  r.c.schema.logLens(r.sv),
		Next:     r.nodeNames(r.next),
		Source:   source,
	}
	r.held = append(r.held, heldCheckpoint{put: checkpoint.Put{Checkpoint: cp, Appends: appends}, step: r.steps})
	r.head = cp
	r.saved = cp.LogLens
	r.size = stateSize{values: valuesSize(values), logs: r.size.logs + logsSize(appends)}
	r.dirty = false
	return nil
}

// flush stores the held checkpoints, in one write when the saver batches.
// On failure they stay held, so the state is never cached as stored.
func (r *runner[S]) flush(ctx context.Context) error {
	if len(r.held) == 0 {
		return nil
	}
	puts := make([]checkpoint.Put, len(r.held))
	for i, h := range r.held {
		puts[i] = h.put
	}
	if err := checkpoint.PutAll(ctx, r.saver(), puts); err != nil {
		return fmt.Errorf("graph: save thread %s: %w", r.thread, err)
	}
	held := r.held
	r.held = r.held[:0]
	for _, h := range held {
		if err := r.send(Event[S]{Kind: EventCheckpoint, Step: h.step, CheckpointID: h.put.Checkpoint.ID}); err != nil {
			return err
		}
	}
	return nil
}

func (r *runner[S]) send(ev Event[S]) error {
	if r.emit != nil && !r.emit(ev) {
		return errStopped
	}
	return nil
}

// resumeState is what a resumed run carries into its first step.
type resumeState[S any] struct {
	done    map[int]S // nodes whose update was stored as a pending write
	resumed map[int]bool
	value   any
}

func (r *runner[S]) start(ctx context.Context, input S) (Result[S], error) {
	if _, _, err := r.load(ctx); err != nil {
		return Result[S]{}, err
	}
	uv := reflect.ValueOf(&input).Elem()
	if err := r.c.schema.merge(r.sv, []reflect.Value{uv}, []string{START}, r.writers); err != nil {
		return Result[S]{}, err
	}
	r.next = append(r.next[:0], r.c.out[len(r.c.nodes)]...)
	r.dirty = true
	if r.durability == DurabilityStep {
		// With WithSyncAfter the input is held like any step's
		// checkpoint: a run that crashes before storing it is retried
		// with the same input.
		if err := r.endStep(ctx, "input", r.c.sync == nil); err != nil {
			return Result[S]{}, err
		}
	}
	return r.loop(ctx, nil)
}

func (r *runner[S]) resume(ctx context.Context, value any) (Result[S], error) {
	if r.saver() == nil {
		return Result[S]{}, ErrNoSaver
	}
	t, ok, err := r.load(ctx)
	if err != nil {
		return Result[S]{}, err
	}
	if !ok {
		return Result[S]{}, fmt.Errorf("graph: resume thread %s: %w", r.thread, checkpoint.ErrNotFound)
	}
	if len(t.Checkpoint.Next) == 0 {
		return Result[S]{}, fmt.Errorf("graph: thread %s: %w", r.thread, ErrNothingToResume)
	}
	rs := &resumeState[S]{done: map[int]S{}, resumed: map[int]bool{}, value: value}
	for _, name := range t.Checkpoint.Next {
		i, ok := r.c.byName[name]
		if !ok {
			return Result[S]{}, fmt.Errorf("graph: thread %s is paused at node %q, which this graph does not have", r.thread, name)
		}
		r.next = append(r.next, i)
	}
	for _, w := range t.Writes {
		i, ok := r.c.byName[w.Node]
		if !ok {
			continue
		}
		switch w.Kind {
		case checkpoint.WriteUpdate:
			var upd S
			if err := r.c.schema.decodeUpdate(reflect.ValueOf(&upd).Elem(), w.Value); err != nil {
				return Result[S]{}, &checkpoint.CorruptError{ThreadID: r.thread, CheckpointID: t.Checkpoint.ID, Err: err}
			}
			rs.done[i] = upd
		case checkpoint.WriteInterrupt, checkpoint.WriteInterruptBefore:
			rs.resumed[i] = true
		}
	}
	return r.loop(ctx, rs)
}

func (r *runner[S]) loop(ctx context.Context, rs *resumeState[S]) (Result[S], error) {
	if r.thread != "" {
		ctx = context.WithValue(ctx, threadKey{}, r.thread)
	}
	r.refreshView()
	for {
		if len(r.next) == 0 {
			if err := r.save(ctx, "loop"); err != nil {
				return Result[S]{}, err
			}
			if r.saver() == nil {
				r.c.schema.handOut(r.sv, &r.c.spares)
			}
			res := Result[S]{State: r.view, CheckpointID: r.head.ID, Steps: r.steps}
			return res, r.send(Event[S]{Kind: EventDone, Step: r.steps, State: r.view, CheckpointID: r.head.ID})
		}
		if r.steps >= r.limit {
			if err := r.save(ctx, "loop"); err != nil {
				return Result[S]{}, err
			}
			return Result[S]{}, &StepLimitError[S]{Limit: r.limit, State: r.view, CheckpointID: r.head.ID}
		}
		if err := ctx.Err(); err != nil {
			return Result[S]{}, err
		}
		if rs == nil && r.saver() != nil {
			for _, i := range r.next {
				if r.c.before[i] {
					return r.pause(ctx, []checkpoint.Write{{Node: r.c.nodes[i].name, Kind: checkpoint.WriteInterruptBefore}},
						&PendingInterrupt{Node: r.c.nodes[i].name, Before: true})
				}
			}
		}
		r.steps++
		res, stop, err := r.step(ctx, rs)
		if stop || err != nil {
			return res, err
		}
		rs = nil
	}
}

// step runs one superstep. It returns stop=true with a result when the run
// paused.
func (r *runner[S]) step(ctx context.Context, rs *resumeState[S]) (Result[S], bool, error) {
	n := len(r.next)
	if cap(r.updates) < n {
		r.updates = make([]S, n)
		r.errs = make([]error, n)
		r.uvals = make([]reflect.Value, n)
		r.names = make([]string, n)
		r.pure = make([]bool, n)
	}
	r.updates, r.errs, r.uvals, r.names, r.pure = r.updates[:n], r.errs[:n], r.uvals[:n], r.names[:n], r.pure[:n]
	var zero S
	for k, i := range r.next {
		r.updates[k] = zero
		r.errs[k] = nil
		r.pure[k] = false
		r.names[k] = r.c.nodes[i].name
		if err := r.send(Event[S]{Kind: EventNodeStart, Step: r.steps, Node: r.names[k]}); err != nil {
			return Result[S]{}, true, err
		}
	}
	run := func(k, i int) {
		var resume *resumeValue
		if rs != nil && rs.resumed[i] {
			resume = &resumeValue{value: rs.value}
		}
		var pure *bool
		if r.c.sync != nil && r.c.sync[i] {
			pure = &r.pure[k]
		}
		r.updates[k], r.errs[k] = r.call(ctx, r.c.nodes[i], r.view, resume, pure)
	}
	pending := 0
	for k, i := range r.next {
		if upd, ok := rs.doneUpdate(i); ok {
			r.updates[k] = upd
			continue
		}
		pending++
		if n == 1 {
			run(k, i)
		}
	}
	if n > 1 && pending > 0 {
		var wg sync.WaitGroup
		for k, i := range r.next {
			if _, ok := rs.doneUpdate(i); ok {
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				run(k, i)
			}()
		}
		wg.Wait()
	}

	var writes []checkpoint.Write
	var interrupt *PendingInterrupt
	var failures []error
	for k, i := range r.next {
		err := r.errs[k]
		if err == nil {
			if err := r.send(Event[S]{Kind: EventNodeEnd, Step: r.steps, Node: r.names[k], Update: r.updates[k]}); err != nil {
				return Result[S]{}, true, err
			}
			continue
		}
		if sig, ok := asInterrupt(err); ok {
			payload, merr := marshalPayload(sig.payload)
			if merr != nil {
				failures = append(failures, &NodeError{Node: r.names[k], Step: r.steps, Err: merr})
				continue
			}
			writes = append(writes, checkpoint.Write{Node: r.names[k], Kind: checkpoint.WriteInterrupt, Value: payload})
			if interrupt == nil {
				interrupt = &PendingInterrupt{Node: r.names[k], Payload: payload}
			}
			continue
		}
		if _, done := rs.doneUpdate(i); !done {
			failures = append(failures, &NodeError{Node: r.names[k], Step: r.steps, Err: err})
		}
	}
	if len(failures) > 0 || interrupt != nil {
		// Keep what the finished siblings did, so resuming does not run
		// them again.
		for k, i := range r.next {
			if _, done := rs.doneUpdate(i); done || r.errs[k] != nil || r.saver() == nil {
				continue
			}
			b, err := r.c.schema.encodeUpdate(r.uvalue(k))
			if err != nil {
				return Result[S]{}, true, err
			}
			writes = append(writes, checkpoint.Write{Node: r.names[k], Kind: checkpoint.WriteUpdate, Value: b})
		}
		if len(failures) > 0 {
			if r.saver() != nil {
				if err := r.persistWrites(ctx, writes); err != nil {
					failures = append(failures, err)
				}
			}
			return Result[S]{}, true, errors.Join(failures...)
		}
		res, err := r.pause(ctx, writes, interrupt)
		return res, true, err
	}

	for k := range r.uvals {
		r.uvals[k] = r.uvalue(k)
	}
	if err := r.c.schema.merge(r.sv, r.uvals, r.names, r.writers); err != nil {
		return Result[S]{}, true, err
	}
	r.refreshView()
	store := r.storesStep()
	if err := r.route(ctx); err != nil {
		return Result[S]{}, true, err
	}
	r.dirty = true
	if r.durability == DurabilityStep {
		if err := r.endStep(ctx, "loop", store); err != nil {
			return Result[S]{}, true, err
		}
	}
	return Result[S]{}, false, nil
}

func (r *runner[S]) uvalue(k int) reflect.Value { return reflect.ValueOf(&r.updates[k]).Elem() }

func (rs *resumeState[S]) doneUpdate(i int) (S, bool) {
	if rs == nil {
		var zero S
		return zero, false
	}
	upd, ok := rs.done[i]
	return upd, ok
}

// route computes the next step's nodes from the nodes that just ran.
func (r *runner[S]) route(ctx context.Context) error {
	for _, i := range r.next {
		for _, j := range r.c.out[i] {
			if j != endIdx {
				r.mark[j] = true
			}
		}
		rt := r.c.routes[i]
		if rt == nil {
			continue
		}
		dests, err := rt.fn(ctx, r.view)
		if err != nil {
			return &NodeError{Node: rt.from, Step: r.steps, Err: fmt.Errorf("router: %w", err)}
		}
		for _, d := range dests {
			j, ok := r.c.routeTarget(i, d)
			if !ok {
				return &NodeError{Node: rt.from, Step: r.steps, Err: fmt.Errorf("router returned %q, which is not among its declared destinations %v", d, rt.dests)}
			}
			if j != endIdx {
				r.mark[j] = true
			}
		}
	}
	r.next = r.next[:0]
	for j, m := range r.mark {
		if m {
			r.next = append(r.next, j)
			r.mark[j] = false
		}
	}
	return nil
}

func (c *Compiled[S]) routeTarget(from int, name string) (int, bool) {
	j := endIdx
	if name != END {
		var ok bool
		if j, ok = c.byName[name]; !ok {
			return 0, false
		}
	}
	for _, d := range c.dests[from] {
		if d == j {
			return j, true
		}
	}
	return 0, false
}

// pause stores the state and the pending writes that record a pause.
func (r *runner[S]) pause(ctx context.Context, writes []checkpoint.Write, in *PendingInterrupt) (Result[S], error) {
	if err := r.persistWrites(ctx, writes); err != nil {
		return Result[S]{}, err
	}
	if err := r.send(Event[S]{Kind: EventInterrupt, Step: r.steps, Node: in.Node, Interrupt: in, CheckpointID: r.head.ID}); err != nil {
		return Result[S]{}, err
	}
	res := Result[S]{State: r.view, CheckpointID: r.head.ID, Interrupt: in, Steps: r.steps}
	return res, r.send(Event[S]{Kind: EventDone, Step: r.steps, State: r.view, CheckpointID: r.head.ID, Interrupt: in})
}

func (r *runner[S]) persistWrites(ctx context.Context, writes []checkpoint.Write) error {
	if err := r.save(ctx, "loop"); err != nil {
		return err
	}
	if r.saver() == nil || len(writes) == 0 {
		return nil
	}
	if r.head.ID == "" {
		// Nothing stored yet (an exit-durability run that never saved):
		// store the state the step started from so the writes have a home.
		r.dirty = true
		if err := r.save(ctx, "loop"); err != nil {
			return err
		}
	}
	if err := r.saver().PutWrites(ctx, r.thread, r.head.ID, writes); err != nil {
		return fmt.Errorf("graph: save pending writes of thread %s: %w", r.thread, err)
	}
	return nil
}

// call runs node n on st. pure, when set, is where the node's NoEffects
// is recorded, afresh at each attempt.
func (r *runner[S]) call(ctx context.Context, n *node[S], st S, resume *resumeValue, pure *bool) (upd S, err error) {
	if resume != nil {
		ctx = context.WithValue(ctx, resumeKey{}, resume)
	}
	if pure != nil {
		ctx = context.WithValue(ctx, effectsKey{}, pure)
	}
	if n.retry.MaxAttempts <= 1 {
		return attempt(ctx, n, st) // the common case, without the policy's closures
	}
	p := n.retry
	retryIf := p.RetryIf
	p.RetryIf = func(err error) bool {
		if _, ok := asInterrupt(err); ok {
			return false
		}
		return retryIf == nil || retryIf(err)
	}
	tries := 0
	err = p.Do(ctx, func(ctx context.Context) error {
		if tries++; tries > 1 && resume != nil {
			resume.used = false
		}
		if pure != nil {
			*pure = false
		}
		var err error
		upd, err = attempt(ctx, n, st)
		return err
	})
	return upd, err
}

func attempt[S any](ctx context.Context, n *node[S], st S) (upd S, err error) {
	if n.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, n.timeout)
		defer cancel()
	}
	defer func() {
		if v := recover(); v != nil {
			err = &PanicError{Value: v, Stack: debug.Stack()}
		}
	}()
	return n.fn(ctx, st)
}

// Invoke runs the graph to its end with input merged into the thread's
// state (or into a zero state, without a saver or on a new thread). A new
// run always starts at START; a pause left by an earlier run is abandoned —
// use Resume to continue one.
func (c *Compiled[S]) Invoke(ctx context.Context, input S, opts ...RunOption) (Result[S], error) {
	r, err := c.newRunner(opts)
	if err != nil {
		return Result[S]{}, err
	}
	defer r.keep()
	return r.start(ctx, input)
}

// Resume continues the thread from its latest checkpoint: after a pause,
// the paused node runs again and its Interrupt call returns value; after a
// failure or crash, the nodes that did not finish run, while the updates of
// siblings that did finish are reused.
func (c *Compiled[S]) Resume(ctx context.Context, thread string, value any, opts ...RunOption) (Result[S], error) {
	r, err := c.newRunner(append(opts, Thread(thread)))
	if err != nil {
		return Result[S]{}, err
	}
	defer r.keep()
	return r.resume(ctx, value)
}

// Stream is Invoke as a sequence of events. A run that fails yields the
// error as the last element. Stopping the iteration stops the run after the
// node in flight.
func (c *Compiled[S]) Stream(ctx context.Context, input S, opts ...RunOption) iter.Seq2[Event[S], error] {
	return c.stream(ctx, opts, func(r *runner[S]) (Result[S], error) { return r.start(ctx, input) })
}

// ResumeStream is Resume as a sequence of events.
func (c *Compiled[S]) ResumeStream(ctx context.Context, thread string, value any, opts ...RunOption) iter.Seq2[Event[S], error] {
	return c.stream(ctx, append(opts, Thread(thread)), func(r *runner[S]) (Result[S], error) { return r.resume(ctx, value) })
}

func (c *Compiled[S]) stream(ctx context.Context, opts []RunOption, run func(*runner[S]) (Result[S], error)) iter.Seq2[Event[S], error] {
	return func(yield func(Event[S], error) bool) {
		r, err := c.newRunner(opts)
		if err != nil {
			yield(Event[S]{}, err)
			return
		}
		r.emit = func(ev Event[S]) bool { return yield(ev, nil) }
		defer r.keep()
		if _, err := run(r); err != nil && !errors.Is(err, errStopped) {
			yield(Event[S]{}, err)
		}
	}
}
