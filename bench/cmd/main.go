// Command cmd is the program bench/run.sh times against bench/scan: it
// generates benchmark workbooks, or reads and validates one as copsync
// does.
//
//	go run ./bench/cmd gen [-sst] -rows 200000 -o bench/data/members-200000.xlsx
//	go run ./bench/cmd validate [-cpuprofile F] [-memprofile F] bench/data/members-200000.xlsx
//
// validate prints the rows read, the time taken and the memory the Go
// runtime obtained from the system on one line; run.sh measures the
// process's peak memory (its largest resident set) itself.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"copsync/bench"
	"copsync/sync"
	"copsync/templates"
	"copsync/validate"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: cmd gen|validate …")
	}
	switch args[0] {
	case "gen":
		fs := flag.NewFlagSet("gen", flag.ContinueOnError)
		rows := fs.Int("rows", 20000, "members to write")
		out := fs.String("o", "", "the workbook to write")
		seed := fs.Uint64("seed", 1, "the random seed")
		sst := fs.Bool("sst", false, "write the texts as shared strings, as Excel does, rather than excelize's inline strings")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *out == "" {
			return fmt.Errorf("gen: -o is required")
		}
		if *sst {
			return bench.WriteMembersSST(*out, *rows, *seed)
		}
		return bench.WriteMembers(*out, *rows, *seed)
	case "validate":
		fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
		profile := fs.String("cpuprofile", "", "write a CPU profile to this file")
		memProfile := fs.String("memprofile", "", "write a heap profile to this file at the end")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if fs.NArg() != 1 {
			return fmt.Errorf("usage: cmd %s [-cpuprofile FILE] [-memprofile FILE] WORKBOOK", args[0])
		}
		if *profile != "" {
			out, err := os.Create(*profile)
			if err != nil {
				return err
			}
			defer out.Close()
			if err := pprof.StartCPUProfile(out); err != nil {
				return err
			}
			defer pprof.StopCPUProfile()
		}
		start := time.Now()
		rows, err := check(fs.Arg(0))
		if err != nil {
			return err
		}
		if *memProfile != "" {
			out, err := os.Create(*memProfile)
			if err != nil {
				return err
			}
			defer out.Close()
			if err := pprof.Lookup("allocs").WriteTo(out, 0); err != nil {
				return err
			}
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		fmt.Printf("%s rows=%d time=%s go_sys=%d\n", args[0], rows, time.Since(start).Round(time.Millisecond), ms.Sys)
		return nil
	}
	return fmt.Errorf("unknown command %q", args[0])
}

// check reads and validates the workbook as the membership source, as
// copsync validate does.
func check(path string) (int, error) {
	cat, err := templates.Catalogue()
	if err != nil {
		return 0, err
	}
	v := validate.New(validate.DefaultRules(), cat)
	if err := sync.Read(context.Background(), sync.Source{Name: validate.SourceMembers, Path: path}, v.Schema(validate.SourceMembers), v.Table); err != nil {
		return 0, err
	}
	res := v.Result()
	return res.Summary.MembersTotal, nil
}
