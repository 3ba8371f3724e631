package gymflow_test

import (
	"testing"

	"github.com/switchboardhq/switchboard/gym/sqlstore/sqlstoretest"
)

// TestGroupMemory: the flow answers questions about one member's stored
// workouts, by name or by "I", in English and Spanish.
func TestGroupMemory(t *testing.T) {
	fx := newFixture(t, sqlstoretest.OpenSQLite(t), nil)
	fx.say(msg{from: ana, name: "Ana García", text: "ayer pierna 1h"})
	fx.say(msg{from: ana, name: "Ana García", text: "ran 5k in 28 min"})
	fx.say(msg{from: luis, name: "Luis", text: "swim 40 min"})

	tests := []struct {
		from, name, text string
		want             []string
	}{
		{luis, "Luis", "how did Ana do this month?", []string{"Ana García this month: 2 sessions, 88 min.", "Rank 1 of 2.", "legs 60 min", "running 28 min 5 km"}},
		{ana, "Ana García", "what did I log yesterday?", []string{"You yesterday: 1 session, 60 min.", "Wed 11 Mar: legs 60 min"}},
		{ana, "Ana García", "¿qué registré ayer?", []string{"You yesterday: 1 session, 60 min."}},
		{ana, "Ana García", "¿cuánto ha entrenado Luis esta semana?", []string{"Luis this week: 1 session, 40 min.", "swimming 40 min"}},
		{luis, "Luis", "what did I log yesterday?", []string{"You logged nothing yesterday."}},
		{luis, "Luis", "how did Marta do this week?", []string{"I don't know anyone called Marta in this group."}},
	}
	for _, tc := range tests {
		got := fx.say(msg{from: tc.from, name: tc.name, text: tc.text})
		mustContain(t, tc.text, got, tc.want...)
	}
}
