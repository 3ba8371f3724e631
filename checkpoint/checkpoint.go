// Package checkpoint defines how the state of a graph run is persisted per
// conversation thread, and the Saver interface every storage backend
// implements.
//
// A checkpoint is a snapshot taken after a superstep. Its state is split in
// two kinds of channel:
//
//   - value channels, stored whole in every checkpoint (small scalars and
//     structs: counters, flags, the current plan);
//   - log channels, append-only lists (the message history), stored once as
//     an ordered log per thread. A checkpoint records only each log's length,
//     and Put receives only the entries appended since the parent checkpoint.
//
// That split is what keeps the cost of a turn flat: a turn at message 1,000
// writes about what a turn at message 10 writes.
//
// Backends live in subpackages (memory, postgres, sqlite); the
// checkpointtest package holds the conformance suite every backend passes.
package checkpoint

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Checkpoint is the snapshot of one thread after a superstep.
type Checkpoint struct {
	// ThreadID addresses the conversation, for example
	// "whatsapp:+15551234567".
	ThreadID string
	// ID identifies the checkpoint within its thread. NewID makes them.
	ID string
	// ParentID is the checkpoint this one advanced from; empty for a
	// thread's first checkpoint.
	ParentID string
	// Branch is empty on a thread's main line and set by Saver.Fork to the
	// ID of the checkpoint that started the branch. Each branch has its own
	// copy of the logs, so forks never disturb the history they came from.
	Branch string
	// Step counts supersteps over the whole life of the thread.
	Step int
	// Version is the encoding version of Values and log entries, owned by
	// the package that encodes them (the graph engine).
	Version int
	// Values holds the encoded value of each value channel, whole.
	Values map[string][]byte
	// LogLens holds the length of each log channel as of this checkpoint.
	LogLens map[string]int
	// Next lists the nodes scheduled for the next superstep; empty when the
	// run finished.
	Next []string
	// Source says what produced the checkpoint: "input", "loop", "fork".
	Source string
	// Metadata is free-form, for operators (run id, error text).
	Metadata map[string]string
	// CreatedAt is set by the saver when the checkpoint is stored.
	CreatedAt time.Time
}

// WriteKind says what a pending Write records.
type WriteKind int

const (
	// WriteUpdate is a node's successful update in a superstep that did not
	// complete; resuming reuses it instead of running the node again.
	WriteUpdate WriteKind = iota + 1
	// WriteInterrupt records that a node paused the run from inside, with a
	// payload for whoever must answer (for example an owner's approval).
	WriteInterrupt
	// WriteInterruptBefore records that the run paused before the node ran.
	WriteInterruptBefore
)

// String returns the kind's name.
func (k WriteKind) String() string {
	switch k {
	case WriteUpdate:
		return "update"
	case WriteInterrupt:
		return "interrupt"
	case WriteInterruptBefore:
		return "interrupt_before"
	default:
		return fmt.Sprintf("WriteKind(%d)", int(k))
	}
}

// Write is a pending write: the outcome of one node of a superstep that has
// not completed, recorded against the checkpoint the superstep started from.
type Write struct {
	Node  string
	Kind  WriteKind
	Value []byte
}

// Tuple is a checkpoint with everything needed to restore it: the content
// of its logs up to their recorded lengths, and its pending writes.
type Tuple struct {
	Checkpoint Checkpoint
	// Logs holds, for each log channel, its entries in order, exactly
	// LogLens[channel] of them.
	Logs map[string][][]byte
	// Writes are the pending writes recorded against the checkpoint, in the
	// order they were put.
	Writes []Write
	// LogsFrom, set only by IncrementalLoader.LatestSince, gives for each
	// log the position its entries in Logs start at; nil means every log is
	// whole.
	LogsFrom map[string]int
}

// Cursor describes log content a caller already holds: the first Lens[ch]
// entries of each log of branch Branch.
type Cursor struct {
	Branch string
	Lens   map[string]int
}

// IncrementalLoader is implemented by savers that can load only the log
// entries a caller lacks. A process that keeps a thread's decoded state
// between runs then pays for what is new, not for the whole conversation.
type IncrementalLoader interface {
	// LatestSince returns the thread's latest checkpoint as Latest does,
	// except that when the checkpoint is on have.Branch and each of its
	// logs is at least as long as have.Lens says, Logs holds only the
	// entries from have.Lens[ch] on, and LogsFrom records those positions.
	// Logs of a branch are append-only, so the entries before them are
	// those the caller holds. Otherwise the logs are whole.
	LatestSince(ctx context.Context, threadID string, have Cursor) (Tuple, error)
}

