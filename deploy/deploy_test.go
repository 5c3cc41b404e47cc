// Package deploy_test checks the files that run the bot in a container and
// in a cluster: the kustomize base and its sidecar variant are rendered with
// `kubectl kustomize` and the objects checked; the Dockerfile is read.
package deploy_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	browserpkg "portalbot/internal/browser"
)

// Only the fields the checks read.
type object struct {
	Kind     string `yaml:"kind"`
	Metadata struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		// CronJob
		Schedule          string `yaml:"schedule"`
		ConcurrencyPolicy string `yaml:"concurrencyPolicy"`
		JobTemplate       struct {
			Spec struct {
				BackoffLimit *int `yaml:"backoffLimit"`
				Template     struct {
					Spec podSpec `yaml:"spec"`
				} `yaml:"template"`
			} `yaml:"spec"`
		} `yaml:"jobTemplate"`
	} `yaml:"spec"`
	Data map[string]string `yaml:"data"` // ConfigMap
}

type podSpec struct {
	RestartPolicy   string      `yaml:"restartPolicy"`
	Containers      []container `yaml:"containers"`
	InitContainers  []container `yaml:"initContainers"`
	SecurityContext struct {
		RunAsNonRoot bool `yaml:"runAsNonRoot"`
		RunAsUser    int  `yaml:"runAsUser"`
	} `yaml:"securityContext"`
	Volumes []struct {
		Name   string         `yaml:"name"`
		Secret map[string]any `yaml:"secret"`
		PVC    *struct {
			ClaimName string `yaml:"claimName"`
		} `yaml:"persistentVolumeClaim"`
		ConfigMap map[string]any `yaml:"configMap"`
	} `yaml:"volumes"`
}

type container struct {
	Name          string   `yaml:"name"`
	Image         string   `yaml:"image"`
	Command       []string `yaml:"command"`
	Args          []string `yaml:"args"`
	RestartPolicy string   `yaml:"restartPolicy"`
	StartupProbe  any      `yaml:"startupProbe"`
	Env           []struct {
		Name      string `yaml:"name"`
		Value     string `yaml:"value"`
		ValueFrom any    `yaml:"valueFrom"`
	} `yaml:"env"`
	EnvFrom      []any `yaml:"envFrom"`
	VolumeMounts []struct {
		Name      string `yaml:"name"`
		MountPath string `yaml:"mountPath"`
		ReadOnly  bool   `yaml:"readOnly"`
	} `yaml:"volumeMounts"`
}

// render runs `kubectl kustomize dir` and decodes every object.
func render(t *testing.T, dir string) []object {
	t.Helper()
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl is not on PATH (apt-get install kubectl): the kustomize files are not rendered")
	}
	var stderr bytes.Buffer
	cmd := exec.Command(kubectl, "kustomize", dir)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("kubectl kustomize %s: %v\n%s", dir, err, stderr.String())
	}
	var objs []object
	dec := yaml.NewDecoder(bytes.NewReader(out))
	for {
		var o object
		if err := dec.Decode(&o); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("decode the rendered YAML: %v", err)
		}
		objs = append(objs, o)
	}
	return objs
}

// The CronJobs of the base: which command each runs, on which schedule, with
// which secrets mounted.
var wantJobs = map[string]struct {
	schedule string
	command  []string
	secrets  []string // Secret names mounted
}{
	"portalbot-xero":        {"0 6 * * *", []string{"run", "xero"}, []string{"portalbot-xero", "portalbot-codat", "portalbot-notify"}},
	"portalbot-freeagent":   {"20 6 * * *", []string{"run", "freeagent"}, []string{"portalbot-freeagent", "portalbot-codat", "portalbot-notify"}},
	"portalbot-xero-rotate": {"40 6 * * *", []string{"rotate", "xero", "--max-age", "90d"}, []string{"portalbot-xero", "portalbot-codat", "portalbot-notify"}},
}

// secretName says an environment variable names a secret (the bot's secret
// keys and anything that looks like one): it may only name a file.
var secretName = regexp.MustCompile(`(?i)(PASSWORD|TOTP|SECRET|TOKEN|WEBHOOK|KEY)`)

func TestKustomizeBase(t *testing.T) {
	objs := render(t, "kubernetes")
	checkJobs(t, objs, false)
}

func TestKustomizeSidecar(t *testing.T) {
	objs := render(t, "kubernetes/overlays/sidecar")
	checkJobs(t, objs, true)
}

