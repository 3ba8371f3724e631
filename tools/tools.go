// Package tools turns plain Go functions into tools a model can call.
//
// A tool is a function of the form
//
//	func(ctx context.Context, args T) (R, error)
//
// registered with a name and a description:
//
//	weather, err := tools.New("get_weather", "Current weather for a city",
//		func(ctx context.Context, a WeatherArgs) (Weather, error) { ... })
//
// ([Must] turns the error, a programming error, into a panic.)
//
// The JSON Schema of T, which the model sees, is generated from the struct
// with github.com/google/jsonschema-go:
//
//   - the `json` tag names a property; a field without omitempty (or
//     omitzero) is required;
//   - the `jsonschema:"..."` tag is the property's description (it must not
//     start with "WORD=", which the library reserves);
//   - an `enum:"a,b,c"` tag limits a property (or the items of a slice) to
//     those values; the values are converted to the field's kind, so
//     `enum:"1,2,3"` on an int field gives numbers;
//   - pointer and slice fields are described with their plain type, never
//     with ["null", ...], which some providers reject; a JSON null sent by the
//     model for an optional property is treated as if the property were
//     absent;
//   - unknown properties are rejected (additionalProperties is false).
//
// Arguments from the model are validated against that schema before the
// function runs. R is marshalled to JSON for the model; a string R is passed
// as is.
//
// A [Set] holds the tools offered in a conversation. [Set.Run] executes a
// batch of tool calls concurrently, each under a timeout and with panic
// recovery, and always returns exactly one tool-result message per call, in
// call order: an invalid argument, an unknown tool, an error, a timeout or a
// panic becomes a result with IsError set that tells the model what went
// wrong, so the conversation goes on.
package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/switchboardhq/switchboard/llm"
)

// Must returns v, and panics if err is not nil. It is for building tools
// and sets whose arguments are fixed in the program, where an error is a
// programming error found at start-up:
//
//	weather := tools.Must(tools.New("get_weather", "Current weather for a city", getWeather))
func Must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// Tool is something a model can call. [New] builds one from a Go function;
// other implementations are welcome (a [Set] accepts any Tool).
type Tool interface {
	// Name is the name the model calls the tool by.
	Name() string
	// Def describes the tool to the model.
	Def() llm.ToolDef
	// Call runs the tool with the JSON arguments the model produced and
	// returns the text for the model. It reports malformed arguments with an
	// *[ArgumentsError].
	Call(ctx context.Context, args string) (string, error)
	// Timeout is how long one call may take; zero means the Set's default.
	Timeout() time.Duration
	// RequiresConfirmation reports whether a call must be approved (by the
	// owner, for example) before it runs. The Set does not enforce it; a
	// flow checks it and interrupts the graph for approval.
	RequiresConfirmation() bool
}

// Option configures a tool built by [New].
type Option func(*options)

type options struct {
	timeout      time.Duration
	confirmation bool
	readOnly     bool
	schemaHooks  []func(*jsonschema.Schema) error
}

// WithTimeout sets how long one call of the tool may take, overriding the
// Set's default.
func WithTimeout(d time.Duration) Option {
	return func(o *options) { o.timeout = d }
}

// RequiresConfirmation marks the tool as needing approval before it runs;
// see [Tool.RequiresConfirmation].
func RequiresConfirmation() Option {
	return func(o *options) { o.confirmation = true }
}

// ReadOnly marks the tool as changing nothing outside its answer (a
// search, a listing): running it twice does no harm. An agent then need
// not store its turn before going on after calling only such tools (see
// [Set.ReadOnly]); a tool that books, sends, writes or deletes must not
// be marked.
func ReadOnly() Option {
	return func(o *options) { o.readOnly = true }
}

// WithSchema lets the caller adjust the generated argument schema (add a
// pattern, a minimum, a format...). The hook runs after the package's own
// post-processing and before the schema is resolved; the adjusted schema is
// both shown to the model and used for validation.
func WithSchema(hook func(s *jsonschema.Schema) error) Option {
	return func(o *options) { o.schemaHooks = append(o.schemaHooks, hook) }
}

// validName reports whether name is what OpenAI, Anthropic and Gemini all
// accept as a tool name: 1 to 64 letters, digits, '_' or '-'.
func validName(name string) bool {
	if len(name) == 0 || len(name) > 64 {
		return false
	}
	for _, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-'
		if !ok {
			return false
		}
	}
	return true
}

// funcTool is the Tool built by New.
type funcTool[T, R any] struct {
	def      llm.ToolDef
	resolved *jsonschema.Resolved
	fn       func(context.Context, T) (R, error)
	opts     options
}

// New builds a tool from a function. T must be a struct (or a pointer to
// one); its schema is generated as described in the package documentation.
//
// New returns an error if the name is not a valid tool name (letters,
// digits, '_' and '-', at most 64), the description is empty, fn is nil, a
// timeout is negative, or no schema can be built for T. These are
// programming errors: wrap a call whose arguments are constants in [Must].
func New[T, R any](name, description string, fn func(ctx context.Context, args T) (R, error), opts ...Option) (Tool, error) {
	if !validName(name) {
		return nil, fmt.Errorf("tools: invalid tool name %q: use 1 to 64 letters, digits, '_' or '-'", name)
	}
	if description == "" {
		return nil, fmt.Errorf("tools: tool %q: empty description", name)
	}
	if fn == nil {
		return nil, fmt.Errorf("tools: tool %q: nil function", name)
	}
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.timeout < 0 {
		return nil, fmt.Errorf("tools: tool %q: negative timeout %v", name, o.timeout)
	}
	schema, err := SchemaFor[T]()
	if err != nil {
		return nil, fmt.Errorf("tools: tool %q: %w", name, err)
	}
	for _, hook := range o.schemaHooks {
		if err := hook(schema); err != nil {
			return nil, fmt.Errorf("tools: tool %q: schema hook: %w", name, err)
		}
	}
	resolved, err := schema.Resolve(nil)
	if err != nil {
		return nil, fmt.Errorf("tools: tool %q: resolving schema: %w", name, err)
	}
	params, err := json.Marshal(schema)
	if err != nil {
		return nil, fmt.Errorf("tools: tool %q: marshalling schema: %w", name, err)
	}
	return &funcTool[T, R]{
		def:      llm.ToolDef{Name: name, Description: description, Parameters: params},
		resolved: resolved,
		fn:       fn,
		opts:     o,
	}, nil
}

