package postgres_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/switchboardhq/switchboard/checkpoint/postgres"
	"github.com/switchboardhq/switchboard/internal/pgtest"
)

// BenchmarkPutConcurrent stores turns (a checkpoint and two ~250-byte
// messages) on 16 threads at once, as 16 agent turns in flight do, with
// chains written in batches when others are on their way (group.go) and
// each on its own ("alone"), against a pool of a connection per thread.
func BenchmarkPutConcurrent(b *testing.B) {
	for _, mode := range []struct {
		name  string
		limit int
	}{{"grouped", 0}, {"alone", 1 << 30}} {
		b.Run(mode.name, func(b *testing.B) {
			s := postgres.New(pgtest.New(b))
			postgres.SetGroupLimit(s, mode.limit)
			ctx := context.Background()
			var next atomic.Int64
			b.SetParallelism(8) // 2 cores × 8 = 16 threads
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				head := seed(b, s, fmt.Sprintf("bench:group:%d", next.Add(1)), 10)
				for pb.Next() {
					cp, app := turn(head, 2)
					if err := s.Put(ctx, cp, app); err != nil {
						b.Error(err)
						return
					}
					head = cp
				}
			})
			b.StopTimer()
			batches, chains := postgres.GroupStats(s)
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "puts/s")
			if batches > 0 {
				b.ReportMetric(float64(chains)/float64(batches), "chains/batch")
			}
			b.ReportMetric(float64(chains)/float64(b.N), "batched/put")
		})
	}
}
