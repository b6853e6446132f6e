// Package notify tells the secretariat what the nightly run found: it keeps
// each run's findings in a state directory (written atomically, guarded by
// a lock so that two runs never overlap), compares them with the previous
// run's into a digest (new, resolved, still open and for how many nights),
// renders the bilingual e-mail from templates (embedded defaults,
// overridable by files), and delivers it over SMTP — each recipient once,
// retrying transient failures within the context's deadline — or writes it
// as a .eml file into an outbox when no server is configured or on a dry
// run, both through the one Sender interface. A message that did not reach
// every recipient is kept in the outbox's undelivered folder, and the
// record of who missed it (by place in notify.to, never by address) is kept
// in the state directory for the next e-mail to tell.
//
// The e-mail names sheets, cells and finding codes; members' personal data
// (validate.Finding.Personal) stays out of it unless the configuration asks
// for it.
//
// notify imports validate and templates, never sync, report or config: the
// command wires them together.
package notify
