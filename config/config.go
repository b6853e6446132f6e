package config

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"

	"copsync/validate"
)

// Config is the whole configuration. Keys are written in snake case, as in
// config.yaml; COPSYNC_ plus the key in upper case with dots as underscores
// overrides any key from the environment.
type Config struct {
	Community Community `mapstructure:"community"`
	Sources   Sources   `mapstructure:"sources"`
	// Fields adds header aliases per source and field, e.g.
	// fields.members.email: [Adresse]; a new field name declares a field
	// that rules can check.
	Fields   map[string]map[string][]string `mapstructure:"fields"`
	Rules    Rules                          `mapstructure:"rules"`
	Report   Report                         `mapstructure:"report"`
	Sync     Sync                           `mapstructure:"sync"`
	State    State                          `mapstructure:"state"`
	Run      Run                            `mapstructure:"run"`
	Notify   Notify                         `mapstructure:"notify"`
	Schedule Schedule                       `mapstructure:"schedule"`
	Log      Log                            `mapstructure:"log"`
	Limits   Limits                         `mapstructure:"limits"`
}

// Community names the community of practice and its co-chairs.
type Community struct {
	NameEN    string    `mapstructure:"name_en"`
	NameFR    string    `mapstructure:"name_fr"`
	CouncilEN string    `mapstructure:"council_en"`
	CouncilFR string    `mapstructure:"council_fr"`
	CoChairs  []CoChair `mapstructure:"co_chairs"`
}

// CoChair is one co-chair of the community.
type CoChair struct {
	Name    string `mapstructure:"name"`
	TitleEN string `mapstructure:"title_en"`
	TitleFR string `mapstructure:"title_fr"`
}

// Sources are the spreadsheets copsync reads.
type Sources struct {
	Members    Source `mapstructure:"members"`
	Issues     Source `mapstructure:"issues"`
	Activities Source `mapstructure:"activities"` // optional
}

// Source is one spreadsheet: a local workbook (kind xlsx) or a Google
// Sheet (kind gsheets).
type Source struct {
	Kind string `mapstructure:"kind"`
	Path string `mapstructure:"path"`
	// Sheet names the sheets (tabs) to read: one title, a list, or glob
	// patterns (Membres*). Empty reads every sheet whose header row names
	// the source's fields.
	Sheet []string `mapstructure:"sheet"`
	// ExcludeSheets names sheets (or patterns) never to read.
	ExcludeSheets   []string `mapstructure:"exclude_sheets"`
	SpreadsheetID   string   `mapstructure:"spreadsheet_id"`
	CredentialsFile string   `mapstructure:"credentials_file"`
	Endpoint        string   `mapstructure:"endpoint"`
}

// Configured reports whether the source names something to read.
func (s Source) Configured() bool { return s.Path != "" || s.SpreadsheetID != "" }

// Choice is an allowed value and its spellings.
type Choice struct {
	Value    string   `mapstructure:"value"`
	EN       string   `mapstructure:"en"`
	FR       string   `mapstructure:"fr"`
	Synonyms []string `mapstructure:"synonyms"`
}

// OrderDef declares an order of government beyond the default three, or
// more aliases of one of them.
type OrderDef struct {
	Code    string   `mapstructure:"code"`
	EN      string   `mapstructure:"en"`
	FR      string   `mapstructure:"fr"`
	Aliases []string `mapstructure:"aliases"`
}

// Rule is a declarative check of one field. Personal marks the field's
// values as personal data, as if it were listed under
// rules.personal_fields.
type Rule struct {
	Name          string   `mapstructure:"name"`
	Source        string   `mapstructure:"source"`
	Field         string   `mapstructure:"field"`
	Required      bool     `mapstructure:"required"`
	Allowed       []Choice `mapstructure:"allowed"`
	Pattern       string   `mapstructure:"pattern"`
	Email         bool     `mapstructure:"email"`
	Unique        bool     `mapstructure:"unique"`
	Date          bool     `mapstructure:"date"`
	Severity      string   `mapstructure:"severity"`
	DescriptionEN string   `mapstructure:"description_en"`
	DescriptionFR string   `mapstructure:"description_fr"`
	Personal      bool     `mapstructure:"personal"`
}

