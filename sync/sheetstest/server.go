package sheetstest

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/api/sheets/v4"
)

// Fault is a failure the server answers one request with.
type Fault struct {
	// Status replies with this HTTP status and Google's error body for it.
	Status int
	// Message replaces Google's usual message for Status.
	Message string
	// Reason is the error's machine-readable reason (errors[].reason and an
	// ErrorInfo detail), e.g. "SERVICE_DISABLED".
	Reason string
	// Drop closes the connection without replying.
	Drop bool
	// Delay waits this long (or until the client gives up) first.
	Delay time.Duration
}

// Request is a request the server received.
type Request struct {
	Method        string
	Path          string
	SpreadsheetID string
	Query         url.Values
	// Caller is the service account the request was authenticated as, ""
	// when it carried no token.
	Caller string
	// Status is the HTTP status replied, 0 when the connection was dropped
	// or the client gave up first.
	Status int
}

// TokenRequest is an access-token request a service account made.
type TokenRequest struct {
	Issuer   string // the service account's client_email
	Scope    string
	Audience string
}

// Server is a fake Google Sheets API. Create it with New and stop it with
// Close.
type Server struct {
	srv *httptest.Server

	mu        sync.Mutex
	books     map[string]*book
	queue     []Fault
	always    *Fault
	requests  []Request
	accounts  map[string]*rsa.PublicKey // client_email → key
	tokens    map[string]string         // access token → client_email
	tokenReqs []TokenRequest
}

type book struct {
	ss     *sheets.Spreadsheet
	shared map[string]bool // nil: anyone may read it
}

// New starts a fake server that stops when tb's test ends. Connections are
// not kept alive, so that every request the client sends is one the server
// sees and counts. A fault queued with Inject that no request used by the
// end of the test fails it: the test did not exercise what it meant to.
func New(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{books: map[string]*book{}, accounts: map[string]*rsa.PublicKey{}, tokens: map[string]string{}}
	s.srv = httptest.NewUnstartedServer(s)
	s.srv.Config.SetKeepAlivesEnabled(false)
	s.srv.Start()
	tb.Cleanup(func() {
		s.Close()
		if unused := s.unusedFaults(); len(unused) > 0 {
			tb.Errorf("sheetstest: %d queued fault(s) never answered a request: %s", len(unused), strings.Join(unused, ", "))
		}
	})
	return s
}

// unusedFaults describes the queued faults no request has used.
func (s *Server) unusedFaults() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, f := range s.queue {
		out = append(out, f.String())
	}
	return out
}

// String describes the fault, e.g. "429 RATE_LIMIT_EXCEEDED" or "drop".
func (f Fault) String() string {
	var parts []string
	if f.Delay > 0 {
		parts = append(parts, "delay "+f.Delay.String())
	}
	if f.Drop {
		parts = append(parts, "drop")
	}
	if f.Status != 0 {
		parts = append(parts, strconv.Itoa(f.Status))
	}
	if f.Reason != "" {
		parts = append(parts, f.Reason)
	}
	if len(parts) == 0 {
		return "no-op"
	}
	return strings.Join(parts, " ")
}

// Close stops the server; the end of the test does it too.
func (s *Server) Close() { s.srv.Close() }

// URL returns the server's base URL, without a final slash.
func (s *Server) URL() string { return s.srv.URL }

// Endpoint returns the API base URL to give the client
// (option.WithEndpoint), with its final slash.
func (s *Server) Endpoint() string { return s.srv.URL + "/" }

// Add serves spreadsheets that anyone may read, by their SpreadsheetId.
func (s *Server) Add(books ...*sheets.Spreadsheet) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ss := range books {
		s.books[ss.SpreadsheetId] = &book{ss: ss}
	}
}

// AddPrivate serves a spreadsheet shared only with the given service
// accounts (client_email); others get 403.
func (s *Server) AddPrivate(ss *sheets.Spreadsheet, sharedWith ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := &book{ss: ss, shared: map[string]bool{}}
	for _, e := range sharedWith {
		b.shared[e] = true
	}
	s.books[ss.SpreadsheetId] = b
}

// Inject queues faults: each answers one request, in order; requests after
// them are served normally. A fault still queued when the test ends fails
// it (see New).
func (s *Server) Inject(faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, faults...)
}

// InjectAlways answers every request with f, after the queued faults, until
// ClearFaults.
func (s *Server) InjectAlways(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.always = &f
}

// ClearFaults removes every fault, the queued ones included: they are not
// reported unused.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue, s.always = nil, nil
}

