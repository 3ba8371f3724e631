package twilio

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"math/rand/v2"
	"net/url"
	"slices"
	"testing"

	"github.com/twilio/twilio-go/client"
)

// signFirst signs fullURL and the first value of each parameter, as
// Twilio does for the single-valued forms it posts.
func signFirst(token, fullURL string, form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	s := fullURL
	for _, k := range keys {
		s += k + form.Get(k)
	}
	m := hmac.New(sha1.New, []byte(token))
	m.Write([]byte(s))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func firstValues(form url.Values) map[string]string {
	p := map[string]string{}
	for k, v := range form {
		if len(v) > 0 {
			p[k] = v[0]
		}
	}
	return p
}

// TestVerifierAgreesWithTwilioGo checks, over random forms, URLs and
// signatures, that the verifier accepts exactly what twilio-go's validator
// accepts, but for one case it refuses on purpose: a signature made for the
// URL without its non-default port.
func TestVerifierAgreesWithTwilioGo(t *testing.T) {
	const token = "f00dfeedf00dfeedf00dfeedf00dfeed"
	v := newVerifier(token)
	ref := client.NewRequestValidator(token)
	rng := rand.New(rand.NewPCG(7, 11))
	urls := []string{
		"https://bot.example.com/webhooks/twilio",
		"https://bot.example.com:443/webhooks/twilio",
		"https://bot.example.com:8443/webhooks/twilio?x=1&y=%20z",
		"http://localhost:8080/webhooks/twilio/status",
		"http://bot.example.com/webhooks/twilio",
	}
	alphabet := []rune("aZ09 +&=%:/_-ñ😀\"\\\n")
	word := func(n int) string {
		r := make([]rune, rng.IntN(n))
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(r)
	}
	fastAccepted, accepted := 0, 0
	for i := range 3000 {
		u := urls[rng.IntN(len(urls))]
		form := url.Values{}
		for range rng.IntN(12) {
			k := []string{"From", "To", "Body", "MessageSid", "NumMedia", word(6)}[rng.IntN(6)]
			form.Add(k, word(20))
		}
		var sig string
		switch rng.IntN(6) {
		case 5: // signed for the URL with its port removed
			p, _ := url.Parse(u)
			p.Host = p.Hostname()
			sig = signFirst(token, p.String(), form)
		case 0: // what Twilio sends
			sig = signFirst(token, u, form)
		case 1: // signed for the URL with its default port spelled out
			p, _ := url.Parse(u)
			if p.Port() == "" {
				p.Host += map[string]string{"https": ":443", "http": ":80"}[p.Scheme]
			}
			sig = signFirst(token, p.String(), form)
		case 2: // another token
			sig = signFirst("another", u, form)
		case 3: // a changed parameter
			sig = signFirst(token, u, form)
			form.Set("Body", word(5)+"!")
		default:
			sig = word(28)
		}
		fast, got, want := v.fast(u, form, sig), v.valid(u, form, sig), ref.Validate(u, firstValues(form), sig)
		if p, _ := url.Parse(u); p.Port() != "" && p.Port() != "443" && p.Port() != "80" {
			want = want && sig == signFirst(token, u, form) // the port is part of what Twilio signed
		}
		if got != want || (fast && !want) {
			t.Fatalf("case %d: url %q form %v sig %q: fast %v, verifier %v, twilio-go %v", i, u, form, sig, fast, got, want)
		}
		if fast {
			fastAccepted++
		}
		if got {
			accepted++
		}
	}
	// Both paths must have been exercised.
	if fastAccepted < 400 || accepted-fastAccepted < 100 || accepted > 2500 {
		t.Fatalf("accepted %d (fast path %d) of 3000: the cases do not cover both paths", accepted, fastAccepted)
	}
}

// TestVerifierTwilioExample is the example in Twilio's documentation.
func TestVerifierTwilioExample(t *testing.T) {
	form := url.Values{
		"Digits":  {"1234"},
		"CallSid": {"CA1234567890ABCDE"},
		"To":      {"+18005551212"},
		"Caller":  {"+14158675309"},
		"From":    {"+14158675309"},
	}
	const u, sig = "https://mycompany.com/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8="
	if v := newVerifier("12345"); !v.fast(u, form, sig) || v.fast(u, form, "x"+sig[1:]) {
		t.Fatal("the fast path disagrees with Twilio's example")
	}
}

func TestVerifierAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	v := newVerifier("f00dfeedf00dfeedf00dfeedf00dfeed")
	form := inboundForm()
	sig := signFirst("f00dfeedf00dfeedf00dfeedf00dfeed", "https://bot.example.com/webhooks/twilio", form)
	if n := testing.AllocsPerRun(200, func() {
		if !v.fast("https://bot.example.com/webhooks/twilio", form, sig) {
			t.Fatal("rejected")
		}
	}); n > 0 {
		t.Fatalf("fast path allocates %v times per request, want 0", n)
	}
}

