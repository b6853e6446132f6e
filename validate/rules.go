package validate

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Choice is one allowed value of a field, with the other ways people write
// it.
type Choice struct {
	Value    string   // canonical value, e.g. "high"
	EN       string   // English label, e.g. "High"
	FR       string   // French label, e.g. "Élevée"
	Synonyms []string // other accepted spellings
}

// Label returns the choice's label in lang.
func (c Choice) Label(lang string) string {
	if lang == "fr" && c.FR != "" {
		return c.FR
	}
	if c.EN != "" {
		return c.EN
	}
	return c.Value
}

// Choices is a set of allowed values.
type Choices []Choice

// Lookup returns the choice that s names, ignoring case, accents,
// punctuation and spacing.
func (cs Choices) Lookup(s string) (Choice, bool) {
	k := Key(s)
	if k == "" {
		return Choice{}, false
	}
	for _, c := range cs {
		for _, n := range append([]string{c.Value, c.EN, c.FR}, c.Synonyms...) {
			if n != "" && Key(n) == k {
				return c, true
			}
		}
	}
	return Choice{}, false
}

// Suggest returns the choice closest to s.
func (cs Choices) Suggest(s string) (Choice, bool) {
	k := Key(s)
	best, bestD := -1, -1
	for i, c := range cs {
		for _, n := range append([]string{c.Value, c.EN, c.FR}, c.Synonyms...) {
			if n == "" {
				continue
			}
			if d := distance(k, Key(n)); bestD < 0 || d < bestD {
				best, bestD = i, d
			}
		}
	}
	if best < 0 {
		return Choice{}, false
	}
	return cs[best], true
}

// Labels returns the labels of the choices in lang, joined with "/".
func (cs Choices) Labels(lang string) string {
	var l []string
	for _, c := range cs {
		l = append(l, c.Label(lang))
	}
	return strings.Join(l, "/")
}

// Rule is a declarative check of one field, written in the configuration so
// that the secretariat adds a rule without code.
type Rule struct {
	Name     string // identifies the rule in findings' codes and ids
	Source   string // members, issues or activities
	Field    string // a field of the source (built-in or declared)
	Required bool
	Allowed  Choices
	Pattern  *regexp.Regexp
	Email    bool
	Unique   bool
	Date     bool
	Severity Severity
	// Description is shown with the finding, in English and French.
	DescriptionEN, DescriptionFR string
}

// Rules are the settings of every check.
type Rules struct {
	// ActiveStatuses and InactiveStatuses are the values of the members'
	// status column; a value in neither set is reported.
	ActiveStatuses   []string
	InactiveStatuses []string
	// CoverageOrders are the orders of government (codes) whose active
	// members make a province or territory represented.
	CoverageOrders []string
	// RequiredOrders are the orders of government that must each have at
	// least one active member.
	RequiredOrders []string
	// ExtraOrders are orders of government beyond the default three, or
	// extra aliases of those.
	ExtraOrders []Order
	// JurisdictionRequiredFor are the orders whose members must name their
	// province or territory.
	JurisdictionRequiredFor []string
	// MemberRequired are the fields every member row must fill.
	MemberRequired []string
	// IssueRequired are the fields every issue row must fill when its issue
	// text is present.
	IssueRequired []string
	// Levels are the allowed values of criticality and incidence.
	Levels Choices
	// ClosedStatuses are the issue statuses that mean the issue is closed.
	ClosedStatuses []string
	// ActivityTypes are the two kinds of activity, completed and planned.
	ActivityTypes Choices
	// Custom are the declarative rules.
	Custom []Rule
	// Severity overrides the default severity of a finding code.
	Severity map[string]Severity
	// Today is the run date: open issues past their target date before it
	// are overdue.
	Today time.Time
	// Fields adds header aliases, and declares new fields, per source.
	Fields map[string]map[string][]string
	// Placeholders are the texts that mean a value is not given yet (TBD,
	// à déterminer, ?): a field that holds one counts as blank, and the
	// finding quotes what was written.
	Placeholders []string
	// FieldPlaceholders are more placeholders for one field, by source and
	// field: N/A or s.o. where a field uses them for "not yet".
	FieldPlaceholders map[string]map[string][]string
}