// Requests returns the API requests received so far (token requests
// excluded).
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Count returns how many API requests were received.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// TokenRequests returns the access-token requests received so far.
func (s *Server) TokenRequests() []TokenRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]TokenRequest(nil), s.tokenReqs...)
}

// NewServiceAccount creates a service account known to the server's token
// endpoint and writes its JSON key file (as the Google Cloud console gives
// it, its token_uri pointing at this server) into dir. It returns the key
// file's path.
func (s *Server) NewServiceAccount(dir, clientEmail string) (string, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return "", err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", err
	}
	id := make([]byte, 20)
	_, _ = rand.Read(id)
	data, err := json.MarshalIndent(map[string]string{
		"type":                        "service_account",
		"project_id":                  "copsync-test",
		"private_key_id":              hex.EncodeToString(id),
		"private_key":                 string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email":                clientEmail,
		"client_id":                   "100000000000000000001",
		"auth_uri":                    "https://accounts.google.com/o/oauth2/auth",
		"token_uri":                   s.srv.URL + "/token",
		"auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
		"client_x509_cert_url":        "https://www.googleapis.com/robot/v1/metadata/x509/" + url.PathEscape(clientEmail),
		"universe_domain":             "googleapis.com",
	}, "", "  ")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, strings.NewReplacer("@", "_", ".", "_").Replace(clientEmail)+".json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return "", err
	}
	s.mu.Lock()
	s.accounts[clientEmail] = &key.PublicKey
	s.mu.Unlock()
	return path, nil
}

// RevokeServiceAccount makes the token endpoint refuse the account's key,
// as Google does once a key is deleted.
func (s *Server) RevokeServiceAccount(clientEmail string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.accounts, clientEmail)
	for t, e := range s.tokens {
		if e == clientEmail {
			delete(s.tokens, t)
		}
	}
}

// ServeHTTP answers the API: POST /token and GET /v4/spreadsheets/{id}.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/token" {
		s.token(w, r)
		return
	}
	s.mu.Lock()
	var fault *Fault
	if len(s.queue) > 0 {
		f := s.queue[0]
		s.queue = s.queue[1:]
		fault = &f
	} else if s.always != nil {
		f := *s.always
		fault = &f
	}
	caller, authErr := "", false
	if h := r.Header.Get("Authorization"); h != "" {
		tok, ok := strings.CutPrefix(h, "Bearer ")
		caller, ok = s.tokens[tok], ok && s.tokens[tok] != ""
		authErr = !ok
	}
	id := strings.TrimPrefix(r.URL.Path, "/v4/spreadsheets/")
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, SpreadsheetID: id, Query: r.URL.Query(), Caller: caller})
	n := len(s.requests) - 1
	s.mu.Unlock()

	status := s.serve(w, r, fault, id, caller, authErr)
	s.mu.Lock()
	s.requests[n].Status = status
	s.mu.Unlock()
}

// serve answers one API request and returns the status sent (0 for none).
func (s *Server) serve(w http.ResponseWriter, r *http.Request, fault *Fault, id, caller string, authErr bool) int {
	if fault != nil {
		if fault.Delay > 0 {
			t := time.NewTimer(fault.Delay)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return 0
			}
		}
		if fault.Drop {
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return 0
				}
			}
			panic(http.ErrAbortHandler)
		}
		if fault.Status != 0 {
			return writeError(w, fault.Status, fault.Message, fault.Reason)
		}
	}
	if !strings.HasPrefix(r.URL.Path, "/v4/spreadsheets/") || id == "" || strings.ContainsAny(id, "/:") {
		return writeError(w, http.StatusNotFound, "Method not found.", "")
	}
	if r.Method != http.MethodGet {
		return writeError(w, http.StatusMethodNotAllowed, "Method not allowed.", "")
	}
	if authErr {
		return writeError(w, http.StatusUnauthorized, "", "")
	}
	s.mu.Lock()
	b := s.books[id]
	s.mu.Unlock()
	if b == nil {
		return writeError(w, http.StatusNotFound, "", "")
	}
	if b.shared != nil && !b.shared[caller] {
		return writeError(w, http.StatusForbidden, "", "")
	}
	q := r.URL.Query()
	var m mask
	if f := q.Get("fields"); f != "" {
		var err error
		if m, err = parseMask(f); err == nil {
			err = m.check(reflect.TypeOf(sheets.Spreadsheet{}), "")
		}
		if err != nil {
			return writeError(w, http.StatusBadRequest, "Request contains an invalid argument: "+err.Error()+".", "badRequest")
		}
	}
	grid := false
	if g := q.Get("includeGridData"); g != "" {
		var err error
		if grid, err = strconv.ParseBool(g); err != nil {
			return writeError(w, http.StatusBadRequest, fmt.Sprintf("Invalid value at 'include_grid_data' (TYPE_BOOL), %q", g), "badRequest")
		}
	}
	out, err := render(b.ss, q["ranges"], grid)
	if err != nil {
		return writeError(w, http.StatusBadRequest, err.Error(), "badRequest")
	}
	data, err := json.Marshal(out)
	if err != nil {
		return writeError(w, http.StatusInternalServerError, "", "")
	}
	if m != nil {
		var v any
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			return writeError(w, http.StatusInternalServerError, "", "")
		}
		if data, err = json.Marshal(m.apply(v)); err != nil {
			return writeError(w, http.StatusInternalServerError, "", "")
		}
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
	return http.StatusOK
}

