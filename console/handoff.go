package console

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/switchboardhq/switchboard/business"
	"github.com/switchboardhq/switchboard/business/bizstore"
	"github.com/switchboardhq/switchboard/business/desk"
	"github.com/switchboardhq/switchboard/thread"
)

// Handoffs is the hand-off part of a front desk: threads handed to a
// person, and messages written by people. A Business that implements it
// (FrontDesk with a desk.Handoff) turns on the hand-off page and the
// conversation page's pause, resume and reply.
type Handoffs interface {
	// OpenHandoffs lists the threads handed to a person, oldest first,
	// and the timeout that gives them back.
	OpenHandoffs(ctx context.Context) ([]bizstore.Handoff, time.Duration, error)
	// HandoffOf returns thread's open hand-off; ok is false when the
	// assistant answers it.
	HandoffOf(ctx context.Context, thread string) (h bizstore.Handoff, ok bool, err error)
	// PauseThread hands thread to a person and tells the owners.
	PauseThread(ctx context.Context, thread string, by business.Actor, reason string) (bizstore.Handoff, bool, error)
	// ResumeThread gives thread back to the assistant.
	ResumeThread(ctx context.Context, thread, by string) (bool, error)
	// SendAsBusiness sends text to thread as a person at the business,
	// once per key.
	SendAsBusiness(ctx context.Context, thread, key, text, author string) error
}

// LeadMarks records which leads someone contacted.
type LeadMarks interface {
	MarkLeadContacted(ctx context.Context, id int64, account string) error
	LeadsContacted(ctx context.Context) (map[int64]bizstore.Contacted, error)
}

func (f FrontDesk) handoff() (*desk.Handoff, error) {
	h, ok := f.Desk.Threads.(*desk.Handoff)
	if !ok {
		return nil, errors.New("console: this front desk has no hand-off")
	}
	return h, nil
}

// OpenHandoffs implements Handoffs.
func (f FrontDesk) OpenHandoffs(ctx context.Context) ([]bizstore.Handoff, time.Duration, error) {
	h, err := f.handoff()
	if err != nil {
		return nil, 0, err
	}
	hs, err := f.Desk.Store.Handoffs(ctx, h.Timeout, 500)
	return hs, h.Timeout, err
}

// HandoffOf implements Handoffs.
func (f FrontDesk) HandoffOf(ctx context.Context, th string) (bizstore.Handoff, bool, error) {
	h, err := f.handoff()
	if err != nil {
		return bizstore.Handoff{}, false, err
	}
	return f.Desk.Store.OpenHandoff(ctx, th, h.Timeout)
}

// PauseThread implements Handoffs.
func (f FrontDesk) PauseThread(ctx context.Context, th string, by business.Actor, reason string) (bizstore.Handoff, bool, error) {
	h, err := f.handoff()
	if err != nil {
		return bizstore.Handoff{}, false, err
	}
	return h.PauseBy(ctx, th, by, reason)
}

// ResumeThread implements Handoffs.
func (f FrontDesk) ResumeThread(ctx context.Context, th, by string) (bool, error) {
	return f.Desk.Store.Resume(ctx, th, by)
}

// SendAsBusiness implements Handoffs.
func (f FrontDesk) SendAsBusiness(ctx context.Context, th, key, text, author string) error {
	return f.Desk.SendAsBusiness(ctx, th, key, text, author)
}

// MarkLeadContacted implements LeadMarks.
func (f FrontDesk) MarkLeadContacted(ctx context.Context, id int64, account string) error {
	return f.Desk.Store.MarkLeadContacted(ctx, id, account)
}

// LeadsContacted implements LeadMarks.
func (f FrontDesk) LeadsContacted(ctx context.Context) (map[int64]bizstore.Contacted, error) {
	return f.Desk.Store.LeadsContacted(ctx)
}

// handoffs returns the hand-off part of the front desk, or nil.
func (c *Console) handoffs() Handoffs {
	if c.cfg.Business == nil {
		return nil
	}
	h, ok := c.cfg.Business.(Handoffs)
	if !ok {
		return nil
	}
	if fd, ok := h.(FrontDesk); ok {
		if _, err := fd.handoff(); err != nil {
			return nil
		}
	}
	return h
}

