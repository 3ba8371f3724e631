package console

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/switchboardhq/switchboard/gym"
	"github.com/switchboardhq/switchboard/gym/sqlstore"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/llm/llmtest"
)

// chromiumPath finds Debian's Chromium (or CHROMIUM, when set).
func chromiumPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// newBrowser starts a headless Chromium with a fresh profile, or skips the
// test with the reason (fails it on CI, where a skip would hide a broken
// pipeline).
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		msg := "no Chromium found: the browser tests need Debian's chromium (apt-get install -y chromium; `make test` installs it when run as root) or CHROMIUM=/path/to/chrome"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first run starts the browser; it has no timeout of its own.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	return ctx
}

// step runs actions with a bound, failing the test with what it was doing.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	s, err := chromedp.Run(sctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// waitText waits until sel's text contains want.
func waitText(t *testing.T, ctx context.Context, sel, want string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	var got string
	for time.Now().Before(deadline) {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		s, err := chromedp.Run(sctx, chromedp.Evaluate[string](fmt.Sprintf(`(document.querySelector(%q) || {}).innerText || ""`, sel)))
		cancel()
		if err == nil && strings.Contains(s, want) {
			return
		}
		got = s
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s never showed %q; it shows %q", sel, want, got)
}

// waitTrue waits until a JavaScript expression is true.
func waitTrue(t *testing.T, ctx context.Context, expr string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		ok, err := chromedp.Run(sctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s never became true", expr)
}

// shoot saves the page at 1280 and 390 pixels wide.
func shoot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	for _, w := range []int64{1280, 390} {
		var png []byte
		sctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		err := chromedp.Do(sctx, chromedp.EmulateViewport(w, 900))
		if err == nil {
			png, err = chromedp.Run(sctx, chromedp.FullScreenshot(100))
		}
		cancel()
		if err != nil {
			t.Fatalf("screenshot %s at %d: %v", name, w, err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, w)), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	step(t, ctx, "reset viewport", chromedp.EmulateViewport(1280, 900))
}

func signInSteps(base, name, password string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.WaitVisible(chromedp.ID("name")),
		chromedp.SetValue(chromedp.ID("name"), name),
		chromedp.SetValue(chromedp.ID("password"), password),
		chromedp.Submit(chromedp.ID("password")),
	}
}

func TestBrowser(t *testing.T) {
	ctx := newBrowser(t)
	d := sqliteDB(t)
	dk, sent := frontDesk(t, d)
	h := newHarness(t, d, withDesk(dk))
	base := h.srv.URL
	shots := t.ArtifactDir()
	t.Logf("screenshots in %s", shots)

	// Data for every page: a customer conversation, an agent thread with
	// checkpoints, a gym chat, a staff account.
	now := time.Now().UTC()
	seedConversation(t, d, "whatsapp:+34600111222", now.Add(-20*time.Minute))
	seedInbound(t, d, "whatsapp:+15550009999", "Hi! Do you sell gift cards for the spa?", "", now.Add(-3*time.Minute))
	h.model.Push(
		llmtest.Reply{ToolCalls: []llm.ToolCall{{Name: "opening_hours", Arguments: `{"day":"friday"}`}}},
		llmtest.Reply{Text: "On Friday we are open 9:00-17:00."},
	)
	if _, err := h.agent.Reply(context.Background(), "whatsapp:+447700900123", agentText("Open on Friday?")); err != nil {
		t.Fatal(err)
	}
	st := sqlstore.New(d.db)
	chat := "120363000000000001@g.us"
	today := gym.DateOf(now, time.UTC)
	for i, m := range []string{"Lucía", "Marco", "Aiko"} {
		id := fmt.Sprintf("m%d", i)
		if _, err := st.AddMember(context.Background(), chat, id, m); err != nil {
			t.Fatal(err)
		}
		for j := 0; j <= i; j++ {
			w := gym.Workout{Member: id, Date: today.AddDays(-j), Activity: "running", Minutes: 30 + 10*i, SourceMessageID: fmt.Sprintf("%d-%d", i, j)}
			if _, err := st.Insert(context.Background(), chat, m, w); err != nil {
				t.Fatal(err)
			}
		}
	}
	h.addStaff("sam")
	h.addStaff("lee")

	// Anonymous → sign-in.
	step(t, ctx, "open conversations", chromedp.Navigate(base+"/console/conversations"))
	if loc := location(t, ctx); !strings.Contains(loc, "/console/signin?next=%2Fconsole%2Fconversations") {
		t.Fatalf("anonymous landed on %s", loc)
	}
	shoot(t, ctx, shots, "signin")

	// A wrong password is refused.
	step(t, ctx, "wrong password", signInSteps(base, "owner", "not the password")...)
	waitText(t, ctx, ".alert", "do not match", 30*time.Second)
	shoot(t, ctx, shots, "signin-refused")

	// Repeated failures lock an account (lee), even with the right password.
	for range 5 {
		step(t, ctx, "lee wrong", append(signInSteps(base, "lee", "wrong password"), chromedp.WaitVisible(chromedp.CSS(".alert")))...)
	}
	step(t, ctx, "lee right", signInSteps(base, "lee", "staff password")...)
	waitText(t, ctx, ".alert", "locked", 30*time.Second)

	// The owner signs in and lands where they were going.
	step(t, ctx, "sign in", signInSteps(base, "owner", ownerPassword)...)
	waitText(t, ctx, "main", "whatsapp:+15550009999", 30*time.Second)
	if loc := location(t, ctx); !strings.HasSuffix(loc, "/console/conversations") {
		t.Fatalf("after sign-in: %s", loc)
	}
	shoot(t, ctx, shots, "conversations")

	// The overview renders and its figures update without a reload.
	step(t, ctx, "overview", chromedp.Navigate(base+"/console/"))
	waitText(t, ctx, "#live", "Messages received", 30*time.Second)
	waitText(t, ctx, "#live", "Everything is working", 5*time.Second)
	shoot(t, ctx, shots, "overview")
	seedInbound(t, d, "whatsapp:+15550007777", "A brand new message arriving live", "", time.Now().UTC())
	waitText(t, ctx, "#live", "A brand new message arriving live", 30*time.Second)

	// A transcript.
	step(t, ctx, "transcript", chromedp.Navigate(base+"/console/conversation?t=whatsapp%3A%2B34600111222"),
		chromedp.WaitVisible(chromedp.CSS(".bubble.out")),
		chromedp.Click(chromedp.CSS("details.tools summary")))
	waitText(t, ctx, ".phone", "Open 9:00-14:00", 10*time.Second)
	shoot(t, ctx, shots, "conversation")

	// The lab: a conversation with a tool call.
	h.model.Push(
		llmtest.Reply{ToolCalls: []llm.ToolCall{{Name: "opening_hours", Arguments: `{"day":"sunday"}`}}},
		llmtest.Reply{Text: "On Sunday we open at 9:00."},
	)
	step(t, ctx, "lab", chromedp.Navigate(base+"/console/lab"),
		chromedp.WaitVisible(chromedp.ID("text")),
		chromedp.SendKeys(chromedp.ID("text"), "When do you open on Sunday?"),
		chromedp.Click(chromedp.CSS("#composer button")))
	waitText(t, ctx, "#lab", "On Sunday we open at 9:00.", 60*time.Second)
	waitText(t, ctx, "#lab", "1 tool call", 5*time.Second)
	step(t, ctx, "open tool calls", chromedp.Click(chromedp.CSS("#lab details.tools summary")))
	waitText(t, ctx, "#lab", "Open 9:00-17:00 on sunday", 10*time.Second)
	shoot(t, ctx, shots, "lab")

	// The inspector shows checkpoints and forks one into the lab.
	step(t, ctx, "inspector", chromedp.Navigate(base+"/console/inspector"), chromedp.WaitVisible(chromedp.CSS("svg.graph")))
	shoot(t, ctx, shots, "inspector")
	step(t, ctx, "thread", chromedp.Navigate(base+"/console/inspector/thread?t=whatsapp%3A%2B447700900123"),
		chromedp.WaitVisible(chromedp.CSS("table.checkpoints")))
	shoot(t, ctx, shots, "checkpoints")
	// The last row is the thread's first checkpoint (step 0); fork the
	// newest (first row), whose history holds the whole turn.
	step(t, ctx, "checkpoint", chromedp.Click(chromedp.CSS("table.checkpoints tbody tr:first-child td a")),
		chromedp.WaitVisible(chromedp.CSS("dl.facts")))
	shoot(t, ctx, shots, "checkpoint")
	step(t, ctx, "fork", chromedp.Click(chromedp.CSS("main form button.primary")))
	waitText(t, ctx, "#lab", "On Friday we are open 9:00-17:00.", 30*time.Second)
	if s := text(t, ctx, "#lab"); strings.Contains(s, "Sunday") {
		t.Error("the fork kept the lab's earlier conversation")
	}

	// Gym, accounts and the activity log.
	step(t, ctx, "gym", chromedp.Navigate(base+"/console/gym"), chromedp.WaitVisible(chromedp.CSS("table")))
	waitText(t, ctx, "main", "Aiko", 5*time.Second)
	shoot(t, ctx, shots, "gym")
	step(t, ctx, "accounts", chromedp.Navigate(base+"/console/accounts"), chromedp.WaitVisible(chromedp.CSS("table")))
	shoot(t, ctx, shots, "accounts")
	step(t, ctx, "activity", chromedp.Navigate(base+"/console/activity"), chromedp.WaitVisible(chromedp.CSS("table")))
	waitText(t, ctx, "main", "forked into the lab", 5*time.Second)
	shoot(t, ctx, shots, "activity")

	// Bookings: approve a pending one; the customer is told, and the page
	// says so.
	step(t, ctx, "bookings", chromedp.Navigate(base+"/console/bookings"), chromedp.WaitVisible(chromedp.CSS(".booking")))
	shoot(t, ctx, shots, "bookings")
	step(t, ctx, "approve", chromedp.Click(chromedp.CSS(".booking button.primary")))
	waitTrue(t, ctx, `document.querySelectorAll(".booking").length === 1`, 30*time.Second)
	if len(sent.texts()) != 1 {
		t.Fatalf("the customer was told %q", sent.texts())
	}
	step(t, ctx, "approved", chromedp.Navigate(base+"/console/bookings?status=approved"))
	waitText(t, ctx, "main", "Customer told", 30*time.Second)

	// Leads, and their CSV as the browser downloads it.
	step(t, ctx, "leads", chromedp.Navigate(base+"/console/leads"), chromedp.WaitVisible(chromedp.CSS("table")))
	shoot(t, ctx, shots, "leads")
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	csvText, err := chromedp.Run(sctx, chromedp.Evaluate[string](`fetch(document.querySelector("a[download]").href).then(r => r.text())`, chromedp.EvalAwaitPromise))
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvText, "\uFEFF"))).ReadAll()
	if err != nil || len(rows) != 3 || rows[0][0] != "id" {
		t.Fatalf("downloaded CSV: %q, %v", rows, err)
	}
	step(t, ctx, "faqs", chromedp.Navigate(base+"/console/faqs"), chromedp.WaitVisible(chromedp.CSS(".faqs")))
	shoot(t, ctx, shots, "faqs")
	step(t, ctx, "business", chromedp.Navigate(base+"/console/business"), chromedp.WaitVisible(chromedp.CSS("dl.facts")))
	shoot(t, ctx, shots, "business")

	// A form on another site cannot post to the console.
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!doctype html><form id="f" method="post" action="%s/console/lab/reset"><input name="csrf" value="guess"></form><script>document.getElementById("f").submit()</script>`, base)
	}))
	defer evil.Close()
	evilURL := strings.Replace(evil.URL, "127.0.0.1", "localhost", 1) // another site than 127.0.0.1
	step(t, ctx, "cross-site form", chromedp.Navigate(evilURL))
	waitText(t, ctx, "body", "came from another site", 30*time.Second)
	step(t, ctx, "lab after the attack", chromedp.Navigate(base+"/console/lab"))
	waitText(t, ctx, "#lab", "On Friday we are open", 10*time.Second)

	// Staff: signed in, then removed from the command line.
	step(t, ctx, "sign out", chromedp.Navigate(base+"/console/"), chromedp.Click(chromedp.CSS(".signout button")))
	waitText(t, ctx, "main", "Sign in to Switchboard", 30*time.Second)
	step(t, ctx, "staff signs in", signInSteps(base, "sam", "staff password")...)
	waitText(t, ctx, "#live", "Messages received", 30*time.Second)
	if s := text(t, ctx, ".top nav"); strings.Contains(s, "Inspector") {
		t.Error("staff see the inspector")
	}
	shoot(t, ctx, shots, "overview-staff")
	var out bytes.Buffer
	if err := UserCommand(context.Background(), h.c.Accounts(), []string{"rm", "sam"}, strings.NewReader(""), &out, &out); err != nil {
		t.Fatal(err)
	}
	step(t, ctx, "staff reloads", chromedp.Navigate(base+"/console/conversations"))
	waitText(t, ctx, "main", "Sign in to Switchboard", 30*time.Second)

	for _, name := range []string{"overview", "lab", "conversation"} {
		if fi, err := os.Stat(filepath.Join(shots, name+"-390.png")); err != nil || fi.Size() < 1000 {
			t.Errorf("screenshot %s: %v", name, err)
		}
	}
}
