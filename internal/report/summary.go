// Package report is the JSON summary a run leaves for its scheduler: what was
// created, where the secret went (never its value), and each step's outcome.
package report

// TimeFormat is how the summary writes a time: RFC 3339, UTC, milliseconds.
const TimeFormat = "2006-01-02T15:04:05.000Z07:00"

// Summary is printed on stdout and written under --out at the end of a run,
// filled as far as the run got, also when it failed.
type Summary struct {
	Provider string `json:"provider"`
	Mode     string `json:"mode,omitempty"` // run | check
	// StartedAt is when the flow started (TimeFormat); the steps' times
	// are milliseconds from then.
	StartedAt string `json:"started_at,omitempty"`
	// BrowserStartMS is how long the browser took to start (or to attach).
	BrowserStartMS int64        `json:"browser_start_ms,omitempty"`
	App            App          `json:"app"`
	ClientID       string       `json:"client_id,omitempty"`
	Secret         SecretRef    `json:"secret"`
	Codat          Codat        `json:"codat"`
	Limits         Limits       `json:"limits,omitzero"`
	Steps          []Step       `json:"steps"`
	Checks         []Check      `json:"checks,omitempty"`   // check mode: every element looked for
	Drift          []Drift      `json:"drift,omitempty"`    // elements found although the portal reworded them
	Rotation       *Rotation    `json:"rotation,omitempty"` // bot rotate: what it did
	DurationMS     int64        `json:"duration_ms"`
	Error          *ErrorReport `json:"error,omitempty"`
}

// App is the OAuth app in the provider's portal.
type App struct {
	Name string `json:"name"`
	ID   string `json:"id,omitempty"`
	URL  string `json:"url,omitempty"`
}

// SecretRef says where the secret was stored and how to recognise it.
type SecretRef struct {
	File         string `json:"file,omitempty"`
	SHA256Prefix string `json:"sha256_prefix,omitempty"`
}

// Codat is what the Codat portal holds at the end of the run.
type Codat struct {
	Saved   bool `json:"saved"`
	Enabled bool `json:"enabled"`
}

// Limits are what the portal says about the app, reported and not enforced
// (an uncertified Xero app: "25 max connections" in the guide, 5 under the
// 2026 pricing).
type Limits struct {
	Connections string `json:"connections,omitempty"`
}

// Step is one named step of a flow. Steps of the provider's tab and of
// Codat's tab run side by side: their times show the overlap. The list is
// in the order the steps ended.
type Step struct {
	Name       string `json:"name"`
	Status     string `json:"status"` // ok | failed | skipped | done-before
	DurationMS int64  `json:"duration_ms"`
	StartedMS  int64  `json:"started_ms"` // from the summary's started_at
	EndedMS    int64  `json:"ended_ms"`
	Screenshot string `json:"screenshot,omitempty"`
	Matched    string `json:"matched,omitempty"` // check mode: the locators that matched
	Error      string `json:"error,omitempty"`
}

// ErrorReport is the failure, as the scheduler sees it.
type ErrorReport struct {
	Kind     string   `json:"kind"`
	ExitCode int      `json:"exit_code"`
	Message  string   `json:"message"`
	Portal   string   `json:"portal,omitempty"`
	Page     string   `json:"page,omitempty"`
	Element  string   `json:"element,omitempty"`
	Files    []string `json:"files,omitempty"` // failure artefacts (screenshot, html)
}

// Drift is an element the bot found although the portal changed its words
// (a copy edit it followed safely): the selectors data should learn them.
type Drift struct {
	Element  string `json:"element"`
	Page     string `json:"page"`
	Expected string `json:"expected"`
	Seen     string `json:"seen"`
	How      string `json:"how"`
}

// Check is one element a regression check looked for.
type Check struct {
	Page     string `json:"page"`
	Element  string `json:"element"`
	Status   string `json:"status"` // found | fallback | drift | missing | ambiguous | conditional
	Via      string `json:"via,omitempty"`
	When     string `json:"when,omitempty"` // for conditional elements: when they show
	Expected string `json:"expected,omitempty"`
	Seen     string `json:"seen,omitempty"` // drift: the words the page shows instead
	Fix      string `json:"fix,omitempty"`  // drift or fallback: the override file written for it
}

// Rotation is the outcome of bot rotate.
type Rotation struct {
	// Outcome: "rotated" (a new secret is live and held by Codat, the older
	// one removed), "not due" (the live secret is younger than --max-age:
	// nothing was written), or "failed".
	Outcome string `json:"outcome"`
	Message string `json:"message,omitempty"`
	// PreviousSHA256Prefix is the fingerprint of the secret Codat held
	// before, when known.
	PreviousSHA256Prefix string `json:"previous_sha256_prefix,omitempty"`
	// SecretAgeDays is the age of the live secret that made it "not due".
	SecretAgeDays float64 `json:"secret_age_days,omitempty"`
	// GapMS is how long the provider accepted no secret Codat held: the
	// time from regenerating (the old secret dies) to Codat saving the new
	// one. FreeAgent only; Xero's two slots have none.
	GapMS int64 `json:"gap_ms,omitempty"`
}
