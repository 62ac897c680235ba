import type { CheckResult } from '../preflight/types.js';
import { joinLines, type Bilingual } from './bilingual.js';

const HEADING: Bilingual = { message: 'preflight checks failed:', messageCn: '预检未通过：' };

function checkLine(r: CheckResult, prefix: string): Bilingual {
  const label = r.label_cn ? `${r.check}（${r.label_cn}）` : r.check;
  return {
    message: `${prefix}${r.check}: ${r.value}; fix: ${r.fix}`,
    messageCn: `${prefix}${label}：${r.value_cn}；修复方法：${r.fix_cn || r.fix}`,
  };
}

/** The failed checks under a heading, one a line with what was found and the fix. `withHost`
 * starts each line with its host: err_info covers every host, a step's error only its own. */
export function failedChecks(rows: CheckResult[], withHost: boolean): Bilingual {
  return joinLines([HEADING, ...rows.map((r) => checkLine(r, withHost ? `${r.host} ` : ''))]);
}
