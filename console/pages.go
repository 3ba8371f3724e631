package console

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// transcriptLimit is how many messages a conversation page shows.
const transcriptLimit = 500

type checkView struct {
	Name  string
	OK    bool
	Error string
	// Note replaces "working" for a check that reports a figure.
	Note string
}

type figureView struct {
	Label string
	Value string
	Note  string
	// Link, when set, is the page the figure opens.
	Link string
}

type recentView struct {
	Thread string
	Out    bool
	Body   string
	When   string
}

// dayBar is one day of the replies-per-day chart.
type dayBar struct {
	Day     string
	Replies int
	// Percent is the bar's length relative to the busiest day.
	Percent int
	// Tokens is the model's tokens that day ("" without a Usage).
	Tokens string
}

type overviewView struct {
	Days     []dayBar
	Desk     []figureView
	Checks   []checkView
	Today    []figureView
	Week     []figureView
	Recent   []recentView
	Audit    []AuditEntry
	Updated  string
	AllReady bool
}

func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(p * float64(len(s)-1))
	return s[i]
}

func durationText(d time.Duration, n int) string {
	if n == 0 {
		return "–"
	}
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(100 * time.Millisecond).String()
}

func (c *Console) runChecks(ctx context.Context) []checkView {
	out := make([]checkView, len(c.cfg.Checks))
	var wg sync.WaitGroup
	for i, ch := range c.cfg.Checks {
		wg.Go(func() {
			cctx, cancel := context.WithTimeout(ctx, 3*time.Second)
			defer cancel()
			err := ch.Check(cctx)
			out[i] = checkView{Name: ch.Name, OK: err == nil, Error: errText(err)}
			if err == nil && ch.Note != nil {
				out[i].Note = ch.Note()
			}
		})
	}
	wg.Wait()
	return out
}

// replyDays counts replies per local day over the seven days from start.
func (c *Console) replyDays(start time.Time, times []time.Time) []dayBar {
	bars := make([]dayBar, 7)
	most := 0
	for i := range bars {
		bars[i].Day = start.AddDate(0, 0, i).Format("Mon 2")
	}
	for _, t := range times {
		t = t.In(c.cfg.Location)
		d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, c.cfg.Location)
		i := int(d.Sub(start).Hours()/24 + 0.5)
		if i >= 0 && i < 7 {
			bars[i].Replies++
			most = max(most, bars[i].Replies)
		}
	}
	for i := range bars {
		if most > 0 {
			bars[i].Percent = bars[i].Replies * 100 / most
		}
	}
	return bars
}

// tokenFigures adds the model's tokens to today's and the week's figures
// and to each day of the chart, when usage is counted.
func (c *Console) tokenFigures(ctx context.Context, v *overviewView, weekStart time.Time) error {
	if c.cfg.Usage == nil {
		return nil
	}
	per, err := c.cfg.Usage.TokensPerDay(ctx, weekStart.Format(time.DateOnly))
	if err != nil {
		return err
	}
	var week, today int64
	for i := range v.Days {
		n := per[weekStart.AddDate(0, 0, i).Format(time.DateOnly)]
		v.Days[i].Tokens = tokensText(n)
		week += n
		today = n // the last day is today
	}
	note := "what the language model read and wrote; providers bill by it"
	v.Today = append(v.Today, figureView{Label: "Model tokens", Value: tokensText(today), Note: note})
	v.Week = append(v.Week, figureView{Label: "Model tokens", Value: tokensText(week), Note: note})
	return nil
}

// tokensText writes a token count short: 950, 12.3k, 4.1M.
func tokensText(n int64) string {
	switch {
	case n < 1000:
		return strconv.FormatInt(n, 10)
	case n < 1_000_000:
		return strconv.FormatFloat(float64(n)/1000, 'f', 1, 64) + "k"
	}
	return strconv.FormatFloat(float64(n)/1_000_000, 'f', 1, 64) + "M"
}

