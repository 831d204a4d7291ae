import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import {
  urgencyLevels as allUrgencyLevels,
  type AddressSuggestion,
  type CategoryNode,
  type ReferenceSnapshot,
  type SampleCallSummary,
  type ServiceLevelRule,
  type Speaker,
  type UrgencyLevel,
} from '../../contract';
import { buildDivisionIndex, type DivisionIndex, type PlaceGazetteer } from './division-index';
import {
  categoriesFileSchema,
  departmentCuesFileSchema,
  departmentsFileSchema,
  describeIssues,
  divisionLinesSchema,
  sampleCallFileSchema,
  serviceLevelsFileSchema,
  urgencyCuesFileSchema,
} from './reference-schemas';

export interface SampleCallUtterance {
  speaker: Speaker;
  startMs: number;
  endMs: number;
  text: string;
}

export interface SampleCall {
  id: string;
  title: string;
  description: string;
  callerLine: string | null;
  utterances: SampleCallUtterance[];
}

export interface UrgencyCues {
  level: UrgencyLevel;
  words: string[];
}

/** Words in a call that point to a handling department (resources/department-cues.json). */
export interface DepartmentCues {
  departmentId: string;
  words: string[];
}

export interface ReferenceData {
  snapshot: ReferenceSnapshot;
  sampleCalls: SampleCall[];
  urgencyCues: UrgencyCues[];
  departmentCues: DepartmentCues[];
  sampleCallSummaries(): SampleCallSummary[];
  findSampleCall(id: string): SampleCall | undefined;
  /**
   * Address look-up for autocomplete: by name prefix or contained text; street-level names
   * resolve their district, city and province; results in the preferred region first, then exact
   * names first; at most `limit`.
   */
  suggestAddress(text: string, limit: number): AddressSuggestion[];
  /** Hours to the deadline for an urgency and a first-level category ('*' rule as fallback). */
  deadlineHours(urgency: UrgencyLevel, categoryLevel1: string | null): number;
  isKnownCategoryPath(path: string[]): boolean;
  /** District and street names (with and without suffix) for the segmentation dictionary. */
  placeNames(): string[];
  /**
   * Division names found in free text (a transcript, a written message) and resolved to one chain,
   * for standardising the address of a matter. Its name index is built on first use.
   */
  readonly places: PlaceGazetteer;
}

export interface LoadReferenceOptions {
  /** Division-code prefix whose places are suggested first, e.g. '11' for Beijing. */
  preferredRegionCode?: string;
}

export const referenceFileNames = {
  categories: 'categories.json',
  departments: 'departments.json',
  serviceLevels: 'service-levels.json',
  urgencyCues: 'urgency-cues.json',
  departmentCues: 'department-cues.json',
  divisions: 'divisions.jsonl',
  sampleCallsDir: 'sample-calls',
} as const;

const categoryDepth = 3;
// The key joins path steps with a character no category name can hold.
const pathSeparator = '\u0000';
const wildcardCategory = '*';

/** Thrown for any reference file that is missing or does not hold what the app expects. */
export class ReferenceDataError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'ReferenceDataError';
  }
}

/**
 * Reads and checks every reference file. Everything is validated up front so that a broken
 * install fails at start with the file and the fault named, never later in front of a caller.
 */
