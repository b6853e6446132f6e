package notify

import (
	"testing"
)

func TestSmoke(t *testing.T) {
	res := result(t, membersRows(), issuesRows())
	t.Log(codes(res.Findings))
	for _, f := range res.Findings {
		t.Logf("%+v", f)
	}
	dg, _ := Compare(nil, Run{Date: "2026-01-02", Summary: res.Summary, Findings: res.Findings})
	c, err := NewComposer(Config{Subject: "[copsync]", CommunityEN: "Service Centre Community of Practice", CommunityFR: "Communauté de pratique du centre de services"}, catalogue(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	e, err := c.Compose(Input{Date: "2026-01-02", Result: res, Digest: dg})
	if err != nil {
		t.Fatal(err)
	}
	t.Log(e.Subject)
	t.Log("\n" + e.Text)
	t.Log("\n" + e.HTML)
}
