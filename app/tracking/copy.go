package tracking

// CopyKeys names the shopper-facing headline and "what to do next" copy for a
// shipment's state, most specific first; the words live in the copy catalog
// (app/locale), which uses the first key it has:
//
//	in_transit.delayed   a stage-specific line for the problem
//	delayed              the problem's line, until delivered or returned
//	in_transit           the stage's line
//	expired              polling stopped (State.Expired) before the end
//
// A problem overrides the stage except once the shipment is delivered or
// returned, where a leftover delay or missed attempt no longer matters. An
// unknown stage reads as confirmed, the start of every shipment's story.
func CopyKeys(s State) []string {
	stage := s.Stage
	if !stage.Valid() {
		stage = StageConfirmed
	}
	if s.Expired && !stage.Terminal() {
		return []string{"expired"}
	}
	var keys []string
	if s.Problem != ProblemNone {
		keys = append(keys, string(stage)+"."+string(s.Problem))
		if !stage.Terminal() {
			keys = append(keys, string(s.Problem))
		}
	}
	return append(keys, string(stage))
}
