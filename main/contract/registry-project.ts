/** A registry project (a Harbor project, or a nested repository path): path parts of lower-case
 * letters and digits, joined inside by ".", "_", "__" or dashes (the image reference grammar
 * containerd and Harbor apply), separated by "/". */
const PART = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const ALLOWED = /[a-z0-9._/-]/;

/** What is wrong with a project name, or null when it is one ("" is no project). */
export function projectProblem(project: string): [en: string, cn: string] | null {
  if (project === '' || project.split('/').every((p) => PART.test(p))) return null;
  const bad = [...project].find((c) => !ALLOWED.test(c));
  const named =
    bad === undefined ? null : bad === ' ' ? ['a space', '空格'] : [`"${bad}"`, `“${bad}”`];
  const [en, cn] = named ? [` (${named[0]} is not allowed)`, `（不允许 ${named[1]}）`] : ['', ''];
  return [
    `"${project}" is not a registry project name: use lower-case letters and digits, with ".", "_" or "-" between them and "/" between path parts${en}`,
    `“${project}” 不是有效的镜像仓库项目名：只能使用小写字母和数字，中间可用 “.”、“_”、“-” 连接，路径各段之间用 “/” 分隔${cn}`,
  ];
}