// render returns the spreadsheet as spreadsheets.get gives it: every tab,
// or only the tabs of the ranges asked for; grid data only when asked for,
// one block per range.
func render(ss *sheets.Spreadsheet, ranges []string, grid bool) (*sheets.Spreadsheet, error) {
	out := *ss
	out.Sheets = nil
	if len(ranges) == 0 {
		for _, sh := range ss.Sheets {
			c := *sh
			if !grid {
				c.Data = nil
			}
			out.Sheets = append(out.Sheets, &c)
		}
		return &out, nil
	}
	blocks := map[int][]*sheets.GridData{}
	for _, rg := range ranges {
		i, a1, err := findRange(ss, rg)
		if err != nil {
			return nil, err
		}
		blocks[i] = append(blocks[i], slice(ss.Sheets[i], a1))
	}
	for i, sh := range ss.Sheets {
		data, ok := blocks[i]
		if !ok {
			continue
		}
		c := *sh
		c.Data = nil
		if grid {
			c.Data = data
		}
		out.Sheets = append(out.Sheets, &c)
	}
	return &out, nil
}

// findRange returns the tab (by index) and the cells (nil for all) of a
// range in A1 notation: 'Tab name'!A1:C10, Tab!A:C, 'Tab', Tab, or A1:C10
// for the first tab.
func findRange(ss *sheets.Spreadsheet, rg string) (int, *sheets.GridRange, error) {
	bad := apiMessage("Unable to parse range: " + rg)
	title, cells := rg, ""
	quoted := strings.HasPrefix(rg, "'")
	if quoted {
		var b strings.Builder
		i := 1
		for ; i < len(rg); i++ {
			if rg[i] == '\'' {
				if i+1 < len(rg) && rg[i+1] == '\'' {
					b.WriteByte('\'')
					i++
					continue
				}
				break
			}
			b.WriteByte(rg[i])
		}
		if i >= len(rg) {
			return 0, nil, bad
		}
		title, cells = b.String(), rg[i+1:]
		if cells != "" {
			c, ok := strings.CutPrefix(cells, "!")
			if !ok {
				return 0, nil, bad
			}
			cells = c
		}
	} else if i := strings.LastIndexByte(rg, '!'); i >= 0 {
		title, cells = rg[:i], rg[i+1:]
	}
	idx := -1
	for i, sh := range ss.Sheets {
		if sh.Properties != nil && sh.Properties.Title == title {
			idx = i
			break
		}
	}
	if idx < 0 {
		if quoted || strings.Contains(rg, "!") || len(ss.Sheets) == 0 {
			return 0, nil, bad
		}
		// An unquoted range without a tab is cells of the first tab.
		idx, cells = 0, rg
	}
	if cells == "" {
		return idx, nil, nil
	}
	g, err := parseA1(cells)
	if err != nil {
		return 0, nil, bad
	}
	return idx, g, nil
}

// slice returns the grid data of cells g of a tab (all of them when nil).
func slice(sh *sheets.Sheet, g *sheets.GridRange) *sheets.GridData {
	var full *sheets.GridData
	if len(sh.Data) > 0 {
		full = sh.Data[0]
	}
	if full == nil {
		return &sheets.GridData{}
	}
	if g == nil {
		return full
	}
	out := &sheets.GridData{StartRow: g.StartRowIndex, StartColumn: g.StartColumnIndex}
	for r := g.StartRowIndex; r < int64(len(full.RowData)) && (g.EndRowIndex == 0 || r < g.EndRowIndex); r++ {
		rd := &sheets.RowData{}
		if src := full.RowData[r]; src != nil {
			for c := g.StartColumnIndex; c < int64(len(src.Values)) && (g.EndColumnIndex == 0 || c < g.EndColumnIndex); c++ {
				rd.Values = append(rd.Values, src.Values[c])
			}
		}
		out.RowData = append(out.RowData, rd)
	}
	return out
}