// inboundForm is a WhatsApp message as Twilio posts it.
func inboundForm() url.Values {
	return url.Values{
		"SmsMessageSid": {"SM0123456789abcdef0123456789abcdef"}, "NumMedia": {"0"}, "ProfileName": {"Ana"},
		"MessageType": {"text"}, "SmsSid": {"SM0123456789abcdef0123456789abcdef"}, "WaId": {"15551234567"},
		"SmsStatus": {"received"}, "Body": {"Can you move my 3pm to 4pm tomorrow?"}, "To": {"whatsapp:+15550001111"},
		"NumSegments": {"1"}, "ReferralNumMedia": {"0"}, "MessageSid": {"SM0123456789abcdef0123456789abcdef"},
		"AccountSid": {"AC00000000000000000000000000000001"}, "From": {"whatsapp:+15551234567"}, "ApiVersion": {"2010-04-01"},
	}
}

// BenchmarkSignature compares twilio-go's validator with the verifier on a
// typical inbound form:
//
//	go test -run '^$' -bench Signature -benchmem ./webhooks/twilio/
func BenchmarkSignature(b *testing.B) {
	const token, u = "f00dfeedf00dfeedf00dfeedf00dfeed", "https://bot.example.com/webhooks/twilio"
	form := inboundForm()
	sig := signFirst(token, u, form)
	b.Run("twilio-go", func(b *testing.B) {
		ref := client.NewRequestValidator(token)
		for b.Loop() {
			if !ref.Validate(u, firstValues(form), sig) {
				b.Fatal("rejected")
			}
		}
	})
	b.Run("verifier", func(b *testing.B) {
		v := newVerifier(token)
		for b.Loop() {
			if !v.valid(u, form, sig) {
				b.Fatal("rejected")
			}
		}
	})
}

func TestVerifierPorts(t *testing.T) {
	const token = "f00dfeedf00dfeedf00dfeedf00dfeed"
	v := newVerifier(token)
	form := url.Values{"From": {"whatsapp:+15551234567"}, "Body": {"hi"}}
	tests := []struct {
		configured, signed string
		want               bool
	}{
		{"https://bot.example.com/webhooks/twilio", "https://bot.example.com/webhooks/twilio", true},
		{"https://bot.example.com/webhooks/twilio", "https://bot.example.com:443/webhooks/twilio", true},
		{"https://bot.example.com:443/webhooks/twilio", "https://bot.example.com/webhooks/twilio", true},
		{"https://bot.example.com:8443/webhooks/twilio", "https://bot.example.com:8443/webhooks/twilio", true},
		// twilio-go accepts these two; the port is part of the signed URL.
		{"https://bot.example.com:8443/webhooks/twilio", "https://bot.example.com/webhooks/twilio", false},
		{"http://localhost:8080/webhooks/twilio", "http://localhost/webhooks/twilio", false},
		{"https://bot.example.com/webhooks/twilio", "https://bot.example.com:8443/webhooks/twilio", false},
		{"https://bot.example.com/webhooks/twilio", "http://bot.example.com/webhooks/twilio", false},
	}
	for _, tt := range tests {
		if got := v.valid(tt.configured, form, signFirst(token, tt.signed, form)); got != tt.want {
			t.Errorf("configured %s, signed for %s: valid = %v, want %v", tt.configured, tt.signed, got, tt.want)
		}
	}
}
