// Package config defines copsync's configuration: its typed form, the
// defaults that express the seed report, and the validation that runs once,
// before any work, naming the key at fault. Loading (from config.yaml and
// COPSYNC_* environment variables) is done by cmd/copsync; this package
// imports only the standard library and validate.
package config
