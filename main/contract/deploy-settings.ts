import { z } from 'zod';
import { DEFAULT_POD_CIDR, DEFAULT_SERVICE_CIDR } from './defaults.js';
import { TopkeError } from './errors.js';
import { overlappingCidrs } from './networks.js';
import { DeployRequest } from './schemas.js';
import { validate } from './validate.js';

/** The deploy request's settings that a form edits one at a time. */
export interface DeploySettings {
  name: string;
  PodCidr: string;
  ServicePodCidr: string;
}

export type DeploySettingsProblems = Partial<Record<keyof DeploySettings, TopkeError>>;

/** Each field alone, by the deploy request's own schema for it: made once, checked per key. */
const FIELD_SCHEMAS: Record<keyof DeploySettings, z.ZodType> = {
  name: z.strictObject({ name: DeployRequest.shape.name }),
  PodCidr: z.strictObject({ PodCidr: DeployRequest.shape.PodCidr }),
  ServicePodCidr: z.strictObject({ ServicePodCidr: DeployRequest.shape.ServicePodCidr }),
};

/** The field checked by the deploy request's own schema: the API's error for it, or null. */
function fieldProblem(key: keyof DeploySettings, value: string): TopkeError | null {
  try {
    validate(FIELD_SCHEMAS[key], { [key]: value });
    return null;
  } catch (err) {
    if (err instanceof TopkeError) return err;
    throw err;
  }
}

/** What the deploy request would refuse in these settings, per field, with the API's own
 * messages (the name's rules, each CIDR's form, and the two networks apart): for a form to
 * show as the engineer types, before anything is sent. */
export function deploySettingsProblems(s: DeploySettings): DeploySettingsProblems {
  const problems: DeploySettingsProblems = {};
  for (const key of Object.keys(FIELD_SCHEMAS) as (keyof DeploySettings)[]) {
    const problem = fieldProblem(key, s[key]);
    if (problem) problems[key] = problem;
  }
  if (problems.PodCidr || problems.ServicePodCidr) return problems;
  const pod = s.PodCidr.trim() || DEFAULT_POD_CIDR;
  const svc = s.ServicePodCidr.trim() || DEFAULT_SERVICE_CIDR;
  const apart = overlappingCidrs(pod, svc);
  if (apart) problems[apart.field as 'PodCidr' | 'ServicePodCidr'] = apart;
  return problems;
}
