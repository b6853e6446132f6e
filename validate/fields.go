package validate

import (
	"fmt"
	"sort"
	"strings"
)

// The names of the sources copsync reads.
const (
	SourceMembers    = "members"
	SourceIssues     = "issues"
	SourceActivities = "activities"
)

// The fields of the membership sheet.
const (
	FieldName         = "name"
	FieldEmail        = "email"
	FieldOrganization = "organization"
	FieldOrder        = "order"
	FieldJurisdiction = "jurisdiction"
	FieldRole         = "role"
	FieldStatus       = "status"
	FieldJoined       = "joined"
)

// The fields of the issues register.
const (
	FieldIssue       = "issue"
	FieldCriticality = "criticality"
	FieldIncidence   = "incidence"
	FieldActionPlan  = "action_plan"
	FieldOwner       = "owner"
	FieldTargetDate  = "target_date"
)

// The fields of the activities sheet (FieldStatus is not among them).
const (
	FieldDate        = "date"
	FieldType        = "type"
	FieldTheme       = "theme"
	FieldDescription = "description"
)

// FieldSpec is a field of a source and the header titles that name it.
type FieldSpec struct {
	Name    string
	Aliases []string
}

// Schema is the set of fields of one source.
type Schema struct {
	Source string
	Fields []FieldSpec
	// Anchors are the fields of which a header row must hold at least one.
	Anchors []string

	// keys maps the comparison key of every name and alias to its field;
	// built by DefaultSchemas and WithAliases.
	keys map[string]string
}

// indexed returns s with its lookup table built.
func (s Schema) indexed() Schema {
	s.keys = map[string]string{}
	for _, f := range s.Fields {
		for _, n := range append([]string{f.Name}, f.Aliases...) {
			if k := Key(n); k != "" {
				if _, taken := s.keys[k]; !taken {
					s.keys[k] = f.Name
				}
			}
		}
	}
	return s
}

// DefaultSchemas returns the built-in fields of the three sources with their
// English and French header aliases.
func DefaultSchemas() map[string]Schema {
	m := map[string]Schema{
		SourceMembers: {Source: SourceMembers, Anchors: []string{FieldName, FieldEmail}, Fields: []FieldSpec{
			{FieldName, []string{"Name", "Nom", "Full name", "Nom complet", "Member", "Membre", "Member name", "Nom du membre", "Prénom et nom"}},
			{FieldEmail, []string{"Email", "E-mail", "Courriel", "Email address", "E-mail address", "Adresse courriel", "Adresse électronique", "Mail", "Adresse e-mail"}},
			{FieldOrganization, []string{"Organization", "Organisation", "Organisme", "Department", "Ministère", "Ministry", "Department/Agency", "Ministère/organisme", "Employer", "Employeur"}},
			{FieldOrder, []string{"Order of government", "Ordre de gouvernement", "Order", "Ordre", "Level of government", "Palier de gouvernement", "Ordre de gouvernement (fédéral, provincial/territorial, municipal)"}},
			{FieldJurisdiction, []string{"Province or territory", "Province ou territoire", "Province/territory", "Province/territoire", "Province", "P/T", "PT", "Jurisdiction", "Juridiction", "Province or territory (PT)"}},
			{FieldRole, []string{"Role", "Rôle", "Title", "Titre", "Position", "Poste", "Job title"}},
			{FieldStatus, []string{"Status", "Statut", "État", "Membership status", "Statut du membre"}},
			{FieldJoined, []string{"Date joined", "Joined", "Member since", "Membre depuis", "Date d'adhésion", "Date d'inscription", "Since", "Depuis"}},
		}},
		SourceIssues: {Source: SourceIssues, Anchors: []string{FieldIssue}, Fields: []FieldSpec{
			{FieldIssue, []string{"Issue", "Enjeu", "Issue/Challenge", "Issues/Challenges", "Enjeu/Défi", "Enjeux/Défis", "Challenge", "Défi", "Issue or challenge", "Enjeu ou défi"}},
			{FieldCriticality, []string{"Criticality", "Criticité", "Priority", "Priorité", "Severity", "Gravité"}},
			{FieldIncidence, []string{"Incidence", "Impact", "Incidence/Impact"}},
			{FieldActionPlan, []string{"Action plan", "Plan d'action", "Actions", "Mesures"}},
			{FieldOwner, []string{"Owner", "Responsable", "Lead", "Assigned to"}},
			{FieldStatus, []string{"Status", "Statut", "État"}},
			{FieldTargetDate, []string{"Target date", "Échéance", "Date cible", "Due date", "Date d'échéance", "Deadline", "Due"}},
		}},
		SourceActivities: {Source: SourceActivities, Anchors: []string{FieldDate, FieldTheme, FieldDescription}, Fields: []FieldSpec{
			{FieldDate, []string{"Date", "Date of activity", "Date de l'activité"}},
			{FieldType, []string{"Type", "Completed/planned", "Réalisée/prévue", "Réalisé/prévu", "Kind", "Genre"}},
			{FieldTheme, []string{"Theme", "Thème", "Topic", "Sujet"}},
			{FieldDescription, []string{"Description", "Details", "Détails", "Activity", "Activité"}},
		}},
	}
	for name, sc := range m {
		m[name] = sc.indexed()
	}
	return m
}

