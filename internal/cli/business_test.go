package cli

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/business/bizstore"
	"github.com/switchboardhq/switchboard/business/desk"
	"github.com/switchboardhq/switchboard/gym/sqlstore/sqlstoretest"
	"github.com/switchboardhq/switchboard/migrations"
	"github.com/switchboardhq/switchboard/store"
)

// TestInterceptGroupOptOut: a participant's opt-out word in a group opts
// out their own thread and is confirmed; other group messages, and a
// participant known by a linked id only, go on to the group's flow.
func TestInterceptGroupOptOut(t *testing.T) {
	ctx := context.Background()
	s, err := bizstore.New(sqlstoretest.OpenSQLite(t), migrations.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("../../examples/business/gym.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Import(ctx, "gym.yaml", data); err != nil {
		t.Fatal(err)
	}
	fd := &frontDesk{store: s, desk: &desk.Desk{Store: s, Notifier: &notifier{}}}
	const group, member = "whatsapp:120363012345678901@g.us", "whatsapp:+34600999888"
	in := func(sender, body string) store.Inbound {
		return store.Inbound{Channel: "evolution", ProviderID: "M-" + body, Thread: group, From: group, Sender: sender, Body: body}
	}
	for _, m := range []store.Inbound{in(member, "squats 3x10"), in("whatsapp:98765@lid", "STOP")} {
		if reply, ok, err := fd.Intercept(ctx, m); ok || err != nil || reply != "" {
			t.Fatalf("%q from %s: intercepted %q, %v, %v", m.Body, m.Sender, reply, ok, err)
		}
	}
	reply, ok, err := fd.Intercept(ctx, in(member, "stop"))
	if !ok || err != nil || !strings.Contains(reply, "ALTA") {
		t.Fatalf("STOP in a group: %q, %v, %v", reply, ok, err)
	}
	if out, err := s.OptedOut(ctx, member); !out || err != nil {
		t.Fatalf("the member's thread is not opted out: %v, %v", out, err)
	}
	if out, _ := s.OptedOut(ctx, group); out {
		t.Fatal("the group was opted out")
	}
	if _, ok, _ := fd.Intercept(ctx, in(member, "ALTA")); !ok {
		t.Fatal("ALTA in a group not intercepted")
	}
	if out, _ := s.OptedOut(ctx, member); out {
		t.Fatal("still opted out after ALTA")
	}
}
