package postgres

// The statements of a turn's hot path, for plan_test.go.
const (
	InsertChain = insertChainWithLogs
	LatestQuery = latestQuery
	LogRange    = logRange
	ChunkRange  = chunkRange
	WritesQuery = writesQuery
	GetQuery    = getQuery
	ParentQuery = parentQuery
)

// CompactTo is where Prune's log compaction stops, for chunks_test.go.
var CompactTo = compactTo
