package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	gosync "sync"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"copsync/bench"
	"copsync/notify"
	"copsync/sync/sheetstest"
)

// asCopsync, when set in the environment, makes the test binary run
// copsync's main with the arguments it holds (JSON): the process tests
// start copsync as a child they can signal and kill.
const asCopsync = "COPSYNC_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if args := os.Getenv(asCopsync); args != "" {
		var a []string
		if err := json.Unmarshal([]byte(args), &a); err != nil {
			panic(err)
		}
		os.Args = append([]string{"copsync"}, a...)
		main()
		return
	}
	code := m.Run()
	if bigPath != "" {
		_ = os.RemoveAll(filepath.Dir(bigPath))
	}
	os.Exit(code)
}

// child is a copsync process started by a test, whose log lines can be
// waited for.
type child struct {
	cmd   *exec.Cmd
	mu    gosync.Mutex
	log   bytes.Buffer
	lines chan string
	done  chan struct{}
}

// startChild starts copsync with args in dir, with env added to a clean
// environment whose TMPDIR is tmp.
func startChild(t *testing.T, dir, tmp string, env map[string]string, args ...string) *child {
	t.Helper()
	a, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0])
	cmd.Dir = dir
	cmd.Env = []string{asCopsync + "=" + string(a), "TMPDIR=" + tmp, "PATH=" + os.Getenv("PATH"), "HOME=" + tmp}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, lines: make(chan string, 1000), done: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(c.done)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			c.mu.Lock()
			c.log.WriteString(sc.Text() + "\n")
			c.mu.Unlock()
			select {
			case c.lines <- sc.Text():
			default:
			}
		}
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return c
}

// waitFor waits for a log line holding s; it fails the test when the
// process ends first.
func (c *child) waitFor(t *testing.T, s string) {
	t.Helper()
	for {
		select {
		case l := <-c.lines:
			if strings.Contains(l, s) {
				return
			}
		case <-c.done:
			t.Fatalf("copsync ended before logging %q:\n%s", s, c.stderr())
		}
	}
}

func (c *child) stderr() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.log.String()
}

// wait waits for the process to end and returns its exit code.
func (c *child) wait(t *testing.T) int {
	t.Helper()
	<-c.done
	err := c.cmd.Wait()
	if ee, ok := err.(*exec.ExitError); ok {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return -int(ws.Signal())
		}
		return ee.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0
}

var (
	bigOnce gosync.Once
	bigPath string
	bigErr  error
)

// bigMembers returns a membership workbook of bigRows rows (200,000; fewer
// under the race detector), made once per test binary.
func bigMembers(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: no large workbook")
	}
	bigOnce.Do(func() {
		dir, err := os.MkdirTemp("", "copsync-test-big-")
		if err != nil {
			bigErr = err
			return
		}
		bigPath = filepath.Join(dir, "members.xlsx")
		bigErr = bench.WriteMembers(bigPath, bigRows, 1)
	})
	if bigErr != nil {
		t.Fatal(bigErr)
	}
	return bigPath
}

// leftovers lists the temporary files copsync's writes leave in dir (its
// names start with a dot), and the per-run folders in tmp.
func leftovers(t *testing.T, dir, tmp string) []string {
	t.Helper()
	var out []string
	_ = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && strings.HasPrefix(info.Name(), ".") && p != dir {
			out = append(out, p)
		}
		return nil
	})
	entries, _ := os.ReadDir(tmp)
	for _, e := range entries {
		out = append(out, filepath.Join(tmp, e.Name()))
	}
	return out
}

// bigRun prepares a run over the 200,000-row membership: a previous report
// and state to keep intact, and the environment.
func bigRun(t *testing.T, members string) (dir, tmp string, env map[string]string, prevReport, prevState []byte) {
	t.Helper()
	root := repoRoot(t)
	dir, tmp = t.TempDir(), t.TempDir()
	env = runEnv(dir)
	env["COPSYNC_SOURCES_MEMBERS_PATH"] = members
	env["COPSYNC_SOURCES_ISSUES_PATH"] = filepath.Join(root, "examples", "issues.xlsx")
	env["COPSYNC_SOURCES_ACTIVITIES_PATH"] = filepath.Join(root, "examples", "activities.xlsx")
	env["COPSYNC_CONFIG"] = filepath.Join(root, "config.yaml")
	prevReport = []byte("the previous report")
	prevState = []byte(`{"version": 2, "run_at": "2026-11-28T11:00:00Z", "date": "2026-11-28", "summary": {}, "findings": []}` + "\n")
	for p, data := range map[string][]byte{
		filepath.Join(dir, "out", "report-2026-11-29.xlsx"): prevReport,
		filepath.Join(dir, "state", notify.StateFile):       prevState,
	} {
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o640); err != nil {
			t.Fatal(err)
		}
	}
	return dir, tmp, env, prevReport, prevState
}

func checkIntact(t *testing.T, dir string, prevReport, prevState []byte) {
	t.Helper()
	if got, _ := os.ReadFile(filepath.Join(dir, "out", "report-2026-11-29.xlsx")); !bytes.Equal(got, prevReport) {
		t.Error("the previous report changed")
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "state", notify.StateFile)); !bytes.Equal(got, prevState) {
		t.Error("the previous state changed")
	}
}

