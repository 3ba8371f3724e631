package switchboard

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
)

// Chat is a conversation in the terminal on thread: each line read from in
// is a message, each answer is written to out with the tool calls that led
// to it. It ends at the end of in, on an empty line, or when ctx is done
// (Ctrl-C, with signal.NotifyContext), and returns nil then. An error of a
// turn is shown and the conversation goes on.
func (a *Assistant) Chat(ctx context.Context, thread string, in io.Reader, out io.Writer) error {
	lines := make(chan string)
	readErr := make(chan error, 1)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
		readErr <- sc.Err()
	}()
	fmt.Fprintf(out, "Chatting as %s. Type a message; an empty line or Ctrl-D ends.\n", thread)
	for {
		fmt.Fprint(out, "> ")
		var text string
		select {
		case <-ctx.Done():
			fmt.Fprintln(out)
			return nil
		case l, ok := <-lines:
			if !ok {
				fmt.Fprintln(out)
				select {
				case err := <-readErr:
					return err
				default:
					return nil
				}
			}
			text = strings.TrimSpace(l)
		}
		if text == "" {
			return nil
		}
		r, err := a.reply(ctx, thread, text, func(c ToolCall) {
			if !c.done {
				fmt.Fprintf(out, "  → %s %s\n", c.Name, c.Arguments)
				return
			}
			mark := "←"
			if c.IsError {
				mark = "← error:"
			}
			fmt.Fprintf(out, "  %s %s\n", mark, clip(c.Result, 300))
		})
		switch {
		case ctx.Err() != nil:
			fmt.Fprintln(out)
			return nil
		case err != nil:
			fmt.Fprintf(out, "assistant: (error) %v\n", err)
		default:
			fmt.Fprintf(out, "assistant: %s\n", r.Text)
		}
	}
}

// clip shortens s to n runes on one line.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
