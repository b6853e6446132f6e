// Package config defines copsync's configuration: its typed form, the
// defaults that express the seed report, and the checks of the keys that
// belong to no component (sources, fields, rules, report, sync, state, log,
// limits), each naming the key at fault. The keys a component reads are
// checked by that component as it is built (notify.Config.Validate and the
// e-mail templates for notify.*, schedule.Parse for schedule.*); loading
// (config.yaml, then COPSYNC_* variables) and the one validation that runs
// all of these before any work are done by cmd/copsync. This package
// imports only the standard library and validate.
package config
