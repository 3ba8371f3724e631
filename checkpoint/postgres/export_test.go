package postgres

// The statements of a turn's hot path, for plan_test.go.
var InsertChain = insertChainWithLogs

const (
	LatestQuery = latestQuery
	LogRange    = logRange
	ChunkRange  = chunkRange
	WritesQuery = writesQuery
	GetQuery    = getQuery
	ParentQuery = parentQuery
)

// CompactTo is where Prune's log compaction stops, for chunks_test.go.
var CompactTo = compactTo

// GroupStats reports the batches of several chains s wrote, and their
// chains (group.go).
func GroupStats(s *Saver) (batches, chains int64) {
	return s.group.batches.Load(), s.group.batched.Load()
}

// SetGroupLimit sets how many batches s writes at once; a large limit
// writes every chain at once, on its own.
func SetGroupLimit(s *Saver, n int) { s.group.limit = n }

// InsertChainValues is the statement that inserts a chain of two after a
// parent from VALUES (putbatch.go).
var InsertChainValues = valuesInserts[0][2]
