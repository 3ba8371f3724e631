package business

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
)

// MaxFileSize bounds a business file.
const MaxFileSize = 1 << 20

// Bounds of a profile, so one file cannot make every prompt huge.
const (
	maxServices   = 50
	maxFAQs       = 200
	maxClosed     = 400
	maxRangesADay = 8
	maxShort      = 200  // names, prices, greeting lines
	maxLong       = 2000 // descriptions, FAQ answers
)

// scalar is one YAML value as written, with where it was written. It is
// decoded from any scalar node; a list or mapping where a single value
// belongs is an error naming the line.
type scalar struct {
	val   string
	line  int
	field string
	set   bool
}

// UnmarshalYAML implements go-yaml's NodeUnmarshaler.
func (s *scalar) UnmarshalYAML(n ast.Node) error {
	s.line, s.field = nodeLine(n), fieldPath(n)
	switch n.Type() {
	case ast.MappingType, ast.MappingValueType, ast.SequenceType:
		return &FileError{Line: s.line, Field: s.field, Err: errors.New("want a single value here, not a list or a mapping")}
	case ast.NullType:
		return nil
	}
	var v any
	if err := yaml.NodeToValue(n, &v); err != nil {
		return &FileError{Line: s.line, Field: s.field, Err: err}
	}
	s.val, s.set = strings.TrimSpace(fmt.Sprint(v)), true
	return nil
}

// rawFile is the YAML shape of a business file.
type rawFile struct {
	Name        scalar   `yaml:"name"`
	Category    scalar   `yaml:"category"`
	Description scalar   `yaml:"description"`
	Address     scalar   `yaml:"address"`
	Phone       scalar   `yaml:"phone"`
	Website     scalar   `yaml:"website"`
	Timezone    scalar   `yaml:"timezone"`
	Languages   []scalar `yaml:"languages"`
	Greeting    scalar   `yaml:"greeting"`
	Hours       rawHours `yaml:"hours"`
	Closed      []scalar `yaml:"closed"`
	Booking     struct {
		MinNotice scalar `yaml:"min_notice"`
		Horizon   scalar `yaml:"horizon"`
		Duration  scalar `yaml:"duration"`
		Capacity  scalar `yaml:"capacity"`
		SlotStep  scalar `yaml:"slot_step"`
	} `yaml:"booking"`
	Services []struct {
		Name        scalar `yaml:"name"`
		Duration    scalar `yaml:"duration"`
		Capacity    scalar `yaml:"capacity"`
		Price       scalar `yaml:"price"`
		Description scalar `yaml:"description"`
	} `yaml:"services"`
	FAQs []struct {
		Q scalar `yaml:"q"`
		A scalar `yaml:"a"`
	} `yaml:"faqs"`
}

// rawHours is the hours mapping: weekday key → list of ranges.
type rawHours struct {
	line int
	days [7][]scalar
	seen [7]bool
}

// UnmarshalYAML implements go-yaml's NodeUnmarshaler. Keys are weekdays;
// each value is a list of "HH:MM-HH:MM" (a single string is accepted too).
func (h *rawHours) UnmarshalYAML(n ast.Node) error {
	h.line = nodeLine(n)
	if n.Type() == ast.NullType {
		return nil
	}
	m, ok := n.(ast.MapNode)
	if !ok {
		return &FileError{Line: h.line, Field: fieldPath(n), Err: errors.New("want a mapping of weekdays (mon … sun) to lists of HH:MM-HH:MM ranges")}
	}
	it := m.MapRange()
	for it.Next() {
		key, val := it.Key(), it.Value()
		wd, err := ParseWeekday(key.GetToken().Value)
		if err != nil {
			return &FileError{Line: nodeLine(key), Field: "hours", Err: err}
		}
		if h.seen[wd] {
			return &FileError{Line: nodeLine(key), Field: "hours." + weekdayKeys[wd], Err: errors.New("weekday given twice")}
		}
		h.seen[wd] = true
		switch val.Type() {
		case ast.NullType:
		case ast.SequenceType:
			if err := yaml.NodeToValue(val, &h.days[wd]); err != nil {
				return err
			}
		default:
			var one scalar
			if err := one.UnmarshalYAML(val); err != nil {
				return err
			}
			h.days[wd] = []scalar{one}
		}
	}
	return nil
}

// Load reads and validates the business file at path. Errors name the
// file, the line and the field.
func Load(path string) (*Profile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("business: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("business: reading %s: %w", path, err)
	}
	if len(data) > MaxFileSize {
		return nil, &FileError{File: filepath.Base(path), Err: fmt.Errorf("the file is larger than %d bytes", MaxFileSize)}
	}
	return Parse(filepath.Base(path), data)
}

// Parse reads and validates a business file's content; name is used in
// errors. Every problem found after decoding is reported (joined), each a
// *FileError with its line and field.
func Parse(name string, data []byte) (*Profile, error) {
	if !utf8.Valid(data) {
		return nil, &FileError{File: name, Err: errors.New("the file is not UTF-8 text")}
	}
	var raw rawFile
	if err := decode(data, &raw); err != nil {
		return nil, fromYAML(name, err)
	}
	v := validator{file: name}
	p := v.profile(&raw)
	if len(v.errs) > 0 {
		return nil, errors.Join(v.errs...)
	}
	return p, nil
}

// decode runs go-yaml on data. go-yaml v1.19.2 panics on some malformed
// input (an empty tag before a sequence, found by FuzzParse); a file must
// be an error, never a crash, so a panic becomes one.
func decode(data []byte, raw *rawFile) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the file is not valid YAML (the parser failed: %v)", r)
		}
	}()
	return yaml.UnmarshalWithOptions(data, raw, yaml.DisallowUnknownField())
}
