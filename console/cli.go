package console

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"
)

// UserUsage describes the account subcommands.
const UserUsage = `usage: assistant console user <command>

commands:
  add NAME [--role staff|owner]   add an account, or set its password and role
                                  (the password is asked for, or read from
                                  the first line of standard input)
  rm NAME                         remove an account and sign it out everywhere
  list                            list the accounts

The "owner" account's password is CONSOLE_PASSWORD; it is not managed here.`

// UserCommand runs "console user add|rm|list" (args are the words after
// "user"). A password is never taken from the arguments: it is read from
// the terminal without echo (asked twice), or from the first line of stdin
// when stdin is not a terminal.
func UserCommand(ctx context.Context, acc *Accounts, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("console user: missing command\n\n%s", UserUsage)
	}
	switch args[0] {
	case "add":
		return userAdd(ctx, acc, args[1:], stdin, stdout, stderr)
	case "rm", "remove":
		if len(args) != 2 {
			return fmt.Errorf("console user rm: name one account\n\n%s", UserUsage)
		}
		name := strings.ToLower(args[1])
		if name == OwnerAccount {
			return errors.New("console user rm: the owner account stays while CONSOLE_PASSWORD is set; unset it to turn the console off")
		}
		if err := acc.Remove(ctx, name); err != nil {
			return err
		}
		if err := acc.Audit(ctx, "cli", "removed an account", name); err != nil {
			return err
		}
		_, err := fmt.Fprintf(stdout, "removed %s and ended its sessions\n", name)
		return err
	case "list":
		accts, err := acc.List(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tROLE\tCREATED")
		for _, a := range accts {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", a.Name, a.Role, a.CreatedAt.Format("2006-01-02"))
		}
		return tw.Flush()
	case "help", "-h", "--help":
		_, err := fmt.Fprintln(stdout, UserUsage)
		return err
	default:
		return fmt.Errorf("console user: unknown command %q\n\n%s", args[0], UserUsage)
	}
}

func userAdd(ctx context.Context, acc *Accounts, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("add", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	roleFlag := fs.String("role", "staff", "staff or owner")
	var name string
	// The name may come before or after the flag.
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("console user add: %w\n\n%s", err, UserUsage)
	}
	if name == "" && fs.NArg() > 0 {
		name = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return fmt.Errorf("console user add: unexpected %q (the password is never an argument; it is asked for)", fs.Arg(0))
	}
	name = strings.ToLower(name)
	if name == "" {
		return fmt.Errorf("console user add: name the account\n\n%s", UserUsage)
	}
	if err := CheckName(name); err != nil {
		return err
	}
	if name == OwnerAccount {
		return errors.New("console user add: the owner account's password is CONSOLE_PASSWORD; choose another name")
	}
	role, err := ParseRole(*roleFlag)
	if err != nil {
		return err
	}
	pw, err := readPassword(stdin, stderr, name)
	if err != nil {
		return err
	}
	created, err := acc.Set(ctx, name, role, pw)
	if err != nil {
		return err
	}
	what := "updated"
	if created {
		what = "added"
	}
	if err := acc.Audit(ctx, "cli", what+" an account", fmt.Sprintf("%s (%s)", name, role)); err != nil {
		return err
	}
	if created {
		_, err = fmt.Fprintf(stdout, "added %s (%s)\n", name, role)
	} else {
		_, err = fmt.Fprintf(stdout, "updated %s (%s); its sessions were ended\n", name, role)
	}
	return err
}

// readPassword asks on the terminal (twice, without echo) or reads the
// first line of a non-terminal stdin.
func readPassword(stdin io.Reader, prompt io.Writer, name string) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(prompt, "Password for %s: ", name)
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("read the password: %w", err)
		}
		fmt.Fprint(prompt, "Again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("read the password: %w", err)
		}
		if string(a) != string(b) {
			return "", errors.New("the two passwords differ; nothing was changed")
		}
		return string(a), CheckPassword(string(a))
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password from standard input: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", errors.New("no password on standard input: pipe it in (the first line) or run this in a terminal")
	}
	return pw, CheckPassword(pw)
}
