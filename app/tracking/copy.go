package tracking

// Copy keys name the shopper-facing headline and "what to do next" line for a
// stage × problem; the words live in templates (per locale), never here.
//
//	in_transit                        no problem
//	in_transit.delayed                stage.problem
//	delivered                         terminal stages ignore problems
//	in_transit.expired                polling stopped (State.Expired)
//	next_step.out_for_delivery.action_required

// copyExpired is the suffix for expired shipments.
const copyExpired = "expired"

// nextStepPrefix prefixes the "what to do next" key.
const nextStepPrefix = "next_step."

// CopyKey returns the headline key for a stage and problem. Delivered and
// returned shipments show their stage alone; an unknown stage falls back to
// in_transit, the nearest safe thing to tell a shopper.
func CopyKey(stage Stage, problem Problem) string {
	if !stage.Valid() {
		stage = StageInTransit
	}
	if stage.Terminal() || problem == ProblemNone {
		return string(stage)
	}
	return string(stage) + "." + string(problem)
}

// NextStepKey returns the "what to do next" key for a stage and problem.
func NextStepKey(stage Stage, problem Problem) string {
	return nextStepPrefix + CopyKey(stage, problem)
}

// CopyKey returns the headline key for the state, expiry included.
func (s State) CopyKey() string {
	if s.Expired && !s.Stage.Terminal() {
		return CopyKey(s.Stage, ProblemNone) + "." + copyExpired
	}
	return CopyKey(s.Stage, s.Problem)
}

// NextStepKey returns the "what to do next" key for the state.
func (s State) NextStepKey() string { return nextStepPrefix + s.CopyKey() }

// CopyKeys lists every headline key CopyKey and State.CopyKey can return, so
// the template set can be checked for completeness; prefix each with
// "next_step." for the next-step keys.
func CopyKeys() []string {
	var keys []string
	for _, st := range Stages {
		if st.Terminal() {
			keys = append(keys, string(st))
			continue
		}
		for _, p := range Problems {
			keys = append(keys, CopyKey(st, p))
		}
		keys = append(keys, string(st)+"."+copyExpired)
	}
	return keys
}
