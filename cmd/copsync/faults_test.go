package main

import (
	"bytes"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	gosync "sync"
	"testing"

	"github.com/emersion/go-smtp"
	"github.com/xuri/excelize/v2"

	"copsync/notify"
)

// mailServer is an in-process SMTP server that counts the messages each
// recipient accepted, refuses the recipients in refuse with 550, and with
// dropAtQuit cuts the connection when the client says QUIT.
type mailServer struct {
	port       int
	mu         gosync.Mutex
	refuse     map[string]bool
	dropAtQuit bool
	got        map[string]int
}

func startMailServer(t *testing.T) *mailServer {
	t.Helper()
	ms := &mailServer{refuse: map[string]bool{}, got: map[string]int{}}
	s := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &mailSession{ms: ms}, nil }))
	s.Domain = "localhost"
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ms.port = l.Addr().(*net.TCPAddr).Port
	go func() { _ = s.Serve(quitDropper{Listener: l, ms: ms}) }()
	t.Cleanup(func() { _ = s.Close() })
	return ms
}

func (ms *mailServer) set(refuse []string, dropAtQuit bool) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	ms.refuse = map[string]bool{}
	for _, r := range refuse {
		ms.refuse[r] = true
	}
	ms.dropAtQuit = dropAtQuit
}

func (ms *mailServer) received() map[string]int {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	m := map[string]int{}
	for k, v := range ms.got {
		m[k] = v
	}
	return m
}

func (ms *mailServer) env(dir string, to ...string) map[string]string {
	env := runEnv(dir)
	env["COPSYNC_NOTIFY_SMTP_HOST"] = "127.0.0.1"
	env["COPSYNC_NOTIFY_SMTP_PORT"] = strconv.Itoa(ms.port)
	env["COPSYNC_NOTIFY_SMTP_TLS"] = "none"
	env["COPSYNC_NOTIFY_FROM"] = "copsync@example.org"
	env["COPSYNC_NOTIFY_TO"] = strings.Join(to, ",")
	env["COPSYNC_NOTIFY_WHEN"] = "always"
	return env
}

type mailSession struct {
	ms    *mailServer
	rcpts []string
}

func (s *mailSession) Mail(string, *smtp.MailOptions) error { s.rcpts = nil; return nil }
func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.ms.mu.Lock()
	defer s.ms.mu.Unlock()
	if s.ms.refuse[to] {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "<" + to + ">: mailbox unavailable"}
	}
	s.rcpts = append(s.rcpts, to)
	return nil
}
func (s *mailSession) Data(r io.Reader) error {
	if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	s.ms.mu.Lock()
	defer s.ms.mu.Unlock()
	for _, to := range s.rcpts {
		s.ms.got[to]++
	}
	return nil
}
func (s *mailSession) Reset()        { s.rcpts = nil }
func (s *mailSession) Logout() error { return nil }

// quitDropper closes a connection, unanswered, when QUIT arrives and the
// server is set to.
type quitDropper struct {
	net.Listener
	ms *mailServer
}

func (q quitDropper) Accept() (net.Conn, error) {
	c, err := q.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &quitConn{Conn: c, ms: q.ms}, nil
}

type quitConn struct {
	net.Conn
	ms *mailServer
}

func (c *quitConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.ms.mu.Lock()
	drop := c.ms.dropAtQuit
	c.ms.mu.Unlock()
	if drop && bytes.HasPrefix(p[:n], []byte("QUIT")) {
		_ = c.Conn.Close()
		return 0, io.EOF
	}
	return n, err
}

