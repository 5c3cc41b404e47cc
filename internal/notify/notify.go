// Package notify tells a person that a scheduled run needs them: one JSON
// message to a webhook when a run, check or rotation failed or found drift.
// The message is Slack-compatible (an incoming webhook shows its "text")
// and carries the same facts as structured fields for any other endpoint.
// It never carries a secret: every string is scrubbed of the run's known
// secret values, and the webhook URL itself (a credential) is never printed.
package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"portalbot/internal/report"
	"portalbot/internal/secret"
)

// Message is what the webhook receives.
type Message struct {
	// Text is the one line (and a few more) a chat shows, Slack mrkdwn.
	Text string `json:"text"`

	Provider string `json:"provider"`
	Mode     string `json:"mode"` // run | check | rotate
	App      string `json:"app,omitempty"`
	// Outcome is "failed" (the run stopped: see exit_code) or "drift" (it
	// went through, but found elements by other words than expected).
	Outcome  string         `json:"outcome"`
	ExitCode int            `json:"exit_code"`
	Kind     string         `json:"kind,omitempty"` // the failure's kind, e.g. "sign-in refused"
	Step     string         `json:"step,omitempty"` // the failing step
	Error    string         `json:"error,omitempty"`
	Portal   string         `json:"portal,omitempty"`
	Page     string         `json:"page,omitempty"`
	Element  string         `json:"element,omitempty"`
	Files    []string       `json:"files,omitempty"` // failure artefacts, then the summary files
	Drift    []report.Drift `json:"drift,omitempty"`
	Host     string         `json:"host,omitempty"` // the machine (a pod's name in Kubernetes)
}

// Outcomes.
const (
	Failed = "failed"
	Drift  = "drift"
)

// maxText bounds the chat line: Slack cuts a section's text at 3000
// characters; the structured fields keep everything.
const maxText = 2900

// For returns the message for a finished run, or nil when it needs nobody:
// it succeeded and found no drift. summaryFiles are the summary's files
// under --out; host names the machine.
func For(sum *report.Summary, summaryFiles []string, host string) *Message {
	if sum == nil || (sum.Error == nil && len(sum.Drift) == 0) {
		return nil
	}
	m := &Message{Provider: sum.Provider, Mode: sum.Mode, App: sum.App.Name, Host: host,
		Drift: append([]report.Drift(nil), sum.Drift...)}
	for _, st := range sum.Steps {
		if st.Status == "failed" {
			m.Step = st.Name
		}
	}
	if e := sum.Error; e != nil {
		m.Outcome, m.ExitCode, m.Kind, m.Error = Failed, e.ExitCode, e.Kind, e.Message
		m.Portal, m.Page, m.Element = e.Portal, e.Page, e.Element
		m.Files = append(m.Files, e.Files...)
	} else {
		m.Outcome = Drift
	}
	m.Files = append(m.Files, summaryFiles...)
	return m
}

// Scrub replaces secret values in every string of m with scrub's output;
// call it before Send with the run's scrubber. The text is rebuilt from
// the scrubbed fields.
func (m *Message) Scrub(scrub func(string) string) {
	if scrub == nil {
		return
	}
	for _, p := range []*string{&m.Provider, &m.Mode, &m.App, &m.Kind, &m.Step, &m.Error, &m.Portal, &m.Page, &m.Element, &m.Host} {
		*p = scrub(*p)
	}
	for i := range m.Files {
		m.Files[i] = scrub(m.Files[i])
	}
	for i := range m.Drift {
		d := &m.Drift[i]
		for _, p := range []*string{&d.Element, &d.Page, &d.Expected, &d.Seen, &d.How} {
			*p = scrub(*p)
		}
	}
	m.Text = ""
}

