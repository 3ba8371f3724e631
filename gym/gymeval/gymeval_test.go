package gymeval_test

import (
	"context"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/gym"
	"github.com/switchboardhq/switchboard/gym/gymeval"
)

// TestCorpusRules holds the rules to the targets of issue 17 on the
// corpus, in English and in Spanish. Run with -v for the figures.
func TestCorpusRules(t *testing.T) {
	testCorpus(t, "../testdata/corpus.jsonl", 400)
}

// TestHoldoutRules holds the rules to the same targets on the second
// corpus (see testdata/README.md).
func TestHoldoutRules(t *testing.T) {
	testCorpus(t, "../testdata/holdout.jsonl", 100)
}

// TestFreshRules holds the rules to the same targets on the third corpus
// (see testdata/README.md).
func TestFreshRules(t *testing.T) {
	testCorpus(t, "../testdata/fresh.jsonl", 100)
}

// TestSixthRules holds the rules to the targets on the sixth corpus (see
// testdata/README.md).
func TestSixthRules(t *testing.T) {
	testCorpus(t, "../testdata/sixth.jsonl", 90)
}

// TestSeventhRules holds the rules to the targets on the seventh corpus
// (see testdata/README.md).
func TestSeventhRules(t *testing.T) {
	testCorpus(t, "../testdata/seventh.jsonl", 90)
}

// TestFourthRules holds the rules on the fourth corpus to the figures they
// reach on it, a little under the targets for extraction (see
// testdata/README.md): a regression guard.
func TestFourthRules(t *testing.T) {
	testCorpusAt(t, "../testdata/fourth.jsonl", 100, gymeval.Thresholds{
		LogPrecision: 0.99, LogRecall: 0.94, SummaryRecall: 0.99, Accuracy: 0.98, Extraction: 0.94})
}

// TestFifthRules holds the rules on the fifth corpus to the figures they
// reach on it (see testdata/README.md): a regression guard.
func TestFifthRules(t *testing.T) {
	testCorpusAt(t, "../testdata/fifth.jsonl", 100, gymeval.Thresholds{
		LogPrecision: 0.99, LogRecall: 0.99, SummaryRecall: 0.99, Accuracy: 0.99, Extraction: 0.95})
}

// TestNinthRules holds the rules to the targets on the ninth corpus (see
// testdata/README.md).
func TestNinthRules(t *testing.T) {
	testCorpus(t, "../testdata/ninth.jsonl", 40)
}

// TestTenthRules holds the rules to the targets on the tenth corpus (see
// testdata/README.md).
func TestTenthRules(t *testing.T) {
	testCorpus(t, "../testdata/tenth.jsonl", 40)
}

// TestEighthRules holds the rules to the targets on the eighth corpus
// (see testdata/README.md); it was held to lower figures until the stance
// rules.
func TestEighthRules(t *testing.T) {
	testCorpus(t, "../testdata/eighth.jsonl", 80)
}

// TestHoldout2Rules holds the rules to the targets on holdout2.jsonl, the
// 343 messages written for the stance rules before they existed (see
// testdata/README.md).
func TestHoldout2Rules(t *testing.T) {
	testCorpus(t, "../testdata/holdout2.jsonl", 300)
}

// TestHoldout3Rules holds the rules on holdout3.jsonl, written after the
// stance rules and first measured at accuracy 93.2%, to the figures they
// reach now (two typos and "mañana: pierna, 1h" are still read otherwise).
func TestHoldout3Rules(t *testing.T) {
	testCorpusAt(t, "../testdata/holdout3.jsonl", 120, gymeval.Thresholds{
		LogPrecision: 0.96, LogRecall: 0.96, SummaryRecall: 0.99, Accuracy: 0.96, Extraction: 0.99})
}

// TestHoldout4Rules holds the rules to the targets on holdout4.jsonl, 224
// messages written without reading the rules; first measured at accuracy
// 95.1%, workout-log precision 92.8% with the rules of the generalisation
// pass, then tuned on by class (see testdata/README.md).
func TestHoldout4Rules(t *testing.T) {
	testCorpus(t, "../testdata/holdout4.jsonl", 200)
}

// TestHoldout5Rules holds the rules on holdout5.jsonl, 224 messages
// written with holdout4 and measured unseen at accuracy 92.0%, then tuned on
// by class (see testdata/README.md), to the figures they reach on it.
func TestHoldout5Rules(t *testing.T) {
	testCorpusAt(t, "../testdata/holdout5.jsonl", 200, gymeval.Thresholds{
		LogPrecision: 0.99, LogRecall: 0.99, SummaryRecall: 0.99, Accuracy: 0.99, Extraction: 0.99})
}

