// Command csrbench is the Go reference for `npm run bench`: the path a Go approver takes for each
// CSR (base64 of spec.request, pem.Decode, x509.ParseCertificateRequest, CheckSignature, a simple
// policy), standard library only, timed over the exact corpus the TypeScript benchmark uses.
//
// Usage: csrbench CORPUS. CORPUS holds one CSR a line: its key type, a space, and spec.request
// (the base64 of the PEM, as a Kubernetes object carries it). Commands come one a line on stdin,
// so the caller can interleave Go passes with its own:
//
//	pass   time one pass over the whole corpus; answers {"csrsPerSecond", "microsecondsByKey", "allowed"}
//	floor  time CheckSignature alone per key type; answers {"microsecondsByKey"}
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
	"time"
)

type sample struct {
	key     string
	request string
}

type passResult struct {
	CSRsPerSecond     float64            `json:"csrsPerSecond"`
	MicrosecondsByKey map[string]float64 `json:"microsecondsByKey"`
	Allowed           int                `json:"allowed"`
}

type floorResult struct {
	MicrosecondsByKey map[string]float64 `json:"microsecondsByKey"`
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

func pass(corpus []sample) passResult {
	totals := map[string]time.Duration{}
	counts := map[string]int{}
	allowedCount := 0
	started := time.Now()
	for _, s := range corpus {
		t0 := time.Now()
		csr, err := parse(s.request)
		ok := err == nil && allowed(csr)
		totals[s.key] += time.Since(t0)
		counts[s.key]++
		if ok {
			allowedCount++
		}
	}
	elapsed := time.Since(started)
	perKey := map[string]float64{}
	for key, total := range totals {
		perKey[key] = float64(total.Nanoseconds()) / 1000 / float64(counts[key])
	}
	return passResult{
		CSRsPerSecond:     float64(len(corpus)) / elapsed.Seconds(),
		MicrosecondsByKey: perKey,
		Allowed:           allowedCount,
	}
}

// floor times CheckSignature alone, on requests parsed beforehand: Go's verification cost.
func floor(corpus []sample) (floorResult, error) {
	parsed := make([]*x509.CertificateRequest, len(corpus))
	for i, s := range corpus {
		csr, err := parse(s.request)
		if err != nil {
			return floorResult{}, err
		}
		parsed[i] = csr
	}
	totals := map[string]time.Duration{}
	counts := map[string]int{}
	for i, s := range corpus {
		t0 := time.Now()
		if err := parsed[i].CheckSignature(); err != nil {
			return floorResult{}, err
		}
		totals[s.key] += time.Since(t0)
		counts[s.key]++
	}
	perKey := map[string]float64{}
	for key, total := range totals {
		perKey[key] = float64(total.Nanoseconds()) / 1000 / float64(counts[key])
	}
	return floorResult{MicrosecondsByKey: perKey}, nil
}

func run() error {
	if len(os.Args) != 2 {
		return fmt.Errorf("usage: csrbench CORPUS")
	}
	corpus, err := readCorpus(os.Args[1])
	if err != nil {
		return err
	}
	out := json.NewEncoder(os.Stdout)
	commands := bufio.NewScanner(os.Stdin)
	for commands.Scan() {
		switch command := commands.Text(); command {
		case "pass":
			if err := out.Encode(pass(corpus)); err != nil {
				return err
			}
		case "floor":
			result, err := floor(corpus)
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