// text is the chat line: what happened, where, and what to look at. The
// values are escaped for Slack's mrkdwn; the formatting around them is not.
func (m *Message) text() string {
	e := slackEscape
	var b strings.Builder
	who := fmt.Sprintf("`bot %s %s`", e(m.Mode), e(m.Provider))
	if m.App != "" {
		who += fmt.Sprintf(" (app %q)", e(m.App))
	}
	if m.Host != "" {
		who += " on " + e(m.Host)
	}
	if m.Outcome == Failed {
		fmt.Fprintf(&b, ":x: portalbot: %s failed with exit code %d (%s)", who, m.ExitCode, e(m.Kind))
		if m.Step != "" {
			fmt.Fprintf(&b, " at step %s", e(m.Step))
		}
		b.WriteString(".\n")
		if m.Error != "" {
			fmt.Fprintf(&b, "> %s\n", strings.ReplaceAll(e(clip(m.Error, 1500)), "\n", "\n> "))
		}
	} else {
		fmt.Fprintf(&b, ":warning: portalbot: %s went through, but the portal's page changed.\n", who)
	}
	if len(m.Drift) > 0 {
		fmt.Fprintf(&b, "Found by other words than the selectors say (%d): update the selectors before it breaks:\n", len(m.Drift))
		for i, d := range m.Drift {
			if i == 10 {
				fmt.Fprintf(&b, "• … and %d more (see the summary)\n", len(m.Drift)-i)
				break
			}
			fmt.Fprintf(&b, "• %s: expected %q, seen %q", e(d.Element), e(clip(d.Expected, 100)), e(clip(d.Seen, 100)))
			if d.How != "" {
				fmt.Fprintf(&b, " (%s)", e(d.How))
			}
			b.WriteString("\n")
		}
	}
	if len(m.Files) > 0 {
		fmt.Fprintf(&b, "Files: %s\n", e(strings.Join(m.Files, ", ")))
	}
	return clip(strings.TrimRight(b.String(), "\n"), maxText)
}

// clip cuts s to at most n bytes on a rune boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// slackEscape escapes the three characters Slack's mrkdwn reserves.
func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// Encode returns the JSON body: the text built from the fields, no HTML
// escaping (a generic endpoint reads the fields as they are).
func (m *Message) Encode() ([]byte, error) {
	if m.Text == "" {
		m.Text = m.text()
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("encode the message: %w", err)
	}
	return buf.Bytes(), nil
}

// Retries and Backoff shape the retries of a webhook that did not answer or
// answered 429 or 5xx: 1 s, then 2 s, within the caller's deadline.
var (
	Retries = 2
	Backoff = time.Second
)

// Send posts m as JSON to the webhook. An answer other than 2xx is an
// error; so is no answer within ctx. The error never holds the URL: a
// Slack webhook URL is a credential, only its host is named.
func Send(ctx context.Context, client *http.Client, webhook secret.Secret, m *Message) error {
	body, err := m.Encode()
	if err != nil {
		return err
	}
	u, err := url.Parse(webhook.Reveal())
	if err != nil || u.Host == "" {
		return errors.New("notify.webhook_url is not a URL")
	}
	host := u.Host
	if client == nil {
		client = http.DefaultClient
	}
	backoff := Backoff
	for try := 0; ; try++ {
		retry, err := post(ctx, client, webhook.Reveal(), body)
		if err == nil {
			return nil
		}
		err = fmt.Errorf("notify the webhook on %s: %s", host, strings.ReplaceAll(err.Error(), webhook.Reveal(), secret.Redacted))
		if !retry || try >= Retries {
			return err
		}
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%s; gave up: %s", err.Error(), ctx.Err())
		case <-t.C:
		}
		backoff *= 2
	}
}

// post sends one request; retry says whether another attempt may succeed.
func post(ctx context.Context, client *http.Client, rawURL string, body []byte) (retry bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rawURL, bytes.NewReader(body))
	if err != nil {
		return false, errors.New("cannot build the request")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "portalbot")
	resp, err := client.Do(req)
	if err != nil {
		// *url.Error repeats the URL; keep only what went wrong.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return ctx.Err() == nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 == 2 {
		return false, nil
	}
	return resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500,
		fmt.Errorf("the webhook answered HTTP %d", resp.StatusCode)
}
