package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/flows"
	"github.com/switchboardhq/switchboard/flows/agent"
)

// Lab runs a turn of the assistant on a thread: the same agent, tools and
// database the server uses.
type Lab interface {
	Send(ctx context.Context, thread, text string) error
}

// AgentLab is the Lab of an agent.
type AgentLab struct{ Agent *agent.Agent }

// Send runs one turn with text as the user's message.
func (l AgentLab) Send(ctx context.Context, thread, text string) error {
	_, err := l.Agent.Reply(ctx, thread, flows.Text(text))
	return err
}

// LabPrefix starts every lab thread id: "lab:<account>". Nothing the lab
// does reaches a customer's thread.
const LabPrefix = "lab:"

// maxLabMessage bounds a lab message, in characters.
const maxLabMessage = 2000

// labTurnTimeout bounds a lab turn, which goes on if the browser leaves.
const labTurnTimeout = 2 * time.Minute

func labThread(account string) string { return LabPrefix + account }

type labView struct {
	Thread  string
	Bubbles []bubble
	Error   string
	Text    string
	Busy    bool
}

func (c *Console) labData(ctx context.Context, account string) (labView, error) {
	th := labThread(account)
	msgs, err := loadMessages(ctx, c.cfg.Saver, th)
	if err != nil {
		return labView{}, err
	}
	c.labMu.Lock()
	busy := c.labBusy[th]
	c.labMu.Unlock()
	return labView{Thread: th, Bubbles: c.stateTranscript(msgs), Busy: busy}, nil
}

func (c *Console) labPage(w http.ResponseWriter, r *http.Request, rq *request) {
	if c.cfg.Lab == nil {
		c.render(w, r, rq, "message", "Lab", messageView{Heading: "The lab is off",
			Text: "The lab needs a language model. Configure one (see the README) and restart the assistant."})
		return
	}
	v, err := c.labData(r.Context(), rq.session.Account)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, r, rq, "lab", "Lab", v)
}

// labTranscript is the lab's transcript alone: the page's script polls it
// while a turn runs, so tool calls show as they are checkpointed.
func (c *Console) labTranscript(w http.ResponseWriter, r *http.Request, rq *request) {
	v, err := c.labData(r.Context(), rq.session.Account)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.fragment(w, r, rq, "lab", "transcript", v)
}

// claimLab marks the thread busy; false when a turn or fork is running.
func (c *Console) claimLab(th string) bool {
	c.labMu.Lock()
	defer c.labMu.Unlock()
	if c.labBusy[th] {
		return false
	}
	c.labBusy[th] = true
	return true
}

func (c *Console) releaseLab(th string) {
	c.labMu.Lock()
	delete(c.labBusy, th)
	c.labMu.Unlock()
}

func (c *Console) labSend(w http.ResponseWriter, r *http.Request, rq *request) {
	if c.cfg.Lab == nil {
		http.Error(w, "The lab is off: no language model is configured.", http.StatusNotFound)
		return
	}
	text := strings.TrimSpace(r.PostFormValue("text"))
	labError := func(status int, msg string) {
		v, err := c.labData(r.Context(), rq.session.Account)
		if err != nil {
			c.fail(w, r, err)
			return
		}
		v.Error, v.Text = msg, text
		w.WriteHeader(status)
		c.render(w, r, rq, "lab", "Lab", v)
	}
	switch {
	case text == "":
		labError(http.StatusBadRequest, "Type a message first.")
		return
	case utf8.RuneCountInString(text) > maxLabMessage:
		labError(http.StatusBadRequest, fmt.Sprintf("That message is too long: keep it under %d characters.", maxLabMessage))
		return
	}
	th := labThread(rq.session.Account)
	if !c.claimLab(th) {
		labError(http.StatusConflict, "The assistant is still answering your last message. Wait for it, then send again.")
		return
	}
	defer c.releaseLab(th)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), labTurnTimeout)
	defer cancel()
	err := c.cfg.Lab.Send(ctx, th, text)
	c.audit(r.Context(), rq.session.Account, "lab message", clipRunes(oneLine(text), 200))
	if err != nil {
		c.log.Warn("lab turn failed", "account", rq.session.Account, "err", err)
		labError(http.StatusBadGateway, "The assistant could not answer: "+err.Error())
		return
	}
	http.Redirect(w, r, Prefix+"/lab#end", http.StatusSeeOther)
}

