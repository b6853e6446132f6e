package report

// withoutPersonalData leaves the personal data out of the input, for the
// variant of the report that may leave the secretariat: the membership
// list goes, and the cells of a personal field in the registers of the
// other sheets are left empty as they are written (see blankColumns; the
// caller's tables stay whole).
func (in *Input) withoutPersonalData() {
	in.Members = nil
}
