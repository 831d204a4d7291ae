import { z } from 'zod';
import { maxSegmentTextLength, speakers, urgencyLevels } from '../../contract';

const name = z.string().trim().min(1, 'must not be empty');

// Recursive through z.lazy: the tree's depth is checked after parsing, where the message can say
// which branch is too deep or too shallow.
interface CategoryNodeInput {
  name: string;
  children: CategoryNodeInput[];
}
// 40 characters is what a case's category path accepts (contract categoryPathSchema).
const categoryNodeSchema: z.ZodType<CategoryNodeInput> = z.lazy(() =>
  z.object({ name: name.max(40, 'must be at most 40 characters'), children: z.array(categoryNodeSchema) }),
);

export const categoriesFileSchema = z.object({
  source: name,
  tree: z.array(categoryNodeSchema).min(1, 'must hold at least one category'),
});

export const departmentsFileSchema = z.object({
  departments: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case'),
        name: name.max(80, 'must be at most 80 characters'),
        categories: z.array(name).min(1, 'must name at least one first-level category'),
      }),
    )
    .min(1, 'must list at least one department'),
});

export const serviceLevelsFileSchema = z.object({
  urgencyLevels: z.array(z.object({ level: z.enum(urgencyLevels), description: name })),
  rules: z.array(
    z.object({
      urgency: z.enum(urgencyLevels),
      category: name,
      hours: z.number().positive('must be a positive number of hours').max(24 * 365, 'must be at most a year'),
    }),
  ),
});

export const urgencyCuesFileSchema = z.object({
  levels: z.array(z.object({ level: z.enum(urgencyLevels), words: z.array(name) })),
});

export const departmentCuesFileSchema = z.object({
  departments: z.array(
    z.object({
      id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case'),
      words: z.array(name).min(1, 'must list at least one word'),
    }),
  ),
});

const utteranceSchema = z.object({
  speaker: z.enum(speakers),
  startMs: z.number().int('must be a whole number of milliseconds').nonnegative('must not be negative'),
  endMs: z.number().int('must be a whole number of milliseconds'),
  text: name.max(maxSegmentTextLength, `must be at most ${maxSegmentTextLength} characters`),
});

export const sampleCallFileSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case'),
    title: name.max(80, 'must be at most 80 characters'),
    description: name.max(400, 'must be at most 400 characters'),
    callerLine: z.string().trim().min(1).max(40).nullable(),
    utterances: z.array(utteranceSchema).min(1, 'must hold at least one utterance'),
  })
  .superRefine((call, context) => {
    // Playback schedules segments by these times, so disorder would replay the call scrambled.
    const lastEndBySpeaker = new Map<string, number>();
    call.utterances.forEach((utterance, index) => {
      if (utterance.endMs <= utterance.startMs) {
        context.addIssue({ code: 'custom', path: ['utterances', index, 'endMs'], message: 'must be greater than startMs' });
      }
      const previous = call.utterances[index - 1];
      if (previous && utterance.startMs <= previous.startMs) {
        context.addIssue({
          code: 'custom',
          path: ['utterances', index, 'startMs'],
          message: `must be greater than the previous utterance's startMs (${previous.startMs})`,
        });
      }
      const lastEnd = lastEndBySpeaker.get(utterance.speaker);
      if (lastEnd !== undefined && utterance.startMs < lastEnd) {
        context.addIssue({
          code: 'custom',
          path: ['utterances', index, 'startMs'],
          message: `overlaps the ${utterance.speaker}'s previous utterance, which ends at ${lastEnd}`,
        });
      }
      lastEndBySpeaker.set(utterance.speaker, Math.max(lastEnd ?? 0, utterance.endMs));
    });
  });

export const divisionLevels = ['province', 'city', 'district', 'street'] as const;

/**
 * One line of divisions.jsonl: `["110105026","望京街道","street","110105"]`. Matched as text and
 * turned into a row in the same pass, not parsed as JSON and then checked: the list has ~45,000
 * lines, and this is most of the start-up time the operator waits for.
 * Groups: code, name (JSON-escaped), level, parent code (absent for a province).
 */
const divisionLinePattern =
  /^\[\s*"(\d{2,12})"\s*,\s*"((?:[^"\\]|\\.)+)"\s*,\s*"(province|city|district|street)"\s*,\s*(?:"(\d{2,12})"|null)\s*\]$/;

export type DivisionRow = [code: string, name: string, level: (typeof divisionLevels)[number], parentCode: string | null];

export const divisionLinesSchema = z.array(z.string()).transform((lines, context): DivisionRow[] => {
  // One transform over the whole list rather than one per line: per-element transforms cost zod
  // a context each, which doubles the time for ~45,000 lines.
  const rows: DivisionRow[] = [];
  lines.forEach((line, index) => {
    const match = divisionLinePattern.exec(line);
    if (match === null) {
      context.addIssue({
        code: 'custom',
        path: [index],
        message: 'must be ["code", "name", "province|city|district|street", "parent code" or null], codes of 2 to 12 digits',
      });
      return;
    }
    const [, code, quotedName, level, parentCode] = match as unknown as [string, string, string, DivisionRow[2], string | undefined];
    let name = quotedName;
    // Escapes are rare enough (none in the current list) that JSON.parse runs only for them.
    if (quotedName.includes('\\')) {
      try {
        name = JSON.parse(`"${quotedName}"`) as string;
      } catch {
        context.addIssue({ code: 'custom', path: [index], message: 'has a name with an invalid escape sequence' });
        return;
      }
    }
    rows.push([code, name, level, parentCode ?? null]);
  });
  return rows;
});

/** Turns zod issues into one line a person can act on: where in the file, and what is wrong. */
export function describeIssues(error: z.ZodError, pathPrefix: (path: PropertyKey[]) => string = formatPath): string {
  const shown = error.issues.slice(0, 3).map((issue) => {
    const where = pathPrefix(issue.path);
    if (where === '') return issue.message;
    // Our own messages read as the end of a sentence ("endMs must be ..."); zod's own stand alone.
    return /^[a-z]/.test(issue.message) ? `${where} ${issue.message}` : `${where}: ${issue.message}`;
  });
  const more = error.issues.length - shown.length;
  return shown.join('; ') + (more > 0 ? ` (and ${more} more)` : '');
}

export function formatPath(path: PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`))
    .join('');
}