func checkJobs(t *testing.T, objs []object, sidecar bool) {
	t.Helper()
	kinds := map[string][]string{}
	for _, o := range objs {
		kinds[o.Kind] = append(kinds[o.Kind], o.Metadata.Name)
	}
	if len(kinds["PersistentVolumeClaim"]) != 1 || len(kinds["ConfigMap"]) != 1 {
		t.Fatalf("want one PersistentVolumeClaim and one ConfigMap, got %v", kinds)
	}
	if len(kinds["Secret"]) != 0 {
		t.Errorf("the base must not hold Secrets (their values): %v", kinds["Secret"])
	}
	pvc, configMap := kinds["PersistentVolumeClaim"][0], kinds["ConfigMap"][0]
	jobs := 0
	for _, o := range objs {
		switch o.Kind {
		case "ConfigMap":
			cfg, ok := o.Data["config.yaml"]
			if !ok {
				t.Errorf("ConfigMap %s has no config.yaml", o.Metadata.Name)
			}
			for _, key := range []string{"password:", "totp_secret:", "webhook_url:"} {
				if strings.Contains(cfg, key) {
					t.Errorf("config.yaml in the ConfigMap sets %s: secrets are files", key)
				}
			}
		case "CronJob":
			jobs++
			t.Run(o.Metadata.Name, func(t *testing.T) { checkJob(t, o, pvc, configMap, sidecar) })
		}
	}
	if jobs != len(wantJobs) {
		t.Errorf("%d CronJobs, want %d", jobs, len(wantJobs))
	}
}

func checkJob(t *testing.T, o object, pvc, configMap string, sidecar bool) {
	want, ok := wantJobs[o.Metadata.Name]
	if !ok {
		t.Fatalf("unexpected CronJob %s", o.Metadata.Name)
	}
	if o.Spec.Schedule != want.schedule {
		t.Errorf("schedule = %q, want %q", o.Spec.Schedule, want.schedule)
	}
	if o.Spec.ConcurrencyPolicy != "Forbid" {
		t.Errorf("concurrencyPolicy = %q, want Forbid", o.Spec.ConcurrencyPolicy)
	}
	job := o.Spec.JobTemplate.Spec
	if job.BackoffLimit == nil || *job.BackoffLimit != 0 {
		t.Errorf("backoffLimit = %v, want 0 (a refused sign-in is never retried)", job.BackoffLimit)
	}
	pod := job.Template.Spec
	if pod.RestartPolicy != "Never" {
		t.Errorf("restartPolicy = %q, want Never", pod.RestartPolicy)
	}
	if !pod.SecurityContext.RunAsNonRoot || pod.SecurityContext.RunAsUser == 0 {
		t.Errorf("the pod may run as root: %+v", pod.SecurityContext)
	}
	if len(pod.Containers) != 1 || pod.Containers[0].Name != "bot" {
		t.Fatalf("want one container named bot, got %d", len(pod.Containers))
	}
	bot := pod.Containers[0]
	if !strings.HasSuffix(strings.Join(bot.Args, " "), strings.Join(want.command, " ")) {
		t.Errorf("args = %v, want them to end with %v", bot.Args, want.command)
	}
	out := argAfter(bot.Args, "--out")
	cfgFile := argAfter(bot.Args, "--config")

	// Volumes: the PVC, the ConfigMap, each Secret; mounted where the args
	// and the _FILE variables say.
	volumeOf := map[string]string{} // volume name -> what it is
	var secrets []string
	for _, v := range pod.Volumes {
		switch {
		case v.PVC != nil:
			volumeOf[v.Name] = "pvc:" + v.PVC.ClaimName
		case v.ConfigMap != nil:
			volumeOf[v.Name] = "configmap:" + v.ConfigMap["name"].(string)
		case v.Secret != nil:
			name := v.Secret["secretName"].(string)
			volumeOf[v.Name] = "secret:" + name
			secrets = append(secrets, name)
		}
	}
	slices.Sort(secrets)
	wantSecrets := slices.Clone(want.secrets)
	slices.Sort(wantSecrets)
	if !slices.Equal(secrets, wantSecrets) {
		t.Errorf("secrets mounted = %v, want %v", secrets, wantSecrets)
	}
	mountOf := map[string]string{} // mount path -> what it is
	for _, m := range bot.VolumeMounts {
		what := volumeOf[m.Name]
		mountOf[m.MountPath] = what
		if strings.HasPrefix(what, "secret:") && !m.ReadOnly {
			t.Errorf("secret volume %s is mounted writable", m.Name)
		}
	}
	if mountOf[out] != "pvc:"+pvc {
		t.Errorf("--out %s is not the PersistentVolumeClaim %s (mounts %v)", out, pvc, mountOf)
	}
	if !strings.HasPrefix(cfgFile, "/") || mountOf[dirOf(cfgFile)] != "configmap:"+configMap {
		t.Errorf("--config %s is not in the ConfigMap %s (mounts %v)", cfgFile, configMap, mountOf)
	}

	// No secret value in the environment: a secret is a file, named by a
	// *_FILE variable whose path is on a mounted Secret.
	if len(bot.EnvFrom) > 0 {
		t.Errorf("envFrom would put values in the environment: %v", bot.EnvFrom)
	}
	files := 0
	remote := ""
	for _, e := range bot.Env {
		if e.ValueFrom != nil {
			t.Errorf("env %s takes its value from elsewhere (%v): secrets are mounted files", e.Name, e.ValueFrom)
		}
		if e.Name == "BOT_BROWSER_REMOTE_URL" {
			remote = e.Value
		}
		if !secretName.MatchString(e.Name) {
			continue
		}
		if !strings.HasSuffix(e.Name, "_FILE") {
			t.Errorf("env %s holds a secret value; use %s_FILE", e.Name, e.Name)
			continue
		}
		files++
		if !strings.HasPrefix(mountOf[dirOf(e.Value)], "secret:") {
			t.Errorf("%s=%s is not on a mounted Secret (mounts %v)", e.Name, e.Value, mountOf)
		}
	}
	if files < 3 {
		t.Errorf("%d *_FILE variables, want the provider's and Codat's passwords and the webhook", files)
	}

	// The variant: a native sidecar browser the bot reaches on the pod's
	// loopback through browser.remote_url.
	if !sidecar {
		if remote != "" || len(pod.InitContainers) != 0 {
			t.Errorf("the base has a remote browser (%q) or init containers", remote)
		}
		return
	}
	if remote != "http://127.0.0.1:9222" {
		t.Errorf("BOT_BROWSER_REMOTE_URL = %q, want http://127.0.0.1:9222", remote)
	}
	var browser *container
	for i := range pod.InitContainers {
		if pod.InitContainers[i].Name == "browser" {
			browser = &pod.InitContainers[i]
		}
	}
	if browser == nil {
		t.Fatal("no browser sidecar")
	}
	if browser.RestartPolicy != "Always" || browser.StartupProbe == nil {
		t.Errorf("browser: restartPolicy %q, startup probe %v: want a native sidecar (Always) that is up before the bot starts",
			browser.RestartPolicy, browser.StartupProbe)
	}
	if browser.Image != bot.Image {
		t.Errorf("browser image %q, bot image %q: want the same (it ships the browser)", browser.Image, bot.Image)
	}
	args := strings.Join(append(browser.Command, browser.Args...), " ")
	// The flags of the browser the bot launches (browser.StartFlags), so
	// that the sidecar is the browser the tests drive.
	flags := append([]string{"chromium-headless-shell", "--remote-debugging-port=9222", "--remote-debugging-address=127.0.0.1",
		browserpkg.EngineFlag, browserpkg.AccessibilityFlag}, browserpkg.StartFlags...)
	for _, w := range flags {
		if !strings.Contains(args, w) {
			t.Errorf("the browser's command line %q lacks %s", args, w)
		}
	}
}

