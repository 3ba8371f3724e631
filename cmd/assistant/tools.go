package main

import (
	"github.com/switchboardhq/switchboard/tools"
)

// customTools are your own tools, offered on every thread next to the
// built-in ones. A tool is a typed Go function with a name and a
// description (see examples/weather and tools.New):
//
//	func customTools(getenv func(string) string) []tools.Tool {
//		return []tools.Tool{
//			tools.Must(tools.New("get_weather", "Current weather for a city",
//				func(ctx context.Context, a WeatherArgs) (Weather, error) { ... })),
//		}
//	}
func customTools(getenv func(string) string) []tools.Tool {
	return nil
}
