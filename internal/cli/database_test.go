package cli

import (
	"testing"

	cpostgres "github.com/switchboardhq/switchboard/checkpoint/postgres"
)

func TestSizePool(t *testing.T) {
	tests := []struct {
		name    string
		url     string
		workers int
		want    int32
	}{
		{"default workers", "postgres://u@db/app", 8, 8 + poolSpare},
		{"many workers", "postgres://u@db/app", 64, 64 + poolSpare},
		{"the URL decides", "postgres://u@db/app?pool_max_conns=3", 64, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := cpostgres.PoolConfig(tt.url, false)
			if err != nil {
				t.Fatal(err)
			}
			sizePool(cfg, tt.url, tt.workers)
			if cfg.MaxConns != tt.want {
				t.Errorf("MaxConns = %d, want %d", cfg.MaxConns, tt.want)
			}
		})
	}
}
