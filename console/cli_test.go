package console

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func TestUserCommand(t *testing.T) {
	d := sqliteDB(t)
	ctx := context.Background()
	acc := NewAccounts(d.db, bcrypt.MinCost, nil)
	run := func(stdin string, args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := UserCommand(ctx, acc, args, strings.NewReader(stdin), &out, &errOut)
		return out.String(), err
	}
	cases := []struct {
		stdin string
		args  []string
		out   string
		err   string
	}{
		{"", nil, "", "missing command"},
		{"", []string{"frobnicate"}, "", "unknown command"},
		{"", []string{"add"}, "", "name the account"},
		{"secret password\n", []string{"add", "Bad Name"}, "", "account name"},
		{"secret password\n", []string{"add", "owner"}, "", "CONSOLE_PASSWORD"},
		{"", []string{"add", "sam"}, "", "no password on standard input"},
		{"short\n", []string{"add", "sam"}, "", "password has 8 to 72 bytes"},
		{"secret password\n", []string{"add", "sam", "--role", "admin"}, "", "owner or staff"},
		{"secret password\n", []string{"add", "sam", "secret password"}, "", "never an argument"},
		{"secret password\n", []string{"add", "sam"}, "added sam (staff)", ""},
		{"another password\r\n", []string{"add", "--role", "owner", "ana"}, "added ana (owner)", ""},
		{"changed password\n", []string{"add", "sam"}, "updated sam (staff); its sessions were ended", ""},
		{"", []string{"list"}, "ana   owner", ""},
		{"", []string{"rm"}, "", "name one account"},
		{"", []string{"rm", "owner"}, "", "owner account stays"},
		{"", []string{"rm", "nobody"}, "", "no such account"},
		{"", []string{"rm", "sam"}, "removed sam", ""},
		{"", []string{"help"}, "usage: assistant console user", ""},
	}
	for _, tc := range cases {
		out, err := run(tc.stdin, tc.args...)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%v: err %v, want %q", tc.args, err, tc.err)
			}
			continue
		}
		if err != nil || !strings.Contains(out, tc.out) {
			t.Errorf("%v: %q, %v; want %q", tc.args, out, err, tc.out)
		}
	}
	if _, err := acc.Verify(ctx, "ana", "another password"); err != nil {
		t.Errorf("ana's password (CRLF stripped): %v", err)
	}
	if _, err := acc.Verify(ctx, "sam", "changed password"); !errors.Is(err, ErrNoAccount) {
		t.Errorf("sam after rm: %v", err)
	}
	trail, _ := acc.AuditTrail(ctx, 10)
	if len(trail) != 4 || trail[0].Account != "cli" || trail[0].Action != "removed an account" {
		t.Errorf("audit trail %+v", trail)
	}
}
