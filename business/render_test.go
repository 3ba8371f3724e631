package business_test

import (
	"reflect"
	"testing"

	"github.com/switchboardhq/switchboard/business"
)

func TestYAMLRoundTrip(t *testing.T) {
	p := loadExample(t)
	out, err := p.YAML()
	if err != nil {
		t.Fatal(err)
	}
	back, err := business.Parse("rendered.yaml", out)
	if err != nil {
		t.Fatalf("Parse(YAML()): %v\n%s", err, out)
	}
	if back.Location.String() != p.Location.String() {
		t.Errorf("zone %s, want %s", back.Location, p.Location)
	}
	back.Location, p.Location = nil, nil
	if !reflect.DeepEqual(back, p) {
		t.Errorf("round trip changed the profile:\n got %+v\nwant %+v\n%s", back, p, out)
	}
}
