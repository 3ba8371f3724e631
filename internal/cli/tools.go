package cli

import "github.com/switchboardhq/switchboard/tools"

// toolsFunc returns a program's own tools (Options.Tools), built from the
// same environment as the rest of the configuration.
type toolsFunc func(getenv func(string) string) []tools.Tool