// TestRunDeliversOnce stages the mail server faults through copsync run: a
// server that drops at QUIT gets each recipient's message once and the run
// succeeds; a refused recipient does not stop the other, the run exits 4,
// the message is kept in the outbox's undelivered folder, and the next
// e-mail says who missed it.
func TestRunDeliversOnce(t *testing.T) {
	root, dir := repoRoot(t), t.TempDir()
	ms := startMailServer(t)
	const a, b = "secretariat@example.org", "cochairs@example.org"
	env := ms.env(dir, a, b)

	ms.set(nil, true)
	code, _, stderr := runIn(t, root, env, "run", "--date", "2026-11-27", "--confirm-date")
	if code != 0 {
		t.Fatalf("dropped at QUIT: exit %d\n%s", code, stderr)
	}
	if got := ms.received(); got[a] != 1 || got[b] != 1 {
		t.Errorf("dropped at QUIT: messages per recipient %v, want one each", got)
	}

	ms.set([]string{b}, false)
	code, _, stderr = runIn(t, root, env, "run", "--date", "2026-11-28", "--confirm-date")
	if code != exitDelivery {
		t.Fatalf("one recipient refused: exit %d, want %d\n%s", code, exitDelivery, stderr)
	}
	if got := ms.received(); got[a] != 2 || got[b] != 1 {
		t.Errorf("one recipient refused: messages per recipient %v, want %s 2 and %s 1", got, a, b)
	}
	if !strings.Contains(stderr, "delivered to 1 of 2 recipients") || !strings.Contains(stderr, "550") {
		t.Errorf("stderr does not say who missed the e-mail:\n%s", stderr)
	}
	kept, err := notify.Undelivered(filepath.Join(dir, "outbox"))
	if err != nil || len(kept) != 1 {
		t.Fatalf("undelivered folder holds %v (%v), want the message", kept, err)
	}
	st, err := notify.LoadState(filepath.Join(dir, "state"))
	if err != nil || st == nil || st.Date != "2026-11-28" {
		t.Errorf("state %+v (%v): the run that reached a recipient must keep its findings", st, err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "state", notify.DeliveryFile))
	if strings.Contains(string(data), b) {
		t.Errorf("the delivery report names the address: %s", data)
	}

	// The next run, everyone accepting: the e-mail says who missed the
	// last one and that a copy waits in undelivered/.
	ms.set(nil, false)
	code, _, stderr = runIn(t, root, env, "run", "--date", "2026-11-29", "--confirm-date")
	if code != 0 {
		t.Fatalf("next run: exit %d\n%s", code, stderr)
	}
	if got := ms.received(); got[a] != 3 || got[b] != 2 {
		t.Errorf("next run: messages per recipient %v", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "state", notify.DeliveryFile)); !os.IsNotExist(err) {
		t.Errorf("the delivery report outlived a full delivery (%v)", err)
	}
	if !strings.Contains(stderr, "messages not delivered to every recipient wait in the outbox") {
		t.Errorf("the next run's log does not mention the undelivered message:\n%s", stderr)
	}
}

// TestRunDeliveryLine checks the words of the next e-mail after a refusal,
// through the outbox (no server): the line names the recipient by its
// place in notify.to, never by its address.
func TestRunDeliveryLine(t *testing.T) {
	root, dir := repoRoot(t), t.TempDir()
	ms := startMailServer(t)
	const a, b = "secretariat@example.org", "cochairs@example.org"
	env := ms.env(dir, a, b)
	ms.set([]string{b}, false)
	if code, _, stderr := runIn(t, root, env, "run", "--date", "2026-11-28", "--confirm-date"); code != exitDelivery {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	env["COPSYNC_NOTIFY_SMTP_HOST"] = ""
	if code, _, stderr := runIn(t, root, env, "run", "--date", "2026-11-29", "--confirm-date"); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	msgs := outbox(t, dir)
	if len(msgs) != 1 {
		t.Fatalf("%d messages in the outbox, want 1", len(msgs))
	}
	text := textPart(t, msgs[0])
	for _, want := range []string{"The e-mail of 2026-11-28 did not reach every recipient (1 of 2 missed it): notify.to[1] (550",
		"Messages not delivered to every recipient, kept in " + filepath.Join(dir, "outbox", "undelivered") + ": 1.",
		"Le courriel du 2026-11-28 n’a pas joint tous ses destinataires"} {
		if !strings.Contains(text, want) {
			t.Errorf("the next e-mail lacks %q", want)
		}
	}
	if strings.Contains(text, b) {
		t.Error("the next e-mail names the refused address")
	}
}

// tree lists the files under dir, relative, with their sizes.
func tree(t *testing.T, dir string) map[string]int64 {
	t.Helper()
	m := map[string]int64{}
	_ = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			m[rel] = info.Size()
		}
		return nil
	})
	return m
}