// Rules are the settings of the checks.
type Rules struct {
	ActiveStatuses          []string          `mapstructure:"active_statuses"`
	InactiveStatuses        []string          `mapstructure:"inactive_statuses"`
	CoverageOrders          []string          `mapstructure:"coverage_orders"`
	RequiredOrders          []string          `mapstructure:"required_orders"`
	ExtraOrders             []OrderDef        `mapstructure:"extra_orders"`
	JurisdictionRequiredFor []string          `mapstructure:"jurisdiction_required_for"`
	MemberRequired          []string          `mapstructure:"member_required"`
	IssueRequired           []string          `mapstructure:"issue_required"`
	Levels                  []Choice          `mapstructure:"levels"`
	ClosedStatuses          []string          `mapstructure:"closed_statuses"`
	Severity                map[string]string `mapstructure:"severity"`
	Custom                  []Rule            `mapstructure:"custom"`
	// Placeholders are the texts that mean "not given yet" (TBD, à
	// déterminer, ?): a field holding one counts as blank.
	Placeholders []string `mapstructure:"placeholders"`
	// FieldPlaceholders are more placeholders for one field of a source,
	// e.g. field_placeholders.issues.criticality: [N/A, s.o.] where the
	// register writes N/A for "not assessed yet".
	FieldPlaceholders map[string]map[string][]string `mapstructure:"field_placeholders"`
	// PersonalFields are the fields, by source, whose values are personal
	// data, kept out of the e-mail, its attachment and the state file
	// (default: members' name and email).
	PersonalFields map[string][]string `mapstructure:"personal_fields"`
}

// Report configures the report workbook.
type Report struct {
	Path           string `mapstructure:"path"`
	Language       string `mapstructure:"language"`
	IncludeMembers bool   `mapstructure:"include_members"`
	Period         Period `mapstructure:"period"`
}

// Period is the reporting period, as yyyy-mm-dd dates; empty means the six
// months before the run date.
type Period struct {
	Start string `mapstructure:"start"`
	End   string `mapstructure:"end"`
}

// Sync configures the nightly snapshots of the sources.
type Sync struct {
	SnapshotDir string `mapstructure:"snapshot_dir"`
	Keep        int    `mapstructure:"keep"`
}

// State configures where runs keep their state (findings of the last run,
// the lock).
type State struct {
	Dir string `mapstructure:"dir"`
}

// Run configures the nightly run (copsync run).
type Run struct {
	// Deadline bounds the whole run, e.g. "20m": every network call and
	// retry works within what is left of it.
	Deadline string `mapstructure:"deadline"`
}

// DefaultRunDeadline is run.deadline's default; deploy/ gives the job
// more than this before the platform kills it.
const DefaultRunDeadline = 20 * time.Minute

// MinRunDeadline is the shortest run.deadline accepted: the time kept for
// the e-mail needs some room.
const MinRunDeadline = 10 * time.Second

// RunDeadline returns run.deadline as a duration (the default when empty
// or invalid; Validate reports an invalid one).
func (c *Config) RunDeadline() time.Duration {
	d, err := time.ParseDuration(c.Run.Deadline)
	if err != nil || d <= 0 {
		return DefaultRunDeadline
	}
	return d
}

// Notify configures the e-mail of the nightly run.
type Notify struct {
	When                string            `mapstructure:"when"`
	Outbox              string            `mapstructure:"outbox"`
	IncludePersonalData bool              `mapstructure:"include_personal_data"`
	Language            string            `mapstructure:"language"`
	Subject             string            `mapstructure:"subject"`
	From                string            `mapstructure:"from"`
	To                  []string          `mapstructure:"to"`
	SMTP                SMTP              `mapstructure:"smtp"`
	Templates           map[string]string `mapstructure:"templates"`
	// MaxAttachment is the largest report workbook, in bytes, that the
	// e-mail attaches; a larger one is named by its path instead.
	MaxAttachment int64 `mapstructure:"max_attachment"`
}

