package console

import (
	"context"
	"fmt"
	"net/http"

	"github.com/switchboardhq/switchboard/gym"
	"github.com/switchboardhq/switchboard/gym/sqlstore"
)

// Leaderboards reads the gym chats' standings.
type Leaderboards interface {
	// Chats lists the chats with workouts.
	Chats(ctx context.Context) ([]string, error)
	// Board returns a chat's leaderboard for the period containing today,
	// and the members' display names by id.
	Board(ctx context.Context, chat string, p gym.Period, today gym.Date) (gym.Summary, map[string]string, error)
}

// GymStore is the Leaderboards of a gym/sqlstore.Store.
type GymStore struct{ Store *sqlstore.Store }

// Chats implements Leaderboards.
func (g GymStore) Chats(ctx context.Context) ([]string, error) {
	rows, err := g.Store.DB().QueryContext(ctx, `SELECT DISTINCT chat_id FROM workouts ORDER BY chat_id LIMIT 200`)
	if err != nil {
		return nil, fmt.Errorf("console: gym chats: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("console: gym chats: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Board implements Leaderboards.
func (g GymStore) Board(ctx context.Context, chat string, p gym.Period, today gym.Date) (gym.Summary, map[string]string, error) {
	members, err := g.Store.Members(ctx, chat)
	if err != nil {
		return gym.Summary{}, nil, err
	}
	names := make(map[string]string, len(members))
	for _, m := range members {
		names[m.ID] = m.Name
	}
	sum, err := g.Store.Summary(ctx, chat, p, today, nil)
	return sum, names, err
}

type boardRow struct {
	Rank       int
	Name       string
	Sessions   int
	Minutes    int
	ActiveDays int
	Streak     int
}

type boardView struct {
	Chat     string
	From, To string
	Rows     []boardRow
	Sessions int
	Minutes  int
}

type gymView struct {
	Period string
	Boards []boardView
}

func (c *Console) gym(w http.ResponseWriter, r *http.Request, rq *request) {
	if c.cfg.Leaderboards == nil {
		c.render(w, r, rq, "message", "Gym", messageView{Heading: "No gym chats", Text: "This assistant runs no gym chats."})
		return
	}
	p := gym.PeriodWeek
	switch r.URL.Query().Get("period") {
	case "", "week":
	case "month":
		p = gym.PeriodMonth
	default:
		http.Error(w, "The period is week or month.", http.StatusBadRequest)
		return
	}
	ctx := r.Context()
	chats, err := c.cfg.Leaderboards.Chats(ctx)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	today := gym.DateOf(c.now(), c.cfg.Location)
	v := gymView{Period: string(p)}
	for _, chat := range chats {
		sum, names, err := c.cfg.Leaderboards.Board(ctx, chat, p, today)
		if err != nil {
			c.fail(w, r, err)
			return
		}
		b := boardView{Chat: chat, From: sum.From.String(), To: sum.To.String(), Sessions: sum.TotalSessions, Minutes: sum.TotalMinutes}
		for _, m := range sum.Members {
			name := names[m.Member]
			if name == "" {
				name = m.Member
			}
			b.Rows = append(b.Rows, boardRow{Rank: m.Rank, Name: name, Sessions: m.Sessions, Minutes: m.Minutes, ActiveDays: m.ActiveDays, Streak: m.Streak})
		}
		v.Boards = append(v.Boards, b)
	}
	c.render(w, r, rq, "gym", "Gym leaderboards", v)
}
