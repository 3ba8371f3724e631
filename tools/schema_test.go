package tools_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/tools"
)

type weatherArgs struct {
	City  string `json:"city" jsonschema:"city name, e.g. Lisbon"`
	Units string `json:"units,omitempty" jsonschema:"unit system" enum:"metric,imperial"`
}

type optionalArgs struct {
	Note  *string  `json:"note,omitempty"`
	Tags  []string `json:"tags,omitempty" enum:"a,b"`
	Count *int     `json:"count,omitempty" enum:"1,2,3"`
}

type address struct {
	Street string `json:"street"`
	Kind   string `json:"kind" enum:"home,work"`
}

type nestedArgs struct {
	Addresses []address      `json:"addresses"`
	Primary   *address       `json:"primary,omitempty"`
	Scores    map[string]int `json:"scores,omitempty"`
	Ratio     float64        `json:"ratio" enum:"0.5,1.5"`
	Skipped   string         `json:"-"`
}

type noArgs struct{}

type badEnumInt struct {
	N int `json:"n" enum:"one,two"`
}

type badEnumKind struct {
	B bool `json:"b" enum:"true"`
}

type cyclic struct {
	Next *cyclic `json:"next,omitempty"`
}

func schemaJSON[T any](t *testing.T) (string, error) {
	t.Helper()
	s, err := tools.SchemaFor[T]()
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return string(b), nil
}

func TestSchemaFor(t *testing.T) {
	tests := []struct {
		name    string
		schema  func(t *testing.T) (string, error)
		want    string
		wantErr string
	}{
		{
			name:   "required, descriptions and a string enum",
			schema: schemaJSON[weatherArgs],
			want:   `{"type":"object","properties":{"city":{"type":"string","description":"city name, e.g. Lisbon"},"units":{"type":"string","description":"unit system","enum":["metric","imperial"]}},"required":["city"],"additionalProperties":false}`,
		},
		{
			name:   "pointers and slices without null types, enums on items and pointers",
			schema: schemaJSON[optionalArgs],
			want:   `{"type":"object","properties":{"note":{"type":"string"},"tags":{"type":"array","items":{"type":"string","enum":["a","b"]}},"count":{"type":"integer","enum":[1,2,3]}},"additionalProperties":false}`,
		},
		{
			name:   "pointer to the argument struct",
			schema: schemaJSON[*weatherArgs],
			want:   `{"type":"object","properties":{"city":{"type":"string","description":"city name, e.g. Lisbon"},"units":{"type":"string","description":"unit system","enum":["metric","imperial"]}},"required":["city"],"additionalProperties":false}`,
		},
		{
			name:   "nested structs, maps and a number enum",
			schema: schemaJSON[nestedArgs],
			want: `{"type":"object","properties":{` +
				`"addresses":{"type":"array","items":{"type":"object","properties":{"street":{"type":"string"},"kind":{"type":"string","enum":["home","work"]}},"required":["street","kind"],"additionalProperties":false}},` +
				`"primary":{"type":"object","properties":{"street":{"type":"string"},"kind":{"type":"string","enum":["home","work"]}},"required":["street","kind"],"additionalProperties":false},` +
				`"scores":{"type":"object","additionalProperties":{"type":"integer"}},` +
				`"ratio":{"type":"number","enum":[0.5,1.5]}},` +
				`"required":["addresses","ratio"],"additionalProperties":false}`,
		},
		{
			name:   "no arguments still has properties",
			schema: schemaJSON[noArgs],
			want:   `{"type":"object","properties":{},"additionalProperties":false}`,
		},
		{name: "not a struct", schema: schemaJSON[string], wantErr: "not a struct"},
		{name: "enum value of the wrong kind", schema: schemaJSON[badEnumInt], wantErr: `enum value "one" is not an integer`},
		{name: "enum on an unsupported kind", schema: schemaJSON[badEnumKind], wantErr: "unsupported kind bool"},
		{name: "cyclic type", schema: schemaJSON[cyclic], wantErr: "cycle"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.schema(t)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("SchemaFor: %v", err)
			}
			if got != tt.want {
				t.Errorf("schema\n got %s\nwant %s", got, tt.want)
			}
			if strings.Contains(got, `"null"`) {
				t.Errorf("schema has a null type: %s", got)
			}
		})
	}
}
