package main

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// clockTick is the unit of CPU times in /proc (USER_HZ, 100 on Linux).
const clockTick = 10 * time.Millisecond

// cpuSample is the CPU time used so far by the processes of one run, read
// from /proc (Linux only; elsewhere every field stays zero and ok false).
type cpuSample struct {
	ok                              bool
	assistant, postgres, tool, busy time.Duration
	at                              time.Time
}

// procStat reads a /proc/<pid>/stat: the command name, the parent pid, and
// the CPU time of the process and of its waited-for children.
func procStat(pid string) (comm string, ppid int, cpu time.Duration, err error) {
	b, err := os.ReadFile(filepath.Join("/proc", pid, "stat"))
	if err != nil {
		return "", 0, 0, fmt.Errorf("read /proc/%s/stat: %w", pid, err)
	}
	open, close := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
	if open < 0 || close < open {
		return "", 0, 0, fmt.Errorf("parse /proc/%s/stat", pid)
	}
	comm = string(b[open+1 : close])
	f := strings.Fields(string(b[close+1:]))
	// After the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13)
	// cstime(14).
	if len(f) < 15 {
		return "", 0, 0, fmt.Errorf("parse /proc/%s/stat: %d fields", pid, len(f))
	}
	ppid, _ = strconv.Atoi(f[1])
	var ticks int64
	for _, s := range f[11:15] {
		n, _ := strconv.ParseInt(s, 10, 64)
		ticks += n
	}
	return comm, ppid, time.Duration(ticks) * clockTick, nil
}

// machineBusy is the CPU time all cores spent not idle (from /proc/stat).
func machineBusy() (time.Duration, error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, fmt.Errorf("read /proc/stat: %w", err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 8 || f[0] != "cpu" {
		return 0, fmt.Errorf("parse /proc/stat")
	}
	var busy int64
	for i, s := range f[1:] {
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		n, _ := strconv.ParseInt(s, 10, 64)
		busy += n
	}
	return time.Duration(busy) * clockTick, nil
}

// postmasterPort returns the TCP port of a postgres:// URL ("" when it
// names none or is not a URL).
func postmasterPort(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.Host == "" {
		return ""
	}
	if p := u.Port(); p != "" {
		return p
	}
	return "5432"
}

// sampleCPU reads the CPU used so far by the assistant (pid), this tool,
// the PostgreSQL server listening on port (its postmaster and backends; ""
// for none), and the whole machine.
func sampleCPU(assistantPID int, port string) cpuSample {
	s := cpuSample{at: time.Now()}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		s.tool = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	_, _, a, err := procStat(strconv.Itoa(assistantPID))
	if err != nil {
		return s
	}
	s.assistant = a
	if s.busy, err = machineBusy(); err != nil {
		return s
	}
	s.ok = true
	if port == "" {
		return s
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return s
	}
	type proc struct {
		ppid int
		cpu  time.Duration
	}
	procs := map[int]proc{}
	master := 0
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		comm, ppid, cpu, err := procStat(e.Name())
		if err != nil || comm != "postgres" {
			continue
		}
		procs[pid] = proc{ppid, cpu}
		if master == 0 {
			cmd, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
			args := strings.Split(string(cmd), "\x00")
			for i, a := range args {
				if a == "-p" && i+1 < len(args) && args[i+1] == port {
					master = pid
				}
			}
		}
	}
	for pid, p := range procs {
		if pid == master || (master != 0 && p.ppid == master) {
			s.postgres += p.cpu
		}
	}
	return s
}

// cpuReport formats CPU used between two samples per unit of work.
func cpuReport(a, b cpuSample, units int, unit string) string {
	if !a.ok || !b.ok || units == 0 {
		return "CPU accounting unavailable (needs Linux /proc)"
	}
	per := func(d time.Duration) string {
		return fmt.Sprintf("%.0fµs", float64(d)/float64(units)/float64(time.Microsecond))
	}
	wall := b.at.Sub(a.at)
	busy := b.busy - a.busy
	ours := (b.assistant - a.assistant) + (b.postgres - a.postgres) + (b.tool - a.tool)
	return fmt.Sprintf("CPU per %s: assistant %s, postgres %s, load tool %s; machine busy %.0f%% of %.2fs × cores, %.1f core·s of it outside these processes",
		unit, per(b.assistant-a.assistant), per(b.postgres-a.postgres), per(b.tool-a.tool),
		100*float64(busy)/float64(wall)/float64(cores()), wall.Seconds(), max(0, (busy-ours).Seconds()))
}

func cores() int { return runtime.NumCPU() }