// TestRunDatesKeepHistory: a run date in the future is refused unless
// confirmed, and even confirmed removes no snapshot; a dry run writes only
// its e-mail; a date before the last run's is refused unless confirmed,
// and then never counts the nights open backwards.
func TestRunDatesKeepHistory(t *testing.T) {
	root, dir := repoRoot(t), t.TempDir()
	env := runEnv(dir)
	env["COPSYNC_NOTIFY_WHEN"] = "always"
	for _, d := range []string{"2026-11-20", "2026-11-25", "2026-11-30", "2026-12-01"} {
		if code, _, stderr := runIn(t, root, env, "run", "--date", d, "--confirm-date"); code != 0 {
			t.Fatalf("run %s: exit %d\n%s", d, code, stderr)
		}
	}
	snaps := filepath.Join(dir, "snapshots")
	history, _ := os.ReadDir(snaps)
	if len(history) != 4 {
		t.Fatalf("%d snapshots, want 4", len(history))
	}

	code, _, stderr := runIn(t, root, env, "run", "--date", "2099-01-01")
	if code != exitUsage || !strings.Contains(stderr, "after tomorrow") || !strings.Contains(stderr, "--confirm-date") {
		t.Errorf("a date in 2099: exit %d, want %d and the flag named\n%s", code, exitUsage, stderr)
	}

	before := tree(t, dir)
	code, _, stderr = runIn(t, root, env, "run", "--dry-run", "--date", "2027-01-15", "--confirm-date")
	if code != 0 {
		t.Fatalf("dry run: exit %d\n%s", code, stderr)
	}
	after := tree(t, dir)
	var added []string
	for p, size := range after {
		if old, ok := before[p]; !ok || old != size {
			added = append(added, p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			t.Errorf("the dry run removed %s", p)
		}
	}
	if len(added) != 1 || !strings.HasPrefix(added[0], "outbox"+string(filepath.Separator)) || !strings.HasSuffix(added[0], ".eml") {
		t.Errorf("the dry run wrote %v, want only its e-mail in the outbox", added)
	}

	code, _, stderr = runIn(t, root, env, "run", "--date", "2099-01-01", "--confirm-date")
	if code != 0 {
		t.Fatalf("a confirmed date in 2099: exit %d\n%s", code, stderr)
	}
	for _, d := range []string{"2026-11-20", "2026-11-25", "2026-11-30", "2026-12-01", "2099-01-01"} {
		if _, err := os.Stat(filepath.Join(snaps, d, "members.xlsx")); err != nil {
			t.Errorf("snapshot %s: %v", d, err)
		}
	}

	code, _, stderr = runIn(t, root, env, "run", "--date", "2026-12-02")
	if code != exitUsage || !strings.Contains(stderr, "before the last run's (2099-01-01") {
		t.Errorf("a date before the last run's: exit %d, want %d\n%s", code, exitUsage, stderr)
	}
	code, _, stderr = runIn(t, root, env, "run", "--date", "2026-12-02", "--confirm-date")
	if code != 0 {
		t.Fatalf("confirmed: exit %d\n%s", code, stderr)
	}
	msgs := outbox(t, dir)
	text := textPart(t, msgs[len(msgs)-1])
	// The findings have been open since the first run, 2026-11-20.
	if strings.Contains(text, "26340") || !strings.Contains(text, "(12 nights)") {
		t.Errorf("the e-mail after the clock went back counts nights wrongly:\n%s", text)
	}
}

// TestRunDamagedState: a state file that is not a state is kept aside, the
// e-mail says the comparison is unavailable (not "first run"), and the
// run goes on.
func TestRunDamagedState(t *testing.T) {
	root, dir := repoRoot(t), t.TempDir()
	env := runEnv(dir)
	if err := os.MkdirAll(filepath.Join(dir, "state"), 0o750); err != nil {
		t.Fatal(err)
	}
	garbage := []byte(`{"version": 2, "date": "2026-11-2`)
	if err := os.WriteFile(filepath.Join(dir, "state", notify.StateFile), garbage, 0o640); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runIn(t, root, env, "run", "--date", "2026-11-29", "--confirm-date")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "the last run's state is damaged") {
		t.Errorf("the log does not report the damaged state:\n%s", stderr)
	}
	aside, _ := filepath.Glob(filepath.Join(dir, "state", notify.CorruptPrefix+"*"))
	if len(aside) != 1 {
		t.Fatalf("set aside: %v, want one file", aside)
	}
	if data, _ := os.ReadFile(aside[0]); !bytes.Equal(data, garbage) {
		t.Errorf("the damaged state was not kept as it was: %q", data)
	}
	msgs := outbox(t, dir)
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	text := textPart(t, msgs[0])
	if strings.Contains(text, "first run") || !strings.Contains(text, "The comparison with the last run is unavailable tonight") ||
		!strings.Contains(text, filepath.Base(aside[0])) {
		t.Errorf("the e-mail does not say the comparison is unavailable:\n%s", text)
	}
	if s := subject(t, msgs[0]); !strings.Contains(s, "comparison unavailable") {
		t.Errorf("subject %q", s)
	}
	if st, err := notify.LoadState(filepath.Join(dir, "state")); err != nil || st == nil {
		t.Errorf("no new state: %v", err)
	}
}

