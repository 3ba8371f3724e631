package meta_test

import (
	"fmt"
	"net/http/httptest"

	"github.com/switchboardhq/switchboard/webhooks/meta"
	"github.com/switchboardhq/switchboard/webhooks/meta/metatest"
)

// A webhook POST is authenticated by its X-Hub-Signature-256 before
// anything in it is read.
func ExampleValidSignature() {
	body := []byte(`{"object":"whatsapp_business_account","entry":[]}`)
	sig := meta.Sign("app-secret", body)
	fmt.Println(meta.ValidSignature("app-secret", body, sig))
	fmt.Println(meta.ValidSignature("another-secret", body, sig))
	// Output:
	// true
	// false
}

// One POST can carry several messages and statuses; each message becomes
// an inbound row on the thread of its sender's number.
func ExampleParse() {
	body := metatest.NewPayload("106540352242922").
		Text("16505551234", "Sheena", "wamid.1", "Do you have a table at 8?").
		ButtonReply("16505551234", "Sheena", "wamid.2", "yes", "Yes, book it").
		Audio("34600111222", "Pablo", "wamid.3", "1003383421387256").
		Status("wamid.OUT", "read", "16505551234", 0).
		Bytes()
	b, err := meta.Parse(body, meta.ParseOptions{PhoneNumberID: "106540352242922"})
	if err != nil {
		panic(err)
	}
	for _, m := range b.Messages {
		fmt.Printf("%s %s %q %v\n", m.Thread, m.ProfileName, m.Body, m.Media)
	}
	for _, s := range b.Statuses {
		fmt.Println(s.MessageID, s.Status)
	}
	// Output:
	// whatsapp:+16505551234 Sheena "Do you have a table at 8?" []
	// whatsapp:+16505551234 Sheena "Yes, book it" []
	// whatsapp:+34600111222 Pablo "" [{meta://media/1003383421387256 audio/ogg; codecs=opus}]
	// wamid.OUT read
}

// The handshake Meta makes when the webhook is configured: the challenge is
// echoed only for the right verify token.
func ExampleWebhook_Verify() {
	w := meta.NewWebhook(meta.Config{VerifyToken: "my-verify-token"}, nil, nil, nil)
	rec := httptest.NewRecorder()
	w.ServeHTTP(rec, httptest.NewRequest("GET", "/webhooks/meta?hub.mode=subscribe&hub.verify_token=my-verify-token&hub.challenge=1158201444", nil))
	fmt.Println(rec.Code, rec.Body.String())
	// Output: 200 1158201444
}