// TestSIGTERMEndsTheRun sends SIGTERM to copsync run at chosen points of a
// 200,000-row run: it exits 130 saying "interrupted", promptly, with the
// previous report and state intact and no temporary file anywhere (its
// per-run temporary folder, where excelize spills, removed too).
func TestSIGTERMEndsTheRun(t *testing.T) {
	for _, point := range []string{`msg="run started"`, `msg="sources validated"`} {
		t.Run(point, func(t *testing.T) {
			dir, tmp, env, prevReport, prevState := bigRun(t, bigMembers(t))
			c := startChild(t, dir, tmp, env, "run", "--date", "2026-11-29", "--confirm-date")
			c.waitFor(t, point)
			sent := time.Now()
			if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			code := c.wait(t)
			took := time.Since(sent)
			t.Logf("SIGTERM after %s: exit %d in %s", point, code, took.Round(time.Millisecond))
			if code != exitInterrupted || !strings.Contains(c.stderr(), "copsync: interrupted") {
				t.Errorf("exit %d, want %d saying interrupted:\n%s", code, exitInterrupted, c.stderr())
			}
			// Within a second, as the issue asks; the bound is doubled for
			// a loaded machine.
			if took > 2*time.Second {
				t.Errorf("SIGTERM took %s to end the run", took)
			}
			checkIntact(t, dir, prevReport, prevState)
			if left := leftovers(t, dir, tmp); len(left) != 0 {
				t.Errorf("left behind: %v", left)
			}
		})
	}
}

// TestKillDuringRun kills copsync run (-9) at chosen points: while it
// reads and while it writes the report of a 200,000-row membership, and
// once the report of the examples is written (while it compares and
// e-mails). The previous report and state are intact, or replaced whole,
// and the next run removes what the killed one left: the temporaries of
// its own naming and its temporary folder.
func TestKillDuringRun(t *testing.T) {
	small := filepath.Join(repoRoot(t), "examples", "members.xlsx")
	for _, tc := range []struct {
		point string
		big   bool
	}{
		{`msg="run started"`, true},
		{`msg="sources validated"`, true},
		{`msg="report written"`, false},
	} {
		t.Run(tc.point, func(t *testing.T) {
			members := small
			if tc.big {
				members = bigMembers(t)
			}
			dir, tmp, env, prevReport, prevState := bigRun(t, members)
			c := startChild(t, dir, tmp, env, "run", "--date", "2026-11-29", "--confirm-date")
			c.waitFor(t, tc.point)
			_ = c.cmd.Process.Kill() // it may have ended already
			code := c.wait(t)
			if tc.big {
				if code != -int(syscall.SIGKILL) {
					t.Fatalf("exit %d, want killed", code)
				}
				checkIntact(t, dir, prevReport, prevState)
			} else {
				// Replaced whole or not at all.
				if _, err := notify.LoadState(filepath.Join(dir, "state")); err != nil {
					t.Errorf("the state is damaged: %v", err)
				}
				path := filepath.Join(dir, "out", "report-2026-11-29.xlsx")
				if got, _ := os.ReadFile(path); !bytes.Equal(got, prevReport) {
					f, err := excelize.OpenFile(path)
					if err != nil {
						t.Errorf("the report is damaged: %v", err)
					} else {
						f.Close()
					}
				}
			}
			t.Logf("exit %d; left by the kill: %v", code, leftovers(t, dir, tmp))

			// The next run, on the small membership, cleans up.
			env["COPSYNC_SOURCES_MEMBERS_PATH"] = small
			next := startChild(t, dir, tmp, env, "run", "--date", "2026-11-29", "--confirm-date")
			if code := next.wait(t); code != 0 {
				t.Fatalf("next run: exit %d\n%s", code, next.stderr())
			}
			if left := leftovers(t, dir, tmp); len(left) != 0 {
				t.Errorf("left after the next run: %v", left)
			}
		})
	}
}

// TestHungSheetsServer: a Google Sheets server that never answers holds
// the run no longer than run.deadline, and the e-mail saying the source
// could not be read goes out in the time kept for it.
func TestHungSheetsServer(t *testing.T) {
	srv, root := examplesFake(t)
	srv.InjectAlways(sheetstest.Fault{Delay: time.Hour})
	dir := t.TempDir()
	cfg := writeConfig(t, dir, "config.yaml", root, gsheetsMembers(srv, "1CoPmembers", ""), "run: {deadline: 10s}\n")
	env := runEnv(dir)
	start := time.Now()
	code, _, stderr := runIn(t, dir, env, "run", "--config", cfg, "--date", "2026-11-29", "--confirm-date")
	took := time.Since(start)
	t.Logf("exit %d after %s", code, took.Round(time.Millisecond))
	if code != exitSource {
		t.Fatalf("exit %d, want %d\n%s", code, exitSource, stderr)
	}
	if took > 10*time.Second {
		t.Errorf("the run took %s, past its 10 s deadline", took)
	}
	msgs := outbox(t, dir)
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want the one saying the source is unreadable\n%s", len(msgs), stderr)
	}
	text := textPart(t, msgs[0])
	if !strings.Contains(text, "The membership source could not be read") || !strings.Contains(text, "run.deadline") {
		t.Errorf("the e-mail does not say the source was not read in time:\n%s", text)
	}
}