// figures returns the figures since a time, and the backlog now.
func (c *Console) figures(ctx context.Context, since time.Time) ([]figureView, int, error) {
	f, err := c.figuresRaw(ctx, since)
	if err != nil {
		return nil, 0, err
	}
	return c.figureViews(f), f.Backlog, nil
}

func (c *Console) figuresRaw(ctx context.Context, since time.Time) (Figures, error) {
	return c.conv.Figures(ctx, since)
}

func (c *Console) figureViews(f Figures) []figureView {
	n := len(f.ResponseTimes)
	return []figureView{
		{Label: "Messages received", Value: itoa(f.Inbound)},
		{Label: "Conversations", Value: itoa(f.Threads)},
		{Label: "Replies sent", Value: itoa(f.Replies)},
		{Label: "Replies not delivered", Value: itoa(f.Failed)},
		{Label: "Typical reply time", Value: durationText(percentile(f.ResponseTimes, 0.5), n), Note: "half of the replies were faster"},
		{Label: "Slow reply time", Value: durationText(percentile(f.ResponseTimes, 0.95), n), Note: "95 in 100 replies were faster"},
	}
}

// channelChecks show, per channel, when a reply was last delivered.
func (c *Console) channelChecks(ctx context.Context, now time.Time) ([]checkView, error) {
	last, err := c.conv.LastDelivered(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]checkView, 0, len(last))
	for _, ch := range sortedKeys(last) {
		out = append(out, checkView{Name: channelName(ch), OK: true, Note: "last reply delivered " + sinceText(now, last[ch])})
	}
	return out, nil
}

// queueCheck shows the backlog among the readiness checks.
func queueCheck(backlog int) checkView {
	switch backlog {
	case 0:
		return checkView{Name: "Queue", OK: true, Note: "nothing waiting"}
	case 1:
		return checkView{Name: "Queue", OK: true, Note: "1 message waiting to be answered"}
	default:
		return checkView{Name: "Queue", OK: backlog < 100, Note: itoa(backlog) + " messages waiting to be answered"}
	}
}

func (c *Console) overviewData(ctx context.Context, rq *request) (overviewView, error) {
	now := c.now()
	local := now.In(c.cfg.Location)
	midnight := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, c.cfg.Location)
	v := overviewView{Checks: c.runChecks(ctx), Updated: local.Format("15:04:05"), AllReady: true}
	for _, ch := range v.Checks {
		v.AllReady = v.AllReady && ch.OK
	}
	var err error
	var backlog int
	if v.Today, backlog, err = c.figures(ctx, midnight); err != nil {
		return v, err
	}
	weekStart := midnight.AddDate(0, 0, -6)
	week, err := c.figuresRaw(ctx, weekStart)
	if err != nil {
		return v, err
	}
	v.Week, v.Days = c.figureViews(week), c.replyDays(weekStart, week.ReplyTimes)
	if err := c.tokenFigures(ctx, &v, weekStart); err != nil {
		return v, err
	}
	chans, err := c.channelChecks(ctx, now)
	if err != nil {
		return v, err
	}
	v.Checks = append(v.Checks, chans...)
	if c.cfg.Business != nil {
		if v.Desk, err = c.deskFigures(ctx, now); err != nil {
			return v, err
		}
	}
	q := queueCheck(backlog)
	v.Checks = append(v.Checks, q)
	v.AllReady = v.AllReady && q.OK
	recent, err := c.conv.Recent(ctx, 10)
	if err != nil {
		return v, err
	}
	for _, m := range recent {
		body := clipRunes(oneLine(m.Body), 120)
		if body == "" {
			body = "(no text: a voice note, photo or file)"
		}
		v.Recent = append(v.Recent, recentView{Thread: m.Thread, Out: m.Out, Body: body, When: sinceText(now, m.At)})
	}
	if rq.session.Role == RoleOwner {
		if v.Audit, err = c.accounts.AuditTrail(ctx, 8); err != nil {
			return v, err
		}
		v.Audit = c.localEntries(v.Audit)
	}
	return v, nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func (c *Console) overview(w http.ResponseWriter, r *http.Request, rq *request) {
	v, err := c.overviewData(r.Context(), rq)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, r, rq, "overview", "Overview", v)
}

