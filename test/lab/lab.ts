/**
 * A lab of real sshd hosts, each in its own network namespace on the run's bridge (see LAB.md).
 * The test process itself runs in the run's operator namespace (test/run.mjs), so nothing it
 * sends can leave the lab.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { standinDir } from './standins.js';

export interface LabUser {
  name: string;
  password?: string;
  authorizedKeys?: string[];
  sudo?: 'nopasswd' | 'password' | 'none';
  requiretty?: boolean;
}

export interface HostSpec {
  /** Last octet of the address within the lab's subnet. */
  octet: number;
  hostname?: string;
  /** What listens on `sshPort`: a real sshd (default), nothing, a tarpit that never speaks, or a non-SSH server. */
  service?: 'sshd' | 'none' | 'tarpit' | 'http';
  sshPort?: number;
  rootPassword?: string;
  rootKeys?: string[];
  users?: LabUser[];
  auth?: { password?: boolean; pubkey?: boolean; keyboardInteractive?: boolean };
  /** Extra sshd_config lines (e.g. legacy algorithms). */
  sshdExtra?: string[];
  /** Files put on the host before sshd starts: path inside the host -> content. */
  files?: Record<string, string>;
  /** Bind-mount fake /proc files (e.g. meminfo, swaps) to make preflight checks fail. */
  procFiles?: Record<string, string>;
  /** CPUs sshd (and so every session) may run on, e.g. "0" for a one-CPU host. */
  cpus?: string;
  /** TCP ports that never answer, as behind a firewall that drops: a connection attempt gets
   * no SYN-ACK and no reset, while the host still answers ping and ARP. */
  silentTcpPorts?: number[];
}

export interface LabHost {
  name: string;
  ns: string;
  ip: string;
  hostname: string;
  sshPort: number;
  sshdPid?: number;
  /** Runs a shell command inside the host (its network, hostname and private files). */
  exec(command: string): string;
  readFile(path: string): string;
  /** The host's current SSH host key, as "type base64". */
  hostKey(): string;
  /** What its sshd has logged so far (LogLevel VERBOSE: every connection and login). */
  sshdLog(): string;
  stop(): void;
}

export interface Lab {
  subnet: string;
  hosts: LabHost[];
  host(octet: number): LabHost;
  address(octet: number): string;
  teardown(): void;
}

const STATE_ROOT = '/srv/topke-lab';

