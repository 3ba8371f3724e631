package mediastore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// MaxFileBytes caps a stored file (WhatsApp's audio limit).
const MaxFileBytes = 16 << 20

// ErrNotFound is returned for a file that does not exist or expired.
var ErrNotFound = errors.New("mediastore: not found")

// meta is what is kept beside a file.
type meta struct {
	Thread      string    `json:"thread"`
	ContentType string    `json:"content_type"`
	Expires     time.Time `json:"expires"`
}

// Dir keeps files in a directory: <id>.bin and <id>.json beside it.
type Dir struct {
	path string
	now  func() time.Time
}

// NewDir returns a store in path (created if missing, mode 0700: the files
// are people's voice replies).
func NewDir(path string) (*Dir, error) {
	if err := os.MkdirAll(path, 0o700); err != nil {
		return nil, fmt.Errorf("mediastore: %w", err)
	}
	return &Dir{path: path, now: time.Now}, nil
}

// validID reports whether id is one Put makes: 32 lower-case hex digits.
// Nothing else reaches the file system.
func validID(id string) bool {
	if len(id) != 32 {
		return false
	}
	for _, r := range id {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

func (d *Dir) file(id, ext string) string { return filepath.Join(d.path, id+ext) }

// Put stores data for thread until expires and returns its id.
func (d *Dir) Put(_ context.Context, thread string, data []byte, contentType string, expires time.Time) (string, error) {
	if len(data) > MaxFileBytes {
		return "", fmt.Errorf("mediastore: file of %d bytes over the %d limit", len(data), MaxFileBytes)
	}
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	id := hex.EncodeToString(b[:])
	m, err := json.Marshal(meta{Thread: thread, ContentType: contentType, Expires: expires})
	if err != nil {
		return "", err
	}
	// The data first, then its description: a file without one is never
	// served, and Sweep removes it.
	if err := os.WriteFile(d.file(id, ".bin"), data, 0o600); err != nil {
		return "", fmt.Errorf("mediastore: %w", err)
	}
	if err := os.WriteFile(d.file(id, ".json"), m, 0o600); err != nil {
		_ = os.Remove(d.file(id, ".bin"))
		return "", fmt.Errorf("mediastore: %w", err)
	}
	return id, nil
}

func (d *Dir) meta(id string) (meta, error) {
	if !validID(id) {
		return meta{}, ErrNotFound
	}
	b, err := os.ReadFile(d.file(id, ".json"))
	if errors.Is(err, fs.ErrNotExist) {
		return meta{}, ErrNotFound
	}
	if err != nil {
		return meta{}, err
	}
	var m meta
	if err := json.Unmarshal(b, &m); err != nil {
		return meta{}, fmt.Errorf("mediastore: %s: %w", id, err)
	}
	return m, nil
}

// Open returns an unexpired file and its content type.
func (d *Dir) Open(_ context.Context, id string) ([]byte, string, error) {
	m, err := d.meta(id)
	if err != nil {
		return nil, "", err
	}
	if !d.now().Before(m.Expires) {
		return nil, "", ErrNotFound
	}
	data, err := os.ReadFile(d.file(id, ".bin"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, "", ErrNotFound
	}
	return data, m.ContentType, err
}

// remove deletes a file and its description.
func (d *Dir) remove(id string) error {
	err1 := os.Remove(d.file(id, ".json"))
	err2 := os.Remove(d.file(id, ".bin"))
	if errors.Is(err1, fs.ErrNotExist) {
		err1 = nil
	}
	if errors.Is(err2, fs.ErrNotExist) {
		err2 = nil
	}
	return errors.Join(err1, err2)
}

// each calls f with the id and description of every file; a data file
// without a description (a Put cut short) has a zero description.
func (d *Dir) each(f func(id string, m meta, err error) error) error {
	entries, err := os.ReadDir(d.path)
	if err != nil {
		return fmt.Errorf("mediastore: %w", err)
	}
	for _, e := range entries {
		id, ext, _ := strings.Cut(e.Name(), ".")
		if !validID(id) || ext != "bin" {
			continue
		}
		m, err := d.meta(id)
		if errors.Is(err, ErrNotFound) {
			err = nil // no description: treated as expired
		}
		if err := f(id, m, err); err != nil {
			return err
		}
	}
	return nil
}

// Sweep removes the files that expired; it returns how many.
func (d *Dir) Sweep(_ context.Context) (int, error) {
	now, n := d.now(), 0
	err := d.each(func(id string, m meta, err error) error {
		if err == nil && now.Before(m.Expires) {
			return nil
		}
		n++
		return d.remove(id)
	})
	return n, err
}

// DeleteThread removes every file of thread.
func (d *Dir) DeleteThread(_ context.Context, thread string) error {
	return d.each(func(id string, m meta, err error) error {
		if err != nil || m.Thread != thread {
			return nil
		}
		return d.remove(id)
	})
}

// Opener gives the files a Handler serves.
type Opener interface {
	Open(ctx context.Context, id string) ([]byte, string, error)
}

// Handler serves GET /media/{id} for signed links; anything wrong is 404.
func Handler(s *Signer, files Opener) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		id := strings.TrimPrefix(r.URL.Path, "/media/")
		q := r.URL.Query()
		if s.Verify(id, q.Get("exp"), q.Get("sig")) != nil {
			http.NotFound(w, r)
			return
		}
		data, ct, err := files.Open(r.Context(), id)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		if ct == "" {
			ct = http.DetectContentType(data)
		}
		exp, _ := strconv.ParseInt(q.Get("exp"), 10, 64)
		w.Header().Set("Content-Type", ct)
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		w.Header().Set("Cache-Control", "private, max-age="+strconv.FormatInt(max(0, exp-s.now().Unix()), 10))
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if r.Method == http.MethodHead {
			return
		}
		_, _ = w.Write(data)
	})
}