// handoffView is a thread's hand-off state on the pages.
type handoffView struct {
	Thread string
	Paused bool
	Since  string
	Until  string
	By     string
	Reason string
	// Nonce keys the reply form's message, so a form sent twice sends the
	// message once.
	Nonce string
}

type handoffsView struct {
	Threads []handoffView
	Error   string
	Notice  string
	Nonce   string
}

func newNonce() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (c *Console) handoffRow(h bizstore.Handoff, timeout time.Duration) handoffView {
	v := handoffView{Thread: h.Thread, Paused: true, Since: c.localTime(h.PausedAt), Reason: h.Reason, Nonce: newNonce()}
	if u := h.Until(timeout); !u.IsZero() {
		v.Until = c.localTime(u)
	}
	switch h.By.Kind {
	case business.ActorCustomer:
		v.By = "the customer asked"
	case business.ActorOwner:
		v.By = "an owner, from WhatsApp"
	case business.ActorConsole:
		v.By = h.By.ID + ", in the console"
	case business.ActorCLI:
		v.By = "the command line"
	default:
		v.By = string(h.By.Kind)
	}
	return v
}

func (c *Console) handoffPage(w http.ResponseWriter, r *http.Request, rq *request) {
	c.handoffList(w, r, rq, http.StatusOK, handoffsView{Notice: noticeParam(r.URL.Query().Get("done"))})
}

func noticeParam(done string) string {
	switch done {
	case "paused":
		return "Paused: the assistant stays silent in that conversation, and the owners were told."
	case "resumed":
		return "The assistant answers that conversation again."
	case "sent":
		return "Sent."
	}
	return ""
}

func (c *Console) handoffList(w http.ResponseWriter, r *http.Request, rq *request, status int, v handoffsView) {
	ho := c.handoffs()
	if ho == nil {
		c.render(w, r, rq, "message", "Hand-off", messageView{Heading: "Hand-off is off",
			Text: "Conversations can be handed to a person once the assistant runs as a front desk: set BUSINESS_FILE (see the README) and restart."})
		return
	}
	hs, timeout, err := ho.OpenHandoffs(r.Context())
	if err != nil {
		c.fail(w, r, err)
		return
	}
	for _, h := range hs {
		v.Threads = append(v.Threads, c.handoffRow(h, timeout))
	}
	v.Nonce = newNonce()
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	c.render(w, r, rq, "handoff", "Hand-off", v)
}

// formThread reads and normalizes the thread of a hand-off form: a
// person's number or thread id, not a group's. problem says what is wrong
// with it, for the page.
func formThread(raw string) (th, problem string) {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > 200 {
		return "", "Write the customer's number, such as +34 600 111 222."
	}
	t, err := thread.Normalize(raw)
	if err != nil || strings.Contains(t, "@") {
		return "", fmt.Sprintf("%q is not a customer's number: write it with the country code, such as +34 600 111 222.", raw)
	}
	return t, ""
}

// backTo is where a hand-off form returns: the conversation it was sent
// from, or the hand-off page.
func backTo(r *http.Request, th, done string) string {
	if r.PostFormValue("back") == "conversation" {
		return Prefix + "/conversation?t=" + urlQueryEscape(th) + "&done=" + done
	}
	return Prefix + "/handoff?done=" + done
}

// handoffForm starts a hand-off form's handling: the hand-off store and
// the form's thread, or false when the response is already written (no
// front desk: 404; a bad number: the page again with the problem).
func (c *Console) handoffForm(w http.ResponseWriter, r *http.Request, rq *request) (Handoffs, string, bool) {
	ho := c.handoffs()
	if ho == nil {
		c.notFound(w, r)
		return nil, "", false
	}
	th, problem := formThread(r.PostFormValue("thread"))
	if problem != "" {
		c.handoffList(w, r, rq, http.StatusBadRequest, handoffsView{Error: problem})
		return nil, "", false
	}
	return ho, th, true
}

