package langchain_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	lcopenai "github.com/tmc/langchaingo/llms/openai"

	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/llm/langchain"
	"github.com/switchboardhq/switchboard/llm/llmtest"
)

func newModel(t *testing.T, baseURL string, client *http.Client) llm.Model {
	t.Helper()
	inner, err := lcopenai.New(
		lcopenai.WithBaseURL(baseURL),
		lcopenai.WithToken("sk-test"),
		lcopenai.WithModel("gpt-test"),
		lcopenai.WithHTTPClient(client),
	)
	if err != nil {
		t.Fatal(err)
	}
	return langchain.New(inner, langchain.WithProvider("langchain-openai"))
}

// TestConformance runs the shared suite on langchaingo's OpenAI provider
// pointed at the fake OpenAI server, built with an instrumented HTTP client.
func TestConformance(t *testing.T) {
	llmtest.RunModelSuite(t, func(baseURL string) llm.Model {
		return newModel(t, baseURL, langchain.InstrumentHTTPClient(nil))
	}, llmtest.OpenAI)
}

// TestErrorsWithoutInstrumentation checks the fallback that reads the
// status from langchaingo's error text.
func TestErrorsWithoutInstrumentation(t *testing.T) {
	tests := []struct {
		status   int
		sentinel error
	}{
		{http.StatusTooManyRequests, llm.ErrRateLimited},
		{http.StatusInternalServerError, llm.ErrUnavailable},
		{http.StatusUnauthorized, llm.ErrAuth},
		{http.StatusBadRequest, llm.ErrBadRequest},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			s := llmtest.NewOpenAI(t)
			s.Push(llmtest.Reply{Status: tt.status})
			_, err := newModel(t, s.BaseURL(), &http.Client{}).Generate(context.Background(), llm.Request{Messages: []llm.Message{llm.UserText("hi")}})
			var ae *llm.APIError
			if !errors.As(err, &ae) || ae.StatusCode != tt.status || !errors.Is(err, tt.sentinel) {
				t.Errorf("err = %v", err)
			}
		})
	}
	t.Run("down", func(t *testing.T) {
		s := llmtest.NewOpenAI(t)
		s.Close()
		_, err := newModel(t, s.BaseURL(), &http.Client{}).Generate(context.Background(), llm.Request{Messages: []llm.Message{llm.UserText("hi")}})
		if !errors.Is(err, llm.ErrUnavailable) {
			t.Errorf("err = %v", err)
		}
	})
}
