import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { CategoryModelVersion, FieldProposal } from '../contract';
import type { ConsoleServices } from '../core/console-app';
import type { DraftedFields } from '../core/drafting/draft-case';

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

const trainingReasons: Record<CategoryModelVersion['reason'], string> = {
  command: 'by command',
  'new-cases': 'after new confirmed cases',
  'format-upgrade': 'after an update left the previous version unreadable',
};

function describeVersion(version: CategoryModelVersion): string {
  const { training, evaluation } = version;
  const scores = evaluation
    ? `held-out ${evaluation.heldOutCount}: top-1 ${evaluation.top1.toFixed(4)}, macro-F1 ${evaluation.macroF1.toFixed(4)}, top-3 ${evaluation.top3.toFixed(4)}`
    : 'not scored (too few cases to hold any out)';
  return [
    `version ${version.version}${version.active ? ' (active)' : ''}${version.readable ? '' : ' (stored by an earlier console: cannot be used)'}  trained ${version.trainedAt}  ${trainingReasons[version.reason]}`,
    `  ${version.algorithm}`,
    `  learnt from ${training.exampleCount} cases (${training.importedCount} imported, ${training.confirmedCount} confirmed here)` +
      (training.from ? `, ${training.from.slice(0, 10)} – ${training.until?.slice(0, 10) ?? ''}` : ''),
    `  ${training.categories.map((entry) => `${entry.category} ${entry.count}`).join(', ')}`,
    `  ${scores}; trained in ${version.trainSeconds} s`,
  ].join('\n');
}

/**
 * `train`: learns a new category-model version from the imported and confirmed cases and makes it
 * active; `--list` shows the versions; `--restore N` makes version N active again.
 */
export async function trainCommand(services: ConsoleServices, argv: string[]): Promise<number> {
  const { drafting } = services;
  if (argv.includes('--list')) {
    const versions = await drafting.models();
    if (versions.length === 0) console.log('No category model yet: import cases (import-cases FILE.jsonl), then run train.');
    for (const version of versions) console.log(describeVersion(version));
    return 0;
  }
  const restoreIndex = argv.indexOf('--restore');
  if (restoreIndex >= 0) {
    const version = Number(argv[restoreIndex + 1]);
    if (!Number.isInteger(version) || version < 1) {
      console.error('Usage: hotline-console train --restore VERSION (see train --list).');
      return 2;
    }
    console.log(describeVersion(await drafting.activate(version)));
    return 0;
  }
  console.log('Training the category model on the imported and confirmed cases…');
  const version = await drafting.retrain('command');
  if (!version) return 1;
  console.log(describeVersion(version));
  return 0;
}

type OutputField = Record<string, unknown> | null;

function plain<T>(proposal: FieldProposal<T> | null, extra: (value: T) => Record<string, unknown> = () => ({})): OutputField {
  return proposal ? { value: proposal.value, confidence: proposal.confidence, ...extra(proposal.value) } : null;
}

/** The stable JSON interface of `draft`: one line per input, each field `{value, confidence, ...}` or null. */
export function draftOutput(id: unknown, drafted: DraftedFields): Record<string, unknown> {
  const { fields, deadline } = drafted;
  const phone = fields.contactPhone ?? fields.callerPhone;
  const category = fields.category;
  const address = fields.address;
  return {
    id,
    fields: {
      category: category
        ? {
            value: category.value[0],
            path: category.value,
            confidence: category.confidence,
            alternatives: category.alternatives.filter((alternative) => alternative.value[0] !== category.value[0]).map((alternative) => ({ value: alternative.value[0], confidence: alternative.confidence })),
          }
        : null,
      appealType: plain(fields.appealType),
      urgency: plain(fields.urgency),
      phone: plain(phone),
      name: plain(fields.callerName),
      address: address
        ? {
            value: [address.value.district, address.value.street, address.value.community, address.value.estate, address.value.detail].join(''),
            confidence: address.confidence,
            district: address.value.district,
            street: address.value.street,
            community: address.value.community,
            estate: address.value.estate,
            detail: address.value.detail,
            city: address.value.city,
            divisionCode: address.value.divisionCode,
            outsideRegion: address.value.outsideRegion,
          }
        : null,
      department: plain(fields.department),
      deadline: deadline ? { value: deadline.value, hours: deadline.hours, confidence: deadline.confidence } : null,
      summary: plain(fields.summary),
      anonymous: plain(fields.anonymous),
      followUp: plain(fields.followUp),
    },
  };
}

/** `draft --input IN.jsonl`: reads `{id, text}` or `{id, title, body}` lines, writes one JSON line each. */
export async function draftCommand(services: ConsoleServices, input: string): Promise<number> {
  // A model stored by an earlier console cannot be read: without this, every category would be null.
  const retrained = await services.drafting.retrainIfOutdated();
  if (retrained) console.error(`The category model was stored by an earlier version of the console; trained it again as version ${retrained.version}.`);
  const lines = createInterface({ input: createReadStream(input, 'utf8'), crlfDelay: Infinity });
  let lineNumber = 0;
  let failures = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (!line.trim()) continue;
    let record: { id?: unknown; text?: unknown; title?: unknown; body?: unknown };
    try {
      record = JSON.parse(line) as typeof record;
    } catch {
      console.error(`${input}:${lineNumber}: broken JSON, skipped`);
      failures += 1;
      continue;
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      console.error(`${input}:${lineNumber}: a line must be one JSON object with text, or title and body; skipped`);
      failures += 1;
      continue;
    }
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    const drafted = await services.drafting.draftText({ title: text(record.title), body: text(record.body), text: text(record.text) });
    process.stdout.write(`${JSON.stringify(draftOutput(record.id ?? null, drafted))}\n`);
  }
  return failures > 0 ? 1 : 0;
}

/** `draft-report`: how often each field's proposal was kept, per category-model version. */
export async function draftReportCommand(services: ConsoleServices, json: boolean): Promise<number> {
  const rows = await services.suggestionLog.report();
  if (json) {
    console.log(JSON.stringify(rows));
    return 0;
  }
  if (rows.length === 0) {
    console.log('No confirmed case with proposals yet.');
    return 0;
  }
  console.log('field           model  proposed  accepted  edited');
  for (const row of rows) {
    console.log(
      `${row.field.padEnd(15)} ${String(row.modelVersion ?? '-').padStart(5)}  ${String(row.proposed).padStart(8)}  ${percent(row.acceptanceRate).padStart(8)}  ${percent(row.editRate).padStart(6)}`,
    );
  }
  return 0;
}
