package business

import (
	"errors"
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
)

// FileError is a problem with a business file, at a line (1-based; 0 when
// the problem is a missing field) and a field path such as "hours.fri[1]"
// or "services[0].duration".
type FileError struct {
	File  string
	Line  int
	Field string
	Err   error
}

func (e *FileError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
	} else {
		b.WriteString("business file")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *FileError) Unwrap() error { return e.Err }

// fieldPath turns go-yaml's "$.services[0].name" into "services[0].name".
func fieldPath(n ast.Node) string {
	return strings.TrimPrefix(strings.TrimPrefix(n.GetPath(), "$"), ".")
}

// nodeLine returns the line of n's token, or 0.
func nodeLine(n ast.Node) int {
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line
	}
	return 0
}

// fromYAML turns a go-yaml error (syntax, type, duplicate or unknown key)
// into a *FileError with its line. Errors that already are FileErrors pass
// through.
func fromYAML(file string, err error) error {
	var fe *FileError
	if errors.As(err, &fe) {
		fe.File = file
		return fe
	}
	var ye yaml.Error
	if errors.As(err, &ye) {
		out := &FileError{File: file, Err: errors.New(ye.GetMessage())}
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			out.Line = tk.Position.Line
		}
		var unknown *yaml.UnknownFieldError
		if errors.As(err, &unknown) && unknown.Token != nil {
			out.Field = unknown.Token.Value
			out.Err = errors.New("unknown field (check its spelling and indentation)")
		}
		return out
	}
	return &FileError{File: file, Err: err}
}
