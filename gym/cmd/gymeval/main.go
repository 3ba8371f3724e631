// Command gymeval scores the gym rules on the labelled corpus of gym-chat
// messages (gym/testdata/corpus.jsonl): confusion matrix, precision and
// recall per class, per language, and the share of logs extracted with
// every field right. It exits 1 when a figure is below the targets of
// issue 17 (gymeval.Targets).
//
//	go run ./gym/cmd/gymeval [-corpus gym/testdata/corpus.jsonl] [-misses]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/switchboardhq/switchboard/gym/gymeval"
)

func main() {
	corpus := flag.String("corpus", "gym/testdata/corpus.jsonl", "the labelled corpus (JSON lines)")
	misses := flag.Bool("misses", false, "list every message read wrong")
	flag.Parse()
	if err := run(*corpus, *misses); err != nil {
		fmt.Fprintln(os.Stderr, "gymeval:", err)
		os.Exit(1)
	}
}

func run(path string, misses bool) error {
	cases, err := gymeval.LoadFile(path)
	if err != nil {
		return err
	}
	rep, err := gymeval.Run(context.Background(), cases, gymeval.Rules)
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
