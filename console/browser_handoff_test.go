package console

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserHandoff drives the hand-off in Chromium: take over a
// conversation from its page, reply as the business, see it on the
// hand-off page, give it back; then mark a lead contacted.
func TestBrowserHandoff(t *testing.T) {
	ctx := newBrowser(t)
	d := sqliteDB(t)
	dk, sent := frontDesk(t, d)
	withHandoff(dk, sent)
	h := newHarness(t, d, withDesk(dk))
	base := h.srv.URL
	shots := t.ArtifactDir()
	seedConversation(t, d, handoffCustomer, time.Now().UTC().Add(-20*time.Minute))

	step(t, ctx, "sign in", chromedp.Navigate(base+"/console/signin"))
	step(t, ctx, "credentials", signInSteps(base, "owner", ownerPassword)...)
	waitText(t, ctx, "#live", "Messages received", 30*time.Second)

	step(t, ctx, "conversation", chromedp.Navigate(base+"/console/conversation?t=whatsapp%3A%2B34600111222"))
	waitText(t, ctx, ".handoff", "The assistant answers this conversation", 30*time.Second)
	step(t, ctx, "take over", chromedp.Click(chromedp.CSS(`.handoff form[action$="/pause"] button`)))
	waitText(t, ctx, ".handoff", "With a person", 30*time.Second)
	step(t, ctx, "write", chromedp.SetValue(chromedp.ID("reply-text"), "Hi, this is Marta from the gym."),
		chromedp.Click(chromedp.CSS(`.handoff form.reply button`)))
	waitText(t, ctx, ".handoff .notice", "Sent.", 30*time.Second)
	if got := sent.sent[handoffCustomer+" "+lastReplyKey(t, d)]; got != "Hi, this is Marta from the gym." {
		t.Fatalf("the customer got %q", got)
	}
	shoot(t, ctx, shots, "conversation-handoff")

	step(t, ctx, "hand-off page", chromedp.Navigate(base+"/console/handoff"))
	waitText(t, ctx, ".handoffs", "owner, in the console", 30*time.Second)
	shoot(t, ctx, shots, "handoff")
	step(t, ctx, "give back", chromedp.Click(chromedp.CSS(`.handoff form[action$="/resume"] button`)))
	waitText(t, ctx, "main", "The assistant answers that conversation again", 30*time.Second)
	waitText(t, ctx, ".handoffs", "No conversation is with a person", 10*time.Second)

	step(t, ctx, "leads", chromedp.Navigate(base+"/console/leads"), chromedp.WaitVisible(chromedp.CSS("table")))
	step(t, ctx, "mark contacted", chromedp.Click(chromedp.CSS(`tr.lead form button`)))
	waitText(t, ctx, "table", "by owner", 30*time.Second)
	shoot(t, ctx, shots, "leads-contacted")

	// FAQs move; the profile is edited, a mistake named, then saved.
	step(t, ctx, "faqs", chromedp.Navigate(base+"/console/faqs"), chromedp.WaitVisible(chromedp.CSS(".faqs")))
	second := text(t, ctx, ".faqs li:nth-child(2) .q")
	step(t, ctx, "move up", chromedp.Click(chromedp.CSS(`.faqs li:nth-child(2) button[value="up"]`)))
	waitText(t, ctx, ".faqs li:nth-child(1) .q", second, 30*time.Second)
	shoot(t, ctx, shots, "faqs-order")
	step(t, ctx, "business", chromedp.Navigate(base+"/console/business"), chromedp.WaitVisible(chromedp.ID("profile")))
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	doc, err := chromedp.Run(sctx, chromedp.Evaluate[string](`document.getElementById("profile").value`))
	cancel()
	if err != nil || !strings.Contains(doc, "name: Forma Gym") {
		t.Fatalf("profile editor: %q, %v", doc, err)
	}
	step(t, ctx, "break profile", chromedp.SetValue(chromedp.ID("profile"), doc+"colour: green\n"), chromedp.Submit(chromedp.ID("profile")))
	waitText(t, ctx, ".alert", "colour: unknown field", 30*time.Second)
	step(t, ctx, "fix profile", chromedp.SetValue(chromedp.ID("profile"), strings.Replace(doc, "name: Forma Gym", "name: Forma Gym Centro", 1)),
		chromedp.Submit(chromedp.ID("profile")))
	waitText(t, ctx, "main", "Saved.", 30*time.Second)
	waitText(t, ctx, "h1", "Forma Gym Centro", 10*time.Second)
	shoot(t, ctx, shots, "business-edit")
}

// lastReplyKey is the outbox key of the newest reply a person wrote.
func lastReplyKey(t *testing.T, d testDB) string {
	t.Helper()
	var key string
	if err := d.db.QueryRowContext(context.Background(), `SELECT key FROM human_replies ORDER BY id DESC LIMIT 1`).Scan(&key); err != nil {
		t.Fatal(err)
	}
	return key
}
