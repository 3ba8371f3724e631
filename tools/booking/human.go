package booking

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/switchboardhq/switchboard/tools"
)

// ToolHuman is the name of the hand-off tool, as the model sees it.
const ToolHuman = "request_human"

// HumanArgs are request_human's arguments.
type HumanArgs struct {
	Reason string `json:"reason" jsonschema:"why the customer needs a person, in a few words (wants to talk to someone, a complaint, a question you cannot answer)"`
}

// HumanResult is what request_human returns.
type HumanResult struct {
	Note string `json:"note"`
}

// maxHumanReason bounds the reason passed to the owners.
const maxHumanReason = 300

func (t *Tools) human(ctx context.Context, a HumanArgs) (HumanResult, error) {
	thread, err := tools.ThreadOf(ctx)
	if err != nil {
		t.count(ToolHuman, ResultError)
		return HumanResult{}, err
	}
	reason := strings.TrimSpace(a.Reason)
	if utf8.RuneCountInString(reason) > maxHumanReason {
		t.count(ToolHuman, ResultRefused)
		return HumanResult{}, tools.Errorf("the reason is too long (at most %d characters): summarize it", maxHumanReason)
	}
	if err := t.cfg.RequestHuman(ctx, thread, reason); err != nil {
		t.count(ToolHuman, ResultError)
		return HumanResult{}, fmt.Errorf("booking: request a person: %w", err)
	}
	t.count(ToolHuman, ResultOK)
	return HumanResult{Note: "A person from the team has been asked to take over this conversation and will answer here. " +
		"Tell the customer so, briefly; you will not answer their next messages until the team gives the conversation back."}, nil
}
