package console

import (
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/store"
)

// messagesLog is the agent state's message log channel (agent.State's
// Messages field).
const messagesLog = "Messages"

// voiceMarker is how flows puts a voice note's transcript into the text the
// model reads.
const voiceMarker = "[voice note] "

// bubble is one message of a WhatsApp-like transcript.
type bubble struct {
	Out    bool
	Author string
	Text   string
	// Voice holds the transcripts of the message's voice notes.
	Voice []string
	// Images are the pictures the model saw, as data URLs.
	Images []template.URL
	// Attachments describe media that is not shown (by content type).
	Attachments []string
	// Steps are the tool calls that led to this reply, folded under it.
	Steps []toolStep
	// Working marks the lab's turn still in progress.
	Working bool
	Status  string
	Error   string
	Time    string
	Tokens  int
}

// tick is a reply's delivery mark, its words for screen readers, and its
// CSS class.
type tick struct{ Mark, Words, Class string }

// Tick returns the delivery mark of a reply.
func (b bubble) Tick() tick {
	switch b.Status {
	case store.StatusPending:
		return tick{"◷", "waiting to be sent", "tick-wait"}
	case store.StatusQueued, store.StatusSent:
		return tick{"✓", "sent", "tick-sent"}
	case store.StatusDelivered:
		return tick{"✓✓", "delivered", "tick-delivered"}
	case store.StatusRead:
		return tick{"✓✓", "read", "tick-read"}
	case store.StatusFailed, store.StatusUndelivered:
		return tick{"!", "not delivered", "tick-failed"}
	default:
		return tick{}
	}
}

// toolStep is a tool call and its result.
type toolStep struct {
	Name    string
	Args    string
	Result  string
	IsError bool
	Done    bool
}

// turn is what the checkpoint knows of one turn: its tool calls and the
// tokens it used.
type turn struct {
	steps  []toolStep
	tokens int
}

// history is a thread's checkpointed conversation, indexed for the
// transcript: user messages by inbound id, turns by the outbox key of
// their reply.
type history struct {
	users map[int64]llm.Message
	turns map[string]turn
}

