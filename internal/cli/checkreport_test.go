package cli

import (
	"testing"

	"portalbot/internal/config"
)

// bot check's report flags set the check.* keys, over the environment.
func TestCheckReportFlags(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want config.Check
	}{
		{"defaults", nil, []string{"xero"}, config.Check{PixelThreshold: 0.1, MaxDiffRatio: 0.001}},
		{"flags", nil, []string{"xero", "--baselines", "ci/baselines", "--update-baselines", "--strict", "--history", "hist"},
			config.Check{BaselinesDir: "ci/baselines", UpdateBaselines: true, Strict: true, HistoryDir: "hist", PixelThreshold: 0.1, MaxDiffRatio: 0.001}},
		{"environment", map[string]string{"BOT_CHECK_BASELINES_DIR": "env/base", "BOT_CHECK_MAX_DIFF_RATIO": "0.02", "BOT_CHECK_PIXEL_THRESHOLD": "0.2"},
			[]string{"freeagent"}, config.Check{BaselinesDir: "env/base", PixelThreshold: 0.2, MaxDiffRatio: 0.02}},
		{"flag over environment", map[string]string{"BOT_CHECK_BASELINES_DIR": "env/base"}, []string{"xero", "--baselines", "flag/base"},
			config.Check{BaselinesDir: "flag/base", PixelThreshold: 0.1, MaxDiffRatio: 0.001}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, fk := newTestFactory(t)
			validEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			var got *RunOptions
			cmd := NewCmdCheck(f, func(o *RunOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SetOut(fk.out)
			cmd.SetErr(fk.errOut)
			if err := cmd.Execute(); err != nil {
				t.Fatal(err)
			}
			cfg, err := got.Config()
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Check != tt.want {
				t.Errorf("check = %+v, want %+v", cfg.Check, tt.want)
			}
		})
	}
}
