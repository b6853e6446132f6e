// Package templates holds copsync's embedded assets: the message catalogue
// (every text a person reads, in English and French), the e-mail templates
// and the definitions of the starter workbooks. It imports only the standard
// library and validate, which parses the catalogue.
package templates
