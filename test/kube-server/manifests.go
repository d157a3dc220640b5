package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
)

// applyManifests creates the RBAC objects of the given YAML files (the project's shipped
// ClusterRole and the test-only bindings). Only the kinds RBAC needs are accepted, so a typo in
// a manifest fails the start instead of silently granting nothing. Namespaces named by
// namespaced objects are created first.
func applyManifests(ctx context.Context, c kubernetes.Interface, paths []string) error {
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("read manifest: %w", err)
		}
		reader := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
		for {
			doc, err := reader.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			if len(bytes.TrimSpace(doc)) == 0 {
				continue
			}
			obj, _, err := scheme.Codecs.UniversalDeserializer().Decode(doc, nil, nil)
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			if err := create(ctx, c, obj); err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
		}
	}
	return nil
}

func create(ctx context.Context, c kubernetes.Interface, obj any) error {
	var err error
	opts := metav1.CreateOptions{}
	switch o := obj.(type) {
	case *corev1.Namespace:
		_, err = c.CoreV1().Namespaces().Create(ctx, o, opts)
	case *rbacv1.ClusterRole:
		_, err = c.RbacV1().ClusterRoles().Create(ctx, o, opts)
	case *rbacv1.ClusterRoleBinding:
		_, err = c.RbacV1().ClusterRoleBindings().Create(ctx, o, opts)
	case *rbacv1.Role:
		if err = ensureNamespace(ctx, c, o.Namespace); err == nil {
			_, err = c.RbacV1().Roles(o.Namespace).Create(ctx, o, opts)
		}
	case *rbacv1.RoleBinding:
		if err = ensureNamespace(ctx, c, o.Namespace); err == nil {
			_, err = c.RbacV1().RoleBindings(o.Namespace).Create(ctx, o, opts)
		}
	case *corev1.ServiceAccount:
		if err = ensureNamespace(ctx, c, o.Namespace); err == nil {
			_, err = c.CoreV1().ServiceAccounts(o.Namespace).Create(ctx, o, opts)
		}
	default:
		return fmt.Errorf("unsupported manifest kind %T (only Namespace, ServiceAccount and RBAC objects)", obj)
	}
	if apierrors.IsAlreadyExists(err) {
		return nil
	}
	return err
}

func ensureNamespace(ctx context.Context, c kubernetes.Interface, name string) error {
	if name == "" {
		return errors.New("namespaced manifest without metadata.namespace")
	}
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}
	_, err := c.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		return nil
	}
	return err
}
