/** Every step a deploy records, with its name in Chinese. The English name is the step's id: the
 * status, the log and the tests name it so. */
export const STEP_NAMES_CN = {
  connect: '登录主机',
  preflight: '预检',
  'upload bundle': '上传安装包',
  'verify bundle': '校验安装包',
  'install binaries': '安装程序文件',
  'install systemd units': '安装 systemd 服务',
  'kernel settings': '内核设置',
  'container runtime': '配置容器运行时',
  'import images': '导入镜像',
  'kubeadm config': '生成 kubeadm 配置',
  'kube-vip': '部署 kube-vip',
  'kubeadm init': '初始化控制平面（kubeadm init）',
  'network plugin': '安装网络插件',
  'control-plane join command': '生成控制平面加入命令',
  'join control plane': '加入控制平面',
  'check certificates': '检查证书',
  'renew certificates': '续期证书',
  'fetch kubeconfig': '获取 kubeconfig',
  'worker join command': '生成工作节点加入命令',
  'join cluster': '加入集群',
  unknown: '未知步骤',
} as const;

export type StepName = keyof typeof STEP_NAMES_CN;

/** The Chinese name of a step; a step recorded by another version keeps its English name. */
export function stepNameCn(step: string): string {
  return (STEP_NAMES_CN as Record<string, string>)[step] ?? step;
}
