package twilio

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"hash"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// MaxFormParams bounds the parameters of a webhook form. Twilio's richest
// WhatsApp message (ten attachments, a location, a referral) has fewer than
// 60; a form with more is refused before any signature work, so a forged
// request cannot make verification cost more than a genuine one.
const MaxFormParams = 100

// verifier checks X-Twilio-Signature: the HMAC-SHA1 of the URL Twilio
// called and the sorted parameters, base64-encoded. The signed string is
// built once per candidate URL in a reused buffer, so checking costs time
// linear in the form (twilio-go's validator builds it by repeated
// concatenation, quadratic in the parameter count, and tries two URLs).
//
// Candidate URLs: the public URL exactly as configured and, only when its
// port is the scheme's default (or absent), the same URL with that port
// spelled out (or left out), since Twilio may sign either form of it.
// twilio-go also accepts a signature made for the URL with a non-default
// port removed; this verifier does not: Twilio signs the URL it was given,
// port included, and the port-less URL is another service's (a signature
// captured there must not be replayable here).
type verifier struct {
	key  []byte
	pool sync.Pool // *macState
}

type macState struct {
	mac  hash.Hash
	keys []string
	buf  []byte // the signed string
	sum  []byte
	enc  []byte
}

func newVerifier(authToken string) *verifier {
	v := &verifier{key: []byte(authToken)}
	v.pool.New = func() any { return &macState{mac: hmac.New(sha1.New, v.key)} }
	return v
}

// valid reports whether sig is Twilio's signature of fullURL (or its
// default-port twin) and form, signing the first value of each parameter
// as Twilio does.
func (v *verifier) valid(fullURL string, form url.Values, sig string) bool {
	if v.fast(fullURL, form, sig) {
		return true
	}
	twin, ok := defaultPortTwin(fullURL)
	return ok && v.fast(twin, form, sig)
}

// defaultPortTwin returns rawURL with the scheme's default port added when
// it has no port, or removed when it has exactly that port.
func defaultPortTwin(rawURL string) (string, bool) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", false
	}
	def := map[string]string{"https": "443", "http": "80"}[u.Scheme]
	if def == "" {
		return "", false
	}
	switch u.Port() {
	case "":
		u.Host += ":" + def
	case def:
		u.Host = u.Hostname()
		if strings.Contains(u.Host, ":") {
			u.Host = "[" + u.Host + "]" // an IPv6 literal
		}
	default:
		return "", false
	}
	return u.String(), true
}

func (v *verifier) fast(fullURL string, form url.Values, sig string) bool {
	st := v.pool.Get().(*macState)
	defer v.pool.Put(st)
	st.keys = st.keys[:0]
	for k, vals := range form {
		if len(vals) > 0 {
			st.keys = append(st.keys, k)
		}
	}
	slices.Sort(st.keys)
	st.buf = append(st.buf[:0], fullURL...)
	for _, k := range st.keys {
		st.buf = append(st.buf, k...)
		st.buf = append(st.buf, form[k][0]...)
	}
	st.mac.Reset()
	st.mac.Write(st.buf)
	st.sum = st.mac.Sum(st.sum[:0])
	st.enc = base64.StdEncoding.AppendEncode(st.enc[:0], st.sum)
	return hmac.Equal(st.enc, []byte(sig))
}