// TestOutputsNeverOntoSources: report --out onto a source, or into the
// snapshots, is refused with exit 2 and the source is untouched.
func TestOutputsNeverOntoSources(t *testing.T) {
	root, dir := repoRoot(t), t.TempDir()
	env := runEnv(dir)
	src := filepath.Join(root, "examples", "members.xlsx")
	want, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.xlsx")
	if err := os.Symlink(src, link); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, out, says string }{
		{"the source", src, "would overwrite the members source"},
		{"the source by a relative path", filepath.Join("examples", ".", "members.xlsx"), "would overwrite the members source"},
		{"a link to the source", link, "would overwrite the members source"},
		{"inside the snapshots", filepath.Join(dir, "snapshots", "2026-11-20", "r.xlsx"), "inside the snapshots"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runIn(t, root, env, "report", "--out", tc.out, "--date", "2026-11-29")
			if code != exitUsage || !strings.Contains(stderr, tc.says) {
				t.Errorf("exit %d, want %d saying %q\n%s", code, exitUsage, tc.says, stderr)
			}
		})
	}
	env["COPSYNC_STATE_DIR"] = filepath.Join(root, "examples", "members.xlsx")
	if code, _, stderr := runIn(t, root, env, "run", "--date", "2026-11-29", "--confirm-date"); code != exitUsage {
		t.Errorf("state.dir onto a source: exit %d\n%s", code, stderr)
	}
	if got, _ := os.ReadFile(src); !bytes.Equal(got, want) {
		t.Fatal("the source changed")
	}
}

// TestRunSnapshotFails: a snapshot that cannot be written is a finding of
// the run — in the e-mail and in the exit's one line, exit 4 — and the
// earlier snapshots are kept. Two folders stage it: one under a regular
// file (no snapshot at all; works for any user), and, where the test may
// mount one, a 64 KiB tmpfs filled up but for the first source's copy
// (1 of 3 saved: a full disk).
func TestRunSnapshotFails(t *testing.T) {
	root := repoRoot(t)
	check := func(t *testing.T, dir, snaps string, saved int) {
		t.Helper()
		env := runEnv(dir)
		env["COPSYNC_SYNC_SNAPSHOT_DIR"] = snaps
		code, _, stderr := runIn(t, root, env, "run", "--date", "2026-11-29", "--confirm-date")
		if code != exitDelivery {
			t.Fatalf("exit %d, want %d\n%s", code, exitDelivery, stderr)
		}
		last := strings.TrimSpace(stderr[strings.LastIndex(strings.TrimSpace(stderr), "\n")+1:])
		if !strings.HasPrefix(last, "copsync: snapshot incomplete:") {
			t.Errorf("the exit's line %q does not say the snapshot failed", last)
		}
		msgs := outbox(t, dir)
		if len(msgs) != 1 {
			t.Fatalf("%d messages", len(msgs))
		}
		if text := textPart(t, msgs[0]); !strings.Contains(text, "Tonight's snapshot of the sources is incomplete") ||
			!strings.Contains(text, "L’instantané des sources de cette nuit est incomplet") {
			t.Errorf("the e-mail does not tell the failed snapshot:\n%s", text)
		}
		files, _ := filepath.Glob(filepath.Join(snaps, "2026-11-29", "*"))
		if len(files) != saved {
			t.Errorf("snapshot holds %v, want %d file(s)", files, saved)
		}
	}
	t.Run("under a file", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "file"), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		check(t, dir, filepath.Join(dir, "file", "snapshots"), 0)
	})
	t.Run("disk full", func(t *testing.T) {
		dir := t.TempDir()
		mnt := filepath.Join(dir, "small")
		if err := os.Mkdir(mnt, 0o750); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt).CombinedOutput(); err != nil {
			t.Skipf("cannot mount a small tmpfs to fill (needs root in a mount namespace): %v %s", err, out)
		}
		t.Cleanup(func() { _ = exec.Command("umount", mnt).Run() })
		snaps := filepath.Join(mnt, "snapshots")
		old := filepath.Join(snaps, "2026-11-28")
		if err := os.MkdirAll(old, 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(old, "members.xlsx"), nil, 0o600); err != nil {
			t.Fatal(err)
		}
		// 16 pages of 4 KiB; leave 3 free: the members' copy (11.5 KiB).
		if err := os.WriteFile(filepath.Join(mnt, "filler"), make([]byte, 13*4096), 0o600); err != nil {
			t.Fatal(err)
		}
		check(t, dir, snaps, 1)
		if _, err := os.Stat(filepath.Join(old, "members.xlsx")); err != nil {
			t.Errorf("an earlier snapshot went: %v", err)
		}
		if tmp, _ := filepath.Glob(filepath.Join(snaps, "2026-11-29", ".*")); len(tmp) != 0 {
			t.Errorf("temporary files left: %v", tmp)
		}
	})
}