// SMTP configures the mail server. The password is never in the file: it
// comes from PasswordFile or the COPSYNC_NOTIFY_SMTP_PASSWORD variable.
type SMTP struct {
	Host         string `mapstructure:"host"`
	Port         int    `mapstructure:"port"`
	Username     string `mapstructure:"username"`
	PasswordFile string `mapstructure:"password_file"`
	TLS          string `mapstructure:"tls"`
	// Password is filled at load from PasswordFile or the environment.
	Password Secret `mapstructure:"-"`
}

// Schedule configures copsync schedule.
type Schedule struct {
	Cron     string `mapstructure:"cron"`
	Timezone string `mapstructure:"timezone"`
}

// Log configures logging.
type Log struct {
	Format string `mapstructure:"format"`
	Level  string `mapstructure:"level"`
}

// Limits bound what reading a workbook may cost.
type Limits struct {
	UnzipSize int64 `mapstructure:"unzip_size"`
	// UnzipXMLSize is obsolete: accepted so that existing files load,
	// unused by the streaming .xlsx reader (see sync.Limits).
	UnzipXMLSize int64 `mapstructure:"unzip_xml_size"`
}

// Secret is a value that never shows: it prints as <secret>.
type Secret string

// String returns "<secret>", or "" when the secret is empty.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "<secret>"
}

// GoString returns the same as String, so that %#v does not leak it.
func (s Secret) GoString() string { return s.String() }

// MarshalText encodes the secret masked.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Reveal returns the secret's value, for the one place that uses it.
func (s Secret) Reveal() string { return string(s) }

// Default returns the configuration that expresses the seed report and reads
// the bundled examples.
func Default() Config {
	r := validate.DefaultRules()
	var levels []Choice
	for _, c := range r.Levels {
		levels = append(levels, Choice{Value: c.Value, EN: c.EN, FR: c.FR, Synonyms: c.Synonyms})
	}
	return Config{
		Community: Community{
			NameEN:    "Service Centre Community of Practice",
			NameFR:    "Communauté de pratique du centre de services",
			CouncilEN: "Public Sector Service Delivery Council",
			CouncilFR: "Conseil de la prestation des services du secteur public",
		},
		Sources: Sources{
			Members:    Source{Kind: "xlsx", Path: "examples/members.xlsx"},
			Issues:     Source{Kind: "xlsx", Path: "examples/issues.xlsx"},
			Activities: Source{Kind: "xlsx"},
		},
		Fields: map[string]map[string][]string{},
		Rules: Rules{
			ActiveStatuses:          r.ActiveStatuses,
			InactiveStatuses:        r.InactiveStatuses,
			CoverageOrders:          r.CoverageOrders,
			RequiredOrders:          r.RequiredOrders,
			JurisdictionRequiredFor: r.JurisdictionRequiredFor,
			MemberRequired:          r.MemberRequired,
			IssueRequired:           r.IssueRequired,
			Levels:                  levels,
			ClosedStatuses:          r.ClosedStatuses,
			Severity:                map[string]string{},
			Placeholders:            r.Placeholders,
			FieldPlaceholders:       map[string]map[string][]string{},
			PersonalFields:          r.PersonalFields,
		},
		Report:   Report{Path: "out/report-{date}.xlsx", Language: "both", IncludeMembers: true},
		Sync:     Sync{SnapshotDir: "snapshots", Keep: 30},
		State:    State{Dir: "state"},
		Run:      Run{Deadline: DefaultRunDeadline.String()},
		Notify:   Notify{When: "findings", Outbox: "out/outbox", Language: "both", Subject: "[copsync]", SMTP: SMTP{Port: 587, TLS: "starttls"}, Templates: map[string]string{}, MaxAttachment: 10_000_000},
		Schedule: Schedule{Cron: "0 6 * * *", Timezone: "America/Toronto"},
		Log:      Log{Format: "text", Level: "info"},
		Limits:   Limits{UnzipSize: 1 << 30, UnzipXMLSize: 16 << 20},
	}
}

