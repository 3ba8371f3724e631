package config

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The parser reads one variable per call and records one error per bad
// value, worded one way: NAME="value": what is wanted (or NAME: what is
// wanted, for secrets, whose values are never echoed).

// parser collects one error per bad variable.
type parser struct {
	getenv Getenv
	errs   []error
}

func (p *parser) raw(name string) string { return strings.TrimSpace(p.getenv(name)) }

func (p *parser) fail(name, v, why string) {
	p.errs = append(p.errs, fmt.Errorf("%s=%q: %s", name, v, why))
}

func (p *parser) str(name, def string) string {
	if v := p.raw(name); v != "" {
		return v
	}
	return def
}

// hostPort reads an optional host:port listen address.
func (p *parser) hostPort(name string) string {
	v := p.raw(name)
	if v == "" {
		return ""
	}
	if _, port, err := net.SplitHostPort(v); err != nil || port == "" {
		p.fail(name, v, "want host:port, such as 127.0.0.1:6060")
		return ""
	}
	return v
}

// listenAddr reads a host:port listen address with a default; "off"
// gives "".
func (p *parser) listenAddr(name, def string) string {
	v := p.raw(name)
	switch {
	case v == "":
		return def
	case strings.EqualFold(v, "off"):
		return ""
	}
	if _, port, err := net.SplitHostPort(v); err != nil || port == "" {
		p.fail(name, v, "want host:port, such as "+def+", or off")
		return ""
	}
	return v
}

// secret reads an optional token of at least min characters. A bad value
// is not echoed: it is a credential.
func (p *parser) secret(name string, min int) string {
	v := p.raw(name)
	if v != "" && len(v) < min {
		p.errs = append(p.errs, fmt.Errorf("%s: want at least %d characters", name, min))
		return ""
	}
	return v
}

// proxies reads a comma-separated list of IPs and CIDRs.
func (p *parser) proxies(name string) []string {
	out := p.list(name)
	for _, v := range out {
		if _, _, err := net.ParseCIDR(v); err == nil {
			continue
		}
		if net.ParseIP(v) == nil {
			p.fail(name, v, "want comma-separated IP addresses or CIDRs, such as 10.0.0.0/8,192.0.2.1")
			return nil
		}
	}
	return out
}

func (p *parser) url(name, def string) string {
	v := p.str(name, def)
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		p.fail(name, v, "want an absolute http(s) URL such as https://bot.example.com")
		return def
	}
	return strings.TrimRight(v, "/")
}

func (p *parser) databaseURL(name string) string {
	v := p.raw(name)
	if v == "" {
		return ""
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		// Never echo the value: it may hold a password.
		p.errs = append(p.errs, fmt.Errorf("%s: want a postgres:// URL (unset it to use the embedded SQLite database)", name))
		return ""
	}
	return v
}

func (p *parser) location(name, def string) *time.Location {
	v := p.str(name, def)
	loc, err := time.LoadLocation(v)
	if err != nil {
		p.fail(name, v, "want an IANA time zone such as Europe/Madrid")
		return time.UTC
	}
	return loc
}

func (p *parser) intRange(name string, def, lo, hi int) int {
	v := p.raw(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		p.fail(name, v, fmt.Sprintf("want a whole number from %d to %d", lo, hi))
		return def
	}
	return n
}

func (p *parser) duration(name string, def time.Duration) time.Duration {
	v := p.raw(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		p.fail(name, v, "want a duration such as 3s or 500ms (0 disables)")
		return def
	}
	return d
}

func (p *parser) list(name string) []string {
	var out []string
	for _, v := range strings.Split(p.raw(name), ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// boolean reads a switch, the same way for every variable: true, yes, on
// or 1; false, no, off or 0 (any case).
func (p *parser) boolean(name string, def bool) bool {
	v := p.raw(name)
	switch strings.ToLower(v) {
	case "":
		return def
	case "true", "yes", "on", "1":
		return true
	case "false", "no", "off", "0":
		return false
	}
	p.fail(name, v, "want true or false")
	return def
}

func (p *parser) oneOf(name, def string, allowed ...string) string {
	v := strings.ToLower(p.str(name, def))
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	p.fail(name, v, "want one of "+strings.Join(allowed, ", "))
	return def
}

// optionalURL reads an http(s) URL that may be unset ("").
func (p *parser) optionalURL(name string) string {
	if p.raw(name) == "" {
		return ""
	}
	return p.url(name, "")
}
