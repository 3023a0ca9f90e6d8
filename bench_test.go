package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ordertrack/ordertrack/bench"
)

// TestBenchJSONEndsWithTheLoadAverage runs a small render phase with one
// busy process and reads the JSON lines: every figure is one object, and
// the last one is the machine's load average naming the busy process.
func TestBenchJSONEndsWithTheLoadAverage(t *testing.T) {
	var out bytes.Buffer
	if err := runBench(context.Background(), []string{"--json", "--phases", "render", "--requests", "20", "--busy", "1"}, &out); err != nil {
		t.Fatal(err)
	}
	var got []bench.Result
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var r bench.Result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		got = append(got, r)
	}
	if len(got) != 2 || got[0].Name != "notification compose (email)" {
		t.Fatalf("results = %+v; want the render figure, then the load average", got)
	}
	load := got[1]
	if load.Name != "load average" || load.Value <= 0 || !strings.Contains(load.Note, "1 busy processes") {
		t.Errorf("load average = %+v; want the 1-minute load and the busy process count", load)
	}
}

// TestBenchTextPrintsTheLoadAverage: the table carries the load line too.
func TestBenchTextPrintsTheLoadAverage(t *testing.T) {
	var out bytes.Buffer
	if err := runBench(context.Background(), []string{"--phases", "render", "--requests", "10"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "load average") || !strings.Contains(out.String(), "1/5/15 min at end") {
		t.Errorf("bench output lacks the load average:\n%s", out.String())
	}
}
