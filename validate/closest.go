package validate

import "strings"

// Closest returns the candidate nearest to s, for a "did you mean" after a
// name that is not known (a configuration key, an environment variable, a
// template name), or "" when none is near enough: at most a third of the
// longer name's letters differ (ignoring case). Ties go to the first
// candidate.
func Closest(s string, candidates []string) string {
	ls := strings.ToLower(s)
	best, bestD := "", -1
	for _, c := range candidates {
		lc := strings.ToLower(c)
		if lc == ls {
			continue
		}
		d := distance(ls, lc)
		n := max(len([]rune(ls)), len([]rune(lc)))
		if d > (n+2)/3 {
			continue
		}
		if bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	return best
}
