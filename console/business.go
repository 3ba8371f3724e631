package console

import (
	"context"
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
)

// Business is the front desk's data and decisions the business pages use.
// FrontDesk implements it over business/desk and business/bizstore.
type Business interface {
	Profile(ctx context.Context) (*business.Profile, error)
	Bookings(ctx context.Context, status business.Status) ([]business.Booking, error)
	// Decide changes a booking's status and tells the customer.
	Decide(ctx context.Context, ref business.Ref, to business.Status, by business.Actor, reason string) (desk.Decision, error)
	Leads(ctx context.Context, limit int) ([]business.Lead, error)
	FAQs(ctx context.Context) ([]bizstore.FAQ, error)
	AddFAQ(ctx context.Context, q, a string) (bizstore.FAQ, error)
	RemoveFAQ(ctx context.Context, id int64) error
	// OptedOut reports whether the thread sent STOP (and not START since).
	OptedOut(ctx context.Context, thread string) (bool, error)
}

// FrontDesk is the Business of a desk (whose Store is the bizstore).
type FrontDesk struct{ Desk *desk.Desk }

// Profile implements Business.
func (f FrontDesk) Profile(ctx context.Context) (*business.Profile, error) {
	return f.Desk.Store.Profile(ctx)
}

// Bookings implements Business.
func (f FrontDesk) Bookings(ctx context.Context, status business.Status) ([]business.Booking, error) {
	return f.Desk.Store.Bookings(ctx, bizstore.Filter{Status: status})
}

// Decide implements Business.
func (f FrontDesk) Decide(ctx context.Context, ref business.Ref, to business.Status, by business.Actor, reason string) (desk.Decision, error) {
	return f.Desk.Decide(ctx, ref, to, by, reason)
}

// Leads implements Business.
func (f FrontDesk) Leads(ctx context.Context, limit int) ([]business.Lead, error) {
	return f.Desk.Store.Leads(ctx, limit)
}

// FAQs implements Business.
func (f FrontDesk) FAQs(ctx context.Context) ([]bizstore.FAQ, error) { return f.Desk.Store.FAQs(ctx) }

// AddFAQ implements Business.
func (f FrontDesk) AddFAQ(ctx context.Context, q, a string) (bizstore.FAQ, error) {
	return f.Desk.Store.AddFAQ(ctx, q, a)
}

// RemoveFAQ implements Business.
func (f FrontDesk) RemoveFAQ(ctx context.Context, id int64) error {
	return f.Desk.Store.RemoveFAQ(ctx, id)
}

// OptedOut implements Business.
func (f FrontDesk) OptedOut(ctx context.Context, thread string) (bool, error) {
	return f.Desk.Store.OptedOut(ctx, thread)
}

// threadState says whether the assistant still writes to a thread first:
// "Opted out" after STOP, "Active" otherwise; "" without a front desk.
func (c *Console) threadState(ctx context.Context, thread string) (string, error) {
	if c.cfg.Business == nil {
		return "", nil
	}
	out, err := c.cfg.Business.OptedOut(ctx, thread)
	if err != nil {
		return "", err
	}
	if ho := c.handoffs(); ho != nil {
		if _, held, err := ho.HandoffOf(ctx, thread); err != nil {
			return "", err
		} else if held && out {
			return "With a person, opted out", nil
		} else if held {
			return "With a person", nil
		}
	}
	if out {
		return "Opted out", nil
	}
	return "Active", nil
}

// FAQ bounds, as the business store keeps them.
const (
	maxFAQQuestion = 200
	maxFAQAnswer   = 2000
	maxReason      = 300
)

// location is the business's zone, or the console's without a profile.
func (c *Console) location(ctx context.Context) *time.Location {
	if c.cfg.Business == nil {
		return c.cfg.Location
	}
	p, err := c.cfg.Business.Profile(ctx)
	if err != nil || p == nil || p.Location == nil {
		return c.cfg.Location
	}
	return p.Location
}

func (c *Console) noBusiness(w http.ResponseWriter, r *http.Request, rq *request) bool {
	if c.cfg.Business != nil {
		return false
	}
	c.render(w, r, rq, "message", "Business", messageView{Heading: "No business profile",
		Text: "Bookings, leads and FAQs appear here once the assistant runs as a front desk: set BUSINESS_FILE (see the README) and restart."})
	return true
}

type bookingRow struct {
	Ref       string
	Status    string
	Customer  string
	Thread    string
	Service   string
	When      string
	Requested string
	Notice    string
	NoticeBad bool
	Actions   []string
}

