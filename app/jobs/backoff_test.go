package jobs

import (
	"errors"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

func TestSnoozeDoublingDoublesPerSnoozeUpToTheLimit(t *testing.T) {
	tests := []struct {
		metadata string
		want     time.Duration
	}{
		{``, time.Hour},
		{`{}`, time.Hour},
		{`{"snoozes":1}`, 2 * time.Hour},
		{`{"snoozes":3}`, 8 * time.Hour},
		{`{"snoozes":5}`, 24 * time.Hour},
		{`{"snoozes":500}`, 24 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.metadata, func(t *testing.T) {
			d, err := SnoozeDoubling(&rivertype.JobRow{Metadata: []byte(tt.metadata)}, time.Hour, 24*time.Hour)
			var snooze *river.JobSnoozeError
			if d != tt.want || !errors.As(err, &snooze) || snooze.Duration != tt.want {
				t.Errorf("metadata %s: snooze %v (%v); want a River snooze of %v", tt.metadata, d, err, tt.want)
			}
		})
	}
}
