package main

import (
	"fmt"
	"path/filepath"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// identity is one user of the test cluster. Each gets a client certificate from the CA and its
// own kubeconfig, so a test acts as exactly one principal.
type identity struct {
	name   string // kubeconfig file is <name>.kubeconfig
	user   string
	groups []string
}

var identities = []identity{
	// Cluster admin: system:masters bypasses authorization. Never use it for "forbidden" tests.
	{name: "admin", user: "kube-server-admin", groups: []string{"system:masters"}},
	// The csr-gitops app: only the project's ClusterRole (deploy/clusterrole.yaml) applies.
	{name: "app", user: "csr-gitops"},
	// A kubelet: the Node authorizer lets it create and read CSRs.
	{name: "node", user: "system:node:worker-1", groups: []string{"system:nodes"}},
	// An ordinary user with no rights beyond what a test grants.
	{name: "user", user: "alice"},
}

func writeKubeconfig(dir, server string, caPEM []byte, kp keyPair, id identity) (string, error) {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["kube-server"] = &clientcmdapi.Cluster{Server: server, CertificateAuthorityData: caPEM}
	cfg.AuthInfos[id.name] = &clientcmdapi.AuthInfo{ClientCertificateData: kp.certPEM, ClientKeyData: kp.keyPEM}
	cfg.Contexts[id.name] = &clientcmdapi.Context{Cluster: "kube-server", AuthInfo: id.name}
	cfg.CurrentContext = id.name
	path := filepath.Join(dir, id.name+".kubeconfig")
	if err := clientcmd.WriteToFile(*cfg, path); err != nil {
		return "", fmt.Errorf("write kubeconfig: %w", err)
	}
	return path, nil
}

func restConfig(server string, caPEM []byte, kp keyPair) *rest.Config {
	return &rest.Config{
		Host: server,
		TLSClientConfig: rest.TLSClientConfig{
			CAData:   caPEM,
			CertData: kp.certPEM,
			KeyData:  kp.keyPEM,
		},
		QPS:   50,
		Burst: 100,
	}
}