// TestHoldout6Rules holds the rules on holdout6.jsonl, 224 messages
// (160 English) first measured at accuracy 92.9%, workout-log precision
// 89.9%, then tuned on by class, to the figures they reach on it; its
// extraction misses are mostly clock times with seconds, which its labels
// truncate and the older corpora's round ("52:47" is 52 there, "54:30"
// 55 in corpus.jsonl).
func TestHoldout6Rules(t *testing.T) {
	testCorpusAt(t, "../testdata/holdout6.jsonl", 190, gymeval.Thresholds{
		LogPrecision: 0.99, LogRecall: 0.99, SummaryRecall: 0.99, Accuracy: 0.99, Extraction: 0.90})
}

// TestHoldout7Rules holds the rules on holdout7.jsonl, 224 messages (112
// English) written by a helper who never read the rules, and never tuned
// on: measured only when it landed (accuracy 92.0%, English 86.6%) and at
// the end of session 6 (93.3%, English 88.4%). It is held to what the
// rules reach on it, so that a change losing ground on unseen messages
// fails; its labels truncate clock seconds that the rules round.
func TestHoldout7Rules(t *testing.T) {
	testCorpusAt(t, "../testdata/holdout7.jsonl", 200, gymeval.Thresholds{
		LogPrecision: 0.86, LogRecall: 0.84, SummaryRecall: 0.88, Accuracy: 0.88, Extraction: 0.81})
}

// TestHoldout8Rules holds the rules on holdout8.jsonl, 280 English
// messages written on branch w8 without reading the rules, first measured
// (rules of 55d40f3) at accuracy 88.2%, log precision 96.8%, log recall
// 81.2%, then tuned on by class, to the figures they reach on it (it has
// no Spanish, so no count per language is asked).
func TestHoldout8Rules(t *testing.T) {
	testCorpusAt(t, "../testdata/holdout8.jsonl", 0, gymeval.Thresholds{
		LogPrecision: 0.99, LogRecall: 0.91, SummaryRecall: 0.99, Accuracy: 0.96, Extraction: 0.93})
}

// TestHoldout9Rules holds the rules on holdout9.jsonl, 240 messages (160
// English, 80 Spanish) consumed as the honest measure of session 7: first
// measured on the rules of 02ae265 at accuracy 89.2% (English 85.6%, log
// recall 78.1%), then read for its misses and generalised by class (see
// classes9.jsonl), to the figures the rules reach on it.
func TestHoldout9Rules(t *testing.T) {
	testCorpusAt(t, "../testdata/holdout9.jsonl", 200, gymeval.Thresholds{
		LogPrecision: 0.98, LogRecall: 0.85, SummaryRecall: 0.99, Accuracy: 0.92, Extraction: 0.90})
}

// TestFresh2Rules holds the rules to the targets on fresh2.jsonl, 876
// messages (564 English) written in sixteen rounds during the holdout6 pass,
// each round scored once before the rules were changed for it (first
// contact 74% to 98% accuracy; see testdata/README.md).
func TestFresh2Rules(t *testing.T) {
	testCorpus(t, "../testdata/fresh2.jsonl", 380)
}

// TestFresh3Rules holds the rules on fresh3.jsonl, messages written in
// rounds for the English precision pass (figures of speech that name a
// sport and an amount, remarks after a report), each round scored once
// before the rules were changed for it (see testdata/README.md).
func TestFresh3Rules(t *testing.T) {
	testCorpusAt(t, "../testdata/fresh3.jsonl", 90, gymeval.Thresholds{
		LogPrecision: 0.99, LogRecall: 0.99, SummaryRecall: 0.99, Accuracy: 0.99, Extraction: 0.96})
}

// TestDev2Rules holds the rules on dev2.jsonl, the set the stance rules
// were tuned on, to the figures they reach there (extraction misses the
// typo "mint").
func TestDev2Rules(t *testing.T) {
	testCorpusAt(t, "../testdata/dev2.jsonl", 200, gymeval.Thresholds{
		LogPrecision: 0.99, LogRecall: 0.99, SummaryRecall: 0.99, Accuracy: 0.99, Extraction: 0.96})
}

func testCorpus(t *testing.T, path string, least int) {
	testCorpusAt(t, path, least, gymeval.Targets)
}

