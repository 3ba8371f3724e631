package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/switchboardhq/switchboard/webhooks/meta"
	"github.com/switchboardhq/switchboard/webhooks/meta/metatest"
	"github.com/switchboardhq/switchboard/webhooks/twilio/twiliotest"
)

// delivery is one prepared webhook request.
type delivery struct {
	msg  int // the message it delivers
	body []byte
	sig  string
	// meta marks a WhatsApp Cloud API delivery (POST /webhooks/meta, sig
	// its X-Hub-Signature-256); otherwise it is Twilio's.
	meta bool
}

// Channels the ack mode can load (-channel).
const (
	channelTwilio = "twilio"
	channelMeta   = "meta"
)

// sender is the WhatsApp address of load thread t.
func sender(t int) string { return fmt.Sprintf("whatsapp:+1555%07d", t) }

// threadOf is the load thread of a WhatsApp address, or -1.
func threadOf(addr string) int {
	n, ok := strings.CutPrefix(addr, "whatsapp:+1555")
	t, err := strconv.Atoi(n)
	if !ok || err != nil || len(n) != 7 {
		return -1
	}
	return t
}

// inboundForm is the form Twilio posts for a WhatsApp text message.
func inboundForm(msg, thread int, text string) url.Values {
	sid := fmt.Sprintf("SM%032x", msg+1)
	from := sender(thread)
	return url.Values{
		"SmsMessageSid":    {sid},
		"SmsSid":           {sid},
		"MessageSid":       {sid},
		"AccountSid":       {accountSID},
		"From":             {from},
		"To":               {botNumber},
		"WaId":             {from[len("whatsapp:+"):]},
		"ProfileName":      {"Load " + strconv.Itoa(thread)},
		"Body":             {text + " " + marker(msg)},
		"NumMedia":         {"0"},
		"NumSegments":      {"1"},
		"MessageType":      {"text"},
		"SmsStatus":        {"received"},
		"ReferralNumMedia": {"0"},
		"ApiVersion":       {"2010-04-01"},
	}
}

// prepare signs the delivery of message msg from thread.
func prepare(msg, thread int, text string) delivery {
	form := inboundForm(msg, thread, text)
	return delivery{msg: msg, body: []byte(form.Encode()), sig: twiliotest.Sign(authToken, webhookURL, form)}
}

// prepareMeta signs the Cloud API delivery of message msg from thread: one
// entry with one text message, shaped like Meta's documented example.
func prepareMeta(msg, thread int, text string) delivery {
	waID := sender(thread)[len("whatsapp:+"):]
	body := metatest.NewPayload(metaNumberID).
		Text(waID, "Load "+strconv.Itoa(thread), fmt.Sprintf("wamid.HBgLMTU1NTAwMDAwMDAVAgASGBQ%012d", msg+1), text+" "+marker(msg)).
		Bytes()
	return delivery{msg: msg, body: body, sig: meta.Sign(metaAppSecret, body), meta: true}
}

// ackPlan is the order of deliveries on channel: every message once, in
// order, and about dup*n duplicates, each re-sent after between 0 and 4c
// further messages (so some race their original while it is in flight).
func ackPlan(channel string, n, threads, c int, dup float64) []delivery {
	return scriptedPlan(channel, n, threads, c, dup, func(int) string { return "hello" })
}

// scriptedPlan is ackPlan with text(m) as the body of message m.
func scriptedPlan(channel string, n, threads, c int, dup float64, text func(int) string) []delivery {
	prepare := prepare
	if channel == channelMeta {
		prepare = prepareMeta
	}
	rng := rand.New(rand.NewPCG(1, 2))
	plan := make([]delivery, 0, n+int(float64(n)*dup)+1)
	later := map[int][]int{} // after message i → messages to re-send
	every := 0
	if dup > 0 {
		every = max(1, int(1/dup+0.5))
	}
	resend := func(step int) {
		for _, m := range later[step] {
			plan = append(plan, prepare(m, m%threads, text(m)))
		}
		delete(later, step)
	}
	for i := range n {
		plan = append(plan, prepare(i, i%threads, text(i)))
		if every > 0 && i%every == every-1 {
			at := i + rng.IntN(4*c)
			later[at] = append(later[at], i)
		}
		resend(i)
	}
	for step := n; len(later) > 0; step++ {
		resend(step)
	}
	return plan
}

// post sends one delivery and returns the status (0 on a transport
// error) and the time to the end of the response body.
func post(ctx context.Context, client *http.Client, addr string, d delivery) (int, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+"/webhooks/twilio", bytes.NewReader(d.body))
	if err != nil {
		return 0, 0, fmt.Errorf("webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", d.sig)
	req.Header.Set("User-Agent", "TwilioProxy/1.1")
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return 0, time.Since(start), fmt.Errorf("webhook: %w", err)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	lat := time.Since(start)
	if err != nil {
		return 0, lat, fmt.Errorf("webhook body: %w", err)
	}
	return resp.StatusCode, lat, nil
}

// newClient is an HTTP client with c connections to the assistant, and
// Twilio's 15-second patience.
func newClient(c int) *http.Client {
	return &http.Client{
		Timeout: 15 * time.Second,
		Transport: &http.Transport{
			MaxIdleConns:        c,
			MaxIdleConnsPerHost: c,
			MaxConnsPerHost:     c,
			IdleConnTimeout:     time.Minute,
			DisableCompression:  true,
		},
	}
}