// loadMessages decodes the thread's latest message log; a thread with no
// checkpoint (or no saver) has none.
func loadMessages(ctx context.Context, saver checkpoint.Saver, thread string) ([]llm.Message, error) {
	if saver == nil {
		return nil, nil
	}
	t, err := saver.Latest(ctx, thread)
	if errors.Is(err, checkpoint.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return decodeMessages(t.Logs[messagesLog]), nil
}

// decodeMessages reads log entries as messages, skipping any that are not.
func decodeMessages(entries [][]byte) []llm.Message {
	out := make([]llm.Message, 0, len(entries))
	for _, e := range entries {
		var m llm.Message
		if json.Unmarshal(e, &m) == nil && m.Role != "" {
			out = append(out, m)
		}
	}
	return out
}

func indexHistory(msgs []llm.Message) history {
	h := history{users: map[int64]llm.Message{}, turns: map[string]turn{}}
	var last int64
	var cur turn
	for _, m := range msgs {
		switch m.Role {
		case llm.RoleUser:
			if id, err := strconv.ParseInt(m.ID, 10, 64); err == nil {
				h.users[id] = m
				last = id
			}
		case llm.RoleAssistant:
			if m.Usage != nil {
				cur.tokens += m.Usage.InputTokens + m.Usage.OutputTokens
			}
			if len(m.ToolCalls) > 0 {
				cur.steps = appendCalls(cur.steps, m.ToolCalls)
				continue
			}
			h.turns["turn:"+strconv.FormatInt(last, 10)] = cur
			cur = turn{}
		case llm.RoleTool:
			cur.steps = attachResult(cur.steps, m)
		}
	}
	return h
}

func appendCalls(steps []toolStep, calls []llm.ToolCall) []toolStep {
	for _, c := range calls {
		steps = append(steps, toolStep{Name: c.Name, Args: prettyJSON(c.Arguments)})
	}
	return steps
}

func attachResult(steps []toolStep, m llm.Message) []toolStep {
	for i := range steps {
		if !steps[i].Done && (m.Name == "" || steps[i].Name == m.Name) {
			steps[i].Result, steps[i].IsError, steps[i].Done = clipRunes(m.Content, 2000), m.IsError, true
			return steps
		}
	}
	return steps
}

func prettyJSON(s string) string {
	var v any
	if json.Unmarshal([]byte(s), &v) != nil {
		return s
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return s
	}
	return string(b)
}

func clipRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// splitVoice separates the text a customer typed from the transcripts of
// their voice notes.
func splitVoice(content string) (text string, voice []string) {
	parts := strings.Split(content, voiceMarker)
	text = strings.TrimSpace(parts[0])
	for _, p := range parts[1:] {
		if p = strings.TrimSpace(p); p != "" {
			voice = append(voice, p)
		}
	}
	return text, voice
}

var dataImage = regexp.MustCompile(`^data:image/(jpeg|png|gif|webp);base64,[A-Za-z0-9+/=]+$`)

// images returns the message's pictures that are safe to show inline:
// base64 data URLs of common image types, nothing that would make the
// browser fetch anything.
func images(m llm.Message) []template.URL {
	var out []template.URL
	for _, p := range m.Parts {
		if p.Type == llm.PartImage && dataImage.MatchString(p.ImageURL) {
			out = append(out, template.URL(p.ImageURL)) // checked above: an inline image, not a link
		}
	}
	return out
}

func mediaLabel(ct string) string {
	switch {
	case strings.HasPrefix(ct, "audio/"):
		return "voice note"
	case strings.HasPrefix(ct, "image/"):
		return "photo"
	case strings.HasPrefix(ct, "video/"):
		return "video"
	case ct == "":
		return "attachment"
	default:
		return "file (" + ct + ")"
	}
}

// wireTranscript builds a channel conversation's bubbles: what the
// customer and the business actually exchanged, with what the checkpoint
// adds (voice transcripts, pictures, tool calls, tokens).
func (c *Console) wireTranscript(msgs []WireMessage, h history) []bubble {
	out := make([]bubble, 0, len(msgs))
	for _, m := range msgs {
		b := bubble{Out: m.Out, Text: m.Body, Time: c.localTime(m.At)}
		if m.Out {
			b.Status, b.Error = m.Status, m.Error
			if t, ok := h.turns[m.Key]; ok {
				b.Steps, b.Tokens = t.steps, t.tokens
			}
		} else {
			b.Author = m.ProfileName
			if m.Sender != "" && m.Sender != m.ProfileName {
				b.Author = strings.TrimSpace(m.ProfileName + " " + m.Sender)
			}
			for _, md := range m.Media {
				b.Attachments = append(b.Attachments, mediaLabel(md.ContentType))
			}
			if u, ok := h.users[m.ID]; ok {
				_, b.Voice = splitVoice(u.Content)
				if len(u.Parts) > 0 {
					for _, p := range u.Parts {
						if p.Type == llm.PartText {
							_, v := splitVoice(p.Text)
							b.Voice = append(b.Voice, v...)
						}
					}
				}
				b.Images = images(u)
			}
			// A voice note with its transcript, or a photo shown, needs no
			// label besides.
			b.Attachments = dropLabels(b.Attachments, "voice note", len(b.Voice))
			b.Attachments = dropLabels(b.Attachments, "photo", len(b.Images))
		}
		out = append(out, b)
	}
	return out
}

// stateTranscript builds bubbles from a checkpointed history alone (the
// lab, the inspector): user messages, replies with their tool calls folded
// under them, and a turn still running shown as working.
func (c *Console) stateTranscript(msgs []llm.Message) []bubble {
	var out []bubble
	var cur turn
	for _, m := range msgs {
		switch m.Role {
		case llm.RoleUser:
			text, voice := splitVoice(m.Content)
			for _, p := range m.Parts {
				if p.Type == llm.PartText {
					t, v := splitVoice(p.Text)
					text = strings.TrimSpace(text + "\n" + t)
					voice = append(voice, v...)
				}
			}
			out = append(out, bubble{Text: text, Voice: voice, Images: images(m), Time: c.localTime(m.Time)})
		case llm.RoleAssistant:
			if m.Usage != nil {
				cur.tokens += m.Usage.InputTokens + m.Usage.OutputTokens
			}
			if len(m.ToolCalls) > 0 {
				cur.steps = appendCalls(cur.steps, m.ToolCalls)
				continue
			}
			out = append(out, bubble{Out: true, Text: m.Content, Steps: cur.steps, Tokens: cur.tokens, Time: c.localTime(m.Time)})
			cur = turn{}
		case llm.RoleTool:
			cur.steps = attachResult(cur.steps, m)
		}
	}
	if len(cur.steps) > 0 {
		out = append(out, bubble{Out: true, Working: true, Steps: cur.steps, Text: "Working…"})
	}
	return out
}

// sinceText says how long ago t was, for people.
func sinceText(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case t.IsZero():
		return "never"
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + " min ago"
	case d < 24*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + " h ago"
	default:
		return strconv.Itoa(int(d/(24*time.Hour))) + " days ago"
	}
}

// dropLabels removes up to n occurrences of label.
func dropLabels(labels []string, label string, n int) []string {
	out := labels[:0]
	for _, l := range labels {
		if l == label && n > 0 {
			n--
			continue
		}
		out = append(out, l)
	}
	return out
}
