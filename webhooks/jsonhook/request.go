package jsonhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// parseWait reads ?wait=: a Go duration ("15s") or whole seconds ("15").
func parseWait(v string) (time.Duration, error) {
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		n, nerr := strconv.Atoi(v)
		if nerr != nil {
			return 0, fmt.Errorf("wait=%q: want a duration such as 15s", v)
		}
		d = time.Duration(n) * time.Second
	}
	if d <= 0 || d > MaxWait {
		return 0, fmt.Errorf("wait=%q: want a duration above 0 and at most %s", v, MaxWait)
	}
	return d, nil
}

// Decode parses and validates a request body. Errors say which field is
// wrong and how.
func Decode(body []byte) (Request, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var req Request
	if err := dec.Decode(&req); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return Request{}, fmt.Errorf("body is not valid JSON: %v (at byte %d)", se, se.Offset)
		case errors.As(err, &te):
			return Request{}, fmt.Errorf("field %q: want a string, got a JSON %s", te.Field, te.Value)
		case errors.Is(err, io.EOF):
			return Request{}, errors.New(`empty body: send {"id", "from", "text"}`)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return Request{}, fmt.Errorf("unknown field %s: the fields are id, from, text and name", strings.TrimPrefix(err.Error(), "json: unknown field "))
		}
		return Request{}, fmt.Errorf("body: %v", err)
	}
	if dec.More() {
		return Request{}, errors.New("body holds more than one JSON value")
	}
	req.ID, req.From, req.Name = strings.TrimSpace(req.ID), strings.TrimSpace(req.From), strings.TrimSpace(req.Name)
	var errs []error // all at once, so a caller fixes them in one go
	check := func(field, v string, max int, required bool) {
		switch {
		case !utf8.ValidString(v):
			errs = append(errs, fmt.Errorf("field %q: not valid UTF-8", field))
		case required && strings.TrimSpace(v) == "":
			errs = append(errs, fmt.Errorf("field %q is required", field))
		case utf8.RuneCountInString(v) > max:
			errs = append(errs, fmt.Errorf("field %q: longer than %d characters", field, max))
		case strings.ContainsFunc(v, isControl(field == "text")):
			errs = append(errs, fmt.Errorf("field %q: contains control characters", field))
		}
	}
	check("id", req.ID, MaxIDLength, true)
	check("from", req.From, MaxFromLength, true)
	check("text", req.Text, MaxTextLength, true)
	check("name", req.Name, MaxNameLength, false)
	if req.From != "" && !validFrom(req.From) {
		errs = append(errs, errors.New(`field "from": use letters, digits and . _ - + @ only (an id of the person in your system)`))
	}
	if len(errs) > 0 {
		msgs := make([]string, len(errs))
		for i, e := range errs {
			msgs[i] = e.Error()
		}
		return Request{}, errors.New(strings.Join(msgs, "; "))
	}
	return req, nil
}

// isControl matches control characters; text may hold line breaks and
// tabs.
func isControl(multiline bool) func(rune) bool {
	return func(r rune) bool {
		if multiline && (r == '\n' || r == '\t' || r == '\r') {
			return false
		}
		return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0)
	}
}

func validFrom(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-+@", r)) {
			return false
		}
	}
	return true
}
