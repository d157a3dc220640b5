package main

import (
	"context"
	"errors"
	"os"
	"syscall"
	"time"

	"k8s.io/klog/v2"
)

// exitWithPid stops this server when process pid is gone: a test runner that dies without its
// teardown (killed, crashed) must not leave a control plane behind. It signals itself SIGTERM so
// the shutdown is the same graceful one `npm run kube-server -- stop` causes.
func exitWithPid(ctx context.Context, pid int) {
	ticker := time.NewTicker(time.Second)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			klog.InfoS("Watched process is gone; shutting down", "pid", pid)
			_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)
			return
		}
	}
}
