/** The signerNames Kubernetes itself defines (certificates.k8s.io/v1). */
export const KUBELET_SERVING = "kubernetes.io/kubelet-serving";
export const KUBE_APISERVER_CLIENT_KUBELET = "kubernetes.io/kube-apiserver-client-kubelet";
export const KUBE_APISERVER_CLIENT = "kubernetes.io/kube-apiserver-client";
export const LEGACY_UNKNOWN = "kubernetes.io/legacy-unknown";
