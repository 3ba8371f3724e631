package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/console"
	"github.com/switchboardhq/switchboard/llm"
)

// messagesLog is the agent state's message log (agent.State's Messages
// field): what the model saw, including tool calls and voice transcripts.
const messagesLog = "Messages"

// voiceMarker is how flows puts a voice note's transcript into the text the
// model reads.
const voiceMarker = "[voice note] "

// wireReader reads the messages the channels carried (the console's reader
// of the store's tables); nil when only checkpoints are known.
type wireReader interface {
	Threads(ctx context.Context, query string, limit int) ([]console.ThreadSummary, error)
	Messages(ctx context.Context, thread string, limit int) ([]console.WireMessage, error)
}

// threadSources are what the threads subcommands read. Only saver is
// required: a terminal chat has checkpoints and no channel messages.
type threadSources struct {
	saver checkpoint.Saver
	wire  wireReader
	// profileName returns the newest name the thread's sender gave.
	profileName func(ctx context.Context, thread string) (string, error)
	// optedOut reports a thread that sent STOP.
	optedOut func(ctx context.Context, thread string) (bool, error)
	// states, when set, says whether a thread is handed to a person or
	// opted out ("active" otherwise); it takes the place of optedOut.
	states threadStater
}

// threadStater says what state a thread is in for `threads list`
// (handed to a person, opted out, active).
type threadStater func(ctx context.Context, thread string) (string, error)

// conversation is one line of "threads list".
type conversation struct {
	Thread   string    `json:"thread"`
	Channel  string    `json:"channel"`
	Name     string    `json:"name,omitempty"`
	Messages int       `json:"messages"`
	Last     string    `json:"last_message"`
	LastFrom string    `json:"last_from"`
	LastAt   time.Time `json:"last_at,omitzero"`
	State    string    `json:"state"`
}

// line is one message of "threads show": who said what, when, and for a
// reply the tool calls that led to it and its delivery.
type line struct {
	From   string     `json:"from"`
	Text   string     `json:"text"`
	Voice  []string   `json:"voice_transcripts,omitempty"`
	Media  []string   `json:"attachments,omitempty"`
	Tools  []toolLine `json:"tool_calls,omitempty"`
	Status string     `json:"delivery,omitempty"`
	Error  string     `json:"error,omitempty"`
	At     time.Time  `json:"at,omitzero"`
	// Unfinished marks a turn still running (or cut off): tool calls
	// without the reply yet.
	Unfinished bool `json:"unfinished,omitempty"`
}

// toolLine is a tool call and its result.
type toolLine struct {
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
	Result    string `json:"result"`
	IsError   bool   `json:"is_error,omitempty"`
}

