package main

import (
	"context"
	"fmt"
	"time"

	"k8s.io/client-go/informers"
	certificatesinformers "k8s.io/client-go/informers/certificates/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/kubernetes/pkg/controller/certificates/approver"
	"k8s.io/kubernetes/pkg/controller/certificates/signer"
)

// startControllers runs the parts of kube-controller-manager the CSR flow needs: the signers
// for the three kubernetes.io signers the project approves for (so an approved CSR really gets
// a certificate from the server's CA) and, optionally, the approver that auto-approves nodes'
// own kube-apiserver-client-kubelet renewals, as a kubeadm cluster does.
func startControllers(ctx context.Context, c kubernetes.Interface, p pkiFiles, certTTL time.Duration, approveNodeClients bool) error {
	factory := informers.NewSharedInformerFactory(c, 0)
	csrs := factory.Certificates().V1().CertificateSigningRequests()

	type newSigner func(context.Context, kubernetes.Interface, certificatesinformers.CertificateSigningRequestInformer, string, string, time.Duration) (*signer.CSRSigningController, error)
	for _, mk := range []newSigner{
		signer.NewKubeletServingCSRSigningController,
		signer.NewKubeletClientCSRSigningController,
		signer.NewKubeAPIServerClientCSRSigningController,
	} {
		s, err := mk(ctx, c, csrs, p.caCert, p.caKey, certTTL)
		if err != nil {
			return fmt.Errorf("csr signer: %w", err)
		}
		go s.Run(ctx, 1)
	}
	if approveNodeClients {
		go approver.NewCSRApprovingController(ctx, c, csrs).Run(ctx, 1)
	}
	factory.Start(ctx.Done())
	return nil
}
