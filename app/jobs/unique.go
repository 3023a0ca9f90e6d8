package jobs

import "github.com/riverqueue/river/rivertype"

// whilePending dedupes a job only against copies not yet finished: River's
// default also counts completed jobs (until cleaned out a day later), which
// would swallow the next legitimate run of a recurring job.
var whilePending = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateRetryable, rivertype.JobStateScheduled,
}
