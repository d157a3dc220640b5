// Command csrbench is the Go reference for `npm run bench`: the path a Go approver takes for each
// CSR (base64 of spec.request, pem.Decode, x509.ParseCertificateRequest, CheckSignature, a simple
// policy), standard library only, timed over the exact corpus the TypeScript benchmark uses.
//
// Usage: csrbench CORPUS. CORPUS holds one CSR a line: its key type, a space, and spec.request
// (the base64 of the PEM, as a Kubernetes object carries it). Commands come one a line on stdin,
// so the caller can interleave Go passes with its own:
//
//	pass   one pass over the whole corpus, key type by key type; answers wall and CPU CSRs/s,
//	       CPU µs per CSR by key type and the number allowed
//	floor  CheckSignature alone per key type; answers CPU µs per verification by key type
//
// Run it with GOMAXPROCS=1 to compare with one Node.js thread.
package main

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"
)

type sample struct {
	key     string
	request string
}

type passResult struct {
	// CSRsPerSecond is wall-clock throughput; CPUCSRsPerSecond counts this process's CPU time
	// (user + system, every thread), which a loaded machine disturbs much less.
	CSRsPerSecond    float64 `json:"csrsPerSecond"`
	CPUCSRsPerSecond float64 `json:"cpuCsrsPerSecond"`
	// CPUMicrosecondsByKey is the CPU time per CSR of each key type (the pass goes key type by key
	// type, in the corpus's order within each).
	CPUMicrosecondsByKey map[string]float64 `json:"cpuMicrosecondsByKey"`
	Allowed              int                `json:"allowed"`
}

type floorResult struct {
	CPUMicrosecondsByKey map[string]float64 `json:"cpuMicrosecondsByKey"`
}

func readCorpus(path string) ([]sample, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var corpus []sample
	for line := range bytes.Lines(data) {
		key, request, found := strings.Cut(strings.TrimSpace(string(line)), " ")
		if !found {
			return nil, fmt.Errorf("corpus line without a key type: %q", line)
		}
		corpus = append(corpus, sample{key: key, request: request})
	}
	if len(corpus) == 0 {
		return nil, fmt.Errorf("empty corpus %s", path)
	}
	return corpus, nil
}

// parse is the decoding half of the approver's path; any error refuses the CSR.
func parse(request string) (*x509.CertificateRequest, error) {
	pemBytes, err := base64.StdEncoding.DecodeString(request)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(pemBytes)
	if block == nil || block.Type != "CERTIFICATE REQUEST" {
		return nil, fmt.Errorf("not a CERTIFICATE REQUEST PEM block")
	}
	return x509.ParseCertificateRequest(block.Bytes)
}

// allowed is a simple approver policy: a valid signature, an accepted key, node identities only in
// system:nodes, nobody in system:masters, no URI or email SANs, IP SANs only for nodes, and no CA.
func allowed(csr *x509.CertificateRequest) bool {
	if csr.CheckSignature() != nil {
		return false
	}
	switch key := csr.PublicKey.(type) {
	case *rsa.PublicKey:
		if key.N.BitLen() < 2048 {
			return false
		}
	case *ecdsa.PublicKey:
		if key.Curve != elliptic.P256() && key.Curve != elliptic.P384() {
			return false
		}
	case ed25519.PublicKey:
	default:
		return false
	}
	cn := csr.Subject.CommonName
	if cn == "" {
		return false
	}
	for _, o := range csr.Subject.Organization {
		if o == "system:masters" {
			return false
		}
	}
	node := strings.HasPrefix(cn, "system:node:")
	if node && (len(csr.Subject.Organization) != 1 || csr.Subject.Organization[0] != "system:nodes") {
		return false
	}
	if len(csr.URIs) > 0 || len(csr.EmailAddresses) > 0 || (!node && len(csr.IPAddresses) > 0) {
		return false
	}
	for _, name := range csr.DNSNames {
		if name == "" || strings.ToLower(name) != name {
			return false
		}
	}
	for _, ext := range csr.Extensions {
		if ext.Id.Equal([]int{2, 5, 29, 19}) {
			return false
		}
	}
	return true
}

// cpuTime is the CPU time this process has used so far (user + system, all threads).
func cpuTime() time.Duration {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		panic(err)
	}
	return time.Duration(usage.Utime.Nano() + usage.Stime.Nano())
}

// byKey groups the corpus by key type, key types in order of first appearance.
func byKey(corpus []sample) [][]sample {
	index := map[string]int{}
	var groups [][]sample
	for _, s := range corpus {
		i, found := index[s.key]
		if !found {
			i = len(groups)
			index[s.key] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], s)
	}
	return groups
}

func pass(groups [][]sample) passResult {
	perKey := map[string]float64{}
	allowedCount, total := 0, 0
	started, startedCPU := time.Now(), cpuTime()
	for _, group := range groups {
		groupCPU := cpuTime()
		for _, s := range group {
			csr, err := parse(s.request)
			if err == nil && allowed(csr) {
				allowedCount++
			}
		}
		perKey[group[0].key] = float64((cpuTime() - groupCPU).Nanoseconds()) / 1000 / float64(len(group))
		total += len(group)
	}
	return passResult{
		CSRsPerSecond:        float64(total) / time.Since(started).Seconds(),
		CPUCSRsPerSecond:     float64(total) / (cpuTime() - startedCPU).Seconds(),
		CPUMicrosecondsByKey: perKey,
		Allowed:              allowedCount,
	}
}

// floor times CheckSignature alone (CPU time), on requests parsed beforehand: Go's verification
// cost per key type.
func floor(groups [][]sample) (floorResult, error) {
	perKey := map[string]float64{}
	for _, group := range groups {
		parsed := make([]*x509.CertificateRequest, len(group))
		for i, s := range group {
			csr, err := parse(s.request)
			if err != nil {
				return floorResult{}, err
			}
			parsed[i] = csr
		}
		started := cpuTime()
		for _, csr := range parsed {
			if err := csr.CheckSignature(); err != nil {
				return floorResult{}, err
			}
		}
		perKey[group[0].key] = float64((cpuTime() - started).Nanoseconds()) / 1000 / float64(len(group))
	}
	return floorResult{CPUMicrosecondsByKey: perKey}, nil
}

func run() error {
	if len(os.Args) != 2 {
		return fmt.Errorf("usage: csrbench CORPUS")
	}
	corpus, err := readCorpus(os.Args[1])
	if err != nil {
		return err
	}
	groups := byKey(corpus)
	out := json.NewEncoder(os.Stdout)
	commands := bufio.NewScanner(os.Stdin)
	for commands.Scan() {
		switch command := commands.Text(); command {
		case "pass":
			if err := out.Encode(pass(groups)); err != nil {
				return err
			}
		case "floor":
			result, err := floor(groups)
			if err != nil {
				return err
			}
			if err := out.Encode(result); err != nil {
				return err
			}
		default:
			return fmt.Errorf("unknown command %q", command)
		}
	}
	return commands.Err()
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "csrbench:", err)
		os.Exit(1)
	}
}
