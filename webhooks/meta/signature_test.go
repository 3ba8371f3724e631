package meta_test

import (
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/webhooks/meta"
)

func TestValidSignature(t *testing.T) {
	const secret = "app-secret"
	body := []byte(`{"object":"whatsapp_business_account"}`)
	good := meta.Sign(secret, body)
	cases := []struct {
		name, secret, header string
		body                 []byte
		want                 bool
	}{
		{"valid", secret, good, body, true},
		{"valid, upper-case hex", secret, "sha256=" + strings.ToUpper(strings.TrimPrefix(good, "sha256=")), body, true},
		{"surrounding spaces", secret, " " + good + " ", body, true},
		{"another secret", "other", good, body, false},
		{"body changed", secret, good, append([]byte(nil), append(body, ' ')...), false},
		{"no secret configured", "", meta.Sign("", body), body, false},
		{"missing", secret, "", body, false},
		{"no prefix", secret, strings.TrimPrefix(good, "sha256="), body, false},
		{"sha1 prefix", secret, "sha1=" + strings.TrimPrefix(good, "sha256="), body, false},
		{"truncated", secret, good[:len(good)-2], body, false},
		{"too long", secret, good + "00", body, false},
		{"not hex", secret, "sha256=" + strings.Repeat("zz", 32), body, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := meta.ValidSignature(c.secret, c.body, c.header); got != c.want {
				t.Fatalf("ValidSignature = %v, want %v", got, c.want)
			}
		})
	}
}

// FuzzValidSignature checks that a body's own signature always verifies,
// that a tampered body never does, and that no header makes the check
// panic or pass for a body it was not made for.
func FuzzValidSignature(f *testing.F) {
	f.Add("secret", []byte(`{"object":"whatsapp_business_account"}`), "sha256=00")
	f.Add("s", []byte{}, "")
	f.Add("s", []byte("x"), "sha256="+strings.Repeat("a", 64))
	f.Fuzz(func(t *testing.T, secret string, body []byte, header string) {
		valid := meta.ValidSignature(secret, body, header)
		if valid && secret == "" {
			t.Fatal("valid without a secret")
		}
		if secret == "" {
			return
		}
		sig := meta.Sign(secret, body)
		if !meta.ValidSignature(secret, body, sig) {
			t.Fatal("a body's own signature does not verify")
		}
		if meta.ValidSignature(secret, append(append([]byte(nil), body...), 'x'), sig) {
			t.Fatal("a tampered body verifies")
		}
		if valid && !strings.EqualFold(strings.TrimSpace(header), sig) {
			t.Fatalf("header %q verified but is not the signature %q", header, sig)
		}
	})
}
