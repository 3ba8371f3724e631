// Command gymeval scores the gym rules on the labelled corpus of gym-chat
// messages (gym/testdata/corpus.jsonl): confusion matrix, precision and
// recall per class, per language, and the share of logs extracted with
// every field right. It exits 1 when a figure is below the targets of
// issue 17 (gymeval.Targets).
//
//	go run ./gym/cmd/gymeval [-corpus gym/testdata/corpus.jsonl] [-misses] [-now 2026-05-14T19:00:00+02:00]
//
// Kinds may be labelled as the pipeline's (workout_log, summary_request,
// correction, other) or with common aliases (log, summary, undo, noise,
// plan...).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/switchboardhq/switchboard/gym/gymeval"
)

func main() {
	corpus := flag.String("corpus", "gym/testdata/corpus.jsonl", "the labelled corpus (JSON lines)")
	misses := flag.Bool("misses", false, "list every message read wrong")
	now := flag.String("now", gymeval.Now.Format(time.RFC3339), "when the corpus messages were sent (RFC 3339, with its zone): day offsets count from it")
	flag.Parse()
	at, err := time.Parse(time.RFC3339, *now)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gymeval: -now:", err)
		os.Exit(2)
	}
	if err := run(*corpus, *misses, at); err != nil {
		fmt.Fprintln(os.Stderr, "gymeval:", err)
		os.Exit(1)
	}
}

func run(path string, misses bool, now time.Time) error {
	cases, err := gymeval.LoadFile(path)
	if err != nil {
		return err
	}
	rep, err := gymeval.RunAt(context.Background(), cases, gymeval.Rules, now)
	if err != nil {
		return err
	}
	rep.Print(os.Stdout, misses)
	if below := rep.Check(gymeval.Targets); len(below) > 0 {
		for _, b := range below {
			fmt.Println("below target:", b)
		}
		return fmt.Errorf("%d figures below target", len(below))
	}
	fmt.Println("every figure meets its target")
	return nil
}