type bookingDay struct {
	Day  string
	Rows []bookingRow
}

type tab struct{ Value, Label string }

type bookingsView struct {
	Status string
	Tabs   []tab
	Days   []bookingDay
	Error  string
}

// actions are the decisions a booking's status allows, as form values.
func actions(s business.Status) []string {
	var out []string
	for _, to := range []business.Status{business.StatusApproved, business.StatusDeclined, business.StatusCompleted, business.StatusCancelled} {
		if s.CanBecome(to) {
			out = append(out, string(to))
		}
	}
	return out
}

func noticeText(b business.Booking) (string, bool) {
	switch b.Notice {
	case business.NoticeSent:
		return "Customer told", false
	case business.NoticeNotSent:
		reason := b.NoticeReason
		if reason == "" {
			reason = "no reason recorded"
		}
		return "Customer not told: " + reason, true
	default:
		return "", false
	}
}

func (c *Console) bookingsData(ctx context.Context, status string) (bookingsView, error) {
	v := bookingsView{Status: status, Tabs: []tab{{"pending", "Waiting for you"}, {"approved", "Approved"}, {"completed", "Completed"},
		{"declined", "Declined"}, {"cancelled", "Cancelled"}, {"all", "All"}}}
	st := business.Status("")
	if status != "all" {
		st = business.Status(status)
	}
	bs, err := c.cfg.Business.Bookings(ctx, st)
	if err != nil {
		return v, err
	}
	loc := c.location(ctx)
	for _, b := range bs {
		b = b.In(loc)
		day := b.Start.Format("Monday 2 January 2006")
		if len(v.Days) == 0 || v.Days[len(v.Days)-1].Day != day {
			v.Days = append(v.Days, bookingDay{Day: day})
		}
		n, bad := noticeText(b)
		row := bookingRow{Ref: b.Ref.String(), Status: string(b.Status), Customer: b.CustomerName, Thread: b.Thread, Service: b.Service,
			When: b.Start.Format("15:04") + "–" + b.End.Format("15:04"), Requested: b.RequestedTime, Notice: n, NoticeBad: bad, Actions: actions(b.Status)}
		d := &v.Days[len(v.Days)-1]
		d.Rows = append(d.Rows, row)
	}
	return v, nil
}

func bookingStatusParam(s string) (string, bool) {
	switch s {
	case "":
		return "pending", true
	case "all":
		return "all", true
	}
	st, err := business.ParseStatus(s)
	return string(st), err == nil
}

func (c *Console) bookings(w http.ResponseWriter, r *http.Request, rq *request) {
	if c.noBusiness(w, r, rq) {
		return
	}
	status, ok := bookingStatusParam(r.URL.Query().Get("status"))
	if !ok {
		http.Error(w, "Show which bookings? pending, approved, completed, declined, cancelled or all.", http.StatusBadRequest)
		return
	}
	v, err := c.bookingsData(r.Context(), status)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, r, rq, "bookings", "Bookings", v)
}

var decisionVerb = map[business.Status]string{
	business.StatusApproved:  "approved",
	business.StatusDeclined:  "declined",
	business.StatusCompleted: "marked completed",
	business.StatusCancelled: "cancelled",
}