// Put is one checkpoint and the log entries appended since its parent, as
// Saver.Put takes them.
type Put struct {
	Checkpoint Checkpoint
	Appends    map[string][][]byte
}

// BatchPutter is implemented by savers that store a chain of checkpoints
// in one write: one round trip and one commit instead of one each, which
// is most of what a checkpoint costs on a durable database.
type BatchPutter interface {
	// PutBatch stores puts as Put would one after the other — each
	// checkpoint after the first is the child of the one before it, all
	// of one thread and branch — but atomically: all of them or none. A
	// conflict on the first (another writer advanced the thread from the
	// same parent) is ErrConflict, as for Put.
	PutBatch(ctx context.Context, puts []Put) error
}

// PutAll stores a chain of checkpoints on s: with s's PutBatch when it has
// one, else with one Put each, in order (then a failure part-way leaves the
// chain's first checkpoints stored, each a consistent state).
func PutAll(ctx context.Context, s Saver, puts []Put) error {
	if len(puts) == 0 {
		return nil
	}
	if err := CheckChain(puts); err != nil {
		return err
	}
	if b, ok := s.(BatchPutter); ok {
		return b.PutBatch(ctx, puts)
	}
	for _, p := range puts {
		if err := s.Put(ctx, p.Checkpoint, p.Appends); err != nil {
			return err
		}
	}
	return nil
}

// CheckChain reports ErrInvalid unless each of puts after the first is the
// child of the one before it on the same thread and branch, and its
// appends extend that one's logs exactly. Savers' PutBatch call it.
func CheckChain(puts []Put) error {
	for i := 1; i < len(puts); i++ {
		prev, cp := puts[i-1].Checkpoint, puts[i].Checkpoint
		if cp.ThreadID != prev.ThreadID || cp.Branch != prev.Branch || cp.ParentID != prev.ID {
			return fmt.Errorf("%w: checkpoint %d of a batch is not the child of the one before it on its thread and branch", ErrInvalid, i)
		}
		if err := CheckAppends(prev.LogLens, cp.LogLens, puts[i].Appends); err != nil {
			return err
		}
	}
	return nil
}

// TailFrom returns where LatestSince's logs start for a checkpoint cp and a
// caller holding have: have.Lens when cp extends what the caller holds,
// nil (whole logs) otherwise.
func TailFrom(cp Checkpoint, have Cursor) map[string]int {
	if have.Branch != cp.Branch || len(have.Lens) == 0 {
		return nil
	}
	from := make(map[string]int, len(cp.LogLens))
	for ch, n := range cp.LogLens {
		h := have.Lens[ch]
		if h > n {
			return nil
		}
		from[ch] = h
	}
	return from
}

// ListOptions bounds Saver.List.
type ListOptions struct {
	// Limit caps the number returned; 0 means no limit.
	Limit int
	// Before, when set, returns only checkpoints older than this ID.
	Before string
}

// PruneOptions says which checkpoints Saver.Prune removes. A checkpoint is
// removed when it is beyond the newest KeepLast of its thread, or older than
// OlderThan, or an intermediate checkpoint of a turn older than the last
// RecentTurns; the newest checkpoint of every branch is always kept, and no
// log entry a kept checkpoint needs is ever removed. Zero fields remove
// nothing.
type PruneOptions struct {
	KeepLast  int
	OlderThan time.Time
	// RecentTurns keeps time travel for the recent past and one state per
	// turn before it: every checkpoint of the branch's last RecentTurns
	// turns is kept, and of each older turn only its last checkpoint, the
	// state the turn ended in. A turn is one run of the graph; it ends at a
	// checkpoint with nothing to run next, at one the next run started
	// from (its child has Source "input"), or at the branch's newest.
	RecentTurns int
}

// DefaultRecentTurns is the time-travel window a deployment keeps unless
// configured otherwise: every checkpoint of a thread's last 20 turns.
const DefaultRecentTurns = 20

