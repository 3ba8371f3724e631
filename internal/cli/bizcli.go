package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/switchboardhq/switchboard/business"
	"github.com/switchboardhq/switchboard/business/bizstore"
	"github.com/switchboardhq/switchboard/business/desk"
	"github.com/switchboardhq/switchboard/config"
	"github.com/switchboardhq/switchboard/store"
)

const bookingsUsage = `usage:
  assistant bookings list [--status S] [--json]
  assistant bookings approve|decline|complete|cancel REF [--reason R]`

const leadsUsage = `usage: assistant leads list [--csv]`

const faqUsage = `usage:
  assistant faq list
  assistant faq add QUESTION ANSWER
  assistant faq rm ID`

const businessUsage = `usage:
  assistant business show
  assistant business import FILE`

// bizEnv is what the business subcommands work on.
type bizEnv struct {
	cfg   config.Config
	db    *database
	store *bizstore.Store
}

// openBiz reads the configuration and opens the database for the business
// subcommands.
func openBiz(ctx context.Context, getenv func(string) string, stderr io.Writer) (*bizEnv, error) {
	get, err := envWithFile(".env", getenv)
	if err != nil {
		return nil, err
	}
	cfg, err := config.Load(get)
	if err != nil {
		return nil, err
	}
	db, err := openDatabase(ctx, cfg, newLogger(stderr, "warn", cfg.LogFormat))
	if err != nil {
		return nil, err
	}
	s, err := bizstore.New(db.sql, db.dialect)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &bizEnv{cfg: cfg, db: db, store: s}, nil
}

// location is the business's zone, or the assistant's without a profile.
func (e *bizEnv) location(ctx context.Context) *time.Location {
	if p, err := e.store.Profile(ctx); err == nil {
		return p.Location
	}
	return e.cfg.Location
}

// runBusinessCLI runs "bookings", "leads", "faq" and "business".
func runBusinessCLI(ctx context.Context, cmd string, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	usage := map[string]string{"bookings": bookingsUsage, "leads": leadsUsage, "faq": faqUsage, "business": businessUsage}[cmd]
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) == 0 {
			return fmt.Errorf("%s: missing command\n\n%s", cmd, usage)
		}
		_, err := fmt.Fprintln(stdout, usage)
		return err
	}
	e, err := openBiz(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer e.db.Close()
	switch cmd + " " + args[0] {
	case "bookings list":
		return e.bookingsList(ctx, args[1:], stdout)
	case "bookings approve", "bookings decline", "bookings complete", "bookings cancel":
		return e.bookingsDecide(ctx, args[0], args[1:], stdout)
	case "leads list":
		return e.leadsList(ctx, args[1:], stdout)
	case "faq list":
		return e.faqList(ctx, stdout)
	case "faq add":
		if len(args) != 3 {
			return errors.New(faqUsage)
		}
		f, err := e.store.AddFAQ(ctx, args[1], args[2])
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "added FAQ %d\n", f.ID)
		return err
	case "faq rm":
		if len(args) != 2 {
			return errors.New(faqUsage)
		}
		id, err := strconv.ParseInt(args[1], 10, 64)
		if err != nil {
			return fmt.Errorf("faq rm: %q is not an FAQ id (see assistant faq list)", args[1])
		}
		if err := e.store.RemoveFAQ(ctx, id); err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "removed FAQ %d\n", id)
		return err
	case "business show":
		p, err := e.store.Profile(ctx)
		if errors.Is(err, bizstore.ErrNoProfile) {
			return errors.New("no business profile yet: import one with assistant business import FILE, or set BUSINESS_FILE")
		}
		if err != nil {
			return err
		}
		y, err := p.YAML()
		if err != nil {
			return err
		}
		_, err = stdout.Write(y)
		return err
	case "business import":
		if len(args) != 2 {
			return errors.New(businessUsage)
		}
		changed, p, err := e.store.ImportFile(ctx, args[1])
		if err != nil {
			return err
		}
		if !changed {
			_, err = fmt.Fprintf(stdout, "%s: unchanged since the last import; nothing to do\n", args[1])
			return err
		}
		_, err = fmt.Fprintf(stdout, "imported %s: %d services, %d FAQs\n", p.Name, len(p.Services), len(p.FAQs))
		return err
	}
	return fmt.Errorf("%s: unknown command %q\n\n%s", cmd, args[0], usage)
}

