import { invalidField } from '../contract/errors.js';
import type { TopkeApi } from '../contract/operations.js';
import { refuseExtraArguments } from './arguments.js';
import { distributeReport } from './distribute-report.js';
import { readTextFile } from './read-file.js';

type Flags = Record<string, string | string[] | boolean | undefined>;

/** The registry's password comes from the environment only: on the command line every user of
 * the machine would see it in `ps`. */
const PASSWORD_ENV = 'TOPKE_REGISTRY_PASSWORD';

/** The fields of create and update that options give; left out, update keeps the stored value. */
function registryFields(flags: Flags): Record<string, string> {
  if (flags.password !== undefined)
    throw invalidField(
      '--password',
      `is not an option of topke registry: give the registry's password in ${PASSWORD_ENV}`,
      `不是 topke registry 的选项：请通过环境变量 ${PASSWORD_ENV} 提供镜像仓库密码`,
    );
  const fields: Record<string, string> = {};
  if (typeof flags.address === 'string') fields.address = flags.address;
  if (typeof flags.project === 'string') fields.project = flags.project;
  if (typeof flags.user === 'string') fields.user = flags.user;
  if (typeof flags.ca === 'string') fields.ca_cert = readTextFile(flags.ca, '--ca');
  const password = process.env[PASSWORD_ENV];
  if (password !== undefined) fields.password = password;
  return fields;
}

/** `topke registry add|list|update|delete|distribute`: the managed registries and the spec's
 * registry distribute. A distribute with a cluster that failed is a failure (exit status 1); its
 * failed nodes and how many got the CA are said on stderr. */
export async function registryCommand(
  api: TopkeApi,
  words: string[],
  flags: Flags,
): Promise<{ result: object; ok: boolean }> {
  const [sub = '', ...rest] = words;
  refuseExtraArguments(`registry ${sub}`, rest);
  switch (sub) {
    case 'add': {
      const fields = registryFields(flags);
      const input = { ...fields, address: (rest[0] ?? fields.address) as string };
      return { result: await api.registryCreate(input), ok: true };
    }
    case 'list':
      return { result: await api.registryList({}), ok: true };
    case 'update': {
      const input = { ...registryFields(flags), registry_uuid: rest[0] as string };
      return { result: await api.registryUpdate(input), ok: true };
    }
    case 'delete': {
      const input = { registry_uuid: rest[0] as string, force: flags.force === true };
      return { result: await api.registryDelete(input), ok: true };
    }
    case 'distribute': {
      const [registry_uuid, ...clusters] = rest;
      // Said first: without it, the missing clusters would be named instead.
      if (!registry_uuid) throw invalidField('registry.registry_uuid', 'is required', '为必填项');
      const result = await api.registryDistribute({
        registry: { registry_uuid },
        clusters,
      });
      for (const line of distributeReport(result)) process.stderr.write(`${line}\n`);
      return { result, ok: result.fail === 0 };
    }
    default:
      throw invalidField(
        'command',
        `unknown command "registry ${sub}": use registry add, list, update, delete or distribute`,
        `未知命令 “registry ${sub}”：可用 registry add、list、update、delete 或 distribute`,
      );
  }
}
