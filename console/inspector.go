package console

import (
	"bytes"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/llm"
)

type inspectorView struct {
	Threads []threadInfoRow
	Graph   template.HTML
	Mermaid string
}

type threadInfoRow struct {
	Thread      string
	Checkpoints int
	Step        int
	When        string
}

func (c *Console) noSaver(w http.ResponseWriter, r *http.Request, rq *request) bool {
	if c.cfg.Saver != nil {
		return false
	}
	c.render(w, r, rq, "message", "Inspector", messageView{Heading: "No checkpoints", Text: "This assistant keeps no checkpoints to inspect."})
	return true
}

func (c *Console) inspector(w http.ResponseWriter, r *http.Request, rq *request) {
	if c.noSaver(w, r, rq) {
		return
	}
	infos, err := c.cfg.Saver.Threads(r.Context(), 200)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	now := c.now()
	v := inspectorView{Graph: graphSVG(c.cfg.Graph), Mermaid: c.cfg.Graph}
	for _, t := range infos {
		v.Threads = append(v.Threads, threadInfoRow{Thread: t.ThreadID, Checkpoints: t.Checkpoints, Step: t.LatestStep, When: sinceText(now, t.UpdatedAt)})
	}
	c.render(w, r, rq, "inspector", "Inspector", v)
}

type checkpointRow struct {
	ID     string
	Step   int
	Time   string
	Took   string
	Ran    string
	Next   string
	Source string
	Branch string
	Size   string
	Logs   string
}

type threadView struct {
	Thread      string
	Checkpoints []checkpointRow
	CanFork     bool
}

// logBytes gives, for each log of a thread's latest checkpoint, the bytes
// of its first i entries (prefix sums): a checkpoint on the same branch
// wrote the entries between its parent's length and its own.
type logBytes map[string][]int

func newLogBytes(logs map[string][][]byte) logBytes {
	out := make(logBytes, len(logs))
	for ch, entries := range logs {
		sums := make([]int, len(entries)+1)
		for i, e := range entries {
			sums[i+1] = sums[i] + len(e)
		}
		out[ch] = sums
	}
	return out
}

// cpSize is what a checkpoint stored: its values, whole, and the log
// entries it appended (when they are on the branch lb was read from).
func cpSize(cp checkpoint.Checkpoint, parent map[string]int, lb logBytes) string {
	n := 0
	for _, v := range cp.Values {
		n += len(v)
	}
	for ch, l := range cp.LogLens {
		sums := lb[ch]
		if p := parent[ch]; l < len(sums) && p <= l {
			n += sums[l] - sums[p]
		}
	}
	return byteSize(n)
}

func byteSize(n int) string {
	switch {
	case n < 1024:
		return itoa(n) + " B"
	case n < 1024*1024:
		return itoa(n/1024) + " KB"
	default:
		return itoa(n/(1024*1024)) + " MB"
	}
}

func logText(lens map[string]int) string {
	keys := make([]string, 0, len(lens))
	for k := range lens {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + itoa(lens[k])
	}
	return strings.Join(parts, ", ")
}

