package secret_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"portalbot/internal/secret"
)

const value = "s3cr3t-VALUE-48chars"

func TestEveryPrintedFormIsRedacted(t *testing.T) {
	s := secret.New(value)
	type holder struct {
		Password secret.Secret
		Name     string
	}
	h := holder{Password: s, Name: "n"}
	js, _ := json.Marshal(h)
	txt, _ := s.MarshalText()
	forms := map[string]string{
		"String":   s.String(),
		"GoString": s.GoString(),
		"%v":       fmt.Sprintf("%v", s),
		"%+v":      fmt.Sprintf("%+v", h),
		"%#v":      fmt.Sprintf("%#v", h),
		"%s":       fmt.Sprintf("%s", s),
		"%q":       fmt.Sprintf("%q", s),
		"%x":       fmt.Sprintf("%x", s),
		"%d":       fmt.Sprintf("%d", s),
		"json":     string(js),
		"text":     string(txt),
		"error":    fmt.Errorf("sign in with %v: %w", s, errors.New("refused")).Error(),
	}
	core, logs := observer.New(zapcore.DebugLevel)
	log := zap.New(core)
	log.Info("zap", zap.Any("secret", s), zap.Stringer("stringer", s), zap.Reflect("reflect", h), zap.Object("object", s))
	for _, e := range logs.All() {
		forms["zap"] = fmt.Sprint(e.ContextMap())
	}
	enc := zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig())
	buf, err := enc.EncodeEntry(zapcore.Entry{Message: "m"}, []zapcore.Field{zap.Any("s", s), zap.Reflect("h", h)})
	if err != nil {
		t.Fatal(err)
	}
	forms["zap json"] = buf.String()
	for name, out := range forms {
		if strings.Contains(out, value) {
			t.Errorf("%s shows the value: %s", name, out)
		}
		if !strings.Contains(out, secret.Redacted) && name != "%x" && name != "%d" {
			t.Errorf("%s does not say %s: %s", name, secret.Redacted, out)
		}
	}
	if s.Reveal() != value {
		t.Errorf("Reveal lost the value")
	}
}

func TestFingerprint(t *testing.T) {
	a, b := secret.New("a"), secret.New("b")
	if a.Fingerprint() == b.Fingerprint() || len(a.Fingerprint()) != 12 || strings.Contains(a.Fingerprint(), "a") && a.Fingerprint() == "a" {
		t.Errorf("fingerprints %q %q", a.Fingerprint(), b.Fingerprint())
	}
	if (secret.Secret{}).Fingerprint() != "" || !(secret.Secret{}).Empty() {
		t.Errorf("the zero Secret is not empty")
	}
}
