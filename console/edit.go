package console

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/switchboardhq/switchboard/business"
	"github.com/switchboardhq/switchboard/business/bizstore"
)

// ProfileEditor changes the business profile and the FAQs' order. A
// Business that implements it (FrontDesk) makes the business page
// editable and the FAQs movable.
type ProfileEditor interface {
	// UpdateProfile replaces the profile (not its FAQs) with the YAML
	// document data, validated as the business file is.
	UpdateProfile(ctx context.Context, name string, data []byte) (*business.Profile, error)
	// MoveFAQ moves an FAQ one place up or down.
	MoveFAQ(ctx context.Context, id int64, up bool) error
}

// UpdateProfile implements ProfileEditor.
func (f FrontDesk) UpdateProfile(ctx context.Context, name string, data []byte) (*business.Profile, error) {
	return f.Desk.Store.UpdateProfile(ctx, name, data)
}

// MoveFAQ implements ProfileEditor.
func (f FrontDesk) MoveFAQ(ctx context.Context, id int64, up bool) error {
	return f.Desk.Store.MoveFAQ(ctx, id, up)
}

func (c *Console) editor() ProfileEditor {
	e, _ := c.cfg.Business.(ProfileEditor)
	return e
}

// profileDocument is the profile as its editor shows it: the business
// file without the FAQs, which have their own page.
func profileDocument(p *business.Profile) (string, error) {
	doc := *p
	doc.FAQs = nil
	y, err := doc.YAML()
	return string(y), err
}

func (c *Console) saveProfile(w http.ResponseWriter, r *http.Request, rq *request) {
	if c.noBusiness(w, r, rq) {
		return
	}
	ed := c.editor()
	if ed == nil {
		c.notFound(w, r)
		return
	}
	text := strings.ReplaceAll(r.PostFormValue("profile"), "\r\n", "\n")
	p, err := ed.UpdateProfile(r.Context(), "profile", []byte(text))
	var problem string
	switch {
	case errors.Is(err, bizstore.ErrFAQsInProfile):
		problem = "Leave the FAQs out of the profile: change them on the FAQs page."
	case errors.Is(err, bizstore.ErrNoProfile):
		problem = "There is no profile to change yet: import one with assistant business import FILE."
	case err != nil && isProfileError(err):
		problem = "Not saved: " + err.Error()
	case err != nil:
		c.fail(w, r, err)
		return
	}
	if problem != "" {
		cur, perr := c.cfg.Business.Profile(r.Context())
		if perr != nil {
			c.fail(w, r, perr)
			return
		}
		v, verr := c.profileData(cur)
		if verr != nil {
			c.fail(w, r, verr)
			return
		}
		v.Error, v.Draft = problem, text
		w.WriteHeader(http.StatusBadRequest)
		c.render(w, r, rq, "business", "Business", v)
		return
	}
	c.audit(r.Context(), rq.session.Account, "changed the business profile", p.Name)
	http.Redirect(w, r, Prefix+"/business?saved=1", http.StatusSeeOther)
}

// isProfileError reports whether err is the profile's fault (what the
// owner wrote), not the database's.
func isProfileError(err error) bool {
	var fe *business.FileError
	return errors.As(err, &fe)
}

func (c *Console) moveFAQ(w http.ResponseWriter, r *http.Request, rq *request) {
	if c.noBusiness(w, r, rq) {
		return
	}
	ed := c.editor()
	if ed == nil {
		c.notFound(w, r)
		return
	}
	id, err := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	dir := r.PostFormValue("dir")
	if err != nil || id <= 0 || (dir != "up" && dir != "down") {
		c.faqsPage(w, r, rq, http.StatusBadRequest, faqsView{Error: "Choose an FAQ and whether it goes up or down."})
		return
	}
	err = ed.MoveFAQ(r.Context(), id, dir == "up")
	if errors.Is(err, bizstore.ErrNotFound) {
		c.faqsPage(w, r, rq, http.StatusNotFound, faqsView{Error: "That FAQ was removed."})
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.audit(r.Context(), rq.session.Account, "moved an FAQ", "FAQ "+strconv.FormatInt(id, 10)+" "+dir)
	http.Redirect(w, r, Prefix+"/faqs", http.StatusSeeOther)
}
