package desk_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/switchboardhq/switchboard/business/bizstore"
	"github.com/switchboardhq/switchboard/business/desk"
	"github.com/switchboardhq/switchboard/checkpoint/sqlite"
	"github.com/switchboardhq/switchboard/migrations"
)

// printer is a Notifier that prints what it sends.
type printer struct{}

func (printer) Notify(_ context.Context, thread, key, text string) error {
	fmt.Printf("  → %s [%s]: %s\n", thread, key, text)
	return nil
}

// The owner approves a booking from WhatsApp; the customer is told.
func ExampleDesk_Owner() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "desk-example")
	defer os.RemoveAll(dir)
	db, err := sqlite.Open(ctx, filepath.Join(dir, "assistant.db"))
	if err != nil {
		panic(err)
	}
	defer db.Close()
	if err := migrations.Up(ctx, db, migrations.SQLite); err != nil {
		panic(err)
	}
	now := time.Date(2026, time.December, 6, 15, 0, 0, 0, time.UTC)
	store, _ := bizstore.New(db, migrations.SQLite, bizstore.WithClock(func() time.Time { return now }))
	file, _ := os.ReadFile("../../examples/business/gym.yaml")
	_, profile, err := store.Import(ctx, "gym.yaml", file)
	if err != nil {
		panic(err)
	}
	if _, _, err := store.RequestBooking(ctx, profile, now, bizstore.NewBooking{
		Thread: "whatsapp:+34600111222", CustomerName: "Ana", Service: "Fitness assessment",
		Start: "2026-12-08T10:00", RequestedTime: "next Tuesday at 10", Source: "twilio:SM1",
	}); err != nil {
		panic(err)
	}

	d := &desk.Desk{Store: store, Notifier: printer{}}
	for _, text := range []string{"bookings", "approve B1", "approve B1", "complete B7"} {
		fmt.Println("owner:", text)
		reply, _, err := d.Owner(ctx, "whatsapp:+34600000001", "twilio:"+text, text)
		if err != nil {
			panic(err)
		}
		fmt.Println("assistant:", reply)
	}
	// Output:
	// owner: bookings
	// assistant: 1 waiting:
	// B1 pending · Ana · Fitness assessment · Tue 8 Dec 2026 10:00
	// Reply "approve B12" or "decline B12 reason".
	// owner: approve B1
	//   → whatsapp:+34600111222 [booking:B1:approved]: Tu reserva B1 está confirmada: Fitness assessment, Tue 8 Dec 2026 10:00 en Forma Gym.
	// assistant: B1 approved (confirmed): Ana, Fitness assessment, Tue 8 Dec 2026 10:00. The customer has been told.
	// owner: approve B1
	// assistant: B1 is already approved.
	// owner: complete B7
	// assistant: There is no booking B7. Send "bookings" to see those waiting.
}