// DefaultPlaceholders are the ways people write "not given yet", in
// English and French. N/A and s.o. (sans objet) are not among them: they
// are answers ("does not apply"); add them in the configuration where a
// field uses them for "not yet".
var DefaultPlaceholders = []string{
	"TBD", "TBC", "TBA", "To be determined", "To be confirmed", "To come", "Pending", "Unknown", "?", "??", "???", "-", "--", "—", "–", "...", "…",
	"À déterminer", "À confirmer", "À venir", "À définir", "À préciser", "À compléter", "En attente", "Inconnu", "Inconnue",
}

// DefaultLevels are the criticality and incidence values of the seed
// report's register, in English and French.
var DefaultLevels = Choices{
	{Value: "high", EN: "High", FR: "Élevée", Synonyms: []string{"Élevé", "Haute", "Haut", "H", "Critical", "Critique", "Élevé(e)"}},
	{Value: "medium", EN: "Medium", FR: "Moyenne", Synonyms: []string{"Moyen", "Med", "Med.", "M", "Moderate", "Modérée", "Modéré"}},
	{Value: "low", EN: "Low", FR: "Faible", Synonyms: []string{"Basse", "Bas", "L", "F", "Minor", "Mineure"}},
}

// DefaultActivityTypes are the kinds of activity in the activities sheet.
var DefaultActivityTypes = Choices{
	{Value: "completed", EN: "Completed", FR: "Réalisée", Synonyms: []string{"Done", "Held", "Past", "Réalisé", "Tenue", "Tenu", "Terminée", "Terminé", "Complete", "Complété", "Complétée"}},
	{Value: "planned", EN: "Planned", FR: "Prévue", Synonyms: []string{"Upcoming", "Future", "Prévu", "À venir", "Planifiée", "Planifié", "Scheduled"}},
}

// DefaultRules returns the rules that express the seed report: the three
// orders of government, coverage by provincial/territorial members, and
// issues that need criticality, incidence and an action plan.
func DefaultRules() Rules {
	return Rules{
		ActiveStatuses:          []string{"Active", "Actif", "Active member", "Membre actif", "Yes", "Oui"},
		InactiveStatuses:        []string{"Inactive", "Inactif", "Former", "Ancien", "Ancienne", "Left", "Parti", "Partie", "Retired", "Retraité", "No", "Non", "On leave", "En congé"},
		CoverageOrders:          []string{OrderPT},
		RequiredOrders:          []string{OrderFederal, OrderPT, OrderMunicipal},
		JurisdictionRequiredFor: []string{OrderPT, OrderMunicipal},
		MemberRequired:          []string{FieldName, FieldEmail, FieldOrganization, FieldOrder, FieldStatus},
		IssueRequired:           []string{FieldCriticality, FieldIncidence, FieldActionPlan},
		Levels:                  DefaultLevels,
		ClosedStatuses:          []string{"Closed", "Fermé", "Fermée", "Resolved", "Résolu", "Résolue", "Done", "Terminé", "Terminée", "Complete", "Completed", "Complété", "Complétée"},
		ActivityTypes:           DefaultActivityTypes,
		Placeholders:            DefaultPlaceholders,
	}
}

// Validate checks the rules for settings that cannot work, naming each.
func (r Rules) Validate() error {
	orders := NewOrders(r.ExtraOrders)
	for _, list := range [][]string{r.CoverageOrders, r.RequiredOrders, r.JurisdictionRequiredFor} {
		for _, c := range list {
			if _, ok := orders.ByCode(c); !ok {
				return fmt.Errorf("unknown order of government %q", c)
			}
		}
	}
	schemas := DefaultSchemas()
	for i, c := range r.Custom {
		s, ok := schemas[c.Source]
		if !ok {
			return fmt.Errorf("rule %d (%s): unknown source %q", i+1, c.Name, c.Source)
		}
		s = s.WithAliases(r.Fields[c.Source])
		if _, ok := s.Field(c.Field); !ok {
			return fmt.Errorf("rule %d (%s): %s has no field %q", i+1, c.Name, c.Source, c.Field)
		}
		if c.Name == "" {
			return fmt.Errorf("rule %d: a rule needs a name", i+1)
		}
	}
	return nil
}
