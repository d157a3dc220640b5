package main

import (
	"testing"
	"time"

	capi "k8s.io/api/certificates/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestCleanerRulesFollowUpstream(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) metav1.Time { return metav1.NewTime(now.Add(-d)) }
	rules := cleanerRules{pending: 24 * time.Hour, denied: time.Hour, approved: time.Hour}
	csr := func(created time.Duration, cert bool, conds ...capi.CertificateSigningRequestCondition) *capi.CertificateSigningRequest {
		c := &capi.CertificateSigningRequest{ObjectMeta: metav1.ObjectMeta{CreationTimestamp: ago(created)}}
		c.Status.Conditions = conds
		if cert {
			c.Status.Certificate = []byte("issued")
		}
		return c
	}
	cond := func(typ capi.RequestConditionType, age time.Duration) capi.CertificateSigningRequestCondition {
		return capi.CertificateSigningRequestCondition{Type: typ, Status: "True", LastUpdateTime: ago(age)}
	}
	for _, tc := range []struct {
		name string
		csr  *capi.CertificateSigningRequest
		want string
	}{
		{"pending, young", csr(23*time.Hour, false), ""},
		{"pending, 24h+", csr(25*time.Hour, false), "pending"},
		{"denied 59m ago", csr(2*time.Hour, false, cond(capi.CertificateDenied, 59*time.Minute)), ""},
		{"denied 61m ago", csr(2*time.Hour, false, cond(capi.CertificateDenied, 61*time.Minute)), "denied or failed"},
		{"failed 61m ago", csr(2*time.Hour, false, cond(capi.CertificateApproved, 2*time.Hour), cond(capi.CertificateFailed, 61*time.Minute)), "denied or failed"},
		{"approved+issued 61m ago", csr(2*time.Hour, true, cond(capi.CertificateApproved, 61*time.Minute)), "approved and issued"},
		{"approved+issued 59m ago", csr(2*time.Hour, true, cond(capi.CertificateApproved, 59*time.Minute)), ""},
		{"approved, never issued, 2h", csr(3*time.Hour, false, cond(capi.CertificateApproved, 2*time.Hour)), ""},
		{"approved, never issued, 25h", csr(26*time.Hour, false, cond(capi.CertificateApproved, 25*time.Hour)), "approved but never issued"},
	} {
		if got := rules.expired(tc.csr, now); got != tc.want {
			t.Errorf("%s: expired() = %q, want %q", tc.name, got, tc.want)
		}
	}
}
