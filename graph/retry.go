package graph

import "github.com/switchboardhq/switchboard/internal/retry"

// RetryPolicy says how often and when a failing node is run again within
// the same step; it is the module's one retry policy (llm.RetryPolicy is
// the same type). The zero value runs a node once. RetryIf nil retries
// every error but an interrupt and the cancellation of the run itself;
// waits are exponential with jitter from BaseDelay (default 500ms) up to
// MaxDelay (default 20s).
type RetryPolicy = retry.Policy
