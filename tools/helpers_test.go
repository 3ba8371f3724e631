package tools_test

import "github.com/google/jsonschema-go/jsonschema"

// jsonschemaSchema shortens the schema type in tests.
type jsonschemaSchema = jsonschema.Schema
