import type { CategoryNode } from '../../../src-main/contract';

/** The first path down the tree to a leaf, e.g. 城乡建设 / 安全生产 / 事故处理. */
export function firstLeafPath(nodes: CategoryNode[]): string[] {
  const path: string[] = [];
  let level = nodes;
  while (level.length > 0) {
    const node = level[0]!;
    path.push(node.name);
    level = node.children;
  }
  return path;
}
