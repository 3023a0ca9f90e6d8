package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app"
)

// These tests lint the deploy files without a registry or a container
// engine; .ci/run runs them as their own step.

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDockerfileIsReproducible(t *testing.T) {
	src := readFile(t, "Dockerfile")
	froms := regexp.MustCompile(`(?m)^FROM\s+(\S+)`).FindAllStringSubmatch(src, -1)
	if len(froms) == 0 {
		t.Fatal("no FROM in Dockerfile")
	}
	for _, f := range froms {
		if !regexp.MustCompile(`^[^@\s]+:[^@\s]+@sha256:[0-9a-f]{64}$`).MatchString(f[1]) {
			t.Errorf("FROM %s: pin the base image by tag and digest (name:tag@sha256:…)", f[1])
		}
	}
	for _, c := range []struct{ what, re string }{
		{"the syntax directive on the first line", `\A# syntax=docker/dockerfile:1\n`},
		{"a static build", `CGO_ENABLED=0`},
		{"-trimpath", `go build[^\n]*-trimpath`},
		{"-buildvcs=false", `go build[^\n]*-buildvcs=false`},
		{"a non-root user", `(?m)^USER nonroot`},
	} {
		if !regexp.MustCompile(c.re).MatchString(src) {
			t.Errorf("Dockerfile lacks %s", c.what)
		}
	}
	for _, c := range []struct{ what, re string }{
		{"a :latest image", `(?m)^FROM\s+\S+:latest`},
		{"ADD from a URL (unpinned download)", `(?m)^ADD\s+https?://`},
		{"curl/wget piping into a shell", `(curl|wget)[^\n]*\|\s*(ba)?sh`},
	} {
		if regexp.MustCompile(c.re).MatchString(src) {
			t.Errorf("Dockerfile has %s", c.what)
		}
	}
}

func TestFlyTomlKillTimeoutCoversTheDrain(t *testing.T) {
	src := readFile(t, "fly.toml")
	top := src
	if i := strings.Index(src, "\n["); i >= 0 {
		top = src[:i] // kill_timeout and kill_signal are top-level keys
	}
	m := regexp.MustCompile(`(?m)^kill_timeout\s*=\s*"?(\d+s?)"?\s*$`).FindStringSubmatch(top)
	if m == nil {
		t.Fatal("fly.toml has no top-level kill_timeout (Fly's default, 5 s, cuts the drain short)")
	}
	v := m[1]
	if !strings.HasSuffix(v, "s") {
		v += "s"
	}
	kill, err := time.ParseDuration(v)
	if err != nil {
		t.Fatal(err)
	}
	if drain := app.HTTPDrain + app.JobDrain; kill < drain || kill > 300*time.Second {
		t.Errorf("kill_timeout %s; want at least the drain (%s = HTTP %s + jobs %s) and at most Fly's 300 s", kill, drain, app.HTTPDrain, app.JobDrain)
	}
	if !regexp.MustCompile(`(?m)^kill_signal\s*=\s*"SIGTERM"`).MatchString(top) {
		t.Error("fly.toml: kill_signal should be SIGTERM, the signal the app drains on")
	}
	for _, want := range []string{`release_command = "migrate"`, `web = "serve"`, `worker = "worker"`, `path = "/readyz"`} {
		if !strings.Contains(src, want) {
			t.Errorf("fly.toml lacks %s", want)
		}
	}
}