// ThreadInfo summarizes a stored thread.
type ThreadInfo struct {
	ThreadID    string
	Checkpoints int
	LatestID    string
	LatestStep  int
	UpdatedAt   time.Time
}

// Saver stores checkpoints. Implementations must be safe for concurrent use
// and serialize writers per thread only: two writers advancing the same
// thread from the same parent must see exactly one succeed and the other get
// ErrConflict, while different threads never wait on each other.
type Saver interface {
	// Put stores cp together with the log entries appended since its
	// parent: appends[ch] are the entries at positions
	// cp.LogLens[ch]-len(appends[ch]) onward, which must extend the
	// parent's log exactly. CreatedAt is set by the saver.
	Put(ctx context.Context, cp Checkpoint, appends map[string][][]byte) error
	// Latest returns the thread's most recently stored checkpoint.
	Latest(ctx context.Context, threadID string) (Tuple, error)
	// Get returns one checkpoint of the thread.
	Get(ctx context.Context, threadID, id string) (Tuple, error)
	// List returns the thread's checkpoints, newest first, without logs.
	List(ctx context.Context, threadID string, opts ListOptions) ([]Checkpoint, error)
	// PutWrites records pending writes against a stored checkpoint.
	PutWrites(ctx context.Context, threadID, checkpointID string, writes []Write) error
	// Fork starts a new branch at checkpoint id: it stores and returns a new
	// checkpoint, child of id, with the same state, which becomes the
	// thread's latest. The branch gets its own copy of the logs.
	Fork(ctx context.Context, threadID, id string) (Tuple, error)
	// Prune removes old checkpoints of the thread and returns how many.
	Prune(ctx context.Context, threadID string, opts PruneOptions) (int, error)
	// DeleteThread erases every row of the thread.
	DeleteThread(ctx context.Context, threadID string) error
	// Threads lists stored threads, most recently updated first.
	Threads(ctx context.Context, limit int) ([]ThreadInfo, error)
}

// Compacter is implemented by savers whose storage keeps, after Prune, room
// that only a rebuild gives back. PostgreSQL's B-tree indexes are the case:
// pruning deletes most entries of a page and keeps a few, and a page is
// reused only once it is empty, so the indexes of a pruned database stay as
// large as if nothing had been pruned. Maintenance calls Compact after a
// pruning pass.
type Compacter interface {
	// Compact rebuilds what pruning left sparse when enough was pruned
	// since the last rebuild to be worth it, without blocking writers, and
	// reports whether it did.
	Compact(ctx context.Context) (bool, error)
}

// ErrNotFound is returned when a thread or checkpoint does not exist.
var ErrNotFound = errors.New("checkpoint: not found")

// ErrConflict is returned by Put when another writer advanced the thread
// from the same parent first. The losing run should reload and retry.
var ErrConflict = errors.New("checkpoint: conflicting write")

// ErrInvalid is returned when a Put is inconsistent with its parent (unknown
// parent, or appends that do not extend the parent's logs exactly).
var ErrInvalid = errors.New("checkpoint: invalid")

// CorruptError reports stored data that cannot be read back. It names the
// thread and checkpoint so an operator can find the row.
type CorruptError struct {
	ThreadID     string
	CheckpointID string
	Err          error
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("checkpoint: corrupt data in thread %q checkpoint %q: %v", e.ThreadID, e.CheckpointID, e.Err)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// NewID returns a new checkpoint ID. IDs are UUIDv7 strings: unique across
// processes and, within one process, increasing.
func NewID() string {
	return uuid.Must(uuid.NewV7()).String()
}

// Clone returns a deep copy of cp, so callers and savers never share maps.
func (cp Checkpoint) Clone() Checkpoint {
	out := cp
	if cp.Values != nil {
		out.Values = make(map[string][]byte, len(cp.Values))
		for k, v := range cp.Values {
			out.Values[k] = append([]byte(nil), v...)
		}
	}
	if cp.LogLens != nil {
		out.LogLens = make(map[string]int, len(cp.LogLens))
		for k, v := range cp.LogLens {
			out.LogLens[k] = v
		}
	}
	if cp.Next != nil {
		out.Next = append([]string(nil), cp.Next...)
	}
	if cp.Metadata != nil {
		out.Metadata = make(map[string]string, len(cp.Metadata))
		for k, v := range cp.Metadata {
			out.Metadata[k] = v
		}
	}
	return out
}
