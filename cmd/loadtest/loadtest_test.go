package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/gym"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/llm/openai"
	"github.com/switchboardhq/switchboard/webhooks/twilio"
)

func TestMarkers(t *testing.T) {
	var got []int
	markers("echo [lt-1] [lt-] [lt-x] [lt-22]tail [lt-3", func(i int) { got = append(got, i) })
	if want := []int{1, 22}; !slices.Equal(got, want) {
		t.Fatalf("markers = %v, want %v", got, want)
	}
	if marker(42) != "[lt-42]" {
		t.Fatalf("marker(42) = %q", marker(42))
	}
}

func TestSummarize(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 100; i++ {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	d := summarize(ds)
	if d.P50 != 50*time.Millisecond || d.P90 != 90*time.Millisecond || d.P99 != 99*time.Millisecond || d.Max != 100*time.Millisecond {
		t.Fatalf("summarize = %+v", d)
	}
	if ds[0] != time.Millisecond {
		t.Fatal("summarize sorted its argument")
	}
	if summarize(nil).N != 0 || summarize([]time.Duration{7}).P99 != 7 {
		t.Fatal("edge cases")
	}
}

func TestCheckLoopback(t *testing.T) {
	for _, ok := range []string{
		"postgres://u:p@127.0.0.1:5432/db",
		"postgres://u:p@localhost/db",
		"postgres://u:p@[::1]:5432/db",
		"host=/var/run/postgresql dbname=x",
	} {
		if err := checkLoopback(ok); err != nil {
			t.Errorf("checkLoopback(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{
		"postgres://u:p@10.0.0.5/db",
		"postgres://u:p@db.internal:5432/db",
		"postgres://u:p@127.0.0.1,10.0.0.5/db",
	} {
		if err := checkLoopback(bad); err == nil {
			t.Errorf("checkLoopback(%q) accepted a remote host", bad)
		}
	}
}

func TestAckPlan(t *testing.T) {
	const n, threads, c = 1000, 100, 8
	plan := ackPlan(channelTwilio, n, threads, c, 0.05)
	if len(plan) != n+50 {
		t.Fatalf("plan has %d deliveries, want %d", len(plan), n+50)
	}
	first := map[int]int{}
	seen := map[int]int{}
	for pos, d := range plan {
		seen[d.msg]++
		if _, ok := first[d.msg]; !ok {
			first[d.msg] = pos
			continue
		}
		if gap := pos - first[d.msg]; gap > 5*c {
			t.Errorf("duplicate of %d sent %d deliveries after it", d.msg, gap)
		}
		if !slices.Equal(d.body, plan[first[d.msg]].body) || d.sig != plan[first[d.msg]].sig {
			t.Errorf("duplicate of %d differs from the original", d.msg)
		}
	}
	if len(seen) != n {
		t.Fatalf("%d distinct messages, want %d", len(seen), n)
	}
	form, err := url.ParseQuery(string(plan[0].body))
	if err != nil {
		t.Fatal(err)
	}
	if form.Get("MessageSid") == form.Get("MessageSid"+"x") || !strings.Contains(form.Get("Body"), marker(0)) {
		t.Fatalf("form = %v", form)
	}
}

// TestFakes drives the fakes with the runtime's own clients: the OpenAI
// adapter and the Twilio sender, so a wire-format mismatch shows here.
func TestFakes(t *testing.T) {
	ctx := context.Background()
	track := newTracker(10)
	tw, err := listen(&twilioFake{sid: accountSID, token: authToken, track: track})
	if err != nil {
		t.Fatal(err)
	}
	defer tw.Close(ctx)
	mf, err := listen(&modelFake{track: track})
	if err != nil {
		t.Fatal(err)
	}
	defer mf.Close(ctx)

	model, err := openai.New(openai.Config{BaseURL: mf.URL + "/v1", APIKey: "sk-test", Model: "echo"})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := model.Generate(ctx, llm.Request{System: "be brief", Messages: []llm.Message{
		{Role: llm.RoleUser, Content: "hi " + marker(1)},
		{Role: llm.RoleAssistant, Content: "echo " + marker(1)},
		{Role: llm.RoleUser, Content: "again " + marker(2)},
		{Role: llm.RoleUser, Content: "and " + marker(3)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Message.Content; got != "echo [lt-2] [lt-3]" {
		t.Fatalf("model answered %q", got)
	}
	if tr := track.turn(2); tr.ModelCalls != 1 || tr.ModelIn.IsZero() || tr.ModelOut.Before(tr.ModelIn) {
		t.Fatalf("model call not recorded: %+v", tr)
	}
	if track.turn(1).ModelCalls != 0 {
		t.Fatal("an answered message was counted again")
	}

	cfg := twilio.Config{AccountSID: accountSID, AuthToken: authToken, From: botNumber, APIBaseURL: tw.URL, PublicURL: publicURL}
	s, err := twilio.NewSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if sid, err := s.Send(ctx, sender(1), resp.Message.Content); err != nil || sid == "" {
			t.Fatalf("send = %q, %v", sid, err)
		}
	}
	out := track.outcome(4)
	if out.Sends != 2 || out.Merged != 2 || out.Duplicated != 2 || out.Lost != 2 {
		t.Fatalf("outcome = %+v", out)
	}
	select {
	case <-track.done[3]:
	default:
		t.Fatal("done[3] not closed")
	}

	req, _ := http.NewRequest(http.MethodPost, tw.URL+"/2010-04-01/Accounts/"+accountSID+"/Messages.json", strings.NewReader("To=x&From=y&Body=z"))
	req.SetBasicAuth(accountSID, "wrong")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("bad credentials: status %d", res.StatusCode)
	}
}

func TestProcStat(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	deadline := time.Now().Add(200 * time.Millisecond)
	x := 0
	for time.Now().Before(deadline) {
		x++
	}
	_, ppid, cpu, err := procStat(strconv.Itoa(os.Getpid()))
	if err != nil {
		t.Fatal(err)
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	self := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	if ppid != os.Getppid() || cpu < self/2 || cpu > self+time.Second {
		t.Fatalf("procStat: ppid %d (want %d), cpu %s, rusage %s (spun %d)", ppid, os.Getppid(), cpu, self, x)
	}
}

func TestSchedule(t *testing.T) {
	got := schedule(1000, 3, 1)
	want := []disruption{{disruptKill, 250}, {disruptPGRestart, 375}, {disruptKill, 500}, {disruptKill, 750}}
	if !slices.Equal(got, want) {
		t.Fatalf("schedule(1000, 3, 1) = %v, want %v", got, want)
	}
	if got := schedule(1000, 0, 1); !slices.Equal(got, []disruption{{disruptPGRestart, 500}}) {
		t.Fatalf("schedule(1000, 0, 1) = %v", got)
	}
	if got := schedule(1000, 0, 0); len(got) != 0 {
		t.Fatalf("schedule(1000, 0, 0) = %v", got)
	}
}

// TestScript: the workouts asked for are valid, and distinct within a
// thread by gym.IsDuplicate's rule, so each must be stored exactly once.
func TestScript(t *testing.T) {
	sc := script{threads: 10, workoutEvery: 3}
	now := time.Now()
	seen := map[int][]gym.Workout{}
	asked := 0
	for m := range 2000 {
		if !sc.wantsWorkout(m) {
			if sc.text(m) != "hello" {
				t.Fatalf("message %d: text %q", m, sc.text(m))
			}
			continue
		}
		asked++
		a := sc.workout(m)
		w := gym.Workout{Member: "t", Date: gym.DateOf(now, time.UTC), Activity: a.Activity, Minutes: a.Minutes}
		if err := gym.Validate(w, now, time.UTC, nil); err != nil {
			t.Fatalf("message %d asks for an invalid workout %+v: %v", m, a, err)
		}
		if dup, of := gym.IsDuplicate(w, seen[m%10]); dup {
			t.Fatalf("message %d asks for %+v, a duplicate of %+v", m, a, of)
		}
		seen[m%10] = append(seen[m%10], w)
	}
	if want := 10 * (200 / 3); asked != want { // 200 messages a thread, every third
		t.Fatalf("%d workouts asked for, want %d", asked, want)
	}
	if threadOf(sender(42)) != 42 || threadOf("whatsapp:+14155238886") != -1 {
		t.Fatal("threadOf")
	}
}

// TestWorkoutCalls: the fake model calls log_workout once per request
// until a call succeeds, tries again after an error (at most
// maxWorkoutCalls), and ignores a call with broken arguments.
func TestWorkoutCalls(t *testing.T) {
	sc := script{threads: 1, workoutEvery: 1}
	args := `{"activity":"` + sc.workout(7).Activity + `","minutes":` + strconv.Itoa(sc.workout(7).Minutes) + `}`
	msg := func(role, content, calls, id string) string {
		return `{"role":"` + role + `","content":` + content + `,"tool_calls":` + calls + `,"tool_call_id":"` + id + `"}`
	}
	call := func(id, args string) string {
		return `[{"id":"` + id + `","type":"function","function":{"name":"log_workout","arguments":` + strconv.Quote(args) + `}}]`
	}
	user := msg("user", `"log my workout [lt-7]"`, "null", "")
	for _, c := range []struct {
		name string
		msgs []string
		want int
	}{
		{"first", []string{user}, 1},
		{"logged", []string{user, msg("assistant", "null", call("a", args), ""), msg("tool", `"{\"status\":\"logged\"}"`, "null", "a")}, 0},
		{"broken arguments", []string{user, msg("assistant", "null", call("a", args[:9]), ""), msg("tool", `"Error: invalid"`, "null", "a")}, 1},
		{"error", []string{user, msg("assistant", "null", call("a", args), ""), msg("tool", `"Error: down"`, "null", "a")}, 1},
		{"three errors", []string{user,
			msg("assistant", "null", call("a", args), ""), msg("tool", `"Error: down"`, "null", "a"),
			msg("assistant", "null", call("b", args), ""), msg("tool", `"Error: down"`, "null", "b"),
			msg("assistant", "null", call("c", args), ""), msg("tool", `"Error: down"`, "null", "c")}, 0},
	} {
		var req chatRequest
		if err := json.Unmarshal([]byte(`{"messages":[`+strings.Join(c.msgs, ",")+`]}`), &req); err != nil {
			t.Fatal(err)
		}
		if got := sc.workoutCalls(req); len(got) != c.want {
			t.Errorf("%s: %d calls, want %d", c.name, len(got), c.want)
		}
	}
}

func TestFloodVerdict(t *testing.T) {
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	if mean([]time.Duration{ms(30), ms(10), ms(20)}) != ms(20) || mean(nil) != 0 {
		t.Fatal("mean")
	}
	var b strings.Builder
	floodVerdict([]floodResult{
		{kind: floodCalm, reply: dist{P95: ms(50)}}, {kind: floodOn, reply: dist{P95: ms(90)}},
		{kind: floodCalm, reply: dist{P95: ms(70)}}, {kind: floodOn, reply: dist{P95: ms(130)}},
	}, &b)
	if !strings.Contains(b.String(), "1.83×") || !strings.Contains(b.String(), "MET") {
		t.Fatalf("verdict: %s", b.String())
	}
}