export async function loadReferenceData(resourcesDir: string, options: LoadReferenceOptions = {}): Promise<ReferenceData> {
  const fileLabel = (...parts: string[]) => path.join(resourcesDir, ...parts);

  const [categoriesFile, departmentsFile, serviceLevelsFile, urgencyCuesFile, departmentCuesFile, divisionIndex, sampleCalls] = await Promise.all([
    readJsonFile(fileLabel(referenceFileNames.categories), categoriesFileSchema),
    readJsonFile(fileLabel(referenceFileNames.departments), departmentsFileSchema),
    readJsonFile(fileLabel(referenceFileNames.serviceLevels), serviceLevelsFileSchema),
    readJsonFile(fileLabel(referenceFileNames.urgencyCues), urgencyCuesFileSchema),
    readJsonFile(fileLabel(referenceFileNames.departmentCues), departmentCuesFileSchema),
    readDivisionIndex(fileLabel(referenceFileNames.divisions), options.preferredRegionCode),
    readSampleCalls(fileLabel(referenceFileNames.sampleCallsDir)),
  ]);

  const categories = categoriesFile.tree as CategoryNode[];
  const categoryPaths = checkCategoryTree(fileLabel(referenceFileNames.categories), categories);
  const level1Names = new Set(categories.map((node) => node.name));

  const departmentsPath = fileLabel(referenceFileNames.departments);
  const departmentIds = new Set<string>();
  departmentsFile.departments.forEach((department, index) => {
    if (departmentIds.has(department.id)) {
      throw new ReferenceDataError(departmentsPath, `departments[${index}].id "${department.id}" is used twice`);
    }
    departmentIds.add(department.id);
    const unknown = department.categories.find((category) => !level1Names.has(category));
    if (unknown !== undefined) {
      throw new ReferenceDataError(
        departmentsPath,
        `departments[${index}].categories names "${unknown}", which is not a first-level category`,
      );
    }
  });

  const serviceLevels = checkServiceLevels(fileLabel(referenceFileNames.serviceLevels), serviceLevelsFile, level1Names);
  const urgencyCues = checkUrgencyCues(fileLabel(referenceFileNames.urgencyCues), urgencyCuesFile);
  const departmentCues = checkDepartmentCues(fileLabel(referenceFileNames.departmentCues), departmentCuesFile, departmentIds);

  const sampleCallsById = new Map(sampleCalls.map((call) => [call.id, call]));
  const hoursByRule = new Map(serviceLevels.rules.map((rule) => [`${rule.urgency}${pathSeparator}${rule.category}`, rule.hours]));

  const snapshot: ReferenceSnapshot = {
    categories,
    departments: departmentsFile.departments,
    urgencyLevels: serviceLevels.urgencyLevels,
    serviceLevels: serviceLevels.rules,
  };

  return {
    snapshot,
    sampleCalls,
    urgencyCues,
    departmentCues,
    sampleCallSummaries: () =>
      sampleCalls.map((call) => ({
        id: call.id,
        title: call.title,
        description: call.description,
        callerLine: call.callerLine,
        durationMs: Math.max(...call.utterances.map((utterance) => utterance.endMs)),
        utteranceCount: call.utterances.length,
      })),
    findSampleCall: (id) => sampleCallsById.get(id),
    suggestAddress: (text, limit) => divisionIndex.suggest(text, limit),
    placeNames: () => divisionIndex.placeNames(),
    get places() {
      return divisionIndex.places;
    },
    deadlineHours(urgency, categoryLevel1) {
      const specific = categoryLevel1 === null ? undefined : hoursByRule.get(`${urgency}${pathSeparator}${categoryLevel1}`);
      // checkServiceLevels guarantees a '*' rule for every urgency.
      return specific ?? (hoursByRule.get(`${urgency}${pathSeparator}${wildcardCategory}`) as number);
    },
    isKnownCategoryPath: (categoryPath) =>
      categoryPath.length >= 1 && categoryPath.length <= categoryDepth && categoryPaths.has(categoryPath.join(pathSeparator)),
  };
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ReferenceDataError(file, code === 'ENOENT' ? 'file is missing' : `cannot be read (${code ?? String(error)})`);
  }
}

function parseJson(file: string, text: string, where = ''): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ReferenceDataError(file, `${where}not valid JSON (${(error as Error).message})`);
  }
}

async function readJsonFile<Schema extends z.ZodType>(file: string, schema: Schema): Promise<z.output<Schema>> {
  const result = schema.safeParse(parseJson(file, await readText(file)));
  if (!result.success) throw new ReferenceDataError(file, describeIssues(result.error));
  return result.data;
}

async function readDivisionIndex(file: string, preferredRegionCode: string | undefined): Promise<DivisionIndex> {
  const lines: string[] = [];
  const lineNumbers: number[] = [];
  (await readText(file)).split('\n').forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '') return;
    lines.push(trimmed);
    lineNumbers.push(index + 1);
  });
  const result = divisionLinesSchema.safeParse(lines);
  if (!result.success) {
    throw new ReferenceDataError(file, describeIssues(result.error, ([row]) => `line ${lineNumbers[row as number]}`));
  }
  return buildDivisionIndex(result.data, preferredRegionCode, (rowIndex, problem) => {
    throw new ReferenceDataError(file, `line ${lineNumbers[rowIndex]}: ${problem}`);
  });
}

async function readSampleCalls(dir: string): Promise<SampleCall[]> {
  let fileNames: string[];
  try {
    fileNames = (await readdir(dir)).filter((fileName) => fileName.endsWith('.json')).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ReferenceDataError(dir, code === 'ENOENT' ? 'folder is missing' : `cannot be read (${code ?? String(error)})`);
  }
  const calls = await Promise.all(
    fileNames.map(async (fileName) => {
      const file = path.join(dir, fileName);
      const call = await readJsonFile(file, sampleCallFileSchema);
      // The file name is how people find a script in the repository; keep it in step with the id.
      const expectedId = fileName.slice(0, -'.json'.length);
      if (call.id !== expectedId) throw new ReferenceDataError(file, `id "${call.id}" must match the file name "${expectedId}"`);
      return call;
    }),
  );
  return calls;
}

