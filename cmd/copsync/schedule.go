package main

import (
	"context"

	"github.com/spf13/cobra"

	"copsync/schedule"
	"copsync/validate"
)

func (a *app) scheduleCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "schedule",
		Short: "Stay in the foreground and run the job on schedule.cron in schedule.timezone",
		Long: `schedule stays in the foreground and runs the nightly job (as copsync run
does) at each time of schedule.cron (default "0 6 * * *") in
schedule.timezone (default America/Toronto). Runs never overlap; a run that
fails is logged and the next one happens as planned; SIGINT or SIGTERM stops
it cleanly, after the run under way if any. Each run logs its stages; the
next run time is logged after each run.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cmd.Flags().Changed("date") || a.dateFlag != "" {
				return usagef("--date: not allowed with schedule (each run takes its own date)")
			}
			if err := a.setup(cmd); err != nil {
				return err
			}
			// setup checked the whole configuration, schedule.* and the
			// e-mail's settings included: a nightly run cannot fail on it.
			loop := &schedule.Loop{
				Schedule: a.parts.schedule,
				Logger:   a.logger,
				Job: func(ctx context.Context) error {
					err := a.runJob(ctx, runOptions{})
					if err != nil {
						return oneLineError{err}
					}
					return nil
				},
			}
			a.logger.Info("scheduler started", "cron", a.cfg.Schedule.Cron, "timezone", a.cfg.Schedule.Timezone)
			return loop.Run(cmd.Context())
		},
	}
}

// oneLineError prints an error on one line, for the log.
type oneLineError struct{ err error }

func (e oneLineError) Error() string { return validate.OneLine(e.err.Error()) }
func (e oneLineError) Unwrap() error { return e.err }
