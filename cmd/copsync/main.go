// Command copsync reads the Service Centre Community of Practice's
// membership and issues spreadsheets, validates them, writes the report
// workbook for the co-chairs and e-mails the findings. Run "copsync help"
// for its commands; the README documents its configuration and exit codes.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	deferFirstCollection(os.Getenv, firstCollection)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	tmp := newRunTemp()
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	tmp.Close()
	os.Exit(code)
}