func (c *Console) labReset(w http.ResponseWriter, r *http.Request, rq *request) {
	th := labThread(rq.session.Account)
	if !c.claimLab(th) {
		http.Error(w, "The assistant is still answering; reset when it is done.", http.StatusConflict)
		return
	}
	defer c.releaseLab(th)
	if c.cfg.Saver != nil {
		if err := c.cfg.Saver.DeleteThread(r.Context(), th); err != nil {
			c.fail(w, r, err)
			return
		}
	}
	c.audit(r.Context(), rq.session.Account, "lab reset", "")
	http.Redirect(w, r, Prefix+"/lab", http.StatusSeeOther)
}

// forkInto replaces dst with the state of src: a first checkpoint holding
// src's values and logs, then a fork of it, so the lab's next turn starts
// from exactly that state on a fresh branch (and no cached state of an
// earlier lab conversation can be mistaken for it). The source thread is
// only read.
func forkInto(ctx context.Context, saver checkpoint.Saver, src checkpoint.Tuple, dst string) error {
	if err := saver.DeleteThread(ctx, dst); err != nil {
		return err
	}
	cp := src.Checkpoint
	root := checkpoint.Checkpoint{
		ThreadID: dst,
		ID:       checkpoint.NewID(),
		Step:     cp.Step,
		Version:  cp.Version,
		Values:   cp.Values,
		LogLens:  cp.LogLens,
		Source:   "fork",
		Metadata: map[string]string{"forked_from": cp.ThreadID, "forked_checkpoint": cp.ID},
	}
	if err := saver.Put(ctx, root, src.Logs); err != nil {
		return fmt.Errorf("copy the state: %w", err)
	}
	if _, err := saver.Fork(ctx, dst, root.ID); err != nil {
		return fmt.Errorf("start a branch: %w", err)
	}
	return nil
}

func (c *Console) inspectorFork(w http.ResponseWriter, r *http.Request, rq *request) {
	if c.cfg.Saver == nil || c.cfg.Lab == nil {
		http.Error(w, "Forking needs the lab, which is off.", http.StatusNotFound)
		return
	}
	thread, id := r.PostFormValue("thread"), r.PostFormValue("checkpoint")
	if thread == "" || id == "" {
		http.Error(w, "Choose a checkpoint to fork from.", http.StatusBadRequest)
		return
	}
	src, err := c.cfg.Saver.Get(r.Context(), thread, id)
	if errors.Is(err, checkpoint.ErrNotFound) {
		http.Error(w, "That checkpoint no longer exists.", http.StatusNotFound)
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	th := labThread(rq.session.Account)
	if th == thread {
		// Forking the lab into itself: copy first, the source is replaced.
		src = cloneTuple(src)
	}
	if !c.claimLab(th) {
		http.Error(w, "The lab is busy answering; fork when it is done.", http.StatusConflict)
		return
	}
	defer c.releaseLab(th)
	if err := forkInto(r.Context(), c.cfg.Saver, src, th); err != nil {
		c.fail(w, r, fmt.Errorf("fork %s@%s into the lab: %w", thread, id, err))
		return
	}
	c.audit(r.Context(), rq.session.Account, "forked into the lab", fmt.Sprintf("%s at step %d (%s)", thread, src.Checkpoint.Step, id))
	http.Redirect(w, r, Prefix+"/lab", http.StatusSeeOther)
}

func cloneTuple(t checkpoint.Tuple) checkpoint.Tuple {
	out := t
	out.Checkpoint = t.Checkpoint.Clone()
	out.Logs = make(map[string][][]byte, len(t.Logs))
	for k, v := range t.Logs {
		out.Logs[k] = append([][]byte(nil), v...)
	}
	return out
}
