package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/llm"
)

func TestRun(t *testing.T) {
	fake := httptest.NewServer(FakeWeatherService())
	t.Cleanup(fake.Close)
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	}))
	t.Cleanup(broken.Close)

	tests := []struct {
		name       string
		args       []string
		weatherURL string
		want       string
		wantErr    bool
	}{
		{name: "demo", args: []string{"-demo"}, want: `{"city":"Lisbon","temperature":"21°C","conditions":"Sunny"}` + "\n"},
		{name: "configured URL", args: []string{"-city", "Porto", "-units", "imperial"}, weatherURL: fake.URL,
			want: `{"city":"Porto","temperature":"70°F","conditions":"Sunny"}` + "\n"},
		{name: "configured URL with trailing slash", args: []string{"-city", "São Paulo"}, weatherURL: fake.URL + "/",
			want: `{"city":"São Paulo","temperature":"21°C","conditions":"Sunny"}` + "\n"},
		{name: "unknown city is a user-visible error", args: []string{"-demo", "-city", "Atlantis"},
			want: `Error: no weather report for "Atlantis"` + "\n", wantErr: true},
		{name: "service down is an internal error", args: []string{"-city", "Lisbon"}, weatherURL: broken.URL,
			want: "Error: get_weather failed with an internal error. You may retry once; if it fails again, tell the user it could not be done right now.\n", wantErr: true},
		{name: "invalid units are rejected before the call", args: []string{"-demo", "-units", "kelvin"},
			want: "Error: invalid arguments for get_weather: validating /properties/units: enum: kelvin does not equal any of: [metric imperial]. Call get_weather again with arguments that match its parameters schema.\n", wantErr: true},
		{name: "bad flag", args: []string{"-nope"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			getenv := func(k string) string {
				if k == "WEATHER_URL" {
					return tt.weatherURL
				}
				return ""
			}
			err := run(context.Background(), tt.args, &out, io.Discard, getenv)
			if (err != nil) != tt.wantErr {
				t.Fatalf("run: err = %v, wantErr %v", err, tt.wantErr)
			}
			if tt.want != "" && out.String() != tt.want {
				t.Errorf("output\n got %q\nwant %q", out.String(), tt.want)
			}
		})
	}
}

func TestRunPrintsToolDef(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), nil, &out, io.Discard, func(string) string { return "" }); err != nil {
		t.Fatalf("run: %v", err)
	}
	var def llm.ToolDef
	if err := json.Unmarshal(out.Bytes(), &def); err != nil {
		t.Fatalf("output is not a ToolDef: %v\n%s", err, out.String())
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, def.Parameters); err != nil {
		t.Fatalf("compact: %v", err)
	}
	params := compact.String()
	if def.Name != "get_weather" || !strings.Contains(params, `"required":["city"]`) || !strings.Contains(params, `"enum":["metric","imperial"]`) {
		t.Errorf("def = %s %s", def.Name, params)
	}
}

// With -demo the tool runs once against an in-process fake service.
func Example_demo() {
	if err := run(context.Background(), []string{"-demo", "-city", "Lisbon"}, os.Stdout, os.Stderr, os.Getenv); err != nil {
		panic(err)
	}
	// Output:
	// {"city":"Lisbon","temperature":"21°C","conditions":"Sunny"}
}
