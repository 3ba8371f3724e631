// Command custom-assistant is Switchboard as a library: a terminal chat with a tool of
// your own, on the model named by the settings of "assistant chat" (OPENAI_API_KEY, …).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/switchboardhq/switchboard"
	"github.com/switchboardhq/switchboard/tools"
)

type shoutArgs struct { // the tool's arguments: the model sees their JSON Schema
	Text string `json:"text" jsonschema:"the text to shout"`
}

var shout = tools.Must(tools.New("shout", "Repeats a text in capitals",
	func(ctx context.Context, a shoutArgs) (string, error) { return strings.ToUpper(a.Text) + "!", nil }))

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Getenv, os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "custom-assistant:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, getenv func(string) string, in io.Reader, out io.Writer) error {
	a, err := switchboard.New(ctx, getenv, switchboard.WithTools(shout))
	if err != nil {
		return err
	}
	return a.Chat(ctx, "whatsapp:+15550000000", in, out)
}
