package tools

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/google/jsonschema-go/jsonschema"
)

// SchemaFor returns the argument schema [New] generates for T: the schema
// of jsonschema.For, with `enum` tags applied, ["null", X] types reduced to
// X, and an empty properties object on argument structs without fields.
// T must be a struct or a pointer to one.
func SchemaFor[T any]() (*jsonschema.Schema, error) {
	t := reflect.TypeFor[T]()
	if !isStruct(t) {
		return nil, fmt.Errorf("argument type %v is not a struct", t)
	}
	s, err := jsonschema.For[T](nil)
	if err != nil {
		return nil, fmt.Errorf("generating the schema of %v: %w", t, err)
	}
	if err := applyEnums(t, s); err != nil {
		return nil, fmt.Errorf("schema of %v: %w", t, err)
	}
	dropNullTypes(s)
	if s.Properties == nil {
		// Providers expect "properties" on an object, even an empty one.
		s.Properties = map[string]*jsonschema.Schema{}
	}
	return s, nil
}

// dropNullTypes rewrites every ["null", X] type to X, recursively.
func dropNullTypes(s *jsonschema.Schema) {
	if s == nil {
		return
	}
	if len(s.Types) > 0 {
		types := slices.DeleteFunc(slices.Clone(s.Types), func(t string) bool { return t == "null" })
		switch len(types) {
		case 0:
			// Only null: leave it; nothing better to say.
		case 1:
			s.Type, s.Types = types[0], nil
		default:
			s.Types = types
		}
	}
	for _, c := range s.Properties {
		dropNullTypes(c)
	}
	for _, c := range s.Defs {
		dropNullTypes(c)
	}
	dropNullTypes(s.Items)
	dropNullTypes(s.AdditionalProperties)
	for _, list := range [][]*jsonschema.Schema{s.PrefixItems, s.ItemsArray, s.AllOf, s.AnyOf, s.OneOf} {
		for _, c := range list {
			dropNullTypes(c)
		}
	}
}

// applyEnums walks the Go type t alongside its schema s and sets Enum from
// every `enum:"a,b,c"` struct tag.
func applyEnums(t reflect.Type, s *jsonschema.Schema) error {
	if s == nil {
		return nil
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return applyEnums(t.Elem(), s.Items)
	case reflect.Map:
		return applyEnums(t.Elem(), s.AdditionalProperties)
	case reflect.Struct:
	default:
		return nil
	}
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || f.Anonymous {
			continue
		}
		name, ok := jsonName(f)
		if !ok {
			continue
		}
		ps := s.Properties[name]
		if ps == nil {
			continue
		}
		if tag, ok := f.Tag.Lookup("enum"); ok {
			if err := setEnum(f, tag, ps); err != nil {
				return err
			}
		}
		if err := applyEnums(f.Type, ps); err != nil {
			return err
		}
	}
	return nil
}

// setEnum sets the enum of a field's schema, or of its items when the field
// is a slice or an array.
func setEnum(f reflect.StructField, tag string, s *jsonschema.Schema) error {
	ft := f.Type
	for ft.Kind() == reflect.Pointer {
		ft = ft.Elem()
	}
	target := s
	if k := ft.Kind(); (k == reflect.Slice || k == reflect.Array) && s.Items != nil {
		ft, target = ft.Elem(), s.Items
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
	}
	if strings.TrimSpace(tag) == "" {
		return fmt.Errorf("field %s: empty enum tag", f.Name)
	}
	var values []any
	for raw := range strings.SplitSeq(tag, ",") {
		v := strings.TrimSpace(raw)
		switch ft.Kind() {
		case reflect.String:
			values = append(values, v)
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return fmt.Errorf("field %s: enum value %q is not an integer: %w", f.Name, v, err)
			}
			values = append(values, n)
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			n, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				return fmt.Errorf("field %s: enum value %q is not an unsigned integer: %w", f.Name, v, err)
			}
			values = append(values, n)
		case reflect.Float32, reflect.Float64:
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return fmt.Errorf("field %s: enum value %q is not a number: %w", f.Name, v, err)
			}
			values = append(values, n)
		default:
			return fmt.Errorf("field %s: enum tag on unsupported kind %v", f.Name, ft.Kind())
		}
	}
	target.Enum = values
	return nil
}

// jsonName returns the JSON name of a struct field as encoding/json sees
// it, and false when the field is not encoded.
func jsonName(f reflect.StructField) (string, bool) {
	tag := f.Tag.Get("json")
	if tag == "-" {
		return "", false
	}
	name, _, _ := strings.Cut(tag, ",")
	if name == "" {
		name = f.Name
	}
	return name, true
}
