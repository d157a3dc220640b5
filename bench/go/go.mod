module github.com/csr-gitops/csr-gitops/bench/go

go 1.26.0