func testCorpusAt(t *testing.T, path string, least int, want gymeval.Thresholds) {
	cases, err := gymeval.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < least {
		t.Fatalf("%s has %d messages, want at least %d", path, len(cases), least)
	}
	rep, err := gymeval.Run(context.Background(), cases, gymeval.Rules)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	rep.Print(&b, true)
	t.Log("\n" + b.String())
	for _, lang := range []string{"en", "es"} {
		if least > 0 && (rep.ByLang[lang] == nil || rep.ByLang[lang].N < least/3) { // 0: one language only
			t.Errorf("language %s has too few messages", lang)
		}
	}
	for _, below := range rep.Check(want) {
		t.Error(below)
	}
}

func TestScore(t *testing.T) {
	cases, err := gymeval.Load(strings.NewReader(`
{"id":"a","lang":"en","kind":"workout_log","text":"legs 1h","workouts":[{"activity":"legs","minutes":60,"day":0}]}
{"id":"b","lang":"en","kind":"workout_log","text":"ran 5k yesterday","workouts":[{"activity":"running","minutes":0,"day":-1,"distance_km":5}]}
{"id":"c","lang":"en","kind":"other","text":"lol"}
{"id":"d","lang":"es","kind":"summary_request","text":"ranking?"}
`))
	if err != nil {
		t.Fatal(err)
	}
	// A reader that calls everything a log of legs for an hour.
	legs := func(ctx context.Context, m gym.Message) (gymeval.Reading, error) {
		return gymeval.Reading{Kind: gym.KindWorkoutLog, Workouts: []gym.Workout{{Member: m.Member,
			Date: gym.DateOf(gymeval.Now, gymeval.Location), Activity: "legs", Minutes: 60}}}, nil
	}
	rep, err := gymeval.Run(context.Background(), cases, legs)
	if err != nil {
		t.Fatal(err)
	}
	s := rep.All
	if got := s.Precision(gym.KindWorkoutLog); got != 0.5 {
		t.Errorf("log precision %v, want 0.5", got)
	}
	if got := s.Recall(gym.KindSummaryRequest); got != 0 {
		t.Errorf("summary recall %v, want 0", got)
	}
	if s.Logs != 2 || s.Extracted != 1 {
		t.Errorf("extracted %d of %d logs, want 1 of 2", s.Extracted, s.Logs)
	}
	if got := s.Accuracy(); got != 0.5 {
		t.Errorf("accuracy %v, want 0.5", got)
	}
	if below := rep.Check(gymeval.Targets); len(below) == 0 {
		t.Error("Check found nothing below target")
	}
	rep, err = gymeval.Run(context.Background(), cases, gymeval.Rules)
	if err != nil {
		t.Fatal(err)
	}
	if below := rep.Check(gymeval.Targets); len(below) > 0 {
		t.Errorf("the rules: %v", below)
	}
}

func TestLoadRejects(t *testing.T) {
	for _, bad := range []string{
		`{"id":"a","lang":"en","kind":"dunno","text":"x"}`,
		`{"id":"a","lang":"en","kind":"log","text":"x"}`,
		`{"id":"a","lang":"en","kind":"workout_log","text":"x"}`,
		`{"id":"a","lang":"en","kind":"other","text":"x","workouts":[{"activity":"legs","minutes":1,"day":0}]}`,
		`not json`,
	} {
		if _, err := gymeval.Load(strings.NewReader(bad)); err == nil {
			t.Errorf("Load(%s) accepted it", bad)
		}
	}
}

// TestClasses9Rules holds the rules on classes9.jsonl, 76 messages
// written during the holdout9 pass in six rounds, one group per class of
// phrasing behind holdout9's misses, each round scored once before the
// rules were changed for it (first contact: accuracy 67.7% on the rules of
// 02ae265, 70.0% on a1556ae, 54.5% on 9c462b0, 66.7% on b4e4c17, 50.0% on fc0be31, 25.0% on fe2e15e; see testdata/README.md).
// The rules still miss a goal stated after a report ("voy a por las 5 horas
// a la semana"), a score before a feeling ("lost 3-0, 45 min of shame"),
// and read "the office is 10 min from the gym" as a session.
func TestClasses9Rules(t *testing.T) {
	testCorpusAt(t, "../testdata/classes9.jsonl", 66, gymeval.Thresholds{
		LogPrecision: 0.99, LogRecall: 0.87, SummaryRecall: 0.99, Accuracy: 0.95, Extraction: 0.93})
}
