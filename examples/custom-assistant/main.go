// Command custom-assistant is Switchboard as a library: the whole assistant
// command (serve, chat, threads, …, configured like the assistant binary)
// with a tool of your own offered on every conversation.
//
//	go run ./examples/custom-assistant chat
//	go run ./examples/custom-assistant serve
package main

import (
	"context"
	"os"
	"strings"

	"github.com/switchboardhq/switchboard"
	"github.com/switchboardhq/switchboard/tools"
)

type shoutArgs struct { // the tool's arguments: the model sees their JSON Schema
	Text string `json:"text" jsonschema:"the text to shout"`
}

var shout = tools.Must(tools.New("shout", "Repeats a text in capitals",
	func(ctx context.Context, a shoutArgs) (string, error) { return strings.ToUpper(a.Text) + "!", nil }))

func main() { os.Exit(switchboard.Main(switchboard.WithTools(shout))) }
