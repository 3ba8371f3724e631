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