func (c *Console) decide(w http.ResponseWriter, r *http.Request, rq *request) {
	if c.noBusiness(w, r, rq) {
		return
	}
	ctx := r.Context()
	back, _ := bookingStatusParam(r.PostFormValue("back"))
	again := func(status int, msg string) {
		v, err := c.bookingsData(ctx, back)
		if err != nil {
			c.fail(w, r, err)
			return
		}
		v.Error = msg
		w.WriteHeader(status)
		c.render(w, r, rq, "bookings", "Bookings", v)
	}
	ref, err := business.ParseRef(r.PostFormValue("ref"))
	if err != nil {
		again(http.StatusBadRequest, "That is not a booking reference (they look like B12).")
		return
	}
	to, err := business.ParseStatus(r.PostFormValue("to"))
	if err != nil || to == business.StatusPending {
		again(http.StatusBadRequest, "Choose approve, decline, complete or cancel.")
		return
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if utf8.RuneCountInString(reason) > maxReason {
		again(http.StatusBadRequest, fmt.Sprintf("Keep the reason under %d characters.", maxReason))
		return
	}
	d, err := c.cfg.Business.Decide(ctx, ref, to, business.Actor{Kind: business.ActorConsole, ID: rq.session.Account}, reason)
	var te *business.TransitionError
	switch {
	case errors.Is(err, bizstore.ErrNotFound):
		again(http.StatusNotFound, "There is no booking "+ref.String()+".")
		return
	case errors.As(err, &te):
		again(http.StatusConflict, fmt.Sprintf("%s is %s: it cannot be %s now.", ref, te.From, decisionVerb[to]))
		return
	case err != nil:
		c.fail(w, r, err)
		return
	}
	detail := fmt.Sprintf("%s %s", ref, decisionVerb[to])
	if reason != "" {
		detail += " (" + reason + ")"
	}
	if !d.Told {
		detail += "; customer not told: " + d.NotTold
	}
	c.audit(ctx, rq.session.Account, "booking decision", detail)
	http.Redirect(w, r, Prefix+"/bookings?status="+back, http.StatusSeeOther)
}

type leadRow struct {
	ID          int64
	When        string
	Name        string
	Thread      string
	Requirement string
	// Contacted says when and by whom ("" when not yet).
	Contacted string
}

type leadsView struct {
	Leads []leadRow
	// CanMark is true when leads can be marked contacted.
	CanMark bool
}

func (c *Console) leads(w http.ResponseWriter, r *http.Request, rq *request) {
	if c.noBusiness(w, r, rq) {
		return
	}
	ls, err := c.cfg.Business.Leads(r.Context(), 500)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	loc := c.location(r.Context())
	var v leadsView
	contacted, err := c.leadsContacted(r.Context())
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v.CanMark = contacted != nil
	for _, l := range ls {
		row := leadRow{ID: l.ID, When: l.CreatedAt.In(loc).Format("2 Jan 15:04"), Name: l.Name, Thread: l.Thread, Requirement: l.Requirement}
		if ct, ok := contacted[l.ID]; ok {
			row.Contacted = ct.At.In(loc).Format("2 Jan 15:04") + " by " + ct.By
		}
		v.Leads = append(v.Leads, row)
	}
	c.render(w, r, rq, "leads", "Leads", v)
}

// leadsCSV downloads every lead as CSV: UTF-8 with a byte-order mark (so
// spreadsheets read accents right), RFC 4180 quoting, formula-like cells
// neutralized (business.WriteLeadsCSV); numbers stay inside their
// "whatsapp:+…" thread ids, which no spreadsheet turns into a number.
func (c *Console) leadsCSV(w http.ResponseWriter, r *http.Request, rq *request) {
	if c.noBusiness(w, r, rq) {
		return
	}
	ls, err := c.cfg.Business.Leads(r.Context(), 100000)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="leads-`+c.now().In(c.cfg.Location).Format("2006-01-02")+`.csv"`)
	_, _ = w.Write([]byte("\uFEFF"))
	if err := business.WriteLeadsCSV(w, ls, c.location(r.Context())); err != nil {
		c.log.Error("leads csv", "err", err)
		return
	}
	c.audit(r.Context(), rq.session.Account, "downloaded leads", strconv.Itoa(len(ls))+" leads")
}

type faqsView struct {
	FAQs  []bizstore.FAQ
	Error string
	Q, A  string
}

func (c *Console) faqsPage(w http.ResponseWriter, r *http.Request, rq *request, status int, v faqsView) {
	fs, err := c.cfg.Business.FAQs(r.Context())
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v.FAQs = fs
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	c.render(w, r, rq, "faqs", "FAQs", v)
}

func (c *Console) faqs(w http.ResponseWriter, r *http.Request, rq *request) {
	if c.noBusiness(w, r, rq) {
		return
	}
	c.faqsPage(w, r, rq, http.StatusOK, faqsView{})
}

func (c *Console) addFAQ(w http.ResponseWriter, r *http.Request, rq *request) {
	if c.noBusiness(w, r, rq) {
		return
	}
	q, a := strings.TrimSpace(r.PostFormValue("q")), strings.TrimSpace(r.PostFormValue("a"))
	v := faqsView{Q: q, A: a}
	switch {
	case q == "" || a == "":
		v.Error = "Write both the question and its answer."
	case utf8.RuneCountInString(q) > maxFAQQuestion:
		v.Error = fmt.Sprintf("Keep the question under %d characters.", maxFAQQuestion)
	case utf8.RuneCountInString(a) > maxFAQAnswer:
		v.Error = fmt.Sprintf("Keep the answer under %d characters.", maxFAQAnswer)
	}
	if v.Error != "" {
		c.faqsPage(w, r, rq, http.StatusBadRequest, v)
		return
	}
	f, err := c.cfg.Business.AddFAQ(r.Context(), q, a)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.audit(r.Context(), rq.session.Account, "added an FAQ", clipRunes(f.Q, 200))
	http.Redirect(w, r, Prefix+"/faqs", http.StatusSeeOther)
}

func (c *Console) removeFAQ(w http.ResponseWriter, r *http.Request, rq *request) {
	if c.noBusiness(w, r, rq) {
		return
	}
	id, err := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	if err != nil || id <= 0 {
		c.faqsPage(w, r, rq, http.StatusBadRequest, faqsView{Error: "Choose an FAQ to remove."})
		return
	}
	err = c.cfg.Business.RemoveFAQ(r.Context(), id)
	if errors.Is(err, bizstore.ErrNotFound) {
		c.faqsPage(w, r, rq, http.StatusNotFound, faqsView{Error: "That FAQ was already removed."})
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.audit(r.Context(), rq.session.Account, "removed an FAQ", "FAQ "+strconv.FormatInt(id, 10))
	http.Redirect(w, r, Prefix+"/faqs", http.StatusSeeOther)
}

type profileView struct {
	P    *business.Profile
	Zone string
	// YAML is the whole profile as the business file reads.
	YAML string
	// Editable is true when the profile can be changed here; Draft is the
	// editor's text (the profile without its FAQs, or what was sent),
	// Error why it was not saved, Saved that it was.
	Editable bool
	Draft    string
	Error    string
	Saved    bool
}

func (c *Console) profileData(p *business.Profile) (profileView, error) {
	v := profileView{P: p, Editable: c.editor() != nil}
	if p.Location != nil {
		v.Zone = p.Location.String()
	}
	y, err := p.YAML()
	if err != nil {
		return v, err
	}
	v.YAML = string(y)
	if v.Draft, err = profileDocument(p); err != nil {
		return v, err
	}
	return v, nil
}

func (c *Console) profile(w http.ResponseWriter, r *http.Request, rq *request) {
	if c.noBusiness(w, r, rq) {
		return
	}
	p, err := c.cfg.Business.Profile(r.Context())
	if errors.Is(err, bizstore.ErrNoProfile) {
		c.render(w, r, rq, "message", "Business", messageView{Heading: "No business profile yet",
			Text: "Import one with `assistant business import FILE` or set BUSINESS_FILE, then reload."})
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v, err := c.profileData(p)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v.Saved = r.URL.Query().Get("saved") == "1"
	c.render(w, r, rq, "business", "Business", v)
}

// deskFigures are the overview's front-desk figures: bookings waiting for a
// decision, bookings today and this week (pending or approved), leads in
// the last seven days, and the FAQ count.
func (c *Console) deskFigures(ctx context.Context, now time.Time) ([]figureView, error) {
	bs, err := c.cfg.Business.Bookings(ctx, "")
	if err != nil {
		return nil, err
	}
	loc := c.location(ctx)
	local := now.In(loc)
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	weekday := (int(today.Weekday()) + 6) % 7 // Monday is 0
	weekStart := today.AddDate(0, 0, -weekday)
	var pending, onToday, onWeek int
	for _, b := range bs {
		if b.Status == business.StatusPending {
			pending++
		}
		if !b.Status.Holds() {
			continue
		}
		if !b.Start.Before(today) && b.Start.Before(today.AddDate(0, 0, 1)) {
			onToday++
		}
		if !b.Start.Before(weekStart) && b.Start.Before(weekStart.AddDate(0, 0, 7)) {
			onWeek++
		}
	}
	leads, err := c.cfg.Business.Leads(ctx, 500)
	if err != nil {
		return nil, err
	}
	newLeads := 0
	for _, l := range leads {
		if l.CreatedAt.After(now.AddDate(0, 0, -7)) {
			newLeads++
		}
	}
	faqs, err := c.cfg.Business.FAQs(ctx)
	if err != nil {
		return nil, err
	}
	return []figureView{
		{Label: "Bookings waiting for you", Value: itoa(pending), Link: Prefix + "/bookings"},
		{Label: "Bookings today", Value: itoa(onToday)},
		{Label: "Bookings this week", Value: itoa(onWeek)},
		{Label: "New leads (7 days)", Value: itoa(newLeads), Link: Prefix + "/leads"},
		{Label: "FAQs", Value: itoa(len(faqs))},
	}, nil
}
