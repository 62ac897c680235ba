import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { asTopkeError, invalidField, TopkeError } from '../contract/errors.js';
import { errorEnvelope, okEnvelope } from '../contract/envelope.js';
import { parseRequestJson } from '../contract/request-json.js';
import type { TopkeApi } from '../contract/operations.js';
import { createContext, dataDirSource, resolveDataDir, type ServiceContext } from '../context.js';
import { createServices, type Services, type StoppedWork } from '../api.js';
import { bytesToText } from '../kubeconfig/decode.js';
import { closeLogger } from '../log.js';
import { createHttpServer } from '../transport/http.js';
import { refuseExtraArguments, withCliNames } from './arguments.js';
import { deployCommand } from './follow-deploy.js';
import { nodeAddCommand } from './node-add-command.js';
import { readFileBytes, readTextFile } from './read-file.js';
import { registryCommand } from './registry-command.js';
import { scanCommand } from './scan-command.js';

const USAGE = `Usage: topke <command> [options]

  serve [--port P] [--data-dir D]   serve the HTTP API and the app on 127.0.0.1 (default port 18080)
  scan BEGIN END [--user U | --key FILE]   find hosts in an inclusive IPv4 range
  scan TARGET ... [options]         the same at addresses, CIDRs, FIRST-LAST ranges, A,B,C
       (--exclude LIST; --ssh-ports 22,2222; Ctrl-C cancels);
       the SSH password from TOPKE_SSH_PASSWORD: --password P also works, but every user of
       the machine sees it in the process list (ps)
  vip-test VIP PORT                 check that a virtual IP and port are free
  deploy PLAN.json [--follow-output]
                                    deploy a cluster (the body of the deploy request) and follow it
                                    until it ends (a failed deploy is a deploy_failed failure);
                                    with --follow-output, its steps' output as it comes
  node add UUID IP[,IP...] [--name NODENAME[,...]] [--user U | --key FILE] [--follow-output]
                                    add workers to a cluster TopKE deployed and follow it until it
                                    ends, as deploy does (the SSH password from TOPKE_SSH_PASSWORD;
                                    with no login given, the one the cluster was deployed with)
  status UUID [--deploy ID]         a deploy's stages, hosts and errors (the latest, or ID)
  deploys UUID                      every deploy of a cluster, newest first
  list [--tenant T]                 the clusters in the history
  get UUID                          one cluster
  import FILE --name NAME [--context C ...] [--save-unreachable] [--allow-exec SHA256:... ...]
                                    import a cluster from a kubeconfig; an exec credential
                                    plugin runs only if its fingerprint (in the refusal) is allowed
  delete UUID                       remove a cluster from the history (the cluster is not touched)
  registry add ADDRESS --ca FILE [--project P] [--user U]
                                    manage a private registry (https://host:port); its password
                                    from TOPKE_REGISTRY_PASSWORD (never an option: ps shows those)
  registry list                     the managed registries (never their passwords)
  registry update UUID [--address A] [--ca FILE] [--project P] [--user U]
                                    change a registry; TOPKE_REGISTRY_PASSWORD set (empty: none)
                                    replaces its password
  registry delete UUID [--force]    stop managing a registry (--force: clusters still name it)
  registry distribute REGISTRY_UUID CLUSTER_UUID ...
                                    put the registry's CA certificate on every node of the
                                    clusters (with the logins their deploy stored); per node
                                    what was done or why not

Every command prints the API's JSON envelope on stdout and progress on stderr; the exit status is
non-zero on failure. --data-dir (or TOPKE_DATA_DIR) chooses the data folder.`;

type Flags = Record<string, string | string[] | boolean | undefined>;

/** A plan file as editors write it: UTF-8 with or without a BOM, or UTF-16 (Windows Notepad). */
function readJsonFile(path: string, field: string): unknown {
  const text = bytesToText(readFileBytes(path, field)).text;
  return parseRequestJson(text, { field, name: path });
}

/** SSH login from flags; the password may come from TOPKE_SSH_PASSWORD so that it stays off the
 * command line (where `ps` shows it). */
function sshFromFlags(flags: Flags): Record<string, unknown> | undefined {
  const password = flags.password ?? process.env.TOPKE_SSH_PASSWORD;
  if (!flags.user && !password && !flags.key) return undefined;
  const ssh: Record<string, unknown> = { user: flags.user ?? 'root' };
  if (typeof password === 'string') ssh.password = password;
  if (typeof flags.key === 'string') ssh.private_key = readTextFile(flags.key, '--key');
  if (typeof flags['ssh-port'] === 'string') ssh.port = Number(flags['ssh-port']);
  return ssh;
}