func (c *Console) inspectorThread(w http.ResponseWriter, r *http.Request, rq *request) {
	if c.noSaver(w, r, rq) {
		return
	}
	thread := r.URL.Query().Get("t")
	cps, err := c.cfg.Saver.List(r.Context(), thread, checkpoint.ListOptions{Limit: 300})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if len(cps) == 0 {
		http.Error(w, "No checkpoints for "+thread+".", http.StatusNotFound)
		return
	}
	byID := make(map[string]checkpoint.Checkpoint, len(cps))
	for _, cp := range cps {
		byID[cp.ID] = cp
	}
	latest, err := c.cfg.Saver.Latest(r.Context(), thread)
	if err != nil && !errors.Is(err, checkpoint.ErrNotFound) {
		c.fail(w, r, err)
		return
	}
	lb := newLogBytes(latest.Logs)
	v := threadView{Thread: thread, CanFork: c.cfg.Lab != nil}
	for _, cp := range cps {
		row := checkpointRow{ID: cp.ID, Step: cp.Step, Time: cp.CreatedAt.In(c.cfg.Location).Format("2 Jan 15:04:05.000"),
			Next: strings.Join(cp.Next, ", "), Source: cp.Source, Branch: cp.Branch, Logs: logText(cp.LogLens)}
		var parentLens map[string]int
		p, ok := byID[cp.ParentID]
		if ok {
			parentLens = p.LogLens
		}
		if cp.Branch == latest.Checkpoint.Branch && (ok || cp.ParentID == "") {
			row.Size = cpSize(cp, parentLens, lb)
		} else {
			row.Size = cpSize(cp, nil, nil)
		}
		if ok {
			// The nodes that ran to make this checkpoint are those its
			// parent scheduled.
			row.Ran = strings.Join(p.Next, ", ")
			row.Took = cp.CreatedAt.Sub(p.CreatedAt).Round(time.Millisecond).String()
		}
		if row.Ran == "" {
			row.Ran = cp.Source
		}
		v.Checkpoints = append(v.Checkpoints, row)
	}
	c.render(w, r, rq, "thread", "Checkpoints of "+thread, v)
}

type kv struct{ Key, Value string }

type writeRow struct {
	Node, Kind, Value string
}

type modelCall struct {
	Time     string
	Input    int
	Output   int
	Calls    string
	Answered bool
}

type checkpointView struct {
	Thread   string
	CP       checkpoint.Checkpoint
	Created  string
	Meta     []kv
	Values   []kv
	Bubbles  []bubble
	Writes   []writeRow
	Models   []modelCall
	Messages int
	CanFork  bool
}

func prettyBytes(b []byte) string {
	var out bytes.Buffer
	if json.Indent(&out, b, "", "  ") != nil {
		return string(b)
	}
	return out.String()
}

func (c *Console) inspectorCheckpoint(w http.ResponseWriter, r *http.Request, rq *request) {
	if c.noSaver(w, r, rq) {
		return
	}
	q := r.URL.Query()
	thread, id := q.Get("t"), q.Get("c")
	t, err := c.cfg.Saver.Get(r.Context(), thread, id)
	if errors.Is(err, checkpoint.ErrNotFound) {
		http.Error(w, "That checkpoint does not exist.", http.StatusNotFound)
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	cp := t.Checkpoint
	v := checkpointView{Thread: thread, CP: cp, Created: cp.CreatedAt.In(c.cfg.Location).Format("2 Jan 2006 15:04:05.000"), CanFork: c.cfg.Lab != nil}
	for _, k := range sortedKeys(cp.Metadata) {
		v.Meta = append(v.Meta, kv{k, cp.Metadata[k]})
	}
	for _, k := range sortedKeys(cp.Values) {
		v.Values = append(v.Values, kv{k, prettyBytes(cp.Values[k])})
	}
	msgs := decodeMessages(t.Logs[messagesLog])
	v.Messages = len(msgs)
	v.Bubbles = c.stateTranscript(msgs)
	for _, m := range msgs {
		if m.Role != llm.RoleAssistant || m.Usage == nil {
			continue
		}
		mc := modelCall{Time: c.localTime(m.Time), Input: m.Usage.InputTokens, Output: m.Usage.OutputTokens, Answered: len(m.ToolCalls) == 0}
		names := make([]string, len(m.ToolCalls))
		for i, tc := range m.ToolCalls {
			names[i] = tc.Name
		}
		mc.Calls = strings.Join(names, ", ")
		v.Models = append(v.Models, mc)
	}
	for _, wr := range t.Writes {
		v.Writes = append(v.Writes, writeRow{Node: wr.Node, Kind: wr.Kind.String(), Value: clipRunes(prettyBytes(wr.Value), 4000)})
	}
	c.render(w, r, rq, "checkpoint", "Checkpoint "+itoa(cp.Step), v)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