func (c *Console) handoffPause(w http.ResponseWriter, r *http.Request, rq *request) {
	ho, th, ok := c.handoffForm(w, r, rq)
	if !ok {
		return
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if utf8.RuneCountInString(reason) > maxReason {
		c.handoffList(w, r, rq, http.StatusBadRequest, handoffsView{Error: fmt.Sprintf("Keep the reason under %d characters.", maxReason)})
		return
	}
	_, created, err := ho.PauseThread(r.Context(), th, business.Actor{Kind: business.ActorConsole, ID: rq.session.Account}, reason)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if created {
		c.audit(r.Context(), rq.session.Account, "handed a conversation to a person", thread.Mask(th))
	}
	http.Redirect(w, r, backTo(r, th, "paused"), http.StatusSeeOther)
}

func (c *Console) handoffResume(w http.ResponseWriter, r *http.Request, rq *request) {
	ho, th, ok := c.handoffForm(w, r, rq)
	if !ok {
		return
	}
	ok, err := ho.ResumeThread(r.Context(), th, string(business.ActorConsole))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if ok {
		c.audit(r.Context(), rq.session.Account, "gave a conversation back to the assistant", thread.Mask(th))
	}
	http.Redirect(w, r, backTo(r, th, "resumed"), http.StatusSeeOther)
}

// maxReplyForm bounds a reply written in the console.
const maxReplyForm = 1600

func (c *Console) handoffReply(w http.ResponseWriter, r *http.Request, rq *request) {
	ho, th, ok := c.handoffForm(w, r, rq)
	if !ok {
		return
	}
	text := strings.TrimSpace(r.PostFormValue("text"))
	nonce := r.PostFormValue("nonce")
	var problem string
	switch {
	case text == "":
		problem = "Write the message first."
	case utf8.RuneCountInString(text) > maxReplyForm:
		problem = fmt.Sprintf("Keep the message under %d characters.", maxReplyForm)
	case len(nonce) != 24 || strings.Trim(nonce, "0123456789abcdef") != "":
		problem = "This form has expired. Reload the page and try again."
	}
	if problem != "" {
		c.handoffList(w, r, rq, http.StatusBadRequest, handoffsView{Error: problem})
		return
	}
	if err := ho.SendAsBusiness(r.Context(), th, "console-reply:"+nonce, text, "console:"+rq.session.Account); err != nil {
		c.fail(w, r, err)
		return
	}
	c.audit(r.Context(), rq.session.Account, "wrote to a customer", thread.Mask(th)+": "+clipRunes(oneLine(text), 80))
	http.Redirect(w, r, backTo(r, th, "sent"), http.StatusSeeOther)
}

// conversationHandoff is the hand-off state of the conversation page's
// thread; nil without hand-off, or for a group.
func (c *Console) conversationHandoff(ctx context.Context, th string) (*handoffView, error) {
	ho := c.handoffs()
	if ho == nil || strings.Contains(th, "@") || strings.HasPrefix(th, "lab:") {
		return nil, nil
	}
	h, ok, err := ho.HandoffOf(ctx, th)
	if err != nil {
		return nil, err
	}
	if !ok {
		return &handoffView{Thread: th, Nonce: newNonce()}, nil
	}
	_, timeout, err := ho.OpenHandoffs(ctx)
	if err != nil {
		return nil, err
	}
	v := c.handoffRow(h, timeout)
	return &v, nil
}

func (c *Console) leadContacted(w http.ResponseWriter, r *http.Request, rq *request) {
	lm, ok := c.cfg.Business.(LeadMarks)
	if !ok {
		c.notFound(w, r)
		return
	}
	id, err := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	if err != nil || id <= 0 {
		http.Error(w, "Choose a lead to mark.", http.StatusBadRequest)
		return
	}
	err = lm.MarkLeadContacted(r.Context(), id, rq.session.Account)
	if errors.Is(err, bizstore.ErrNotFound) {
		http.Error(w, "There is no such lead.", http.StatusNotFound)
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.audit(r.Context(), rq.session.Account, "marked a lead contacted", "lead "+strconv.FormatInt(id, 10))
	http.Redirect(w, r, Prefix+"/leads", http.StatusSeeOther)
}

// leadsContacted returns the contacted leads, or nil when leads cannot be
// marked.
func (c *Console) leadsContacted(ctx context.Context) (map[int64]bizstore.Contacted, error) {
	lm, ok := c.cfg.Business.(LeadMarks)
	if !ok {
		return nil, nil
	}
	return lm.LeadsContacted(ctx)
}
