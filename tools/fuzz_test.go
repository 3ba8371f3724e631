package tools_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/switchboardhq/switchboard/tools"
)

type fuzzArgs struct {
	City  string   `json:"city" jsonschema:"a city"`
	Units string   `json:"units,omitempty" enum:"metric,imperial"`
	Days  int      `json:"days,omitempty"`
	Tags  []string `json:"tags,omitempty"`
}

// FuzzCall gives a tool arbitrary argument text, as a model might: the
// call never panics, and the function runs only with arguments that passed
// validation (units from the enum; a present city, which may be empty:
// "required" asks for the key, not for a value).
func FuzzCall(f *testing.F) {
	for _, s := range []string{`{"city":"Lisbon"}`, `{"city":"Lisbon","units":"kelvin"}`, `{}`, `null`, `[]`, `{"city":1}`,
		`{"city":"x","days":1e400}`, `{"city":"x","tags":[null,{}]}`, `{"city":"x","extra":true}`, `{"city":"\ud800"}`, ``} {
		f.Add(s)
	}
	var bad atomic.Pointer[fuzzArgs] // this input's run, when validation should have refused it
	tool := tools.Must(tools.New("weather", "Weather for a city", func(ctx context.Context, a fuzzArgs) (string, error) {
		if a.Units != "" && a.Units != "metric" && a.Units != "imperial" {
			bad.Store(&a)
		}
		return "ok", nil
	}))
	f.Fuzz(func(t *testing.T, args string) {
		bad.Store(nil)
		_, _ = tool.Call(context.Background(), args)
		if a := bad.Load(); a != nil {
			t.Fatalf("the tool ran with %q, parsed as %+v, which validation should have refused", args, a)
		}
	})
}
