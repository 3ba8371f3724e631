package twiliotest_test

import (
	"net/url"
	"testing"

	"github.com/twilio/twilio-go/client"

	"github.com/switchboardhq/switchboard/webhooks/twilio/twiliotest"
)

// TestSignMatchesTwiliosExample checks the signer against the example in
// Twilio's documentation, and against twilio-go's validator.
func TestSignMatchesTwiliosExample(t *testing.T) {
	const u = "https://mycompany.com/myapp.php?foo=1&bar=2"
	form := url.Values{
		"Digits":  {"1234"},
		"CallSid": {"CA1234567890ABCDE"},
		"To":      {"+18005551212"},
		"Caller":  {"+14158675309"},
		"From":    {"+14158675309"},
	}
	got := twiliotest.Sign("12345", u, form)
	if got != "RSOYDt4T1cUTdK1PDd93/VVr8B8=" {
		t.Fatalf("Sign = %s, want Twilio's published RSOYDt4T1cUTdK1PDd93/VVr8B8=", got)
	}
	v := client.NewRequestValidator("12345")
	params := map[string]string{}
	for k := range form {
		params[k] = form.Get(k)
	}
	if !v.Validate(u, params, got) {
		t.Fatal("twilio-go's validator rejects the signature")
	}
}
