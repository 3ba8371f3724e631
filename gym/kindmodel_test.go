package gym

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite kindmodel.txt from the corpora under testdata")

// heldOut are the corpora the classifier never learns from: they measure
// how the reading does on messages nobody tuned it on (testdata/README.md).
var heldOut = []string{"holdout19.jsonl", "holdout20.jsonl"}

// labelled is a corpus message as the classifier learns from it.
type labelled struct {
	Kind Kind   `json:"kind"`
	Text string `json:"text"`
}

// loadTexts reads the labelled messages of a corpus file (JSON lines).
func loadTexts(tb testing.TB, path string) []labelled {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var c labelled
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			tb.Fatalf("%s:%d: %v", path, n, err)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// trainingCounts counts kindFeatures per kind over every labelled corpus
// under testdata but the held-out ones, and writes them as kindmodel.txt
// is read: features seen once in all are left out (they are mostly
// typos and names, and they double the file).
func trainingCounts(t *testing.T) string {
	t.Helper()
	paths, err := filepath.Glob("testdata/*.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var docs [len(modelKinds)]int
	counts := map[string]*[len(modelKinds)]int{}
	for _, path := range paths {
		if slices.Contains(heldOut, filepath.Base(path)) {
			continue
		}
		for _, c := range loadTexts(t, path) {
			k := slices.Index(modelKinds[:], c.Kind)
			if k < 0 {
				t.Fatalf("%s: kind %q", path, c.Kind)
			}
			docs[k]++
			for _, ft := range kindFeatures(c.Text) {
				if counts[ft] == nil {
					counts[ft] = new([len(modelKinds)]int)
				}
				counts[ft][k]++
			}
		}
	}
	keys := make([]string, 0, len(counts))
	for ft, c := range counts {
		if c[0]+c[1]+c[2]+c[3] > 1 {
			keys = append(keys, ft)
		}
	}
	slices.Sort(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "messages\t%d\t%d\t%d\t%d\n", docs[0], docs[1], docs[2], docs[3])
	for _, ft := range keys {
		c := counts[ft]
		fmt.Fprintf(&b, "%s\t%d\t%d\t%d\t%d\n", ft, c[0], c[1], c[2], c[3])
	}
	return b.String()
}

// TestKindModel checks that kindmodel.txt is what the corpora count to,
// so the classifier in the binary is the one the evaluation measures. Run
// it with -update after changing a corpus or kindFeatures.
func TestKindModel(t *testing.T) {
	want := trainingCounts(t)
	if *update {
		if err := os.WriteFile("kindmodel.txt", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if kindModelText != want {
		t.Fatal("kindmodel.txt is not what the corpora under testdata count to: run go test ./gym -run TestKindModel -update")
	}
	if _, err := parseKindModel(want); err != nil {
		t.Fatal(err)
	}
}

func TestParseKindModelRefusesBadCounts(t *testing.T) {
	for _, s := range []string{
		"",
		"feature\t1\t2\t3\t4\n",
		"messages\t1\t2\t3\n",
		"messages\t1\t2\t3\t4\nw:x\t1\t-2\t3\t4\n",
		"messages\t1\t0\t3\t4\nw:x\t1\t2\t3\t4\n",
	} {
		if _, err := parseKindModel(s); err == nil {
			t.Errorf("parseKindModel(%q) succeeded", s)
		}
	}
}
