package sync_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"copsync/sync"
	"copsync/validate"
)

// TestGSheetsIntegration reads a real Google spreadsheet through the real
// API. It is opt-in, and skips unless a spreadsheet and a key are given:
//
//	COPSYNC_GSHEETS_IT_SPREADSHEET=<spreadsheet id or its browser URL> \
//	GOOGLE_APPLICATION_CREDENTIALS=/path/to/service-account-key.json \
//	go test ./sync -run TestGSheetsIntegration -v
//
// The spreadsheet must hold a sheet with a membership header row (Name,
// E-mail, …) and be shared, as Viewer, with the key's client_email.
// COPSYNC_GSHEETS_IT_SHEET names the tab (by default it is found by its
// header); COPSYNC_GSHEETS_IT_CREDENTIALS may name the key instead of
// GOOGLE_APPLICATION_CREDENTIALS. The test makes two read requests: one for
// the spreadsheet (the snapshot reuses it) and one for an id that does not
// exist.
func TestGSheetsIntegration(t *testing.T) {
	id := os.Getenv("COPSYNC_GSHEETS_IT_SPREADSHEET")
	if id == "" {
		t.Skip("integration test against Google Sheets: set COPSYNC_GSHEETS_IT_SPREADSHEET and GOOGLE_APPLICATION_CREDENTIALS to run it")
	}
	key := os.Getenv("COPSYNC_GSHEETS_IT_CREDENTIALS")
	if key == "" {
		key = os.Getenv("GOOGLE_APPLICATION_CREDENTIALS")
	}
	if key == "" {
		t.Skip("integration test against Google Sheets: COPSYNC_GSHEETS_IT_SPREADSHEET is set but no service-account key is (GOOGLE_APPLICATION_CREDENTIALS or COPSYNC_GSHEETS_IT_CREDENTIALS)")
	}
	src := sync.Source{Name: "members", Kind: "gsheets", SpreadsheetID: id, Sheet: os.Getenv("COPSYNC_GSHEETS_IT_SHEET"), CredentialsFile: key}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	g := sync.NewGSheets(nil, []sync.Source{src})
	ctx = sync.WithGSheets(ctx, g)

	tab, err := sync.ReadTable(ctx, src, membersSchema())
	if err != nil {
		t.Fatal(err)
	}
	wantID, _ := sync.SpreadsheetID(id)
	if tab.Origin.Kind != "gsheets" || tab.Origin.SpreadsheetID != wantID || tab.Origin.Sheet == "" {
		t.Errorf("origin = %+v", tab.Origin)
	}
	if tab.Header.Col(validate.FieldName) < 0 && tab.Header.Col(validate.FieldEmail) < 0 {
		t.Errorf("header = %+v", tab.Header)
	}
	t.Logf("read %q (gid %d): header on row %d, %d data rows", tab.Origin.Sheet, tab.Origin.SheetID, tab.Header.Row, len(tab.Rows))

	// The snapshot costs no further request and reads back the same.
	dir := t.TempDir()
	if _, err := sync.Snapshot(ctx, []sync.Source{src}, dir, time.Now()); err != nil {
		t.Fatal(err)
	}
	if n := g.Requests(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
	snaps, err := sync.Snapshots(dir)
	if err != nil || len(snaps) != 1 {
		t.Fatalf("snapshots %v, %v", snaps, err)
	}
	back, err := sync.ReadTable(context.Background(), sync.Source{Name: "members", Path: filepath.Join(dir, snaps[0], "members.xlsx"), Sheet: src.Sheet}, membersSchema())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(tab.Rows, back.Rows); diff != "" {
		t.Errorf("snapshot rows (-gsheets +snapshot):\n%s", diff)
	}

	missing := src
	missing.SpreadsheetID = "1copsyncDoesNotExist0000000000000000000000"
	missing.Sheet = ""
	_, err = sync.ReadTable(ctx, missing, membersSchema())
	if !errors.Is(err, sync.ErrSpreadsheetNotFound) && !errors.Is(err, sync.ErrPermissionDenied) {
		t.Errorf("a spreadsheet that does not exist: %v", err)
	}
}
