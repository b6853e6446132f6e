package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"copsync/report"
	"copsync/templates"
)

func (a *app) initCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "init [DIR]",
		Short: "Write blank starter workbooks (membership, issues, activities) into DIR",
		Long: `init writes blank membership, issues and activities workbooks into DIR
(default: the current folder), with bilingual column titles, an input
message on each title, drop-down lists (province or territory, order of
government, status, criticality, incidence, activity type) and a frozen
header row. It never overwrites a file: when one of them exists, it writes
none.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			cat, err := templates.Catalogue()
			if err != nil {
				return err
			}
			paths, err := report.WriteStarters(dir, cat)
			if errors.Is(err, report.ErrExists) {
				return usagef("init: %v", err)
			}
			if err != nil {
				return &deliveryError{Err: fmt.Errorf("init: %w", err)}
			}
			for _, p := range paths {
				fmt.Fprintln(a.stdout, p)
			}
			return nil
		},
	}
}