// TestRunRemovesStaleTemporaries: the temporaries a killed run leaves
// (named "." + the final name + digits by the atomic writes) are removed
// by the next run; files of other naming are not.
func TestRunRemovesStaleTemporaries(t *testing.T) {
	root, dir := repoRoot(t), t.TempDir()
	stale := []string{
		"out/.report-2026-11-27.xlsx2984650194",
		"state/.last-run.json77123",
		"state/.last-delivery.json5",
		"outbox/.20261127T110000.000000Z-abcdef.eml81234",
		"outbox/undelivered/.20261127T110000.000000Z-abcdef.eml9",
		"snapshots/2026-11-27/.members.xlsx123456",
	}
	foreign := []string{"out/.gitkeep", "out/report-2026-11-27.xlsx.bak", "state/.last-run.json.orig", "snapshots/2026-11-27/.notes"}
	for _, p := range append(slices.Clone(stale), foreign...) {
		p = filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if code, _, stderr := runIn(t, root, runEnv(dir), "run", "--date", "2026-11-29", "--confirm-date"); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, p := range stale {
		if _, err := os.Stat(filepath.Join(dir, p)); !os.IsNotExist(err) {
			t.Errorf("%s is still there (%v)", p, err)
		}
	}
	for _, p := range foreign {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("%s was removed: %v", p, err)
		}
	}
}

// TestRunOtherFailure: a failure that is neither usage, source nor
// delivery — here a state directory that cannot be made, under a regular
// file — exits with the generic failure code, never "delivery".
func TestRunOtherFailure(t *testing.T) {
	root, dir := repoRoot(t), t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "file"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := runEnv(dir)
	env["COPSYNC_STATE_DIR"] = filepath.Join(dir, "file", "state")
	code, _, stderr := runIn(t, root, env, "run", "--date", "2026-11-29", "--confirm-date")
	if code != exitFailure || !strings.Contains(stderr, "copsync: state.dir: ") {
		t.Errorf("exit %d, want %d naming state.dir\n%s", code, exitFailure, stderr)
	}
	if len(outbox(t, dir)) != 0 {
		t.Error("a run that could not start wrote an e-mail")
	}
}

// TestRunDigestRowsSharingABadValue runs copsync on a copy of the example
// membership in which rows share a bad address: a second "n/a" below the
// first is "1 new", then fixing the first is "1 resolved".
func TestRunDigestRowsSharingABadValue(t *testing.T) {
	root, dir := repoRoot(t), t.TempDir()
	members := filepath.Join(dir, "members.xlsx")
	edit := func(cells map[string]string) {
		t.Helper()
		f, err := excelize.OpenFile(filepath.Join(root, "examples", "members.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sheet := f.GetSheetName(0)
		for cell, v := range cells {
			if err := f.SetCellStr(sheet, cell, v); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.SaveAs(members); err != nil {
			t.Fatal(err)
		}
	}
	env := runEnv(dir)
	env["COPSYNC_SOURCES_MEMBERS_PATH"] = members
	env["COPSYNC_NOTIFY_WHEN"] = "always"
	run := func(date string) string {
		t.Helper()
		if code, _, stderr := runIn(t, root, env, "run", "--date", date, "--confirm-date"); code != 0 {
			t.Fatalf("run %s: exit %d\n%s", date, code, stderr)
		}
		msgs := outbox(t, dir)
		return subject(t, msgs[len(msgs)-1])
	}
	edit(map[string]string{"B5": "n/a"})
	run("2026-11-27")
	edit(map[string]string{"B5": "n/a", "B6": "n/a"})
	if s := run("2026-11-28"); !strings.Contains(s, "— 1 new") {
		t.Errorf("a second row with the same bad address: subject %q, want 1 new", s)
	}
	edit(map[string]string{"B6": "n/a"})
	if s := run("2026-11-29"); !strings.Contains(s, "— 1 resolved") {
		t.Errorf("the first row fixed: subject %q, want 1 resolved", s)
	}
}
