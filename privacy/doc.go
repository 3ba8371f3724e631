// Package privacy carries out what Switchboard promises about personal
// data: a person can have everything of theirs erased (Eraser: the
// "delete my data" conversation and `assistant threads erase`), and with
// RETENTION set nothing is kept longer than that (Sweeper, run by the
// queue's periodic maintenance job, which also prunes old checkpoints).
//
// Guarantees:
//   - Erase removes every row that belongs to a thread, in every table of
//     the schema: checkpoints, messages and replies with their delivery
//     records, queued jobs that name the thread (but the one running the
//     erasure), calendar events, workouts, bookings with their history,
//     leads, the opt-out, pending erasure requests, and the thread's id in
//     the console's audit trail. A test lists the tables from the database
//     catalog, so a table added later and forgotten here fails it.
//   - EraseMember, for a group chat, removes one participant's messages,
//     workouts and membership; the group's own rows stay.
//   - Every step is idempotent: an erasure interrupted by a crash is
//     finished by running it again.
//   - Sweep never deletes what is still needed: a message not yet
//     answered, a reply not yet sent, a pending or approved booking, the
//     workouts of the current and previous month (the gym totals), an
//     opt-out (STOP must stand), a thread's newest checkpoint while the
//     thread is active.
package privacy
