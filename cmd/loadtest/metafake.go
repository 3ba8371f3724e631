package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// metaFake answers the Cloud API calls a turn makes — mark-as-read and
// sending a text, both POST /{version}/{phone-number-id}/messages — and
// records each text's body in the tracker.
type metaFake struct {
	token, version, numberID string
	track                    *tracker
	seq                      atomic.Int64
}

// metaMessage is the part of a send the fake reads.
type metaMessage struct {
	MessagingProduct string `json:"messaging_product"`
	To               string `json:"to"`
	Type             string `json:"type"`
	Status           string `json:"status"`
	MessageID        string `json:"message_id"`
	Text             *struct {
		Body string `json:"body"`
	} `json:"text"`
}

func (f *metaFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/"+f.version+"/"+f.numberID+"/messages" {
		metaError(w, http.StatusNotFound, 100, "Unsupported post request")
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+f.token {
		metaError(w, http.StatusUnauthorized, 190, "Invalid OAuth access token")
		return
	}
	now := time.Now()
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var m metaMessage
	if err == nil {
		err = json.Unmarshal(body, &m)
	}
	switch {
	case err != nil || m.MessagingProduct != "whatsapp":
		metaError(w, http.StatusBadRequest, 100, "Invalid parameter")
	case m.Status == "read" && m.MessageID != "":
		writeMetaJSON(w, map[string]any{"success": true})
	case m.Type == "text" && m.Text != nil && m.To != "":
		f.track.reply(m.Text.Body, now)
		writeMetaJSON(w, map[string]any{
			"messaging_product": "whatsapp",
			"contacts":          []any{map[string]any{"input": m.To, "wa_id": m.To}},
			"messages":          []any{map[string]any{"id": fmt.Sprintf("wamid.out%012d", f.seq.Add(1))}},
		})
	default:
		metaError(w, http.StatusBadRequest, 100, "Invalid parameter: a "+m.Type+" message needs its object")
	}
}

func writeMetaJSON(w http.ResponseWriter, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, _ = w.Write(b)
}

// metaError answers in the Graph API's error format.
func metaError(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
		"message": msg, "type": "OAuthException", "code": code, "fbtrace_id": "AloadtestTrace",
	}})
}
