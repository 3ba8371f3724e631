// Package mediastore keeps files Switchboard serves to the messaging
// providers (voice replies that Twilio fetches by URL) and makes signed,
// expiring links to them: PUBLIC_URL/media/<id>?exp=<unix>&sig=<hex>.
//
// Guarantees:
//   - a link is an HMAC-SHA256 over the id and the expiry under a server
//     key, checked in constant time; a forged, altered or expired link gets
//     404, the same answer as a missing file, so links cannot be probed;
//   - only files put here are served (ids are random, never paths);
//   - files are removed when they expire (Sweep) and when their thread is
//     erased (DeleteThread).
package mediastore

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ErrInvalidLink is returned by Verify for a forged, malformed or expired
// link.
var ErrInvalidLink = errors.New("mediastore: invalid or expired link")

// MinKeyLength is the shortest signing key accepted.
const MinKeyLength = 32

// Signer makes and checks signed links under one key.
type Signer struct {
	key  []byte
	base string
	now  func() time.Time
}

// NewSigner returns a signer for links under publicURL (PUBLIC_URL) with
// key, at least MinKeyLength bytes.
func NewSigner(key []byte, publicURL string) (*Signer, error) {
	if len(key) < MinKeyLength {
		return nil, fmt.Errorf("mediastore: signing key of %d bytes; want at least %d", len(key), MinKeyLength)
	}
	return &Signer{key: append([]byte(nil), key...), base: strings.TrimRight(publicURL, "/"), now: time.Now}, nil
}

func (s *Signer) mac(id string, exp int64) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(id))
	m.Write([]byte{0})
	m.Write([]byte(strconv.FormatInt(exp, 10)))
	return m.Sum(nil)
}

// URL returns the signed link to file id, valid until expires.
func (s *Signer) URL(id string, expires time.Time) string {
	exp := expires.Unix()
	return s.base + "/media/" + url.PathEscape(id) + "?exp=" + strconv.FormatInt(exp, 10) + "&sig=" + hex.EncodeToString(s.mac(id, exp))
}

// Verify checks the exp and sig query values of a link to id.
func (s *Signer) Verify(id, exp, sig string) error {
	e, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || id == "" {
		return ErrInvalidLink
	}
	got, err := hex.DecodeString(sig)
	if err != nil || !hmac.Equal(got, s.mac(id, e)) {
		return ErrInvalidLink
	}
	if !s.now().Before(time.Unix(e, 0)) {
		return ErrInvalidLink
	}
	return nil
}