// Error is an invalid configuration: each problem names its key.
type Error struct {
	Problems []string
}

// Error returns the problems on one line.
func (e *Error) Error() string {
	return "invalid configuration: " + strings.Join(e.Problems, "; ")
}

var fieldsOK = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// sourceNames are the names of the sources, as keys write them.
var sourceNames = []string{validate.SourceMembers, validate.SourceIssues, validate.SourceActivities}

// didYouMean returns " (did you mean X?)" for the name nearest to s among
// names, or "".
func didYouMean(s string, names []string) string {
	if m := validate.Closest(s, names); m != "" {
		return " (did you mean " + m + "?)"
	}
	return ""
}

// Validate checks the keys that no component checks when it is built, and
// returns an *Error naming every key at fault. The notify.* keys are
// checked by notify.Config.Validate and the templates, schedule.* by
// schedule.Parse: cmd/copsync runs all of them, before any work, as the
// one validation of the configuration.
func (c *Config) Validate() error {
	var p []string
	bad := func(key, format string, a ...any) { p = append(p, key+": "+fmt.Sprintf(format, a...)) }
	check := func(key string, s Source, required bool) {
		if !s.Configured() {
			if required {
				bad(key+".path", "required (the %s spreadsheet)", strings.TrimPrefix(key, "sources."))
			}
			return
		}
		for i, name := range append(append([]string(nil), s.Sheet...), s.ExcludeSheets...) {
			k := key + ".sheet"
			if i >= len(s.Sheet) {
				k = key + ".exclude_sheets"
			}
			if strings.TrimSpace(name) == "" {
				bad(k, "a sheet name cannot be empty")
			} else if _, err := path.Match(name, ""); err != nil {
				bad(k, "%q is not a valid pattern (use * and ? for any text, [abc] for one of the letters)", name)
			}
		}
		switch s.Kind {
		case "", "xlsx":
			if s.Path == "" {
				bad(key+".path", "required for kind xlsx")
			}
		case "gsheets":
			if s.SpreadsheetID == "" {
				bad(key+".spreadsheet_id", "required for kind gsheets")
			}
		default:
			bad(key+".kind", "must be xlsx or gsheets, not %q", s.Kind)
		}
	}
	check("sources.members", c.Sources.Members, true)
	check("sources.issues", c.Sources.Issues, true)
	check("sources.activities", c.Sources.Activities, false)
	for src, fields := range c.Fields {
		if src != validate.SourceMembers && src != validate.SourceIssues && src != validate.SourceActivities {
			bad("fields."+src, "unknown source (want members, issues or activities)%s", didYouMean(src, sourceNames))
		}
		for f := range fields {
			if !fieldsOK.MatchString(f) {
				bad("fields."+src+"."+f, "a field name is lower case letters, digits and _")
			}
		}
	}
	if _, err := validate.ParseLangs(c.Report.Language); err != nil {
		bad("report.language", "must be en, fr, both, en-fr or fr-en, not %q", c.Report.Language)
	}
	if c.Report.Path == "" {
		bad("report.path", "required")
	}
	var start, end time.Time
	var err error
	if c.Report.Period.Start != "" {
		if start, err = time.Parse("2006-01-02", c.Report.Period.Start); err != nil {
			bad("report.period.start", "must be a date yyyy-mm-dd, not %q", c.Report.Period.Start)
		}
	}
	if c.Report.Period.End != "" {
		if end, err = time.Parse("2006-01-02", c.Report.Period.End); err != nil {
			bad("report.period.end", "must be a date yyyy-mm-dd, not %q", c.Report.Period.End)
		}
	}
	if (c.Report.Period.Start == "") != (c.Report.Period.End == "") {
		bad("report.period", "give both start and end, or neither")
	} else if !start.IsZero() && !end.IsZero() && end.Before(start) {
		bad("report.period.end", "is before report.period.start")
	}
	if c.Sync.Keep < 1 {
		bad("sync.keep", "must be at least 1, not %d", c.Sync.Keep)
	}
	if c.State.Dir == "" {
		bad("state.dir", "required")
	}
	if d, err := time.ParseDuration(c.Run.Deadline); err != nil {
		bad("run.deadline", "must be a duration such as 20m or 1h30m, not %q", c.Run.Deadline)
	} else if d < MinRunDeadline {
		bad("run.deadline", "must be at least %s, not %s", MinRunDeadline, d)
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		bad("log.format", "must be text or json, not %q", c.Log.Format)
	}
	switch strings.ToLower(c.Log.Level) {
	case "debug", "info", "warn", "warning", "error":
	default:
		bad("log.level", "must be debug, info, warn or error, not %q", c.Log.Level)
	}
	if c.Notify.MaxAttachment < 1 {
		bad("notify.max_attachment", "must be a size in bytes, at least 1, not %d", c.Notify.MaxAttachment)
	}
	if c.Limits.UnzipSize < 0 || c.Limits.UnzipXMLSize < 0 {
		bad("limits", "sizes must not be negative")
	} else if c.Limits.UnzipSize > 0 && c.Limits.UnzipXMLSize > c.Limits.UnzipSize {
		bad("limits.unzip_xml_size", "must not exceed limits.unzip_size")
	}
	if _, err := c.ValidateRules(time.Time{}); err != nil {
		var ce *Error
		if errors.As(err, &ce) {
			p = append(p, ce.Problems...)
		} else {
			p = append(p, err.Error())
		}
	}
	if len(p) > 0 {
		return &Error{Problems: p}
	}
	return nil
}