// WithAliases returns a copy of the schema in which each named field also
// answers to the given header titles; a name that is not a field of the
// schema adds a new field, so rules can refer to it.
func (s Schema) WithAliases(extra map[string][]string) Schema {
	out := Schema{Source: s.Source, Anchors: s.Anchors}
	seen := map[string]bool{}
	for _, f := range s.Fields {
		f.Aliases = append(append([]string(nil), f.Aliases...), extra[f.Name]...)
		out.Fields = append(out.Fields, f)
		seen[f.Name] = true
	}
	names := make([]string, 0, len(extra))
	for n := range extra {
		if !seen[n] {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		out.Fields = append(out.Fields, FieldSpec{Name: n, Aliases: append([]string{n}, extra[n]...)})
	}
	return out.indexed()
}

// Field returns the spec of the named field.
func (s Schema) Field(name string) (FieldSpec, bool) {
	for _, f := range s.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return FieldSpec{}, false
}

// match returns the field whose alias the header title names, or "". A
// bilingual title such as "Name / Nom" or "Email\nCourriel" matches when
// either part does.
func (s Schema) match(title string) string {
	if f := s.matchOne(title); f != "" {
		return f
	}
	for _, part := range strings.FieldsFunc(title, func(r rune) bool { return r == '/' || r == '\n' || r == '|' }) {
		if f := s.matchOne(part); f != "" {
			return f
		}
	}
	return ""
}

func (s Schema) matchOne(title string) string {
	k := Key(title)
	if k == "" {
		return ""
	}
	if s.keys != nil {
		return s.keys[k]
	}
	for _, f := range s.Fields {
		if Key(f.Name) == k {
			return f.Name
		}
		for _, a := range f.Aliases {
			if Key(a) == k {
				return f.Name
			}
		}
	}
	return ""
}

// HeaderRows is how many rows from the top of a sheet are searched for the
// header row.
const HeaderRows = 20

// HeaderError says that no header row was found; Found holds the non-blank
// texts of the first rows, for the message.
type HeaderError struct {
	Source string
	Want   []string // the header titles expected, one per anchor field
	Found  []string
}

// Error returns a one-line message.
func (e *HeaderError) Error() string {
	found := "nothing"
	if len(e.Found) > 0 {
		f := e.Found
		if len(f) > 8 {
			f = append(f[:8:8], "…")
		}
		found = strings.Join(quoteAll(f), ", ")
	}
	return fmt.Sprintf("no %s header row in the first %d rows (expected a column such as %s); found %s",
		e.Source, HeaderRows, strings.Join(quoteAll(e.Want), " or "), found)
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = fmt.Sprintf("%q", v)
	}
	return out
}

// DetectHeader finds the header row among the first rows of a sheet. rows[i]
// holds the texts of sheet row i+1, by 0-based column. The header row is the
// first row that names the most fields, at least two of them and at least one
// anchor field; titles, merged cells and blank rows above it are skipped.
func DetectHeader(rows [][]string, s Schema) (Header, error) {
	bestRow, bestScore := -1, 0
	for i, r := range rows {
		if i >= HeaderRows {
			break
		}
		score, anchor := s.score(r)
		if anchor && score >= 2 && score > bestScore {
			bestRow, bestScore = i, score
		}
	}
	if bestRow < 0 {
		e := &HeaderError{Source: s.Source}
		for _, a := range s.Anchors {
			if f, ok := s.Field(a); ok && len(f.Aliases) > 0 {
				e.Want = append(e.Want, f.Aliases[0])
			}
		}
		for i, r := range rows {
			if i >= HeaderRows {
				break
			}
			for _, t := range r {
				if t = trimText(t); t != "" {
					e.Found = append(e.Found, t)
				}
			}
		}
		return Header{}, e
	}
	h := Header{Row: bestRow + 1}
	used := map[string]bool{}
	for col, t := range rows[bestRow] {
		title := trimText(t)
		if title == "" {
			continue
		}
		f := s.match(title)
		if used[f] {
			f = ""
		}
		if f != "" {
			used[f] = true
		}
		h.Columns = append(h.Columns, Column{Index: col, Title: title, Field: f})
	}
	return h, nil
}

// HeaderScore returns how many fields of the schema a row names, or 0 when
// it names no anchor field.
func HeaderScore(row []string, s Schema) int {
	score, anchor := s.score(row)
	if !anchor {
		return 0
	}
	return score
}

func (s Schema) score(row []string) (score int, anchor bool) {
	seen := map[string]bool{}
	for _, t := range row {
		f := s.match(t)
		if f == "" || seen[f] {
			continue
		}
		seen[f] = true
		score++
		for _, a := range s.Anchors {
			if a == f {
				anchor = true
			}
		}
	}
	return score, anchor
}
