package cli

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"portalbot/flows"
	"portalbot/internal/config"
	"portalbot/internal/report"
	"portalbot/selectors"
)

// fakes records what the commands asked of the outside world and says what
// the stubs answer.
type fakes struct {
	out, errOut *bytes.Buffer
	logs        *observer.ObservedLogs

	mu             sync.Mutex
	browserStarted bool
	browserStopped bool
	flowCalls      int
	env            *flows.Env
	provider       string

	startErr   error           // StartBrowser fails with it
	summary    *report.Summary // RunFlow returns it
	flowErr    error           // and this
	waitForCtx bool            // RunFlow blocks until its context ends
}

// newTestFactory returns a Factory whose browser, flow, selectors, logger
// and clock are stubs, in an empty working directory with no BOT_ variable
// set, so nothing leaks in from the developer's machine.
func newTestFactory(t *testing.T) (*Factory, *fakes) {
	t.Helper()
	for _, k := range config.Keys() {
		t.Setenv(config.EnvVar(k), "")
	}
	t.Chdir(t.TempDir())

	fk := &fakes{out: &bytes.Buffer{}, errOut: &bytes.Buffer{}}
	core, logs := observer.New(zapcore.DebugLevel)
	fk.logs = logs
	clock := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	f := &Factory{
		IOStreams:  &IOStreams{In: strings.NewReader(""), Out: fk.out, ErrOut: fk.errOut},
		LoadConfig: config.Load,
		Now: func() time.Time {
			fk.mu.Lock()
			defer fk.mu.Unlock()
			clock = clock.Add(1500 * time.Millisecond)
			return clock
		},
		Logger:        func(config.Log) (*zap.Logger, error) { return zap.New(core), nil },
		LoadSelectors: selectors.Load, // data only: no browser; checks an override as a run does
		StartBrowser: func(ctx context.Context, _ config.Browser, _ *zap.Logger) (context.Context, func(), error) {
			fk.mu.Lock()
			defer fk.mu.Unlock()
			fk.browserStarted = true
			if fk.startErr != nil {
				return nil, nil, fk.startErr
			}
			return ctx, func() {
				fk.mu.Lock()
				defer fk.mu.Unlock()
				fk.browserStopped = true
			}, nil
		},
		RunFlow: func(ctx context.Context, env *flows.Env, provider string) (*report.Summary, error) {
			fk.mu.Lock()
			fk.flowCalls++
			fk.env, fk.provider = env, provider
			wait := fk.waitForCtx
			fk.mu.Unlock()
			if wait {
				<-ctx.Done()
				return fk.summary, ctx.Err()
			}
			return fk.summary, fk.flowErr
		},
	}
	return f, fk
}

// Sentinel secrets: no output may contain them.
const (
	xeroPW  = "xero-pw-SENTINEL"
	codatPW = "codat-pw-SENTINEL"
	faPW    = "fa-pw-SENTINEL"
)

// validEnv sets a configuration Validate accepts for both providers.
func validEnv(t *testing.T) {
	t.Helper()
	for k, v := range map[string]string{
		"BOT_XERO_EMAIL":         "me@example.com",
		"BOT_XERO_PASSWORD":      xeroPW,
		"BOT_FREEAGENT_EMAIL":    "me@example.com",
		"BOT_FREEAGENT_PASSWORD": faPW,
		"BOT_CODAT_EMAIL":        "me@example.com",
		"BOT_CODAT_PASSWORD":     codatPW,
		"BOT_APP_NAME":           "Acme Sync",
		"BOT_APP_COMPANY_URL":    "https://acme.example",
		"BOT_APP_DESCRIPTION":    "Accounting sync for Acme",
	} {
		t.Setenv(k, v)
	}
}

// noSecrets fails the test when any sentinel secret reached the output.
func noSecrets(t *testing.T, fk *fakes) {
	t.Helper()
	all := fk.out.String() + fk.errOut.String()
	for _, e := range fk.logs.All() {
		all += e.Message
		for _, f := range e.Context {
			all += f.String + f.Key
			if f.Interface != nil {
				if s, ok := f.Interface.(interface{ String() string }); ok {
					all += s.String()
				}
			}
		}
	}
	for _, s := range []string{xeroPW, codatPW, faPW} {
		if strings.Contains(all, s) {
			t.Errorf("output reveals secret %q", s)
		}
	}
}