function checkCategoryTree(file: string, tree: CategoryNode[]): Set<string> {
  const paths = new Set<string>();
  const visit = (nodes: CategoryNode[], ancestors: string[], where: string) => {
    const siblingNames = new Set<string>();
    nodes.forEach((node, index) => {
      const nodeWhere = `${where}[${index}]`;
      if (siblingNames.has(node.name)) throw new ReferenceDataError(file, `${nodeWhere} "${node.name}" appears twice under one parent`);
      siblingNames.add(node.name);
      const nodePath = [...ancestors, node.name];
      if (nodePath.length < categoryDepth && node.children.length === 0) {
        throw new ReferenceDataError(file, `${nodeWhere} "${nodePath.join(' / ')}" must have children: the tree has ${categoryDepth} levels`);
      }
      if (nodePath.length === categoryDepth && node.children.length > 0) {
        throw new ReferenceDataError(file, `${nodeWhere} "${nodePath.join(' / ')}" must not have children: the tree has ${categoryDepth} levels`);
      }
      paths.add(nodePath.join(pathSeparator));
      visit(node.children, nodePath, `${nodeWhere}.children`);
    });
  };
  visit(tree, [], 'tree');
  return paths;
}

function checkServiceLevels(
  file: string,
  content: z.output<typeof serviceLevelsFileSchema>,
  level1Names: Set<string>,
): { urgencyLevels: ReferenceSnapshot['urgencyLevels']; rules: ServiceLevelRule[] } {
  const described = new Set<string>();
  content.urgencyLevels.forEach(({ level }, index) => {
    if (described.has(level)) throw new ReferenceDataError(file, `urgencyLevels[${index}] describes ${level} twice`);
    described.add(level);
  });
  const undescribed = allUrgencyLevels.filter((level) => !described.has(level));
  if (undescribed.length > 0) throw new ReferenceDataError(file, `urgencyLevels must describe ${undescribed.join(', ')}`);

  const ruleKeys = new Set<string>();
  content.rules.forEach((rule, index) => {
    if (rule.category !== wildcardCategory && !level1Names.has(rule.category)) {
      throw new ReferenceDataError(file, `rules[${index}].category "${rule.category}" is neither '*' nor a first-level category`);
    }
    const key = `${rule.urgency}${pathSeparator}${rule.category}`;
    if (ruleKeys.has(key)) throw new ReferenceDataError(file, `rules[${index}] repeats the rule for ${rule.urgency} / ${rule.category}`);
    ruleKeys.add(key);
  });
  const withoutDefault = allUrgencyLevels.filter((level) => !ruleKeys.has(`${level}${pathSeparator}${wildcardCategory}`));
  if (withoutDefault.length > 0) {
    throw new ReferenceDataError(file, `rules must hold a '*' rule for ${withoutDefault.join(', ')}`);
  }
  // Keep the levels in the contract's order whatever order the file uses.
  const urgencyLevels = allUrgencyLevels.map((level) => content.urgencyLevels.find((info) => info.level === level)!);
  return { urgencyLevels, rules: content.rules };
}

function checkUrgencyCues(file: string, content: z.output<typeof urgencyCuesFileSchema>): UrgencyCues[] {
  const levelByWord = new Map<string, UrgencyLevel>();
  const seenLevels = new Set<UrgencyLevel>();
  content.levels.forEach(({ level, words }, index) => {
    if (seenLevels.has(level)) throw new ReferenceDataError(file, `levels[${index}] lists ${level} twice`);
    seenLevels.add(level);
    words.forEach((word, wordIndex) => {
      const other = levelByWord.get(word);
      // A word under two levels would make the suggested urgency depend on list order.
      if (other !== undefined) {
        throw new ReferenceDataError(file, `levels[${index}].words[${wordIndex}] "${word}" is already a cue for ${other}`);
      }
      levelByWord.set(word, level);
    });
  });
  return content.levels;
}

function checkDepartmentCues(file: string, content: z.output<typeof departmentCuesFileSchema>, departmentIds: Set<string>): DepartmentCues[] {
  const departmentByWord = new Map<string, string>();
  const seenIds = new Set<string>();
  content.departments.forEach(({ id, words }, index) => {
    if (!departmentIds.has(id)) {
      throw new ReferenceDataError(file, `departments[${index}].id "${id}" is not a department of ${referenceFileNames.departments}`);
    }
    if (seenIds.has(id)) throw new ReferenceDataError(file, `departments[${index}] lists ${id} twice`);
    seenIds.add(id);
    words.forEach((word, wordIndex) => {
      const other = departmentByWord.get(word);
      // A word under two departments would split its vote between them and decide nothing.
      if (other !== undefined) {
        throw new ReferenceDataError(file, `departments[${index}].words[${wordIndex}] "${word}" is already a cue for ${other}`);
      }
      departmentByWord.set(word, id);
    });
  });
  return content.departments.map(({ id, words }) => ({ departmentId: id, words }));
}