// Name implements [Tool].
func (t *funcTool[T, R]) Name() string { return t.def.Name }

// Def implements [Tool]. The returned definition shares nothing with the
// tool: changing it does not change the tool.
func (t *funcTool[T, R]) Def() llm.ToolDef {
	d := t.def
	d.Parameters = bytes.Clone(t.def.Parameters)
	return d
}

// Timeout implements [Tool].
func (t *funcTool[T, R]) Timeout() time.Duration { return t.opts.timeout }

// ReadOnly reports whether the tool was built with [ReadOnly]; see
// [Set.ReadOnly].
func (t *funcTool[T, R]) ReadOnly() bool { return t.opts.readOnly }

// RequiresConfirmation implements [Tool].
func (t *funcTool[T, R]) RequiresConfirmation() bool { return t.opts.confirmation }

// Call implements [Tool]: it validates args against the schema, decodes
// them into T, runs the function and encodes its result.
func (t *funcTool[T, R]) Call(ctx context.Context, args string) (string, error) {
	if len(bytes.TrimSpace([]byte(args))) == 0 {
		// Some models send nothing at all for a tool without arguments.
		args = "{}"
	}
	var instance any
	if err := json.Unmarshal([]byte(args), &instance); err != nil {
		return "", &ArgumentsError{Tool: t.def.Name, Err: fmt.Errorf("not valid JSON: %w", err)}
	}
	instance = dropNulls(instance)
	if _, ok := instance.(map[string]any); !ok {
		return "", &ArgumentsError{Tool: t.def.Name, Err: errors.New("the arguments must be a JSON object")}
	}
	if err := t.resolved.Validate(instance); err != nil {
		return "", &ArgumentsError{Tool: t.def.Name, Err: validationError{err}}
	}
	// Decode the cleaned instance, not the raw text, so that dropped nulls
	// stay dropped.
	clean, err := json.Marshal(instance)
	if err != nil {
		return "", &ArgumentsError{Tool: t.def.Name, Err: err}
	}
	var a T
	if err := json.Unmarshal(clean, &a); err != nil {
		return "", &ArgumentsError{Tool: t.def.Name, Err: err}
	}
	r, err := t.fn(ctx, a)
	if err != nil {
		return "", err
	}
	return encodeResult(r)
}

// encodeResult turns a tool's result into text for the model.
func encodeResult(r any) (string, error) {
	switch v := r.(type) {
	case string:
		return v, nil
	case json.RawMessage:
		return string(v), nil
	}
	b, err := json.Marshal(r)
	if err != nil {
		return "", fmt.Errorf("encoding the result: %w", err)
	}
	return string(b), nil
}

// dropNulls removes object members whose value is null, recursively, so a
// model that spells an omitted optional argument as null is understood. A
// null in a required property then shows up as a missing property.
func dropNulls(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if e == nil {
				delete(v, k)
				continue
			}
			v[k] = dropNulls(e)
		}
	case []any:
		for i, e := range v {
			v[i] = dropNulls(e)
		}
	}
	return v
}

// ArgumentsError reports arguments that are not valid JSON or do not match
// the tool's schema. Its message is meant for the model, which can fix the
// arguments and call again.
type ArgumentsError struct {
	// Tool is the tool's name.
	Tool string
	// Err is what is wrong.
	Err error
}

// Error implements error.
func (e *ArgumentsError) Error() string {
	return fmt.Sprintf("invalid arguments for %s: %v", e.Tool, e.Err)
}

// Unwrap returns the underlying error.
func (e *ArgumentsError) Unwrap() error { return e.Err }

// validationError shortens the schema library's messages for the model:
// "validating root: " says nothing to it.
type validationError struct{ err error }

// Error implements error.
func (e validationError) Error() string {
	return strings.TrimPrefix(e.err.Error(), "validating root: ")
}

// Unwrap returns the library's error.
func (e validationError) Unwrap() error { return e.err }

// UserError is an error whose message is safe and useful to show to the
// model and, through it, the user ("no table is free at 9 pm"). Any other
// error a tool returns is treated as internal: it is logged, and the model
// only learns that the tool failed.
type UserError struct {
	err error
}

// Errorf returns a *[UserError] with a formatted message; %w wraps a cause
// as with [fmt.Errorf].
func Errorf(format string, a ...any) error {
	return &UserError{err: fmt.Errorf(format, a...)}
}

// Error implements error.
func (e *UserError) Error() string { return e.err.Error() }

// Unwrap returns the wrapped cause, if any.
func (e *UserError) Unwrap() error { return errors.Unwrap(e.err) }

// isStruct reports whether t, after pointers, is a struct.
func isStruct(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct
}
