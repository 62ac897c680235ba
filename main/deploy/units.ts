/** systemd units for the binaries installed from the bundle into /usr/local/bin, following the
 * layout of kubeadm's instructions for installing without a package manager. */
export const CONTAINERD_UNIT = `[Unit]
Description=containerd container runtime (installed by TopKE)
Documentation=https://containerd.io
After=network.target local-fs.target

[Service]
ExecStartPre=-/sbin/modprobe overlay
ExecStart=/usr/local/bin/containerd
Type=notify
Delegate=yes
KillMode=process
Restart=always
RestartSec=5
LimitNPROC=infinity
LimitCORE=infinity
LimitNOFILE=infinity
TasksMax=infinity
OOMScoreAdjust=-999

[Install]
WantedBy=multi-user.target
`;

export const KUBELET_UNIT = `[Unit]
Description=kubelet: The Kubernetes Node Agent (installed by TopKE)
Documentation=https://kubernetes.io/docs/
Wants=network-online.target
After=network-online.target containerd.service

[Service]
ExecStart=/usr/local/bin/kubelet
Restart=always
StartLimitInterval=0
RestartSec=10

[Install]
WantedBy=multi-user.target
`;

/** The drop-in through which kubeadm hands its flags and config to the kubelet. */
export const KUBELET_KUBEADM_DROPIN = `[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
EnvironmentFile=-/etc/default/kubelet
ExecStart=
ExecStart=/usr/local/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
`;

export const UNIT_FILES: Record<string, string> = {
  '/etc/systemd/system/containerd.service': CONTAINERD_UNIT,
  '/etc/systemd/system/kubelet.service': KUBELET_UNIT,
  '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf': KUBELET_KUBEADM_DROPIN,
};

export const MODULES_FILE = '/etc/modules-load.d/topke-kubernetes.conf';
export const KERNEL_MODULES = ['overlay', 'br_netfilter'];
export const SYSCTL_FILE = '/etc/sysctl.d/99-topke-kubernetes.conf';
export const SYSCTLS: Record<string, string> = {
  'net.bridge.bridge-nf-call-iptables': '1',
  'net.bridge.bridge-nf-call-ip6tables': '1',
  'net.ipv4.ip_forward': '1',
};