function run(cmd: string, args: string[], input?: string): string {
  return execFileSync(cmd, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

function labEnv(): { bridgeNs: string; runId: string } {
  const bridgeNs = process.env.TOPKE_LAB_BRIDGE_NS;
  const runId = process.env.TOPKE_LAB_RUN_ID;
  if (!bridgeNs || !runId) {
    throw new Error('the lab needs test/run.mjs: run the tests with `npm test` (as root)');
  }
  return { bridgeNs, runId };
}

function sshdConfig(dir: string, spec: HostSpec): string {
  const auth = spec.auth ?? { password: true, pubkey: true, keyboardInteractive: false };
  return [
    `Port ${spec.sshPort ?? 22}`,
    'ListenAddress 0.0.0.0',
    `HostKey ${dir}/ssh_host_ed25519_key`,
    `HostKey ${dir}/ssh_host_rsa_key`,
    `PidFile ${dir}/sshd.pid`,
    `AuthorizedKeysFile ${dir}/keys/%u`,
    'StrictModes no',
    'UsePAM yes',
    'PermitRootLogin yes',
    `PasswordAuthentication ${auth.password ? 'yes' : 'no'}`,
    `PubkeyAuthentication ${auth.pubkey ? 'yes' : 'no'}`,
    `KbdInteractiveAuthentication ${auth.keyboardInteractive ? 'yes' : 'no'}`,
    'MaxSessions 64',
    'MaxStartups 64:30:128',
    'LogLevel VERBOSE',
    'Subsystem sftp internal-sftp',
    'UseDNS no',
    ...(spec.sshdExtra ?? []),
    '',
  ].join('\n');
}

function setupScript(dir: string, spec: HostSpec, hostname: string, ip: string): string {
  const lines = [
    'set -e',
    `mount -t tmpfs tmpfs ${dir}/ovl`,
    'for m in etc usr var opt; do',
    `  mkdir -p ${dir}/ovl/$m-up ${dir}/ovl/$m-wk`,
    `  mount -t overlay overlay -o lowerdir=/$m,upperdir=${dir}/ovl/$m-up,workdir=${dir}/ovl/$m-wk /$m`,
    'done',
    // Before /tmp, /root and /home are masked: the checkout (and so the stand-ins) may live there.
    `cp ${standinDir()}/system/* /usr/local/sbin/`,
    'chmod 755 /usr/local/sbin/*',
    'for m in /tmp /var/tmp /root /home; do mount -t tmpfs tmpfs $m; done',
    `hostname ${hostname}; echo ${hostname} >/etc/hostname`,
    `printf '127.0.0.1 localhost\\n${ip} ${hostname}\\n' >/etc/hosts`,
    'mkdir -p /var/lib/topke-standin',
    `. ${dir}/setup-users.sh`,
    `. ${dir}/setup-files.sh`,
  ];
  for (const proc of Object.keys(spec.procFiles ?? {})) {
    lines.push(`mount --bind ${dir}/proc-${proc} /proc/${proc}`);
  }
  const sshd = `/usr/sbin/sshd -f ${dir}/sshd_config -E ${dir}/sshd.log`;
  lines.push(spec.cpus ? `exec taskset -c ${spec.cpus} ${sshd}` : `exec ${sshd}`);
  return lines.join('\n');
}

function usersScript(spec: HostSpec, dir: string): string {
  const lines: string[] = [];
  if (spec.rootPassword) lines.push(`echo 'root:${spec.rootPassword}' | chpasswd`);
  writeFileSync(join(dir, 'keys', 'root'), (spec.rootKeys ?? []).join('\n') + '\n');
  for (const user of spec.users ?? []) {
    lines.push(`useradd -m -s /bin/bash ${user.name}`);
    if (user.password) lines.push(`echo '${user.name}:${user.password}' | chpasswd`);
    else lines.push(`usermod -p '*' ${user.name}`);
    writeFileSync(join(dir, 'keys', user.name), (user.authorizedKeys ?? []).join('\n') + '\n');
    const sudo = user.sudo ?? 'none';
    if (sudo !== 'none') {
      const rule = `${user.name} ALL=(ALL) ${sudo === 'nopasswd' ? 'NOPASSWD: ' : ''}ALL`;
      const tty = user.requiretty ? `Defaults:${user.name} requiretty\n` : '';
      lines.push(
        `printf '%s\\n' '${tty}${rule}' > /etc/sudoers.d/${user.name}`,
        `chmod 440 /etc/sudoers.d/${user.name}`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

function filesScript(spec: HostSpec, dir: string): string {
  const lines: string[] = [];
  let i = 0;
  for (const [path, content] of Object.entries(spec.files ?? {})) {
    const src = join(dir, `file-${i++}`);
    writeFileSync(src, content);
    lines.push(`mkdir -p "$(dirname '${path}')"`, `cp '${src}' '${path}'`);
  }
  for (const [proc, content] of Object.entries(spec.procFiles ?? {})) {
    writeFileSync(join(dir, `proc-${proc}`), content);
  }
  return lines.join('\n') + '\n';
}

function startListener(ns: string, kind: 'tarpit' | 'http', port: number): number {
  const code =
    kind === 'tarpit'
      ? `require('net').createServer(s=>{s.on('error',()=>{})}).listen(${port})`
      : `require('http').createServer((q,r)=>r.end('hello')).listen(${port})`;
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', code], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  return child.pid!;
}

/** Makes the hosts of one test file on 198.18.<subnet>.0/24. Always call teardown (afterAll). */
/** Takes 198.18.SUBNET.0/24 for one lab of this run: two test files on one subnet would put two
 * hosts on one address of the shared bridge, and fail as vague timeouts. */
function claimSubnet(runId: string, subnet: number): () => void {
  const dir = join(STATE_ROOT, runId, 'subnets');
  mkdirSync(dir, { recursive: true });
  const claim = join(dir, String(subnet));
  try {
    mkdirSync(claim);
  } catch {
    throw new Error(
      `lab subnet 198.18.${subnet}.0/24 is already taken in this run: give each test file its own`,
    );
  }
  return () => rmSync(claim, { recursive: true, force: true });
}

export function createLab(subnet: number, specs: HostSpec[]): Lab {
  const { bridgeNs, runId } = labEnv();
  const release = claimSubnet(runId, subnet);
  const tag = `${runId}${subnet.toString(16).padStart(2, '0')}`;
  const hosts: LabHost[] = [];
  const pids: number[] = [];
  const namespaces: string[] = [];
  const lab: Lab = {
    subnet: `198.18.${subnet}.0/24`,
    hosts,
    address: (octet) => `198.18.${subnet}.${octet}`,
    host(octet) {
      const found = hosts.find((h) => h.ip === lab.address(octet));
      if (!found) throw new Error(`no lab host .${octet}`);
      return found;
    },
    teardown() {
      for (const h of hosts) h.stop();
      for (const pid of pids) killQuietly(pid);
      for (const ns of namespaces) {
        for (const pid of nsPids(ns)) killQuietly(pid);
        try {
          run('ip', ['netns', 'del', ns]);
        } catch {
          /* already gone */
        }
      }
      release();
    },
  };
  try {
    for (const spec of specs) {
      const host = makeHost(spec);
      hosts.push(host);
    }
  } catch (err) {
    lab.teardown();
    throw err;
  }
  return lab;

  function makeHost(spec: HostSpec): LabHost {
    const ip = lab.address(spec.octet);
    const ns = `tk-${tag}-h${spec.octet}`;
    const veth = `v${tag}${spec.octet.toString(16)}`.slice(0, 15);
    const hostname = spec.hostname ?? `node-${subnet}-${spec.octet}`;
    const dir = join(
      STATE_ROOT,
      runId,
      `${subnet}-${spec.octet}-${randomBytes(3).toString('hex')}`,
    );
    mkdirSync(join(dir, 'ovl'), { recursive: true });
    mkdirSync(join(dir, 'keys'), { recursive: true });
    run('ip', ['netns', 'add', ns]);
    namespaces.push(ns);
    run('ip', [
      'link',
      'add',
      veth,
      'netns',
      bridgeNs,
      'type',
      'veth',
      'peer',
      'name',
      'eth0',
      'netns',
      ns,
    ]);
    run('ip', ['netns', 'exec', bridgeNs, 'ip', 'link', 'set', veth, 'master', 'br0']);
    run('ip', ['netns', 'exec', bridgeNs, 'ip', 'link', 'set', veth, 'up']);
    run('ip', ['netns', 'exec', ns, 'ip', 'addr', 'add', `${ip}/15`, 'dev', 'eth0']);
    run('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'eth0', 'up']);
    run('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
    knowOperator(ns);
    if (spec.silentTcpPorts?.length) silenceTcpPorts(ns, spec.silentTcpPorts);
    const service = spec.service ?? 'sshd';
    const sshPort = spec.sshPort ?? 22;
    let sshdPid: number | undefined;
    if (service === 'sshd') {
      run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'ssh_host_ed25519_key')]);
      run('ssh-keygen', [
        '-q',
        '-t',
        'rsa',
        '-b',
        '2048',
        '-N',
        '',
        '-f',
        join(dir, 'ssh_host_rsa_key'),
      ]);
      writeFileSync(join(dir, 'sshd_config'), sshdConfig(dir, spec));
      writeFileSync(join(dir, 'setup-users.sh'), usersScript(spec, dir));
      writeFileSync(join(dir, 'setup-files.sh'), filesScript(spec, dir));
      const script = setupScript(dir, spec, hostname, ip);
      writeFileSync(join(dir, 'setup.sh'), script);
      chmodSync(join(dir, 'setup.sh'), 0o755);
      mkdirSync('/run/sshd', { recursive: true });
      run('ip', [
        'netns',
        'exec',
        ns,
        'unshare',
        '--mount',
        '--uts',
        '--propagation',
        'private',
        'sh',
        join(dir, 'setup.sh'),
      ]);
      sshdPid = waitForPid(join(dir, 'sshd.pid'));
    } else if (service !== 'none') {
      pids.push(startListener(ns, service, sshPort));
    }
    const enter = (command: string): string => {
      if (!sshdPid) throw new Error(`host ${ip} runs no sshd to enter`);
      return run('nsenter', ['-t', String(sshdPid), '-m', '-u', '-n', '--', 'sh', '-c', command]);
    };
    return {
      name: ns,
      ns,
      ip,
      hostname,
      sshPort,
      sshdPid,
      exec: enter,
      readFile: (path) => enter(`cat '${path}'`),
      hostKey: () => {
        const pub = readFileSync(join(dir, 'ssh_host_ed25519_key.pub'), 'utf8').trim().split(/\s+/);
        return `${pub[0]} ${pub[1]}`;
      },
      sshdLog: () => {
        const log = join(dir, 'sshd.log');
        return existsSync(log) ? readFileSync(log, 'utf8') : '';
      },
      stop: () => {
        if (sshdPid) killQuietly(sshdPid);
      },
    };
  }
}

/** The operator's address and MAC on the lab's bridge: the test process's own eth0. */
function operatorLink(): { ip: string; mac: string } {
  const eth0 = networkInterfaces().eth0?.find((a) => a.family === 'IPv4');
  if (!eth0) throw new Error('the lab needs the operator namespace of test/run.mjs (its eth0)');
  return { ip: eth0.address, mac: eth0.mac };
}

/** A lab host shares this machine's kernel neighbour table with the scanner, where a real host
 * has its own: when a test fills the table (as other programs can on the engineer's laptop), the
 * host could not even answer. A permanent entry for the operator, which the table's limit does not
 * count, gives the host what its own table would. */
function knowOperator(ns: string): void {
  const op = operatorLink();
  const neigh = ['neigh', 'replace', op.ip, 'lladdr', op.mac, 'dev', 'eth0', 'nud', 'permanent'];
  run('ip', ['netns', 'exec', ns, 'ip', ...neigh]);
}

/** Drops every packet the host sends from the given TCP ports: an HTB class whose queue holds
 * nothing. Done on the way out because the build machines' kernels lack tc's drop action
 * (act_gact) and have no nft command; seen from the network it is the same silence. */
function silenceTcpPorts(ns: string, ports: number[]): void {
  const tc = (args: string) => run('ip', ['netns', 'exec', ns, 'tc', ...args.split(' ')]);
  tc('qdisc add dev eth0 root handle 1: htb default 10');
  tc('class add dev eth0 parent 1: classid 1:10 htb rate 10gbit quantum 1514');
  tc('class add dev eth0 parent 1: classid 1:20 htb rate 8bit quantum 1514');
  tc('qdisc add dev eth0 parent 1:20 handle 20: pfifo limit 0');
  for (const port of ports) {
    const match = `match ip protocol 6 0xff match ip sport ${port} 0xffff`;
    tc(`filter add dev eth0 parent 1: protocol ip prio 1 u32 ${match} flowid 1:20`);
  }
}

function waitForPid(file: string): number {
  for (let i = 0; i < 200; i++) {
    if (existsSync(file)) {
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (pid > 0) return pid;
    }
    execFileSync('sleep', ['0.02']);
  }
  throw new Error(`sshd did not write ${file}`);
}

function nsPids(ns: string): number[] {
  try {
    return run('ip', ['netns', 'pids', ns]).split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/** Removes a lab state folder; used by test/run.mjs at the end of a run. */
export function removeLabState(runId: string): void {
  rmSync(join(STATE_ROOT, runId), { recursive: true, force: true });
}
