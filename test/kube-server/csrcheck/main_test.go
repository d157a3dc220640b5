package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"reflect"
	"testing"
)

// bmpRequest is a PEM request whose subject is CN=alice and a BMPString O of the given UCS-2 text.
func bmpRequest(t *testing.T, org []uint16) string {
	t.Helper()
	var bmp []byte
	for _, u := range org {
		bmp = append(bmp, byte(u>>8), byte(u))
	}
	subject, err := asn1.Marshal(pkix.RDNSequence{
		{{Type: asn1.ObjectIdentifier{2, 5, 4, 10}, Value: asn1.RawValue{Tag: asn1.TagBMPString, Bytes: bmp}}},
		{{Type: asn1.ObjectIdentifier{2, 5, 4, 3}, Value: "alice"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{RawSubject: subject}, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}))
}

func TestBMPStringTerminatorIsDropped(t *testing.T) {
	text := []uint16{'s', 'y', 's', 't', 'e', 'm', ':', 'm', 'a', 's', 't', 'e', 'r', 's', 0}
	out := check(input{
		ID: "1", Request: bmpRequest(t, text), SignerName: "kubernetes.io/kube-apiserver-client",
		Usages: []string{"client auth"},
	})
	if out.ParseError != "" || len(out.CreateErrors) != 0 {
		t.Fatalf("request refused: %q %q", out.ParseError, out.CreateErrors)
	}
	if got := out.Subject.Organizations; !reflect.DeepEqual(got, []string{"system:masters"}) {
		t.Fatalf("O = %q, want [system:masters]", got)
	}
	if out.SignerError == "" {
		t.Fatal("the signer (CertificateSubjectRestriction) should refuse O=system:masters")
	}
}

func TestOddBMPStringIsRefused(t *testing.T) {
	out := check(input{ID: "1", Request: bmpRequest(t, []uint16{0xd800}), SignerName: "example.com/x", Usages: []string{"client auth"}})
	if out.ParseError == "" {
		t.Fatal("a lone surrogate in a BMPString should make crypto/x509 refuse the request")
	}
}

func TestExpirationSecondsBounds(t *testing.T) {
	req := bmpRequest(t, []uint16{'d', 'e', 'v'})
	for _, c := range []struct {
		seconds int64
		refused bool
	}{{599, true}, {600, false}, {1 << 31, true}} {
		s := c.seconds
		out := check(input{ID: "1", Request: req, SignerName: "kubernetes.io/kube-apiserver-client", Usages: []string{"client auth"}, ExpirationSeconds: &s})
		if (len(out.CreateErrors) > 0) != c.refused {
			t.Errorf("expirationSeconds %d: create errors %q, want refused=%v", s, out.CreateErrors, c.refused)
		}
	}
}

func TestAPIServerClientUsages(t *testing.T) {
	for _, c := range []struct {
		usages []string
		ok     bool
	}{
		{[]string{"client auth"}, true},
		{[]string{"digital signature", "key encipherment", "client auth"}, true},
		{[]string{"digital signature"}, false},
		{[]string{"client auth", "server auth"}, false},
	} {
		if err := apiserverClientUsages(c.usages); (err == nil) != c.ok {
			t.Errorf("%q: err %v, want ok=%v", c.usages, err, c.ok)
		}
	}
}
