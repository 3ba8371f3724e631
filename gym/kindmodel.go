package gym

import (
	"bufio"
	_ "embed"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The rules know the forms they were written for; a message phrased some
// other way falls to their last, unsure guess, and that guess does not
// carry over to phrasings nobody wrote a rule for. So where the rules are
// not sure, a second reader weighs every word of the message: a
// multinomial naive Bayes over words and word pairs, counted from the
// labelled corpora under testdata (the held-out ones excepted; see
// testdata/README.md). It is deterministic, needs no
// service, and costs a few microseconds; what it says goes through the
// same extraction and validation as the rules' reading.

// confident is how sure the classifier must be to overrule the rules'
// unsure guess. Naive Bayes is overconfident (most of its answers are
// above 0.99), so the bar is high; on the held-out corpora 0.99 and 0.999
// read within a message or two of each other, and the higher bar is kept
// because a bogus row costs more than a missed log.
const confident = 0.999

// secondOpinion is the classifier's kind for a message the rules guessed
// guess for without being sure: its own when it is confident, the guess
// otherwise. It never says correction: an undo the rules cannot parse
// has nothing to undo with. Nor does it go against what the rules know
// for a fact (mayBe), or make a log of a message whose workout the rules
// cannot read: asking the group "which activity?" about a message that
// may be banter costs more than the log it might recover, and the
// held-out corpora say so (precision up, extraction up, recall down a
// little).
func secondOpinion(text string, today Date, guess Kind) Kind {
	odds := loadKindModel().odds(text)
	for i, k := range modelKinds {
		if k == KindCorrection || odds[i] <= confident {
			continue
		}
		if k != guess && !mayBe(k, text, today) {
			return guess
		}
		return k
	}
	return guess
}

// kindModelText is the counts the classifier was trained on, written by
// TestKindModel with -update (kindmodel_test.go) from the corpora.
//
//go:embed kindmodel.txt
var kindModelText string

// modelKinds are the kinds the classifier tells apart, in the order of
// the counts in kindmodel.txt.
var modelKinds = [...]Kind{KindWorkoutLog, KindSummaryRequest, KindCorrection, KindOther}

// smoothing is the count every feature is given in every kind, so that a
// word never seen with a kind lowers its odds without ruling it out.
const smoothing = 0.1

// kindModel is a trained multinomial naive Bayes.
type kindModel struct {
	prior [len(modelKinds)]float64            // log P(kind)
	logp  map[string][len(modelKinds)]float64 // log P(feature | kind); an unseen feature is skipped
}

// loadKindModel parses kindModelText once: the model is read-only after.
var loadKindModel = sync.OnceValue(func() *kindModel {
	m, err := parseKindModel(kindModelText)
	if err != nil {
		panic("gym: kindmodel.txt: " + err.Error()) // a build artefact, checked by TestKindModel
	}
	return m
})

// parseKindModel reads the counts trainingCounts writes
// (kindmodel_test.go): a header line "messages n0 n1 n2 n3", then
// "feature\tc0\tc1\tc2\tc3" lines.
func parseKindModel(s string) (*kindModel, error) {
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	var docs, tokens [len(modelKinds)]float64
	counts := map[string][len(modelKinds)]float64{}
	line := 0
	for sc.Scan() {
		line++
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 1+len(modelKinds) {
			return nil, fmt.Errorf("line %d: %d fields, want %d", line, len(f), 1+len(modelKinds))
		}
		var c [len(modelKinds)]float64
		for i := range c {
			n, err := strconv.Atoi(f[i+1])
			if err != nil || n < 0 {
				return nil, fmt.Errorf("line %d: count %q", line, f[i+1])
			}
			c[i] = float64(n)
		}
		if line == 1 {
			if f[0] != "messages" {
				return nil, fmt.Errorf("line 1: %q, want the header \"messages\"", f[0])
			}
			docs = c
			continue
		}
		counts[f[0]] = c
		for i := range c {
			tokens[i] += c[i]
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if line == 0 {
		return nil, fmt.Errorf("empty")
	}
	var all float64
	for _, d := range docs {
		all += d
	}
	m := &kindModel{logp: counts} // the counts become log-probabilities in place
	v := float64(len(counts))
	for i := range modelKinds {
		if docs[i] == 0 {
			return nil, fmt.Errorf("no messages of kind %s", modelKinds[i])
		}
		m.prior[i] = math.Log(docs[i] / all)
	}
	for f, c := range counts {
		for i := range c {
			c[i] = math.Log((c[i] + smoothing) / (tokens[i] + smoothing*v))
		}
		counts[f] = c
	}
	return m, nil
}

// odds returns the posterior probability of each kind for text.
func (m *kindModel) odds(text string) [len(modelKinds)]float64 {
	score := m.prior
	for _, f := range kindFeatures(text) {
		lp, ok := m.logp[f]
		if !ok {
			continue // a feature no corpus has says nothing of any kind
		}
		for i := range score {
			score[i] += lp[i]
		}
	}
	best := score[0]
	for _, s := range score[1:] {
		best = max(best, s)
	}
	var sum float64
	for i, s := range score {
		score[i] = math.Exp(s - best)
		sum += score[i]
	}
	for i := range score {
		score[i] /= sum
	}
	return score
}

// kindFeatures are what the classifier weighs in text: every token (words
// folded as the rules fold them, numbers as "#n", clock times as "#t",
// line breaks as "#br") and every pair of neighbouring tokens, which
// carry most of what single words miss ("my brother", "did legs", "gonna
// run"). Letter pieces of words were tried too: they read typos better
// but held-out messages worse, so they are left out.
func kindFeatures(text string) []string {
	toks := tokenize(text)
	names := make([]string, len(toks))
	for i, t := range toks {
		switch t.kind {
		case tNum:
			names[i] = "#n"
		case tClock:
			names[i] = "#t"
		case tBreak:
			names[i] = "#br"
		default:
			names[i] = t.text
		}
	}
	fs := make([]string, 0, 2*len(names))
	for i, n := range names {
		fs = append(fs, "w:"+n)
		if i > 0 {
			fs = append(fs, "b:"+names[i-1]+"_"+n)
		}
	}
	return fs
}

// mayBe reports whether text may be of kind k when the classifier says so
// against the rules' guess: what the rules know for a fact, the
// classifier's word counts cannot overrule. A log names no day after
// today ("biceps 45 min tomorrow" is a plan however many workout words
// it has), is no coach's programme or timetable ("FRIDAY WOD: 5 rounds...
// Classes 6:30, 9:30") and has workouts the rules can read; a summary
// request asks the bot, not a member ("how many km do you run a week?").
func mayBe(k Kind, text string, today Date) bool {
	if k == KindOther {
		// "did the 5k in 35 min today, is that ok for a beginner??": a
		// report the rules read whole, then a remark, stays a report
		return !headReport(text, today)
	}
	p := newParser(text, today, false)
	f := p.analyse(text)
	switch k {
	case KindWorkoutLog:
		if f.future || p.programming() && !strings.ContainsAny(text, "✅✔☑") {
			return false
		}
		noon := today.utc().Add(12 * time.Hour)
		_, err := Extractor{}.Extract(Message{Text: text, SentAt: noon}, noon, time.UTC)
		return err == nil
	case KindSummaryRequest:
		return !f.secondPerson
	}
	return false
}
