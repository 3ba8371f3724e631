// Command weather shows how a new tool is added to Switchboard: a typed Go
// function, a name and a description. The tool looks up the current weather
// in the j1 JSON format of a wttr.in-compatible service at WEATHER_URL.
//
// Usage:
//
//	go run ./examples/weather              # print the tool definition the model sees
//	go run ./examples/weather -demo        # call it once against an in-process fake service
//	go run ./examples/weather -city Lisbon # call it once against WEATHER_URL
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/tools"
)

// defaultWeatherURL is used when WEATHER_URL is unset.
const defaultWeatherURL = "https://wttr.in"

// WeatherArgs are the arguments the model fills in.
type WeatherArgs struct {
	City  string `json:"city" jsonschema:"city name, e.g. Lisbon"`
	Units string `json:"units,omitempty" jsonschema:"metric (the default) or imperial" enum:"metric,imperial"`
}

// Weather is what the model gets back, as JSON.
type Weather struct {
	City        string `json:"city"`
	Temperature string `json:"temperature"`
	Conditions  string `json:"conditions"`
}

// NewWeatherTool returns the get_weather tool, querying baseURL.
func NewWeatherTool(client *http.Client, baseURL string) tools.Tool {
	return tools.Must(tools.New("get_weather", "Current weather for a city",
		func(ctx context.Context, a WeatherArgs) (Weather, error) {
			var r wttrReport
			if err := getJSON(ctx, client, baseURL+"/"+url.PathEscape(a.City)+"?format=j1", &r); err != nil {
				return Weather{}, err
			}
			if len(r.Current) == 0 || len(r.Current[0].Desc) == 0 {
				return Weather{}, tools.Errorf("no weather report for %q", a.City)
			}
			c := r.Current[0]
			temp := c.TempC + "°C"
			if a.Units == "imperial" {
				temp = c.TempF + "°F"
			}
			return Weather{City: a.City, Temperature: temp, Conditions: c.Desc[0].Value}, nil
		}))
}

// wttrReport is the part of a j1 report the tool reads.
type wttrReport struct {
	Current []struct {
		TempC string `json:"temp_C"`
		TempF string `json:"temp_F"`
		Desc  []struct {
			Value string `json:"value"`
		} `json:"weatherDesc"`
	} `json:"current_condition"`
}

// getJSON fetches rawURL and decodes its JSON body into v.
func getJSON(ctx context.Context, client *http.Client, rawURL string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return fmt.Errorf("building the request: %w", err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("calling the weather service: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("weather service answered %s", resp.Status)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(v); err != nil {
		return fmt.Errorf("decoding the weather report: %w", err)
	}
	return nil
}

// FakeWeatherService answers like a wttr.in-compatible service: sunny and
// 21°C everywhere except "Atlantis", which it does not know.
func FakeWeatherService() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		city := strings.TrimPrefix(r.URL.Path, "/")
		if r.URL.Query().Get("format") != "j1" || city == "" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if city == "Atlantis" {
			fmt.Fprint(w, `{"current_condition":[]}`)
			return
		}
		fmt.Fprint(w, `{"current_condition":[{"temp_C":"21","temp_F":"70","weatherDesc":[{"value":"Sunny"}]}]}`)
	})
}

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "weather:", err)
		os.Exit(1)
	}
}

// run is main with its dependencies injected, for tests.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("weather", flag.ContinueOnError)
	fs.SetOutput(stderr)
	demo := fs.Bool("demo", false, "call the tool once against an in-process fake weather service")
	city := fs.String("city", "", "call the tool once for this city against WEATHER_URL")
	units := fs.String("units", "", "metric or imperial")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("parsing flags: %w", err)
	}

	baseURL := getenv("WEATHER_URL")
	if baseURL == "" {
		baseURL = defaultWeatherURL
	}
	if *demo {
		srv := httptest.NewServer(FakeWeatherService())
		defer srv.Close()
		baseURL = srv.URL
		if *city == "" {
			*city = "Lisbon"
		}
	}
	tool := NewWeatherTool(&http.Client{Timeout: 10 * time.Second}, strings.TrimRight(baseURL, "/"))

	if *city == "" {
		b, err := json.MarshalIndent(tool.Def(), "", "  ")
		if err != nil {
			return fmt.Errorf("encoding the tool definition: %w", err)
		}
		_, err = fmt.Fprintln(stdout, string(b))
		return err
	}

	// The agent graph does this with the model's tool calls.
	callArgs, err := json.Marshal(WeatherArgs{City: *city, Units: *units})
	if err != nil {
		return fmt.Errorf("encoding the arguments: %w", err)
	}
	set, err := tools.NewSet(tool)
	if err != nil {
		return err
	}
	set = set.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
	result := set.Run(ctx, []llm.ToolCall{{ID: "call_1", Name: "get_weather", Arguments: string(callArgs)}})[0]
	if _, err := fmt.Fprintln(stdout, result.Content); err != nil {
		return fmt.Errorf("writing the result: %w", err)
	}
	if result.IsError {
		return errors.New("the tool call failed")
	}
	return nil
}
