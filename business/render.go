package business

import (
	"fmt"

	"github.com/goccy/go-yaml"
)

// fileShape is a business file as YAML() writes it: the shape Parse reads.
type fileShape struct {
	Name        string         `yaml:"name"`
	Category    string         `yaml:"category,omitempty"`
	Description string         `yaml:"description,omitempty"`
	Address     string         `yaml:"address,omitempty"`
	Phone       string         `yaml:"phone,omitempty"`
	Website     string         `yaml:"website,omitempty"`
	Timezone    string         `yaml:"timezone"`
	Languages   []string       `yaml:"languages,omitempty"`
	Greeting    string         `yaml:"greeting,omitempty"`
	Hours       yaml.MapSlice  `yaml:"hours"`
	Closed      []string       `yaml:"closed,omitempty"`
	Booking     bookingShape   `yaml:"booking"`
	Services    []serviceShape `yaml:"services,omitempty"`
	FAQs        []faqShape     `yaml:"faqs,omitempty"`
}

type bookingShape struct {
	MinNotice string `yaml:"min_notice"`
	Horizon   string `yaml:"horizon"`
	Duration  string `yaml:"duration"`
	Capacity  int    `yaml:"capacity"`
	SlotStep  string `yaml:"slot_step"`
}

type serviceShape struct {
	Name        string `yaml:"name"`
	Duration    string `yaml:"duration"`
	Capacity    int    `yaml:"capacity"`
	Price       string `yaml:"price,omitempty"`
	Description string `yaml:"description,omitempty"`
}

type faqShape struct {
	Q string `yaml:"q"`
	A string `yaml:"a"`
}

// YAML writes the profile as a business file that Parse reads back to an
// equal profile: what `assistant business show` prints, and what a store
// keeps.
func (p *Profile) YAML() ([]byte, error) {
	f := fileShape{
		Name: p.Name, Category: p.Category, Description: p.Description, Address: p.Address,
		Phone: p.Phone, Website: p.Website, Timezone: p.Location.String(), Languages: p.Languages,
		Greeting: p.Greeting,
		Booking: bookingShape{
			MinNotice: FormatDuration(p.Booking.MinNotice), Horizon: FormatDuration(p.Booking.Horizon),
			Duration: FormatDuration(p.Booking.Duration), Capacity: p.Booking.Capacity,
			SlotStep: FormatDuration(p.Booking.SlotStep),
		},
	}
	for _, wd := range mondayFirst {
		ranges := []string{}
		for _, r := range p.Hours[wd] {
			ranges = append(ranges, r.String())
		}
		f.Hours = append(f.Hours, yaml.MapItem{Key: weekdayKeys[wd], Value: ranges})
	}
	for _, d := range p.Closed {
		f.Closed = append(f.Closed, d.String())
	}
	for _, s := range p.Services {
		f.Services = append(f.Services, serviceShape{Name: s.Name, Duration: FormatDuration(s.Duration), Capacity: s.Capacity, Price: s.Price, Description: s.Description})
	}
	for _, q := range p.FAQs {
		f.FAQs = append(f.FAQs, faqShape(q))
	}
	out, err := yaml.MarshalWithOptions(f, yaml.Flow(false))
	if err != nil {
		return nil, fmt.Errorf("business: writing the profile: %w", err)
	}
	return out, nil
}
