package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/webhooks/meta"
)

// TestMetaDeliveries: the meta mode's deliveries are signed and parse as
// one message each, marker included; its fake Graph API takes the real
// sender's mark-as-read and text and records the text.
func TestMetaDeliveries(t *testing.T) {
	plan := ackPlan(channelMeta, 20, 5, 4, 0.1)
	for _, d := range plan {
		if !d.meta || !meta.ValidSignature(metaAppSecret, d.body, d.sig) {
			t.Fatalf("delivery of %d: meta %v, signature %q not valid", d.msg, d.meta, d.sig)
		}
		b, err := meta.Parse(d.body, meta.ParseOptions{PhoneNumberID: metaNumberID, Now: time.Now()})
		if err != nil || len(b.Messages) != 1 || !strings.HasSuffix(b.Messages[0].Body, marker(d.msg)) ||
			b.Messages[0].Thread != sender(d.msg%5) {
			t.Fatalf("delivery of %d parses as %+v, %v", d.msg, b.Messages, err)
		}
	}
	if raw := string(rawRequest("127.0.0.1:1", plan[0])); !strings.HasPrefix(raw, "POST /webhooks/meta HTTP/1.1\r\n") ||
		!strings.Contains(raw, "\r\nX-Hub-Signature-256: "+plan[0].sig+"\r\n") {
		t.Fatalf("raw request:\n%s", raw)
	}

	ctx := context.Background()
	track := newTracker(10)
	f, err := listen(&metaFake{token: metaToken, version: metaVersion, numberID: metaNumberID, track: track})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close(ctx)
	cfg := meta.Config{AccessToken: metaToken, PhoneNumberID: metaNumberID, AppSecret: metaAppSecret, VerifyToken: "v",
		GraphURL: f.URL, GraphVersion: metaVersion}
	s, err := meta.NewSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.MarkRead(ctx, "wamid.in", true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Send(ctx, "whatsapp:+15550000003", "echo "+marker(3)); err != nil {
		t.Fatal(err)
	}
	if out := track.outcome(4); out.Sends != 1 || out.Lost != 3 {
		t.Fatalf("outcome %+v, want message 3 answered once", out)
	}
	cfg.AccessToken = "wrong"
	bad, _ := meta.NewSender(cfg)
	if _, err := bad.Send(ctx, "whatsapp:+15550000003", "x"); err == nil {
		t.Fatal("a wrong token was accepted")
	}
}