/** --port (or TOPKE_PORT): 0 asks the system for a free port. */
function servePort(flags: Flags): number {
  const field = flags.port !== undefined ? '--port' : 'TOPKE_PORT';
  const raw = String(flags.port ?? process.env.TOPKE_PORT ?? '18080').trim();
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(port >= 0 && port <= 65535))
    throw invalidField(
      field,
      `must be a port number from 1 to 65535, or 0 for any free port (got "${raw}")`,
      `必须是 1 到 65535 之间的端口号，或 0 表示任一空闲端口（实际为 “${raw}”）`,
    );
  return port;
}

/** Why the server could not listen, in words an engineer can act on. */
function listenError(err: unknown, port: number): TopkeError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    return invalidField(
      '--port',
      `port ${port} on 127.0.0.1 is already in use (another TopKE or another program); stop it or choose another --port`,
      `127.0.0.1 的端口 ${port} 已被占用（另一个 TopKE 或其他程序）；请停止它或换一个 --port`,
    );
  if (code === 'EACCES')
    return invalidField(
      '--port',
      `port ${port} needs privileges this user does not have; choose a port above 1023`,
      `端口 ${port} 需要当前用户没有的权限；请选择 1023 以上的端口`,
    );
  return asTopkeError(err);
}

/** The signal that asks the server to stop. */
function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** The server's last line: what stopped it, and the work it ended. */
function stoppedLine(signal: NodeJS.Signals, work: StoppedWork): string {
  const ended = [
    work.scans ? `cancelled ${work.scans} ${work.scans === 1 ? 'scan' : 'scans'}` : '',
    work.deploys
      ? `interrupted ${work.deploys} ${work.deploys === 1 ? 'deploy' : 'deploys'} (run again to resume)`
      : '',
  ].filter(Boolean);
  return `topke serve stopped (${signal})${ended.length ? `: ${ended.join(', ')}` : ''}`;
}

/** Serves until SIGINT or SIGTERM; then stops taking requests, ends the running work (whose
 * requests are answered), and closes every connection, so that the process ends at once. */
async function serve(ctx: ServiceContext, services: Services, flags: Flags): Promise<void> {
  const port = servePort(flags);
  const token = process.env.TOPKE_API_TOKEN || randomBytes(24).toString('base64url');
  const here = dirname(fileURLToPath(import.meta.url));
  const staticDir = join(here, '..', '..', 'renderer');
  const { api } = services;
  const server = createHttpServer({ api, events: ctx.events, token, log: ctx.log, staticDir });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(listenError(err, port)));
    server.listen(port, '127.0.0.1', resolve);
  });
  const signalled = stopSignal();
  if (!process.env.TOPKE_API_TOKEN) process.stderr.write(`API token: ${token}\n`);
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  process.stdout.write(`TopKE Installer is ready at http://127.0.0.1:${actual}/#token=${token}\n`);
  const signal = await signalled;
  const closed = server.stop();
  const work = await services.close();
  await closed;
  process.stderr.write(`${stoppedLine(signal, work)}\n`);
}

