package validate

// memo remembers the answers of a function of a cell's text for the texts
// seen, up to memoSize of them: a sheet writes the same statuses, orders,
// provinces and organizations row after row, and a large sheet should not
// pay for working each out again. Past memoSize texts, answers are worked
// out each time, so memory stays bounded whatever the sheet holds.
type memo[T any] struct {
	m map[string]T
}

// memoSize is how many texts a memo remembers.
const memoSize = 4096

// get returns f(s), remembered.
func (m *memo[T]) get(s string, f func(string) T) T {
	if v, ok := m.m[s]; ok {
		return v
	}
	v := f(s)
	if len(m.m) < memoSize {
		if m.m == nil {
			m.m = make(map[string]T)
		}
		m.m[s] = v
	}
	return v
}
