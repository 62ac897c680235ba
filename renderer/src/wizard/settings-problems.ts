import {
  deploySettingsProblems,
  type DeploySettingsProblems,
} from '../../../main/contract/deploy-settings.js';
import type { SettingsForm } from './form.js';

/** What the deploy request would refuse in the settings step, by the API's own rules, per
 * request field. An empty name is left to the step's list of what is missing. */
export function settingsProblems(settings: SettingsForm): DeploySettingsProblems {
  const problems = deploySettingsProblems({
    name: settings.name,
    PodCidr: settings.podCidr,
    ServicePodCidr: settings.serviceCidr,
  });
  if (!settings.name.trim()) delete problems.name;
  return problems;
}