func (e *bizEnv) bookingsList(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bookings list", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	status := fs.String("status", "", "only bookings in this status")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w\n\n%s", err, bookingsUsage)
	}
	var f bizstore.Filter
	if *status != "" {
		s, err := business.ParseStatus(*status)
		if err != nil {
			return err
		}
		f.Status = s
	}
	bs, err := e.store.Bookings(ctx, f)
	if err != nil {
		return err
	}
	loc := e.location(ctx)
	recs := make([]business.BookingRecord, len(bs))
	for i, b := range bs {
		recs[i] = b.Record(loc)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(recs)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "REF\tSTATUS\tSTART\tSERVICE\tCUSTOMER\tTHREAD\tNOTICE\tREMINDER")
	for _, r := range recs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Ref, r.Status, r.Start, r.Service, r.CustomerName, r.Thread,
			withReason(r.Notice, r.NoticeReason), withReason(r.Reminder, r.ReminderReason))
	}
	return tw.Flush()
}

// withReason writes an outcome for the table: "not_sent (why)".
func withReason(status, reason string) string {
	if reason != "" {
		return status + " (" + reason + ")"
	}
	return status
}

func (e *bizEnv) bookingsDecide(ctx context.Context, verb string, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bookings "+verb, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	reason := fs.String("reason", "", "why (told to the customer)")
	var pos []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return fmt.Errorf("%w\n\n%s", err, bookingsUsage)
		}
		args = fs.Args()
		if len(args) > 0 {
			pos, args = append(pos, args[0]), args[1:]
		}
	}
	if len(pos) != 1 {
		return errors.New(bookingsUsage)
	}
	ref, err := business.ParseRef(pos[0])
	if err != nil {
		return err
	}
	to := map[string]business.Status{"approve": business.StatusApproved, "decline": business.StatusDeclined,
		"complete": business.StatusCompleted, "cancel": business.StatusCancelled}[verb]
	if err := migrateQueue(ctx, e.db); err != nil {
		return err
	}
	st, err := openStore(e.db, nil)
	if err != nil {
		return err
	}
	d := &desk.Desk{Store: e.store, Notifier: outboxNotifier{st: st}, Templates: desk.Templates{
		BookingUpdate: e.cfg.Business.ContentSIDBookingUpdate, BookingReminder: e.cfg.Business.ContentSIDBookingReminder,
	}}
	dec, err := d.Decide(ctx, ref, to, business.Actor{Kind: business.ActorCLI, ID: "cli"}, *reason)
	if err != nil {
		return err
	}
	told := "the customer will be told"
	if !dec.Told {
		told = "the customer was not told: " + dec.NotTold
	}
	_, err = fmt.Fprintf(stdout, "%s %s; %s\n", dec.Booking.Ref, dec.Booking.Status, told)
	return err
}

func (e *bizEnv) leadsList(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("leads list", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asCSV := fs.Bool("csv", false, "print CSV")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w\n\n%s", err, leadsUsage)
	}
	ls, err := e.store.Leads(ctx, 0)
	if err != nil {
		return err
	}
	loc := e.location(ctx)
	if *asCSV {
		return business.WriteLeadsCSV(stdout, ls, loc)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCREATED\tNAME\tTHREAD\tREQUIREMENT")
	for _, l := range ls {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", l.ID, l.CreatedAt.In(loc).Format(time.RFC3339), l.Name, l.Thread, strings.ReplaceAll(l.Requirement, "\n", " "))
	}
	return tw.Flush()
}

func (e *bizEnv) faqList(ctx context.Context, stdout io.Writer) error {
	fs, err := e.store.FAQs(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tQUESTION\tANSWER")
	for _, f := range fs {
		fmt.Fprintf(tw, "%d\t%s\t%s\n", f.ID, f.Q, f.A)
	}
	return tw.Flush()
}

// outboxNotifier records a customer notice in the outbox, keyed; the send
// job of a running `assistant serve` sends it (the CLI has no channel),
// through the channel of the thread's last message, deciding then between
// free text and the template.
type outboxNotifier struct{ st store.Store }

func (n outboxNotifier) Notify(ctx context.Context, th, key, text string) error {
	return n.NotifyTemplate(ctx, th, key, text, "", "")
}

// NotifyTemplate implements desk.TemplateNotifier.
func (n outboxNotifier) NotifyTemplate(ctx context.Context, th, key, text, contentSID, variables string) error {
	out := store.Outbound{Thread: th, Channel: channelFor(th), To: th, Key: key, Body: text, Status: store.StatusPending,
		ContentSID: contentSID, ContentVariables: variables}
	last, err := n.st.LastInbound(ctx, th)
	switch {
	case err == nil && last.Channel != "" && last.From != "" && (last.Sender == "" || last.Sender == th):
		out.Channel, out.To = last.Channel, last.From
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return err
	}
	_, err = n.st.Complete(ctx, th, nil, []store.Outbound{out})
	return err
}
