package twilio

import (
	"net/url"
	"testing"
)

// FuzzVerifier checks the signature verifier on arbitrary URLs, forms and
// signatures: it never panics, accepts what Twilio's algorithm signs for
// the configured URL, and never accepts a signature made for another
// token.
func FuzzVerifier(f *testing.F) {
	f.Add("https://bot.example.com/webhooks/twilio", "From=whatsapp%3A%2B15551234567&Body=hi", "AAAA")
	f.Add("https://bot.example.com:8443/webhooks/twilio?x=1", "a=1&a=2&b=", "")
	f.Add("http://[::1]:80/webhooks/twilio", "%ZZ=1", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
	f.Add("://bad", "", "x")
	f.Fuzz(func(t *testing.T, rawURL, body, sig string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		v := newVerifier(token)
		v.valid(rawURL, form, sig)
		if !v.valid(rawURL, form, signFirst(token, rawURL, form)) {
			t.Fatalf("refused Twilio's signature of %q %v", rawURL, form)
		}
		if v.valid(rawURL, form, signFirst("another-token", rawURL, form)) {
			t.Fatalf("accepted another token's signature of %q %v", rawURL, form)
		}
	})
}

const token = "f00dfeedf00dfeedf00dfeedf00dfeed"
