package main

import (
	"fmt"
	"strconv"

	"github.com/spf13/cobra"
)

// apiserverArgs are the kube-apiserver flags: loopback only, client-certificate users, Node and
// RBAC authorization, and the default admission plugins (which include CertificateApproval,
// CertificateSigning and CertificateSubjectRestriction, the ones the CSR tests depend on).
func apiserverArgs(o options, p pkiFiles, etcdClientPort int) []string {
	return []string{
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		// The endpoint reconcilers refuse a loopback advertise address; with one apiserver and
		// no pods there is no "kubernetes" Service endpoint to keep up to date anyway.
		"--endpoint-reconciler-type=none",
		"--secure-port=" + strconv.Itoa(o.apiserverPort),
		"--etcd-servers=" + fmt.Sprintf("http://127.0.0.1:%d", etcdClientPort),
		"--cert-dir=" + p.dir,
		"--tls-cert-file=" + p.servingCert,
		"--tls-private-key-file=" + p.servingKey,
		"--client-ca-file=" + p.caCert,
		"--authorization-mode=Node,RBAC",
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=" + p.serviceAccountKey,
		"--service-account-signing-key-file=" + p.serviceAccountKey,
		"--service-cluster-ip-range=10.0.0.0/24",
		// No pods run here, so the ServiceAccount admission plugin (which wants a token
		// controller) has nothing to do; the CSR plugins stay on.
		"--disable-admission-plugins=ServiceAccount",
		// Watches end after min..2*min seconds; a short value lets tests see the server close
		// a watch and the client resume it.
		"--min-request-timeout=" + strconv.Itoa(o.minRequestTimeout),
		// No watch cache for CSRs: watches then read etcd directly, so compacting etcd really
		// makes an old resourceVersion answer 410 Gone (the cache would hide the compaction).
		"--watch-cache-sizes=certificatesigningrequests.certificates.k8s.io#0",
		// The apiserver's own periodic compaction would race with the tests' explicit one.
		"--etcd-compaction-interval=0",
		"--profiling=false",
		"--v=" + strconv.Itoa(o.verbosity),
	}
}

// runAPIServer runs kube-apiserver until its context (the process's signal context) ends.
func runAPIServer(cmd *cobra.Command, args []string) error {
	cmd.SetArgs(args)
	return cmd.Execute()
}
