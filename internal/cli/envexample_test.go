package cli

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/config"
)

// TestEnvExample: .env.example parses as a .env file, and every variable
// it names is one the README documents (a misspelt name would be ignored
// silently).
func TestEnvExample(t *testing.T) {
	const path = "../../.env.example"
	if _, err := config.WithDotEnv(path, func(string) string { return "" }); err != nil {
		t.Fatal(err)
	}
	example, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	names := regexp.MustCompile(`(?m)^# ([A-Z][A-Z0-9_]+)=`).FindAllStringSubmatch(string(example), -1)
	if len(names) < 20 {
		t.Fatalf("only %d settings found in .env.example", len(names))
	}
	for _, m := range names {
		if !strings.Contains(string(readme), "`"+m[1]+"`") {
			t.Errorf(".env.example names %s, which the README does not document", m[1])
		}
	}
}