// overviewLive is the overview's figures alone, which the page's script
// fetches every few seconds.
func (c *Console) overviewLive(w http.ResponseWriter, r *http.Request, rq *request) {
	v, err := c.overviewData(r.Context(), rq)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.fragment(w, r, rq, "overview", "live", v)
}

type conversationsView struct {
	Query   string
	Threads []threadRow
}

type threadRow struct {
	Thread   string
	Channel  string
	Last     string
	LastOut  bool
	When     string
	Messages int
	State    string
}

func (c *Console) conversations(w http.ResponseWriter, r *http.Request, rq *request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len(q) > 100 {
		q = clip(q, 100)
	}
	ts, err := c.conv.Threads(r.Context(), q, 200)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	now := c.now()
	v := conversationsView{Query: q}
	for _, t := range ts {
		state, err := c.threadState(r.Context(), t.Thread)
		if err != nil {
			c.fail(w, r, err)
			return
		}
		v.Threads = append(v.Threads, threadRow{Thread: t.Thread, Channel: channelName(t.Channel), Last: clipRunes(oneLine(t.Last), 90),
			LastOut: t.LastOut, When: sinceText(now, t.LastAt), Messages: t.Messages, State: state})
	}
	c.render(w, r, rq, "conversations", "Conversations", v)
}

func channelName(ch string) string {
	switch ch {
	case "twilio":
		return "WhatsApp (Twilio)"
	case "evolution":
		return "WhatsApp (Evolution)"
	case "meta":
		return "WhatsApp (Meta)"
	case "json":
		return "Web"
	default:
		return ch
	}
}

type conversationView struct {
	Thread  string
	Bubbles []bubble
	Shown   int
	// Handoff is the thread's hand-off state and forms; nil without
	// hand-off.
	Handoff *handoffView
	// Notice confirms what a hand-off form just did.
	Notice string
}

func (c *Console) conversation(w http.ResponseWriter, r *http.Request, rq *request) {
	thread := r.URL.Query().Get("t")
	if thread == "" || len(thread) > 200 {
		http.Error(w, "Which conversation? Open one from the list.", http.StatusBadRequest)
		return
	}
	v, err := c.conversationData(r.Context(), thread)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if len(v.Bubbles) == 0 {
		http.Error(w, "There is no conversation with "+thread+".", http.StatusNotFound)
		return
	}
	if v.Handoff, err = c.conversationHandoff(r.Context(), thread); err != nil {
		c.fail(w, r, err)
		return
	}
	v.Notice = noticeParam(r.URL.Query().Get("done"))
	c.render(w, r, rq, "conversation", thread, v)
}

func (c *Console) conversationData(ctx context.Context, thread string) (conversationView, error) {
	msgs, err := c.conv.Messages(ctx, thread, transcriptLimit)
	if err != nil {
		return conversationView{}, err
	}
	hist, err := loadMessages(ctx, c.cfg.Saver, thread)
	if err != nil {
		return conversationView{}, err
	}
	return conversationView{Thread: thread, Bubbles: c.wireTranscript(msgs, indexHistory(hist)), Shown: len(msgs)}, nil
}

// itoa writes n with thousands separators.
func itoa(n int) string {
	s := []byte{}
	neg := n < 0
	if neg {
		n = -n
	}
	for i := 0; ; i++ {
		if i > 0 && i%3 == 0 {
			s = append(s, ',')
		}
		s = append(s, byte('0'+n%10))
		n /= 10
		if n == 0 {
			break
		}
	}
	if neg {
		s = append(s, '-')
	}
	slices.Reverse(s)
	return string(s)
}
