package cli

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.uber.org/zap"

	"portalbot/flows"
	"portalbot/internal/config"
	"portalbot/internal/notify"
	"portalbot/internal/report"
	"portalbot/internal/secret"
	"portalbot/internal/store"
)

// NotifyTimeout bounds the webhook call, retries included: a chat that does
// not answer must not hold a scheduled job.
var NotifyTimeout = 15 * time.Second

// notifyWebhook posts one message to notify.webhook_url when the run failed
// or found drift. It never changes the outcome: a webhook that fails is a
// warning in the log. The message is scrubbed of every secret the run knew.
func notifyWebhook(ctx context.Context, cfg *config.Config, env *flows.Env, opts *RunOptions, sum *report.Summary, log *zap.Logger) {
	if cfg.Notify.WebhookURL.Empty() {
		return
	}
	var files []string
	for _, name := range summaryFiles(opts.Mode, opts.Provider) {
		files = append(files, filepath.Join(cfg.Out, name))
	}
	host, _ := os.Hostname()
	msg := notify.For(sum, files, host)
	if msg == nil {
		return
	}
	msg.Scrub(scrubber(cfg, env, sum))
	// A run stopped by a signal is reported too, within its own deadline.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), NotifyTimeout)
	defer cancel()
	if err := notify.Send(ctx, &http.Client{}, cfg.Notify.WebhookURL, msg); err != nil {
		log.Warn("the webhook was not told of this outcome; the exit code is unchanged", zap.String("error", err.Error()))
		return
	}
	log.Info("webhook told", zap.String("outcome", msg.Outcome), zap.Int("exit_code", msg.ExitCode))
}

// scrubber replaces with [redacted] every secret value the run knew: the
// flow's own list (credentials, client secrets read), the configuration's
// secrets, and the client secret in the file the summary names.
func scrubber(cfg *config.Config, env *flows.Env, sum *report.Summary) func(string) string {
	values := cfg.Secrets()
	if sum != nil && sum.Secret.File != "" {
		if v, err := store.ReadSecret(sum.Secret.File); err == nil {
			values = append(values, v)
		}
	}
	var flowScrub func(string) string
	if env != nil {
		flowScrub = env.Scrub
	}
	return func(text string) string {
		if flowScrub != nil {
			text = flowScrub(text)
		}
		for _, v := range values {
			if len(v.Reveal()) >= 4 {
				text = strings.ReplaceAll(text, v.Reveal(), secret.Redacted)
			}
		}
		return text
	}
}