// ValidateRules converts the rules to validate's form, for the run date
// today, naming the key of any setting that cannot work.
func (c *Config) ValidateRules(today time.Time) (validate.Rules, error) {
	var p []string
	bad := func(key, format string, a ...any) { p = append(p, key+": "+fmt.Sprintf(format, a...)) }
	in := c.Rules
	r := validate.Rules{
		ActiveStatuses:          in.ActiveStatuses,
		InactiveStatuses:        in.InactiveStatuses,
		CoverageOrders:          in.CoverageOrders,
		RequiredOrders:          in.RequiredOrders,
		JurisdictionRequiredFor: in.JurisdictionRequiredFor,
		MemberRequired:          in.MemberRequired,
		IssueRequired:           in.IssueRequired,
		ClosedStatuses:          in.ClosedStatuses,
		ActivityTypes:           validate.DefaultActivityTypes,
		Placeholders:            in.Placeholders,
		FieldPlaceholders:       in.FieldPlaceholders,
		PersonalFields:          in.PersonalFields,
		Today:                   today,
		Fields:                  c.Fields,
		Severity:                map[string]validate.Severity{},
	}
	for _, l := range in.Levels {
		r.Levels = append(r.Levels, validate.Choice{Value: l.Value, EN: l.EN, FR: l.FR, Synonyms: l.Synonyms})
	}
	if len(r.Levels) == 0 {
		bad("rules.levels", "at least one criticality/incidence level is required")
	}
	for i, o := range in.ExtraOrders {
		if o.Code == "" {
			bad(fmt.Sprintf("rules.extra_orders[%d].code", i), "required")
		}
		r.ExtraOrders = append(r.ExtraOrders, validate.Order{Code: o.Code, EN: o.EN, FR: o.FR, Aliases: o.Aliases})
	}
	for code, s := range in.Severity {
		if _, ok := validate.Codes[code]; !ok {
			codes := make([]string, 0, len(validate.Codes))
			for c := range validate.Codes {
				codes = append(codes, c)
			}
			sort.Strings(codes)
			bad("rules.severity."+code, "unknown finding code%s", didYouMean(code, codes))
			continue
		}
		sev, err := validate.ParseSeverity(s)
		if err != nil {
			bad("rules.severity."+code, "%v", err)
			continue
		}
		r.Severity[code] = sev
	}
	schemas := validate.DefaultSchemas()
	checkFields := func(key, source string, fields []string) {
		s := schemas[source].WithAliases(c.Fields[source])
		for _, f := range fields {
			if _, ok := s.Field(f); !ok {
				bad(key, "%s has no field %q", source, f)
			}
		}
	}
	for src, fields := range in.FieldPlaceholders {
		if _, ok := schemas[src]; !ok {
			bad("rules.field_placeholders."+src, "unknown source (want members, issues or activities)")
			continue
		}
		for f := range fields {
			checkFields("rules.field_placeholders."+src+"."+f, src, []string{f})
		}
	}
	for src, fields := range in.PersonalFields {
		if _, ok := schemas[src]; !ok {
			bad("rules.personal_fields."+src, "unknown source (want members, issues or activities)")
			continue
		}
		checkFields("rules.personal_fields."+src, src, fields)
	}
	if r.PersonalFields == nil {
		r.PersonalFields = map[string][]string{}
	}
	checkFields("rules.member_required", validate.SourceMembers, in.MemberRequired)
	checkFields("rules.issue_required", validate.SourceIssues, in.IssueRequired)
	names := map[string]bool{}
	for i, cr := range in.Custom {
		key := fmt.Sprintf("rules.custom[%d]", i)
		if cr.Name == "" {
			bad(key+".name", "required")
		} else if names[cr.Name] {
			bad(key+".name", "%q is used by another rule", cr.Name)
		}
		names[cr.Name] = true
		s, ok := schemas[cr.Source]
		if !ok {
			bad(key+".source", "must be members, issues or activities, not %q%s", cr.Source, didYouMean(cr.Source, sourceNames))
			continue
		}
		if _, ok := s.WithAliases(c.Fields[cr.Source]).Field(cr.Field); !ok {
			bad(key+".field", "%s has no field %q (declare it under fields.%s)", cr.Source, cr.Field, cr.Source)
		}
		vr := validate.Rule{Name: cr.Name, Source: cr.Source, Field: cr.Field, Required: cr.Required,
			Email: cr.Email, Unique: cr.Unique, Date: cr.Date, Personal: cr.Personal, DescriptionEN: cr.DescriptionEN, DescriptionFR: cr.DescriptionFR,
			Severity: validate.Error}
		for _, a := range cr.Allowed {
			vr.Allowed = append(vr.Allowed, validate.Choice{Value: a.Value, EN: a.EN, FR: a.FR, Synonyms: a.Synonyms})
		}
		if cr.Pattern != "" {
			re, err := regexp.Compile(cr.Pattern)
			if err != nil {
				bad(key+".pattern", "not a valid regular expression: %v", err)
			} else {
				vr.Pattern = re
			}
		}
		if cr.Severity != "" {
			sev, err := validate.ParseSeverity(cr.Severity)
			if err != nil {
				bad(key+".severity", "%v", err)
			}
			vr.Severity = sev
		}
		if !cr.Required && len(cr.Allowed) == 0 && cr.Pattern == "" && !cr.Email && !cr.Unique && !cr.Date {
			bad(key, "the rule checks nothing (set required, allowed, pattern, email, unique or date)")
		}
		r.Custom = append(r.Custom, vr)
	}
	if err := r.Validate(); err != nil {
		bad("rules", "%v", err)
	}
	if len(p) > 0 {
		return r, &Error{Problems: p}
	}
	return r, nil
}
