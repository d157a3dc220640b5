package main

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
)

// adminServer is a small loopback HTTP endpoint for the launcher and the tests: /readyz says
// whether the whole server (apiserver, RBAC manifests, controllers, kubeconfigs) is ready, and
// POST /compact compacts etcd, which the apiserver cannot be asked to do. Requests need the
// bearer token the server writes to its state folder, so other local users cannot drive it.
type adminServer struct {
	token string
	etcd  *embed.Etcd
	ready atomic.Bool
}

func (a *adminServer) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		if !a.ready.Load() {
			http.Error(w, "starting", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok"))
	})
	mux.HandleFunc("POST /compact", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
		defer cancel()
		rev, err := compactEtcd(ctx, a.etcd)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"revision": strconv.FormatInt(rev, 10)})
	})
	return a.requireToken(mux)
}

func (a *adminServer) requireToken(next http.Handler) http.Handler {
	want := []byte("Bearer " + a.token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// /readyz stays open: it reveals nothing and the launcher polls it before reading files.
		got := []byte(r.Header.Get("Authorization"))
		if r.URL.Path != "/readyz" && subtle.ConstantTimeCompare(got, want) != 1 {
			http.Error(w, "missing or wrong admin token", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (a *adminServer) serve(ctx context.Context, port int) error {
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return fmt.Errorf("admin endpoint: %w", err)
	}
	srv := &http.Server{Handler: a.handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	go func() { _ = srv.Serve(ln) }()
	return nil
}
