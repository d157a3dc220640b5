// Command csrcheck reads CertificateSigningRequests the way Kubernetes does, so the TypeScript
// tests can compare their own decoder and policy verdicts with the real thing: Go's crypto/x509
// parser, the apiserver's create-time validation and the kube-controller-manager signer rules.
//
// Input: one JSON object a line on stdin (id, PEM request, signerName, usages, expirationSeconds).
// Output: one JSON object a line on stdout, in the same order.
package main

import (
	"bufio"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"math"
	"os"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/kubernetes/pkg/apis/certificates"
	"k8s.io/kubernetes/pkg/apis/certificates/validation"
)

type input struct {
	ID                string   `json:"id"`
	Request           string   `json:"request"`
	SignerName        string   `json:"signerName"`
	Usages            []string `json:"usages"`
	ExpirationSeconds *int64   `json:"expirationSeconds"`
}

type subject struct {
	CommonName          string   `json:"commonName"`
	Organizations       []string `json:"organizations"`
	OrganizationalUnits []string `json:"organizationalUnits"`
}

type output struct {
	ID string `json:"id"`
	// ParseError is crypto/x509's refusal of the request ("" when it parses).
	ParseError string `json:"parseError"`
	// CreateErrors are the apiserver's create-time validation errors for the object.
	CreateErrors []string `json:"createErrors"`
	// SignerError is the signer's refusal of an approved request ("" when it would sign).
	SignerError    string   `json:"signerError"`
	Subject        *subject `json:"subject,omitempty"`
	DNSNames       []string `json:"dnsNames"`
	EmailAddresses []string `json:"emailAddresses"`
	IPAddresses    []string `json:"ipAddresses"`
	URIs           []string `json:"uris"`
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// apiserverClientUsages is the kube-apiserver-client signer's usage rule
// (pkg/controller/certificates/signer validAPIServerClientUsages, unexported there).
func apiserverClientUsages(usages []string) error {
	hasClientAuth := false
	for _, u := range usages {
		switch u {
		case "digital signature", "key encipherment":
		case "client auth":
			hasClientAuth = true
		default:
			return fmt.Errorf("invalid usage for client certificate: %s", u)
		}
	}
	if !hasClientAuth {
		return fmt.Errorf("missing required usage for client certificate: client auth")
	}
	return nil
}

func signerError(req *x509.CertificateRequest, in input) string {
	usages := sets.NewString(in.Usages...)
	var err error
	switch in.SignerName {
	case certificates.KubeletServingSignerName:
		err = certificates.ValidateKubeletServingCSR(req, usages)
	case certificates.KubeAPIServerClientKubeletSignerName:
		err = certificates.ValidateKubeletClientCSR(req, usages)
	case certificates.KubeAPIServerClientSignerName:
		err = apiserverClientUsages(in.Usages)
		// The CertificateSubjectRestriction admission plugin, at create time.
		for _, o := range req.Subject.Organization {
			if err == nil && o == "system:masters" {
				err = fmt.Errorf("use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed")
			}
		}
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

func check(in input) output {
	out := output{ID: in.ID, CreateErrors: []string{}}
	obj := &certificates.CertificateSigningRequest{
		ObjectMeta: metav1.ObjectMeta{Name: "csrcheck"},
		Spec: certificates.CertificateSigningRequestSpec{
			Request:    []byte(in.Request),
			SignerName: in.SignerName,
		},
	}
	for _, u := range in.Usages {
		obj.Spec.Usages = append(obj.Spec.Usages, certificates.KeyUsage(u))
	}
	if e := in.ExpirationSeconds; e != nil {
		if *e < math.MinInt32 || *e > math.MaxInt32 {
			out.CreateErrors = append(out.CreateErrors, "spec.expirationSeconds: does not fit an int32")
		} else {
			v := int32(*e)
			obj.Spec.ExpirationSeconds = &v
		}
	}
	for _, e := range validation.ValidateCertificateSigningRequestCreate(obj) {
		out.CreateErrors = append(out.CreateErrors, e.Error())
	}
	req, err := certificates.ParseCSR(obj.Spec.Request)
	if err != nil {
		out.ParseError = err.Error()
		return out
	}
	out.Subject = &subject{
		CommonName:          req.Subject.CommonName,
		Organizations:       nonNil(req.Subject.Organization),
		OrganizationalUnits: nonNil(req.Subject.OrganizationalUnit),
	}
	out.DNSNames = nonNil(req.DNSNames)
	out.EmailAddresses = nonNil(req.EmailAddresses)
	for _, ip := range req.IPAddresses {
		out.IPAddresses = append(out.IPAddresses, ip.String())
	}
	out.IPAddresses = nonNil(out.IPAddresses)
	for _, u := range req.URIs {
		out.URIs = append(out.URIs, u.String())
	}
	out.URIs = nonNil(out.URIs)
	out.SignerError = signerError(req, in)
	return out
}

func main() {
	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 1<<20), 16<<20)
	encoder := json.NewEncoder(os.Stdout)
	for scanner.Scan() {
		var in input
		if err := json.Unmarshal(scanner.Bytes(), &in); err != nil {
			fmt.Fprintln(os.Stderr, "csrcheck: bad input line:", err)
			os.Exit(2)
		}
		if err := encoder.Encode(check(in)); err != nil {
			fmt.Fprintln(os.Stderr, "csrcheck:", err)
			os.Exit(2)
		}
	}
	if err := scanner.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "csrcheck:", err)
		os.Exit(2)
	}
}
