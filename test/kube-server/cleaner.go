package main

import (
	"context"
	"time"

	capi "k8s.io/api/certificates/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"
	"k8s.io/klog/v2"
)

// cleanerRules are the garbage-collection durations of kube-controller-manager's CSR cleaner
// (pkg/controller/certificates/cleaner). Upstream they are fixed constants and the loop runs
// hourly; here they are flags so tests can watch a CSR disappear within seconds.
type cleanerRules struct {
	pending  time.Duration // pending, and approved but never issued: after creation / approval
	denied   time.Duration // denied or failed: after the condition
	approved time.Duration // approved and issued: after approval
}

// expired reports why a CSR is due for deletion, or "" when it is not, following upstream:
// pending past pendingExpiration; denied/failed past deniedExpiration; approved+issued past
// approvedExpiration; approved+unissued past pendingExpiration. (Upstream also drops CSRs whose
// issued certificate has expired; with one-hour-plus certificates that never matters in tests.)
func (r cleanerRules) expired(csr *capi.CertificateSigningRequest, now time.Time) string {
	older := func(t metav1.Time, d time.Duration) bool { return !t.IsZero() && now.Sub(t.Time) > d }
	issued := len(csr.Status.Certificate) > 0
	if len(csr.Status.Conditions) == 0 && older(csr.CreationTimestamp, r.pending) {
		return "pending"
	}
	for _, c := range csr.Status.Conditions {
		switch c.Type {
		case capi.CertificateDenied, capi.CertificateFailed:
			if older(c.LastUpdateTime, r.denied) {
				return "denied or failed"
			}
		case capi.CertificateApproved:
			if issued && older(c.LastUpdateTime, r.approved) {
				return "approved and issued"
			}
			if !issued && older(c.LastUpdateTime, r.pending) {
				return "approved but never issued"
			}
		}
	}
	return ""
}

// runCleaner applies the rules every interval until ctx ends. It deletes with a UID
// precondition so that a CSR re-created under the same name in between is left alone.
func runCleaner(ctx context.Context, c kubernetes.Interface, rules cleanerRules, interval time.Duration) {
	logger := klog.FromContext(ctx).WithName("csr-cleaner")
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		list, err := c.CertificatesV1().CertificateSigningRequests().List(ctx, metav1.ListOptions{})
		if err != nil {
			logger.Error(err, "list CSRs")
			continue
		}
		now := time.Now()
		for i := range list.Items {
			csr := &list.Items[i]
			why := rules.expired(csr, now)
			if why == "" {
				continue
			}
			uid := types.UID(csr.UID)
			err := c.CertificatesV1().CertificateSigningRequests().Delete(ctx, csr.Name,
				metav1.DeleteOptions{Preconditions: &metav1.Preconditions{UID: &uid}})
			if err != nil {
				logger.Error(err, "delete CSR", "csr", csr.Name)
				continue
			}
			logger.Info("Deleted CSR", "csr", csr.Name, "reason", why)
		}
	}
}