async function runCommand(
  ctx: ServiceContext,
  api: TopkeApi,
  cmd: string,
  pos: string[],
  flags: Flags,
): Promise<{ result: object | null; ok: boolean }> {
  switch (cmd) {
    case 'scan': {
      const result = await scanCommand(ctx, api, pos, {
        ssh: sshFromFlags(flags),
        exclude: flags.exclude as string | undefined,
        sshPorts: flags['ssh-ports'] as string | undefined,
      });
      // Addresses it could not probe are a scan left unfinished, whatever it found.
      return { result, ok: result.state === 'done' && result.unprobed === 0 };
    }
    case 'vip-test':
      return {
        result: await api.vipTest({ vip: pos[0] as string, port: pos[1] as unknown as number }),
        ok: true,
      };
    case 'deploy': {
      if (!pos[0]) throw invalidField('PLAN.json', 'is required', '为必填项');
      const plan = readJsonFile(pos[0], 'PLAN.json');
      const followOutput = flags['follow-output'] === true;
      return { result: await deployCommand(ctx, api, plan, followOutput), ok: true };
    }
    case 'node': {
      if (pos[0] !== 'add') throw unknownCommand(`node ${pos[0] ?? ''}`.trim());
      const options = {
        names: flags.name as string | undefined,
        ssh: sshFromFlags(flags),
        followOutput: flags['follow-output'] === true,
      };
      return { result: await nodeAddCommand(ctx, api, pos.slice(1), options), ok: true };
    }
    case 'status': {
      const deploy = flags.deploy as string | undefined;
      const status = await api.deployStatus({
        uuid: pos[0] as string,
        ...(deploy !== undefined ? { deploy_id: deploy } : {}),
      });
      return { result: status, ok: status.DeployStage.State !== 'failed' };
    }
    case 'deploys':
      return { result: await api.deployList({ uuid: pos[0] as string }), ok: true };
    case 'list':
      return {
        result: await api.clusterList({ tenant_uuid: (flags.tenant as string) ?? '' }),
        ok: true,
      };
    case 'get':
      return { result: await api.clusterGet({ uuid: pos[0] as string }), ok: true };
    case 'delete':
      return { result: await api.clusterDelete({ uuid: pos[0] as string }), ok: true };
    case 'import': {
      if (!pos[0]) throw invalidField('FILE', 'is required', '为必填项');
      const bytes = readFileBytes(pos[0], 'FILE');
      if (bytes.length === 0)
        throw invalidField('FILE', `${pos[0]} is empty`, `${pos[0]} 是空文件`);
      const data = bytes.toString('base64');
      const input = {
        Name: (flags.name as string) ?? '',
        kube_config_data: data,
        tenant_uuid: (flags.tenant as string) ?? '',
        source_path: resolve(pos[0]),
        ...(flags.context ? { contexts: flags.context as string[] } : {}),
        ...(flags['save-unreachable'] ? { save_unreachable: true } : {}),
        ...(flags['allow-exec'] ? { allow_exec: flags['allow-exec'] as string[] } : {}),
      };
      return { result: await api.clusterAdd(input), ok: true };
    }
    case 'registry':
      return registryCommand(api, pos, flags);
    default:
      throw unknownCommand(cmd);
  }
}

function unknownCommand(cmd: string): TopkeError {
  process.stderr.write(`${USAGE}\n`);
  return invalidField('command', `unknown command "${cmd}"`, `未知命令 “${cmd}”`);
}

/** The command line's entry point: exit status 0 on success, 1 on failure, 2 on bad usage. */
/** What parseArgs refused, as a field error naming the option. */
function optionError(err: NodeJS.ErrnoException): TopkeError {
  const option = /'(-[^' ]+)/.exec(err.message)?.[1] ?? '(options)';
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
    return invalidField(option, 'needs a value', '需要一个值');
  return invalidField(
    option,
    'is not an option of topke (see topke --help)',
    '不是 topke 的选项（见 topke --help）',
  );
}

/** A failure's envelope on stdout and its sentence on stderr; the exit status to return. */
function printFailure(e: TopkeError, status = 1): number {
  process.stdout.write(`${JSON.stringify(errorEnvelope(e), null, 2)}\n`);
  process.stderr.write(`error: ${e.message}\n`);
  return status;
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        user: { type: 'string' },
        password: { type: 'string' },
        key: { type: 'string' },
        'ssh-port': { type: 'string' },
        'ssh-ports': { type: 'string' },
        exclude: { type: 'string' },
        tenant: { type: 'string' },
        deploy: { type: 'string' },
        name: { type: 'string' },
        context: { type: 'string', multiple: true },
        'save-unreachable': { type: 'boolean' },
        'allow-exec': { type: 'string', multiple: true },
        'follow-output': { type: 'boolean' },
        address: { type: 'string' },
        project: { type: 'string' },
        ca: { type: 'string' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    process.stderr.write(`${USAGE}\n`);
    return printFailure(optionError(err as NodeJS.ErrnoException), 2);
  }
  const [cmd, ...pos] = parsed.positionals;
  if (!cmd || parsed.values.help) {
    process.stderr.write(`${USAGE}\n`);
    return parsed.values.help ? 0 : 2;
  }
  const explicit = parsed.values['data-dir'];
  let ctx: ServiceContext;
  try {
    ctx = createContext(resolveDataDir(explicit), { dataDirField: dataDirSource(explicit) });
  } catch (err) {
    return printFailure(asTopkeError(err));
  }
  const services = createServices(ctx);
  try {
    refuseExtraArguments(cmd, pos);
    if (cmd === 'serve') {
      await serve(ctx, services, parsed.values);
      return 0;
    }
    const { result, ok } = await runCommand(ctx, services.api, cmd, pos, parsed.values);
    process.stdout.write(`${JSON.stringify(okEnvelope(result), null, 2)}\n`);
    return ok ? 0 : 1;
  } catch (err) {
    const e = withCliNames(cmd, asTopkeError(err));
    if (e.code === 'internal') ctx.log.error({ command: cmd, err }, 'command failed: defect');
    return printFailure(e);
  } finally {
    await services.close();
    ctx.db.close();
    await closeLogger(ctx.log);
  }
}
