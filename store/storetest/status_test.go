package storetest_test

import (
	"testing"

	"github.com/switchboardhq/switchboard/store"
)

func TestAdvanceStatus(t *testing.T) {
	tests := []struct {
		cur, next, want string
	}{
		{store.StatusPending, store.StatusSent, store.StatusSent},
		{store.StatusSent, store.StatusQueued, store.StatusSent},
		{store.StatusSent, store.StatusDelivered, store.StatusDelivered},
		{store.StatusRead, store.StatusDelivered, store.StatusRead},
		{store.StatusDelivered, store.StatusRead, store.StatusRead},
		{store.StatusRead, store.StatusUndelivered, store.StatusUndelivered},
		{store.StatusFailed, store.StatusRead, store.StatusFailed},
		{store.StatusUndelivered, store.StatusFailed, store.StatusUndelivered},
		{store.StatusSent, "accepted", store.StatusSent},
		{store.StatusSent, "", store.StatusSent},
	}
	for _, tc := range tests {
		if got := store.AdvanceStatus(tc.cur, tc.next); got != tc.want {
			t.Errorf("AdvanceStatus(%q, %q) = %q, want %q", tc.cur, tc.next, got, tc.want)
		}
	}
}

func TestReplyStatus(t *testing.T) {
	tests := []struct {
		parts []string
		want  string
	}{
		{nil, store.StatusSent},
		{[]string{store.StatusSent}, store.StatusSent},
		{[]string{store.StatusDelivered, store.StatusSent}, store.StatusSent},
		{[]string{store.StatusRead, store.StatusDelivered}, store.StatusDelivered},
		{[]string{store.StatusRead, store.StatusRead}, store.StatusRead},
		{[]string{store.StatusRead, store.StatusUndelivered, store.StatusFailed}, store.StatusUndelivered},
		{[]string{store.StatusPending}, store.StatusSent},
	}
	for _, tc := range tests {
		if got := store.ReplyStatus(tc.parts); got != tc.want {
			t.Errorf("ReplyStatus(%v) = %q, want %q", tc.parts, got, tc.want)
		}
	}
}
