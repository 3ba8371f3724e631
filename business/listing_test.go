package business_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/business"
)

func TestBookingRecord(t *testing.T) {
	b := sampleBooking(t)
	b.SourceMessageID, b.CreatedAt = "twilio:SM1", time.Date(2026, 12, 6, 15, 0, 0, 0, time.UTC)
	out, err := json.Marshal(b.Record(madrid(t)))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"ref":"B1","status":"pending","customer_name":"Ana","thread":"whatsapp:+34600111222","service":"Fitness assessment","requested_time":"next Tuesday at 10","start":"2026-12-08T10:00:00+01:00","end":"2026-12-08T11:00:00+01:00","source_message_id":"twilio:SM1","created_at":"2026-12-06T16:00:00+01:00"}`
	if string(out) != want {
		t.Errorf("record = %s\nwant     %s", out, want)
	}
}

func TestWriteLeadsCSV(t *testing.T) {
	var b strings.Builder
	leads := []business.Lead{
		{ID: 1, Thread: "whatsapp:+34600111222", Name: "Ana", Requirement: "personal training, twice a week", SourceMessageID: "twilio:SM5", CreatedAt: time.Date(2026, 12, 6, 15, 0, 0, 0, time.UTC)},
		{ID: 2, Thread: "whatsapp:+34600333444", Name: "=HYPERLINK(\"x\")", Requirement: "@SUM(A1)", CreatedAt: time.Date(2026, 12, 6, 15, 5, 0, 0, time.UTC)},
	}
	if err := business.WriteLeadsCSV(&b, leads, madrid(t)); err != nil {
		t.Fatal(err)
	}
	want := "id,created_at,name,thread,requirement,source_message_id\n" +
		"1,2026-12-06T16:00:00+01:00,Ana,whatsapp:+34600111222,\"personal training, twice a week\",twilio:SM5\n" +
		"2,2026-12-06T16:05:00+01:00,\"'=HYPERLINK(\"\"x\"\")\",whatsapp:+34600333444,'@SUM(A1),\n"
	if b.String() != want {
		t.Errorf("csv =\n%s\nwant\n%s", b.String(), want)
	}
}
