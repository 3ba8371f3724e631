package sqlite

// The statements of a turn's hot path, for plan_test.go.
const (
	LatestQuery = latestQuery
	LogRange    = logRange
)
