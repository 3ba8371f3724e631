package gym

import (
	"time"
	"os"
	"strings"
	"testing"
)

var zzLoc, _ = time.LoadLocation("Europe/Madrid")
var zzNow = time.Date(2026, 5, 14, 19, 0, 0, 0, zzLoc)

func TestZZScratch(t *testing.T) {
	for _, s := range strings.Split(os.Getenv("ZZTEXTS"), "|") {
		ws, err := Extract(Message{Text: s, SentAt: zzNow}, zzNow, zzLoc)
		k, sure := Judge(s, DateOf(zzNow, zzLoc))
		t.Logf("%q: %s %v -> %v %v", s, k, sure, ws, err)
	}
}

func TestZZWhy(t *testing.T) {
	for _, s := range strings.Split(os.Getenv("ZZTEXTS"), "|") {
		k, sure := judgeRules(s, DateOf(zzNow, zzLoc))
		o := loadKindModel().odds(s)
		t.Logf("%q: rules %s %v nb %.4f", s, k, sure, o)
	}
}

func TestZZSig(t *testing.T) {
	for _, s := range strings.Split(os.Getenv("ZZTEXTS"), "|") {
		today := DateOf(zzNow, zzLoc)
		p := newParser(s, today, false)
		f := p.analyse(s)
		sig := p.signals(s)
		t.Logf("%q:\n f=%+v\n sig=%+v\n comments=%v joke=%v", s, f, sig, p.comments(sig), p.joke(sig))
	}
}