// conversations lists threads, most recent first: the channels' threads
// and the checkpoint-only ones (terminal chats), at most limit (0: all).
func (s threadSources) conversations(ctx context.Context, limit int) ([]conversation, error) {
	var out []conversation
	seen := map[string]bool{}
	if s.wire != nil {
		n := limit
		if n <= 0 {
			n = 1 << 30
		}
		sums, err := s.wire.Threads(ctx, "", n)
		if err != nil {
			return nil, err
		}
		for _, t := range sums {
			c := conversation{Thread: t.Thread, Channel: t.Channel, Messages: t.Messages, Last: t.Last, LastAt: t.LastAt, LastFrom: "user"}
			if t.LastOut {
				c.LastFrom = "assistant"
			}
			if s.profileName != nil {
				if c.Name, err = s.profileName(ctx, t.Thread); err != nil {
					return nil, err
				}
			}
			out = append(out, c)
			seen[t.Thread] = true
		}
	}
	infos, err := s.saver.Threads(ctx, limit)
	if err != nil {
		return nil, err
	}
	for _, info := range infos {
		if seen[info.ThreadID] {
			continue
		}
		msgs, err := s.history(ctx, info.ThreadID)
		if err != nil {
			return nil, err
		}
		c := conversation{Thread: info.ThreadID, Channel: channelOf(info.ThreadID), LastAt: info.UpdatedAt}
		for _, l := range transcript(msgs) {
			if l.Unfinished {
				continue
			}
			c.Messages++
			c.Last, c.LastFrom = l.Text, l.From
			if c.Last == "" && len(l.Voice) > 0 {
				c.Last = "(voice note) " + l.Voice[0]
			}
			if !l.At.IsZero() {
				c.LastAt = l.At
			}
		}
		out = append(out, c)
	}
	slices.SortStableFunc(out, func(a, b conversation) int { return b.LastAt.Compare(a.LastAt) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	for i := range out {
		if out[i].State, err = s.state(ctx, out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// state says where a conversation stands, for the operator.
func (s threadSources) state(ctx context.Context, c conversation) (string, error) {
	if s.states != nil {
		st, err := s.states(ctx, c.Thread)
		if err != nil {
			return "", err
		}
		if st != "active" {
			return st, nil
		}
	} else if s.optedOut != nil {
		out, err := s.optedOut(ctx, c.Thread)
		if err != nil {
			return "", err
		}
		if out {
			return "opted out", nil
		}
	}
	switch c.LastFrom {
	case "user":
		return "awaiting reply", nil
	case "":
		return "empty", nil
	default:
		return "answered", nil
	}
}

// history returns the thread's checkpointed messages (none without a
// checkpoint).
func (s threadSources) history(ctx context.Context, id string) ([]llm.Message, error) {
	t, err := s.saver.Latest(ctx, id)
	if errors.Is(err, checkpoint.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []llm.Message
	for _, e := range t.Logs[messagesLog] {
		var m llm.Message
		if json.Unmarshal(e, &m) == nil && m.Role != "" {
			out = append(out, m)
		}
	}
	return out, nil
}

// conversationOf returns the thread's transcript: the messages the channel
// carried, with what the checkpoint adds (voice transcripts, tool calls),
// or, for a thread no channel carried (a terminal chat), the checkpoint's
// messages alone. It reports whether anything is stored for the thread.
func (s threadSources) conversationOf(ctx context.Context, id string, limit int) ([]line, bool, error) {
	msgs, err := s.history(ctx, id)
	if err != nil {
		return nil, false, err
	}
	var wire []console.WireMessage
	if s.wire != nil {
		if wire, err = s.wire.Messages(ctx, id, limit); err != nil {
			return nil, false, err
		}
	}
	stored := len(wire) > 0 || len(msgs) > 0
	if !stored {
		if stored, err = s.stored(ctx, id); err != nil {
			return nil, false, err
		}
	}
	if len(wire) == 0 {
		lines := transcript(msgs)
		if len(lines) > limit {
			lines = lines[len(lines)-limit:]
		}
		return lines, stored, nil
	}
	return wireTranscript(wire, msgs), stored, nil
}

// stored reports whether anything is stored for the thread: a checkpoint
// or a message a channel carried.
func (s threadSources) stored(ctx context.Context, id string) (bool, error) {
	_, err := s.saver.Latest(ctx, id)
	switch {
	case err == nil:
		return true, nil
	case !errors.Is(err, checkpoint.ErrNotFound):
		return false, err
	case s.wire == nil:
		return false, nil
	}
	msgs, err := s.wire.Messages(ctx, id, 1)
	return len(msgs) > 0, err
}

// transcript folds a checkpointed history into lines: user messages and
// replies, each reply with the tool calls that led to it.
func transcript(msgs []llm.Message) []line {
	var out []line
	var steps []toolLine
	for _, m := range msgs {
		switch m.Role {
		case llm.RoleUser:
			text, voice := userText(m)
			out = append(out, line{From: "user", Text: text, Voice: voice, At: m.Time})
		case llm.RoleAssistant:
			if len(m.ToolCalls) > 0 {
				steps = appendCalls(steps, m.ToolCalls)
				continue
			}
			out = append(out, line{From: "assistant", Text: m.Content, Tools: steps, At: m.Time})
			steps = nil
		case llm.RoleTool:
			steps = attachResult(steps, m)
		}
	}
	if len(steps) > 0 {
		out = append(out, line{From: "assistant", Text: "(turn not finished)", Tools: steps, Unfinished: true})
	}
	return out
}

// wireTranscript is the channel's messages, with voice transcripts and
// tool calls from the checkpoint matched by inbound id and outbox key.
func wireTranscript(wire []console.WireMessage, msgs []llm.Message) []line {
	users := map[string]llm.Message{}
	turns := map[string][]toolLine{}
	var last string
	var steps []toolLine
	for _, m := range msgs {
		switch m.Role {
		case llm.RoleUser:
			users[m.ID], last = m, m.ID
		case llm.RoleAssistant:
			if len(m.ToolCalls) > 0 {
				steps = appendCalls(steps, m.ToolCalls)
				continue
			}
			turns["turn:"+last], steps = steps, nil
		case llm.RoleTool:
			steps = attachResult(steps, m)
		}
	}
	out := make([]line, 0, len(wire))
	for _, w := range wire {
		l := line{Text: w.Body, At: w.At}
		if w.Out {
			l.From, l.Status, l.Error, l.Tools = "assistant", w.Status, w.Error, turns[w.Key]
		} else {
			l.From = strings.TrimSpace(w.ProfileName + " " + w.Sender)
			if w.Sender == w.ProfileName || w.Sender == "" {
				l.From = w.ProfileName
			}
			if l.From == "" {
				l.From = "customer"
			}
			if u, ok := users[strconv.FormatInt(w.ID, 10)]; ok {
				_, l.Voice = userText(u)
			}
			for _, md := range w.Media {
				if strings.HasPrefix(md.ContentType, "audio/") && len(l.Voice) > 0 {
					continue
				}
				l.Media = append(l.Media, orNone(md.ContentType))
			}
		}
		out = append(out, l)
	}
	return out
}

// userText separates what a user typed from their voice notes'
// transcripts.
func userText(m llm.Message) (string, []string) {
	content := m.Content
	for _, p := range m.Parts {
		if p.Type == llm.PartText {
			content += "\n" + p.Text
		}
	}
	parts := strings.Split(content, voiceMarker)
	var voice []string
	for _, p := range parts[1:] {
		if p = strings.TrimSpace(p); p != "" {
			voice = append(voice, p)
		}
	}
	return strings.TrimSpace(parts[0]), voice
}

func appendCalls(steps []toolLine, calls []llm.ToolCall) []toolLine {
	for _, c := range calls {
		steps = append(steps, toolLine{Name: c.Name, Arguments: c.Arguments})
	}
	return steps
}

// attachResult gives a tool result to the first call of that name still
// waiting for one.
func attachResult(steps []toolLine, m llm.Message) []toolLine {
	for i := range steps {
		if steps[i].Result == "" && (m.Name == "" || steps[i].Name == m.Name) {
			steps[i].Result, steps[i].IsError = m.Content, m.IsError
			break
		}
	}
	return steps
}

// channelOf is the channel part of a thread id ("whatsapp" of
// "whatsapp:+1555…").
func channelOf(id string) string {
	if ch, _, ok := strings.Cut(id, ":"); ok {
		return ch
	}
	return "-"
}

// printConversations writes the list for a person.
func printConversations(w io.Writer, cs []conversation, now time.Time) error {
	if len(cs) == 0 {
		_, err := fmt.Fprintln(w, "No conversations stored yet.")
		return err
	}
	var b strings.Builder
	for _, c := range cs {
		name := ""
		if c.Name != "" {
			name = " · " + c.Name
		}
		fmt.Fprintf(&b, "%s%s · %s\n", c.Thread, name, plural(c.Messages, "message"))
		if c.Messages == 0 {
			fmt.Fprintf(&b, "  %s\n\n", c.State)
			continue
		}
		who := "them"
		if c.LastFrom == "assistant" {
			who = "assistant"
		}
		fmt.Fprintf(&b, "  %s, %s · %s: %s\n\n", c.State, ago(now, c.LastAt), who, oneLine(c.Last, 70))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// printTranscript writes a conversation for a person.
func printTranscript(w io.Writer, id string, lines []line) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s · %s\n", id, plural(len(lines), "message"))
	for _, l := range lines {
		b.WriteString("\n")
		when := ""
		if !l.At.IsZero() {
			when = l.At.UTC().Format("2006-01-02 15:04") + "  "
		}
		fmt.Fprintf(&b, "%s%s: %s\n", when, l.From, indentRest(l.Text, "    "))
		for _, v := range l.Voice {
			fmt.Fprintf(&b, "    voice note: %q\n", v)
		}
		for _, m := range l.Media {
			fmt.Fprintf(&b, "    attachment: %s\n", m)
		}
		for _, t := range l.Tools {
			mark := "→"
			if t.IsError {
				mark = "→ error:"
			}
			fmt.Fprintf(&b, "    tool %s %s\n      %s %s\n", t.Name, oneLine(t.Arguments, 200), mark, oneLine(t.Result, 200))
		}
		if l.Status != "" {
			fmt.Fprintf(&b, "    (%s", l.Status)
			if l.Error != "" {
				fmt.Fprintf(&b, ": %s", l.Error)
			}
			b.WriteString(")\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func indentRest(s, indent string) string {
	return strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n"+indent)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// ago says how long ago t was, for people.
func ago(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case t.IsZero():
		return "never"
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + " min ago"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + " h ago"
	default:
		return t.UTC().Format("2006-01-02")
	}
}

// writeJSON prints v as indented JSON, for scripts.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