func argAfter(args []string, flag string) string {
	if i := slices.Index(args, flag); i >= 0 && i+1 < len(args) {
		return args[i+1]
	}
	return ""
}

func dirOf(p string) string { return p[:strings.LastIndexByte(p, '/')] }

// The Dockerfile, read (no container engine runs the tests): a static bot
// built in one stage, Debian slim with the headless shell and fonts in the
// other, a non-root user, bot as the entrypoint.
func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	// One logical line per instruction: continuations joined.
	df := regexp.MustCompile(`\\\n\s*`).ReplaceAllString(string(b), " ")
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^FROM golang:\S+ AS build$`),
		regexp.MustCompile(`CGO_ENABLED=0 go build .*-o /out/bot ./cmd/bot`),
		regexp.MustCompile(`(?m)^FROM debian:\$\{DEBIAN_RELEASE\}-slim$`),
		regexp.MustCompile(`(?m)^ARG DEBIAN_RELEASE=bookworm$`),
		regexp.MustCompile(`chromium-headless-shell`),
		regexp.MustCompile(`fonts-liberation`),
		regexp.MustCompile(`(?m)^COPY --from=build /out/bot /usr/local/bin/bot$`),
		regexp.MustCompile(`(?m)^USER 10001:10001$`),
		regexp.MustCompile(`(?m)^ENTRYPOINT \["/usr/local/bin/bot"\]$`),
	} {
		if !want.MatchString(df) {
			t.Errorf("the Dockerfile has no line matching %s", want)
		}
	}
	ignore, err := os.ReadFile("Dockerfile.dockerignore")
	if err != nil || !strings.Contains(string(ignore), "\nout/\n") {
		t.Errorf("Dockerfile.dockerignore must keep out/ (secrets, state) out of the build context: %v", err)
	}
}
