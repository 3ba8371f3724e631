package tools_test

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/tools"
)

// WeatherArgs are the arguments the model fills in.
type WeatherArgs struct {
	City  string `json:"city" jsonschema:"city name, e.g. Lisbon"`
	Units string `json:"units,omitempty" jsonschema:"unit system, metric by default" enum:"metric,imperial"`
}

// Weather is what the tool returns; the model sees it as JSON.
type Weather struct {
	City        string  `json:"city"`
	Temperature float64 `json:"temperature"`
	Conditions  string  `json:"conditions"`
}

// A tool is a typed Go function with a name and a description.
func ExampleNew() {
	getWeather := tools.Must(tools.New("get_weather", "Current weather for a city",
		func(ctx context.Context, a WeatherArgs) (Weather, error) {
			if a.City != "Lisbon" {
				return Weather{}, tools.Errorf("no data for %s", a.City)
			}
			return Weather{City: a.City, Temperature: 21.5, Conditions: "sunny"}, nil
		}))

	def := getWeather.Def()
	fmt.Println(def.Name, "-", def.Description)
	fmt.Println(string(def.Parameters))
	out, err := getWeather.Call(context.Background(), `{"city":"Lisbon"}`)
	fmt.Println(out, err)
	// Output:
	// get_weather - Current weather for a city
	// {"type":"object","properties":{"city":{"type":"string","description":"city name, e.g. Lisbon"},"units":{"type":"string","description":"unit system, metric by default","enum":["metric","imperial"]}},"required":["city"],"additionalProperties":false}
	// {"city":"Lisbon","temperature":21.5,"conditions":"sunny"} <nil>
}

// A Set runs the calls of a model turn concurrently and returns one result
// per call, in order; failures become error results for the model.
func ExampleSet_Run() {
	getWeather := tools.Must(tools.New("get_weather", "Current weather for a city",
		func(ctx context.Context, a WeatherArgs) (Weather, error) {
			if a.City != "Lisbon" {
				return Weather{}, tools.Errorf("no data for %s", a.City)
			}
			return Weather{City: a.City, Temperature: 21.5, Conditions: "sunny"}, nil
		}))
	set := tools.Must(tools.NewSet(getWeather)).WithLogger(slog.New(slog.DiscardHandler))

	results := set.Run(context.Background(), []llm.ToolCall{
		{ID: "call_1", Name: "get_weather", Arguments: `{"city":"Lisbon"}`},
		{ID: "call_2", Name: "get_weather", Arguments: `{"city":"Lisbon","units":"kelvin"}`},
		{ID: "call_3", Name: "get_weather", Arguments: `{"city":"Atlantis"}`},
		{ID: "call_4", Name: "get_forecast", Arguments: `{}`},
	})
	for _, m := range results {
		fmt.Printf("%s error=%v %s\n", m.ToolCallID, m.IsError, m.Content)
	}
	// Output:
	// call_1 error=false {"city":"Lisbon","temperature":21.5,"conditions":"sunny"}
	// call_2 error=true Error: invalid arguments for get_weather: validating /properties/units: enum: kelvin does not equal any of: [metric imperial]. Call get_weather again with arguments that match its parameters schema.
	// call_3 error=true Error: no data for Atlantis
	// call_4 error=true Error: unknown tool "get_forecast". Available tools: get_weather.
}

// Filter offers private tools only to some threads.
func ExampleSet_Filter() {
	noop := func(ctx context.Context, a struct{}) (string, error) { return "ok", nil }
	all := tools.Must(tools.NewSet(
		tools.Must(tools.New("web_search", "Search the web", noop)),
		tools.Must(tools.New("request_booking", "Request a booking", noop, tools.RequiresConfirmation())),
		tools.Must(tools.New("calendar_list_events", "List the owner's events", noop)),
	))
	owners := map[string]bool{"whatsapp:+15551234567": true}
	ownerOnly := map[string]bool{"calendar_list_events": true}

	for _, thread := range []string{"whatsapp:+15551234567", "whatsapp:+15559876543"} {
		offered := all.Filter(func(t tools.Tool) bool { return owners[thread] || !ownerOnly[t.Name()] })
		fmt.Print(thread, ":")
		for _, t := range offered.Tools() {
			fmt.Print(" ", t.Name())
			if t.RequiresConfirmation() {
				fmt.Print("(needs approval)")
			}
		}
		fmt.Println()
	}
	// Output:
	// whatsapp:+15551234567: calendar_list_events request_booking(needs approval) web_search
	// whatsapp:+15559876543: request_booking(needs approval) web_search
}

// A tool that only reads is marked ReadOnly: after calls of such tools
// alone, an agent goes on without storing its turn first, since running
// them again after a crash changes nothing.
func ExampleSet_ReadOnly() {
	find := tools.Must(tools.New("find_slots", "Free times on a day",
		func(ctx context.Context, a struct{ Day string }) ([]string, error) {
			return []string{"10:00", "15:30"}, nil
		},
		tools.ReadOnly()))
	book := tools.Must(tools.New("book_slot", "Book a time",
		func(ctx context.Context, a struct{ At string }) (string, error) { return "booked", nil }))
	set := tools.Must(tools.NewSet(find, book))

	fmt.Println(set.ReadOnly([]llm.ToolCall{{Name: "find_slots"}}))
	fmt.Println(set.ReadOnly([]llm.ToolCall{{Name: "find_slots"}, {Name: "book_slot"}}))
	fmt.Println(set.ReadOnly([]llm.ToolCall{{Name: "no_such_tool"}}))
	// Output:
	// true
	// false
	// true
}
