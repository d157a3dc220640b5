// Command kube-server runs a real, single-process Kubernetes control plane for csr-gitops tests
// and demos: embedded etcd, kube-apiserver, the kube-controller-manager CSR signers (and node
// client auto-approver), and a CSR cleaner with configurable durations. It writes one kubeconfig
// per test identity into --state-dir. It is for tests only: throw-away CA, loopback, no HA.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/client-go/kubernetes"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	// NewAPIServerCommand installs the process's SIGTERM/SIGINT handler (it may only be set up
	// once), so its context is the one everything else stops on.
	cmd := app.NewAPIServerCommand()
	ctx := cmd.Context()
	o, err := parseOptions(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "kube-server:", err)
		os.Exit(2)
	}
	if err := run(ctx, cmd, o); err != nil {
		fmt.Fprintln(os.Stderr, "kube-server:", err)
		os.Exit(1)
	}
}

type pkiFiles struct {
	dir, caCert, caKey, servingCert, servingKey, serviceAccountKey string
}

func run(ctx context.Context, cmd *cobra.Command, o options) error {
	pkiDir := filepath.Join(o.stateDir, "pki")
	if err := os.MkdirAll(pkiDir, 0o700); err != nil {
		return err
	}
	ca, err := authorityFor(pkiDir, o.keepState)
	if err != nil {
		return err
	}
	p, err := writePKI(pkiDir, ca, o.keepState)
	if err != nil {
		return err
	}
	server := fmt.Sprintf("https://127.0.0.1:%d", o.apiserverPort)
	var adminKeys keyPair
	for _, id := range identities {
		kp, err := ca.issueClient(id.user, id.groups)
		if err != nil {
			return err
		}
		if id.name == "admin" {
			adminKeys = kp
		}
		if _, err := writeKubeconfig(o.stateDir, server, ca.certPEM, kp, id); err != nil {
			return err
		}
	}
	token, err := randomToken()
	if err != nil {
		return err
	}
	if _, err := writeFile(o.stateDir, "admin-token", []byte(token)); err != nil {
		return err
	}

	dataDir, removeData, err := etcdDataDir(o)
	if err != nil {
		return err
	}
	defer removeData()
	etcd, err := startEtcd(dataDir, o.etcdClientPort, o.etcdPeerPort)
	if err != nil {
		return err
	}
	defer etcd.Close()

	if o.exitWithPid > 0 {
		go exitWithPid(ctx, o.exitWithPid)
	}

	admin := &adminServer{token: token, etcd: etcd}
	if err := admin.serve(ctx, o.adminPort); err != nil {
		return err
	}

	apiserverDone := make(chan error, 1)
	go func() { apiserverDone <- runAPIServer(cmd, apiserverArgs(o, p, o.etcdClientPort)) }()

	client, err := kubernetes.NewForConfig(restConfig(server, ca.certPEM, adminKeys))
	if err != nil {
		return err
	}
	if err := waitReady(ctx, client, apiserverDone); err != nil {
		return err
	}
	if err := applyManifests(ctx, client, o.manifests); err != nil {
		return err
	}
	if err := startControllers(ctx, client, p, o.certTTL, o.approveNodeClients); err != nil {
		return err
	}
	go runCleaner(ctx, client, o.cleaner, o.cleanerInterval)
	admin.ready.Store(true)
	klog.InfoS("kube-server ready", "apiserver", server, "stateDir", o.stateDir)

	// Run until a signal ends the apiserver (graceful shutdown), then stop etcd via defer.
	return <-apiserverDone
}

// etcdDataDir is where etcd keeps its data, and how to remove it at exit. Without --keep-state
// the data is throw-away (every start is a fresh cluster); with it, the data stays in
// <state-dir>/etcd, so the next start with the same state folder serves the same objects with
// the same uids and resourceVersions.
func etcdDataDir(o options) (string, func(), error) {
	if o.keepState {
		dir := filepath.Join(o.stateDir, "etcd")
		return dir, func() {}, os.MkdirAll(dir, 0o700)
	}
	dir, err := os.MkdirTemp("", "kube-server-etcd-")
	if err != nil {
		return "", nil, err
	}
	return dir, func() { _ = os.RemoveAll(dir) }, nil
}

// authorityFor is a fresh CA, or with keepState the CA an earlier start left in dir (a fresh one
// when there is none yet). A restarted cluster must keep its CA: clients that trusted it before
// the restart still do, and their client certificates still log in.
func authorityFor(dir string, keepState bool) (*authority, error) {
	if keepState {
		certPEM, certErr := os.ReadFile(filepath.Join(dir, "ca.crt"))
		keyPEM, keyErr := os.ReadFile(filepath.Join(dir, "ca.key"))
		if certErr == nil && keyErr == nil {
			return loadAuthority(certPEM, keyPEM)
		}
		if !errors.Is(certErr, fs.ErrNotExist) || !errors.Is(keyErr, fs.ErrNotExist) {
			return nil, fmt.Errorf("--keep-state: read the CA in %s: %w", dir, errors.Join(certErr, keyErr))
		}
	}
	return newAuthority("csr-gitops kube-server CA")
}

// serviceAccountKey is a new key, or with keepState the one an earlier start wrote.
func serviceAccountKey(dir string, keepState bool) ([]byte, error) {
	if keepState {
		key, err := os.ReadFile(filepath.Join(dir, "service-account.key"))
		if err == nil {
			return key, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	_, key, err := newKey()
	return key, err
}

func writePKI(dir string, ca *authority, keepState bool) (pkiFiles, error) {
	p := pkiFiles{dir: dir}
	serving, err := ca.issueServing()
	if err != nil {
		return p, err
	}
	saKey, err := serviceAccountKey(dir, keepState)
	if err != nil {
		return p, err
	}
	for _, f := range []struct {
		path *string
		name string
		data []byte
	}{
		{&p.caCert, "ca.crt", ca.certPEM},
		{&p.caKey, "ca.key", ca.keyPEM},
		{&p.servingCert, "apiserver.crt", serving.certPEM},
		{&p.servingKey, "apiserver.key", serving.keyPEM},
		{&p.serviceAccountKey, "service-account.key", saKey},
	} {
		if *f.path, err = writeFile(dir, f.name, f.data); err != nil {
			return p, err
		}
	}
	return p, nil
}

// waitReady polls the apiserver's /readyz (which includes the RBAC bootstrap roles) until it
// answers ok, the apiserver exits, or two minutes pass.
func waitReady(ctx context.Context, c kubernetes.Interface, apiserverDone <-chan error) error {
	deadline := time.After(2 * time.Minute)
	for {
		body, err := c.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
		if err == nil && string(body) == "ok" {
			return nil
		}
		select {
		case err := <-apiserverDone:
			return fmt.Errorf("kube-apiserver exited before it was ready: %w", err)
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline:
			return fmt.Errorf("kube-apiserver not ready after 2 minutes (last: %v)", err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func randomToken() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}
