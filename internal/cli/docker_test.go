package cli

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestDockerImageLayout checks what the Dockerfile builds, since the test
// machine has no Docker: /data exists in the image, owned by the user the
// assistant runs as (a volume mounted on a directory missing from the
// image is root's, and the assistant could not write its database), and
// the image checks its health with the binary itself (there is no curl).
func TestDockerImageLayout(t *testing.T) {
	b, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	df := string(b)
	run := df[strings.LastIndex(df, "\nFROM "):] // the run stage
	user := regexp.MustCompile(`(?m)^USER (\S+)$`).FindStringSubmatch(run)
	if user == nil {
		t.Fatal("the run stage sets no USER")
	}
	if !regexp.MustCompile(`(?m)^RUN mkdir -p /out/data$`).MatchString(df) {
		t.Error("the build stage does not create the data directory")
	}
	if !strings.Contains(run, "COPY --from=build --chown="+user[1]+" /out/data /data\n") {
		t.Errorf("/data is not copied into the image owned by USER %s", user[1])
	}
	if strings.Index(run, "/out/data /data") > strings.Index(run, "VOLUME /data") {
		t.Error("/data must exist before it is declared a VOLUME")
	}
	if !strings.Contains(run, "ASSISTANT_DATA_DIR=/data") || !strings.Contains(run, `"healthcheck"]`) {
		t.Error("the image must keep its data in /data and check its health with `assistant healthcheck`")
	}
}

// TestComposeFile: .env reaches the container, the health check is the
// binary's, and an Ollama on the host is reachable.
func TestComposeFile(t *testing.T) {
	b, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	c := string(b)
	for _, want := range []string{
		"env_file:\n      - path: .env\n        required: false",
		`test: ["CMD", "/usr/local/bin/assistant", "healthcheck"]`,
		`"host.docker.internal:host-gateway"`,
	} {
		if !strings.Contains(c, want) {
			t.Errorf("docker-compose.yml lacks %q", want)
		}
	}
	// A setting named under environment: overrides .env, so only the
	// compose setup's own settings belong there.
	if strings.Contains(c, "OPENAI_API_KEY:") || strings.Contains(c, "TWILIO_AUTH_TOKEN:") {
		t.Error("docker-compose.yml overrides settings that belong in .env")
	}
}
