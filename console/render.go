package console

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// templates holds one parsed set per page: the layout and partials plus
// the page's own file.
type templates struct {
	pages map[string]*template.Template
}

var funcs = template.FuncMap{
	"join":   strings.Join,
	"inc":    func(i int) int { return i + 1 },
	"prefix": func() string { return Prefix },
}

func parseTemplates() (*templates, error) {
	base, err := template.New("base").Funcs(funcs).ParseFS(templateFS, "templates/_*.html")
	if err != nil {
		return nil, fmt.Errorf("console: templates: %w", err)
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("console: templates: %w", err)
	}
	t := &templates{pages: map[string]*template.Template{}}
	for _, n := range names {
		file := path.Base(n)
		if strings.HasPrefix(file, "_") {
			continue
		}
		set, err := template.Must(base.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return nil, fmt.Errorf("console: template %s: %w", file, err)
		}
		t.pages[strings.TrimSuffix(file, ".html")] = set
	}
	return t, nil
}

// view is what every page template gets.
type view struct {
	Title   string
	Page    string
	Signed  bool
	Account string
	Role    Role
	IsOwner bool
	CSRF    string
	HasLab  bool
	HasGym  bool
	HasDesk bool
	Data    any
}

func (c *Console) view(rq *request, page, title string, data any) view {
	return view{
		Title:   title,
		Page:    page,
		Signed:  rq != nil && rq.token != "",
		Account: rq.session.Account,
		Role:    rq.session.Role,
		IsOwner: rq.session.Role == RoleOwner,
		CSRF:    rq.csrf,
		HasLab:  c.cfg.Lab != nil,
		HasGym:  c.cfg.Leaderboards != nil,
		HasDesk: c.cfg.Business != nil,
		Data:    data,
	}
}

// render writes a whole page: the layout around the page's content.
func (c *Console) render(w http.ResponseWriter, r *http.Request, rq *request, page, title string, data any) {
	c.execute(w, r, page, "layout", c.view(rq, page, title, data))
}

// fragment writes one named template of a page alone (live updates).
func (c *Console) fragment(w http.ResponseWriter, r *http.Request, rq *request, page, name string, data any) {
	c.execute(w, r, page, name, c.view(rq, page, "", data))
}

func (c *Console) execute(w http.ResponseWriter, r *http.Request, page, name string, v view) {
	set, ok := c.pages.pages[page]
	if !ok {
		c.fail(w, r, fmt.Errorf("console: no template %q", page))
		return
	}
	var b bytes.Buffer
	if err := set.ExecuteTemplate(&b, name, v); err != nil {
		c.fail(w, r, fmt.Errorf("console: render %s/%s: %w", page, name, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(b.Bytes())
}

type messageView struct {
	Heading string
	Text    string
}

// staticHandler serves the embedded CSS and script, cacheable for an hour.
func staticHandler() http.Handler {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err) // the embed pattern guarantees the directory
	}
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age="+fmt.Sprint(int(time.Hour.Seconds())))
		files.ServeHTTP(w, r)
	})
}
