package gym

import "testing"

func BenchmarkExtract(b *testing.B) {
	msg := Message{ID: "m", Member: "ana", Text: "hoy hice pierna como una hora y cuarto, luego corrí 5k en 28 min 💪"}
	for b.Loop() {
		if _, err := Extract(msg, testNow, testLoc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkClassify(b *testing.B) {
	for b.Loop() {
		Classify("¿cómo vamos este mes?")
	}
}

// BenchmarkJudge reads every message of corpus.jsonl, with the rules
// alone and with the classifier behind them: the difference is what the
// second opinion costs per message.
func BenchmarkJudge(b *testing.B) {
	var texts []string
	for _, c := range loadTexts(b, "testdata/corpus.jsonl") {
		texts = append(texts, c.Text)
	}
	today := Date{2026, 5, 14}
	for _, bc := range []struct {
		name  string
		judge func(string, Date) (Kind, bool)
	}{{"rules", judgeRules}, {"rules+classifier", Judge}} {
		b.Run(bc.name, func(b *testing.B) {
			loadKindModel()
			for b.Loop() {
				for _, t := range texts {
					bc.judge(t, today)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(texts)), "ns/msg")
		})
	}
}

// BenchmarkParseKindModel is what the first message read pays to load
// the classifier.
func BenchmarkParseKindModel(b *testing.B) {
	for b.Loop() {
		if _, err := parseKindModel(kindModelText); err != nil {
			b.Fatal(err)
		}
	}
}