// runAck floods the webhook and then checks every message was answered
// exactly once.
func runAck(ctx context.Context, o options, e *env, stdout io.Writer) error {
	plan := ackPlan(e.channel, o.n, o.threads, o.concurrency, o.dup)
	dups := len(plan) - o.n
	pace := "closed loop: each connection sends again as soon as it is answered"
	if o.rate > 0 {
		pace = fmt.Sprintf("open loop at %.0f/s, latency from the scheduled send time", o.rate)
	}
	fmt.Fprintf(stdout, "  plan: %d unique %s messages + %d duplicate deliveries, %d threads, concurrency %d, %s\n",
		o.n, e.channel, dups, min(o.threads, o.n), o.concurrency, pace)
	reqs := make([][]byte, len(plan))
	for i, d := range plan {
		reqs[i] = rawRequest(e.asst.Addr, d)
	}

	lat := make([]time.Duration, len(plan))
	sentAt := make([]time.Time, len(plan))
	status := make([]int, len(plan))
	var next atomic.Int64
	var firstErr error
	var errOnce sync.Once
	sendCtx, stop := context.WithTimeout(ctx, o.maxSend)
	defer stop()
	var interval time.Duration
	if o.rate > 0 {
		interval = time.Duration(float64(time.Second) / o.rate)
	}
	var wg sync.WaitGroup
	cpu0 := e.cpu()
	start := time.Now()
	for range o.concurrency {
		wg.Go(func() {
			conn := &rawConn{addr: e.asst.Addr}
			defer conn.close()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(plan) || sendCtx.Err() != nil {
					return
				}
				begin := time.Now()
				if interval > 0 {
					// Open loop: latency counts from the scheduled time, so
					// a server that falls behind is not hidden by the
					// client waiting for a free connection.
					begin = start.Add(time.Duration(i) * interval)
					if wait := time.Until(begin); wait > 0 {
						select {
						case <-time.After(wait):
						case <-sendCtx.Done():
							return
						}
					}
				}
				sentAt[i] = begin
				code, _, err := conn.do(sendCtx, reqs[i])
				lat[i], status[i] = time.Since(begin), code
				if err != nil {
					errOnce.Do(func() { firstErr = err })
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu1 := e.cpu()
	stop()

	var ok []time.Duration
	sent, non200, transport := 0, 0, 0
	for i := range plan {
		switch {
		case lat[i] == 0 && status[i] == 0:
			continue // never sent: -max-send ran out
		case status[i] == 0:
			transport++
		case status[i] != http.StatusOK:
			non200++
		default:
			ok = append(ok, lat[i])
		}
		sent++
	}
	acks := float64(len(ok)) / elapsed.Seconds()
	d := summarize(ok)
	fmt.Fprintf(stdout, "  sent %d deliveries in %.2fs: %.0f acks/s; non-200: %d, transport errors: %d\n",
		sent, elapsed.Seconds(), acks, non200, transport)
	if firstErr != nil {
		fmt.Fprintf(stdout, "  first transport error: %v\n", firstErr)
	}
	fmt.Fprintf(stdout, "  ack latency: %s\n", d)
	fmt.Fprintf(stdout, "  while sending: %s\n", cpuReport(cpu0, cpu1, sent, "delivery"))
	if sent < len(plan) {
		fmt.Fprintf(stdout, "  -max-send %s ran out: %d deliveries not sent\n", o.maxSend, len(plan)-sent)
	}

	// Wait until every unique message sent has been answered.
	want := 0
	for i := range plan {
		if plan[i].msg < o.n && (status[i] == http.StatusOK) && plan[i].msg >= want {
			want = plan[i].msg + 1
		}
	}
	deadline := time.Now().Add(o.drain)
	for e.track.answered(want) < want && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(50 * time.Millisecond)
	}
	drained := time.Since(start)
	cpu2 := e.cpu()
	if o.settle > 0 {
		select {
		case <-time.After(o.settle):
		case <-ctx.Done():
		}
	}
	out := e.track.outcome(want)
	proc := out.LastReply.Sub(start)
	fmt.Fprintf(stdout, "  answered %d of %d messages; last reply %.2fs after the first send (%.0f messages answered/s end to end)\n",
		want-out.Lost, want, proc.Seconds(), float64(want-out.Lost)/proc.Seconds())
	fmt.Fprintf(stdout, "  whole run: %s\n", cpuReport(cpu0, cpu2, want, "message"))
	fmt.Fprintf(stdout, "  webhook to reply (a message's first delivery to its reply at the channel): %s\n",
		summarize(e.track.sinceFirst(plan, sentAt, want)))
	if rss := e.peakRSS(); rss > 0 {
		fmt.Fprintf(stdout, "  assistant peak RSS: %.0f MB\n", float64(rss)/(1<<20))
	}
	if out.Lost > 0 {
		fmt.Fprintf(stdout, "  gave up waiting after %.2fs (-drain %s)\n", drained.Seconds(), o.drain)
	}
	fmt.Fprintf(stdout, "  lost: %d  duplicated: %d  (outbound sends: %d, merged replies: %d, stray replies: %d)\n",
		out.Lost, out.Duplicated, out.Sends, out.Merged, out.Stray)
	fmt.Fprintf(stdout, "  targets: >= 2000 acks/s: %s; p99 ack < 20ms: %s; zero lost: %s; zero duplicated: %s\n",
		yesNo(acks >= 2000), yesNo(d.P99 < 20*time.Millisecond), yesNo(out.Lost == 0), yesNo(out.Duplicated == 0))
	if out.Lost > 0 || out.Duplicated > 0 || non200 > 0 || transport > 0 {
		return &failure{fmt.Sprintf("ack: %d lost, %d duplicated, %d non-200, %d transport errors", out.Lost, out.Duplicated, non200, transport)}
	}
	return nil
}
