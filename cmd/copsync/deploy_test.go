package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"copsync/config"
	"copsync/schedule"
)

// TestDeployFilesAgree checks the deploy/ files against the defaults of the
// schedule and against each other: the same time and zone everywhere, no
// overlap, and a configuration copsync accepts.
func TestDeployFilesAgree(t *testing.T) {
	root := repoRoot(t)
	read := func(rel string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(root, "deploy", rel))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	def := config.Default().Schedule
	if _, err := schedule.Parse(def.Cron, def.Timezone); err != nil {
		t.Fatalf("the default schedule does not parse: %v", err)
	}

	timer := read("systemd/copsync.timer")
	for _, want := range []string{"OnCalendar=*-*-* 06:00:00 " + def.Timezone + "\n", "Persistent=true\n", "Unit=copsync.service\n"} {
		if !strings.Contains(timer, want) {
			t.Errorf("copsync.timer lacks %q", want)
		}
	}
	service := read("systemd/copsync.service")
	for _, want := range []string{"Type=oneshot\n", "ExecStart=/usr/local/bin/copsync run --config ", "COPSYNC_NOTIFY_SMTP_PASSWORD_FILE="} {
		if !strings.Contains(service, want) {
			t.Errorf("copsync.service lacks %q", want)
		}
	}
	if strings.Contains(service, "COPSYNC_NOTIFY_SMTP_PASSWORD=") {
		t.Error("copsync.service puts the password in the environment")
	}

	cron := read("cron/copsync")
	line := regexp.MustCompile(`(?m)^(\S+ \S+ \S+ \S+ \S+)\s+copsync\s+(.*)$`).FindStringSubmatch(cron)
	if line == nil {
		t.Fatal("cron/copsync has no job line")
	}
	if line[1] != def.Cron {
		t.Errorf("cron schedule %q, want %q", line[1], def.Cron)
	}
	lock := regexp.MustCompile(`flock -n (\S+) (?:timeout \S+ )?copsync run `).FindStringSubmatch(line[2])
	if lock == nil {
		t.Fatalf("the cron job does not run copsync under flock -n: %q", line[2])
	}
	if filepath.Base(lock[1]) == "copsync.lock" {
		t.Errorf("flock holds %s, the lock copsync takes itself", lock[1])
	}
	if !strings.Contains(cron, "CRON_TZ="+def.Timezone+"\n") {
		t.Error("cron/copsync does not set CRON_TZ")
	}

	dec := yaml.NewDecoder(strings.NewReader(read("kubernetes/cronjob.yaml")))
	kinds := map[string]map[string]any{}
	for {
		var doc map[string]any
		if err := dec.Decode(&doc); err != nil {
			break
		}
		kinds[doc["kind"].(string)] = doc
	}
	cj := kinds["CronJob"]
	if cj == nil {
		t.Fatal("no CronJob")
	}
	spec := cj["spec"].(map[string]any)
	if spec["schedule"] != def.Cron || spec["timeZone"] != def.Timezone || spec["concurrencyPolicy"] != "Forbid" {
		t.Errorf("CronJob schedule %v, timeZone %v, concurrencyPolicy %v", spec["schedule"], spec["timeZone"], spec["concurrencyPolicy"])
	}
	pod := spec["jobTemplate"].(map[string]any)["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)
	args := pod["containers"].([]any)[0].(map[string]any)["args"].([]any)
	if len(args) == 0 || args[0] != "run" {
		t.Errorf("the container's args %v do not run copsync run", args)
	}

	// The platforms stop a run 5 minutes after copsync's own deadline, so
	// that the e-mail kept for the end of the run goes out.
	limit := config.DefaultRunDeadline + 5*time.Minute
	if want := fmt.Sprintf("TimeoutStartSec=%dmin\n", int(limit.Minutes())); !strings.Contains(service, want) {
		t.Errorf("copsync.service lacks %q (run.deadline + 5 minutes)", want)
	}
	if want := fmt.Sprintf("timeout %dm copsync run ", int(limit.Minutes())); !strings.Contains(line[2], want) {
		t.Errorf("the cron job lacks %q (run.deadline + 5 minutes): %q", want, line[2])
	}
	job := spec["jobTemplate"].(map[string]any)["spec"].(map[string]any)
	if got, _ := job["activeDeadlineSeconds"].(int); got != int(limit.Seconds()) {
		t.Errorf("activeDeadlineSeconds %v, want %d (run.deadline + 5 minutes)", job["activeDeadlineSeconds"], int(limit.Seconds()))
	}

	// The ConfigMap's config.yaml is one copsync accepts.
	cm := kinds["ConfigMap"]
	if cm == nil {
		t.Fatal("no ConfigMap")
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte(cm["data"].(map[string]any)["config.yaml"].(string)), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runIn(t, dir, nil, "check-config", "--config", cfg); code != 0 {
		t.Errorf("check-config of the ConfigMap's config.yaml: exit %d: %s", code, stderr)
	}
}
