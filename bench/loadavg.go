package bench

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// loadAverage reads the machine's 1, 5 and 15 minute load averages from
// /proc/loadavg; ok is false where there is none.
func loadAverage() (avg [3]float64, ok bool) {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return avg, false
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return avg, false
	}
	for i := range avg {
		if avg[i], err = strconv.ParseFloat(f[i], 64); err != nil {
			return avg, false
		}
	}
	return avg, true
}

// loadResult is the machine's load average at the end of the run (value)
// and at its start (baseline), so a run on a busy machine shows as one.
func loadResult(start [3]float64, startOK bool, busy int) Result {
	end, ok := loadAverage()
	r := Result{Name: "load average", Unit: "runnable"}
	if !ok || !startOK {
		r.Note = "unavailable: no /proc/loadavg"
		return r
	}
	r.Value, r.Baseline = end[0], start[0]
	r.Note = fmt.Sprintf("1-min at end, baseline at start; 1/5/15 min at end: %.2f %.2f %.2f; %d cores; %d busy processes", end[0], end[1], end[2], runtime.NumCPU(), busy)
	return r
}
