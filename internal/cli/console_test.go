package cli

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/config"
	"github.com/switchboardhq/switchboard/console"
)

func TestConsoleUserCLI(t *testing.T) {
	ctx := context.Background()
	env := envMap(map[string]string{"ASSISTANT_DATA_DIR": t.TempDir()})
	var out, errOut bytes.Buffer
	if code := run(ctx, []string{"console", "user", "add", "sam"}, env, strings.NewReader("staff password\n"), &out, &errOut); code != 0 {
		t.Fatalf("add: %d %s", code, errOut.String())
	}
	out.Reset()
	if code := run(ctx, []string{"console", "user", "list"}, env, strings.NewReader(""), &out, &errOut); code != 0 || !strings.Contains(out.String(), "sam") {
		t.Fatalf("list: %d %q %s", code, out.String(), errOut.String())
	}
	errOut.Reset()
	if code := run(ctx, []string{"console", "users"}, env, strings.NewReader(""), &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "usage") {
		t.Fatalf("bad subcommand: %d %q", code, errOut.String())
	}
}

func TestNewConsole(t *testing.T) {
	ctx := context.Background()
	get := envMap(map[string]string{"ASSISTANT_DATA_DIR": t.TempDir()})
	cfg, err := config.Load(get)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	a, err := newApp(ctx, cfg, get, slog.New(slog.NewTextHandler(&logs, nil)), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ag, err := a.buildAgent(a.models.Chat)
	if err != nil {
		t.Fatal(err)
	}
	off, err := newConsole(ctx, a, ag, "", nil, nil)
	if err != nil || off != nil || !strings.Contains(logs.String(), "console off") {
		t.Fatalf("without a password: %v, %v, logs %q", off, err, logs.String())
	}
	c, err := newConsole(ctx, a, ag, "a long enough password", nil, nil)
	if err != nil || c == nil {
		t.Fatalf("newConsole: %v", err)
	}
	srv := httptest.NewServer(c)
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(srv.URL + console.Prefix + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), console.Prefix+"/signin") {
		t.Fatalf("anonymous GET: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}