// apiMessage is an error whose text is the message the API replies with.
type apiMessage string

func (m apiMessage) Error() string { return string(m) }

// statuses are Google's canonical codes and usual messages by HTTP status.
var statuses = map[int]struct{ status, message, reason string }{
	http.StatusBadRequest:          {"INVALID_ARGUMENT", "Request contains an invalid argument.", "badRequest"},
	http.StatusUnauthorized:        {"UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.", "authError"},
	http.StatusForbidden:           {"PERMISSION_DENIED", "The caller does not have permission", "forbidden"},
	http.StatusNotFound:            {"NOT_FOUND", "Requested entity was not found.", "notFound"},
	http.StatusMethodNotAllowed:    {"INVALID_ARGUMENT", "Method not allowed.", "badRequest"},
	http.StatusTooManyRequests:     {"RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:100000000001'.", "rateLimitExceeded"},
	http.StatusInternalServerError: {"INTERNAL", "Internal error encountered.", "backendError"},
	http.StatusServiceUnavailable:  {"UNAVAILABLE", "The service is currently unavailable.", "backendError"},
	http.StatusGatewayTimeout:      {"DEADLINE_EXCEEDED", "The request timed out.", "backendError"},
}

// writeError writes Google's error reply for status: a JSON error body, or
// for 502 the HTML page Google's front end sends.
func writeError(w http.ResponseWriter, status int, message, reason string) int {
	if status == http.StatusBadGateway {
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		w.WriteHeader(status)
		_, _ = fmt.Fprint(w, "<!DOCTYPE html>\n<html lang=en><meta charset=utf-8><title>Error 502 (Server Error)!!1</title>"+
			"<p><b>502.</b> <ins>That’s an error.</ins><p>The server encountered a temporary error and could not complete your request.<p>Please try again in 30 seconds.  <ins>That’s all we know.</ins></html>\n")
		return status
	}
	st, ok := statuses[status]
	if !ok {
		st.status, st.message, st.reason = "UNKNOWN", http.StatusText(status), "unknown"
	}
	if message == "" {
		message = st.message
	}
	if reason == "" {
		reason = st.reason
	}
	type item struct {
		Message string `json:"message"`
		Domain  string `json:"domain"`
		Reason  string `json:"reason"`
	}
	body := map[string]any{"error": map[string]any{
		"code":    status,
		"message": message,
		"errors":  []item{{Message: message, Domain: "global", Reason: reason}},
		"status":  st.status,
		"details": []map[string]any{{
			"@type":  "type.googleapis.com/google.rpc.ErrorInfo",
			"reason": strings.ToUpper(reason),
			"domain": "googleapis.com",
			"metadata": map[string]string{
				"service": "sheets.googleapis.com",
			},
		}},
	}}
	data, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(data)
	return status
}

// token is the OAuth 2.0 token endpoint of a service account's JWT grant:
// it checks the assertion's signature against the account's key.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	refuse := func(code, desc string) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
	}
	if err := r.ParseForm(); err != nil || r.Method != http.MethodPost {
		refuse("invalid_request", "Bad Request")
		return
	}
	if g := r.PostForm.Get("grant_type"); g != "urn:ietf:params:oauth:grant-type:jwt-bearer" {
		refuse("unsupported_grant_type", "Invalid grant_type: "+g)
		return
	}
	parts := strings.Split(r.PostForm.Get("assertion"), ".")
	if len(parts) != 3 {
		refuse("invalid_grant", "Invalid JWT: Token must be a short-lived token and in a reasonable timeframe")
		return
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	var claims struct {
		Iss   string `json:"iss"`
		Scope string `json:"scope"`
		Aud   string `json:"aud"`
	}
	if err != nil || json.Unmarshal(payload, &claims) != nil {
		refuse("invalid_grant", "Invalid JWT payload.")
		return
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	s.mu.Lock()
	key := s.accounts[claims.Iss]
	s.mu.Unlock()
	if key == nil {
		refuse("invalid_grant", "Invalid grant: account not found")
		return
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err != nil || rsa.VerifyPKCS1v15(key, crypto.SHA256, sum[:], sig) != nil {
		refuse("invalid_grant", "Invalid JWT Signature.")
		return
	}
	buf := make([]byte, 24)
	_, _ = rand.Read(buf)
	tok := "ya29.fake-" + hex.EncodeToString(buf)
	s.mu.Lock()
	s.tokens[tok] = claims.Iss
	s.tokenReqs = append(s.tokenReqs, TokenRequest{Issuer: claims.Iss, Scope: claims.Scope, Audience: claims.Aud})
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "expires_in": 3599, "token_type": "Bearer"})
}
