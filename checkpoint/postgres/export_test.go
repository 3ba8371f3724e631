package postgres

// The statements of a turn's hot path, for plan_test.go.
const (
	InsertChild     = insertChild
	InsertChildLogs = insertChildLogs
	InsertChain     = insertChainWithLogs
	LatestQuery     = latestQuery
	LogRange        = logRange
	ChunkRange      = chunkRange
	WritesQuery     = writesQuery
	GetQuery        = getQuery
	ParentQuery     = parentQuery
)
