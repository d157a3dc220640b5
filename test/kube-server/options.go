package main

import (
	"errors"
	"flag"
	"strings"
	"time"
)

type options struct {
	stateDir           string
	apiserverPort      int
	etcdClientPort     int
	etcdPeerPort       int
	adminPort          int
	minRequestTimeout  int
	verbosity          int
	manifests          []string
	certTTL            time.Duration
	approveNodeClients bool
	cleaner            cleanerRules
	cleanerInterval    time.Duration
	exitWithPid        int
	keepState          bool
}

type manifestList []string

func (m *manifestList) String() string     { return strings.Join(*m, ",") }
func (m *manifestList) Set(v string) error { *m = append(*m, v); return nil }

func parseOptions(args []string) (options, error) {
	var o options
	var manifests manifestList
	fs := flag.NewFlagSet("kube-server", flag.ContinueOnError)
	fs.StringVar(&o.stateDir, "state-dir", "", "folder for the CA, kubeconfigs and admin token (required)")
	fs.IntVar(&o.apiserverPort, "apiserver-port", 0, "kube-apiserver HTTPS port on 127.0.0.1 (required)")
	fs.IntVar(&o.etcdClientPort, "etcd-client-port", 0, "etcd client port on 127.0.0.1 (required)")
	fs.IntVar(&o.etcdPeerPort, "etcd-peer-port", 0, "etcd peer port on 127.0.0.1 (required)")
	fs.IntVar(&o.adminPort, "admin-port", 0, "admin HTTP port on 127.0.0.1: /readyz, POST /compact (required)")
	fs.IntVar(&o.minRequestTimeout, "min-request-timeout", 1800, "seconds; the apiserver ends watches after 1-2x this")
	fs.IntVar(&o.verbosity, "v", 0, "log verbosity")
	fs.Var(&manifests, "manifest", "YAML file of Namespace/ServiceAccount/RBAC objects to create at start (repeatable)")
	fs.DurationVar(&o.certTTL, "cert-ttl", 365*24*time.Hour, "lifetime of certificates the signers issue (KCM --cluster-signing-duration)")
	fs.BoolVar(&o.approveNodeClients, "approve-node-client-csrs", true, "run KCM's approver for nodes' kube-apiserver-client-kubelet CSRs")
	fs.DurationVar(&o.cleaner.pending, "csr-pending-expiration", 24*time.Hour, "delete pending (and approved-unissued) CSRs after this")
	fs.DurationVar(&o.cleaner.denied, "csr-denied-expiration", time.Hour, "delete denied or failed CSRs this long after the condition")
	fs.DurationVar(&o.cleaner.approved, "csr-approved-expiration", time.Hour, "delete approved and issued CSRs this long after approval")
	fs.DurationVar(&o.cleanerInterval, "csr-cleaner-interval", time.Hour, "how often the CSR cleaner runs")
	fs.IntVar(&o.exitWithPid, "exit-with-pid", 0, "shut down when this process exits (the test runner's pid)")
	fs.BoolVar(&o.keepState, "keep-state", false, "keep the CA, service-account key and etcd data in --state-dir and reuse them at the next start (a restart of the same cluster)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	o.manifests = manifests
	if o.stateDir == "" || o.apiserverPort == 0 || o.etcdClientPort == 0 || o.etcdPeerPort == 0 || o.adminPort == 0 {
		return o, errors.New("--state-dir, --apiserver-port, --etcd-client-port, --etcd-peer-port and --admin-port are required")
	}
	return o, nil
}
