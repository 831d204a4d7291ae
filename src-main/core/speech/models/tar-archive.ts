import { createReadStream } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { ModelStoreError } from './model-store-error';

// A small reader for the tar archives a model is shipped in on a closed network (`tar -czf`
// on Linux, macOS and Windows 10+): ustar and pax headers, GNU long names, gzip or not. Regular
// files and folders only; anything that could write outside the target (absolute paths, "..",
// links, devices) refuses the whole archive.

const blockSize = 512;
const copyPieceBytes = 1 << 20;

/** Reads exact byte counts from a stream of chunks of any size. */
class ExactReader {
  private readonly chunks: AsyncIterator<Buffer>;
  private pending: Buffer = Buffer.alloc(0);

  constructor(source: AsyncIterable<Buffer>) {
    this.chunks = source[Symbol.asyncIterator]();
  }

  /** Up to `count` bytes; fewer only at the end of the stream. */
  async read(count: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let have = 0;
    while (have < count) {
      if (this.pending.length === 0) {
        const next = await this.chunks.next();
        if (next.done) break;
        this.pending = next.value;
        continue;
      }
      const take = Math.min(count - have, this.pending.length);
      parts.push(this.pending.subarray(0, take));
      this.pending = this.pending.subarray(take);
      have += take;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, have);
  }
}

function truncated(): ModelStoreError {
  return new ModelStoreError('MODEL_SOURCE_INVALID', 'The archive ends in the middle of a file: it is truncated. Copy it again and retry.');
}

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

function numberField(header: Buffer, start: number, length: number): number {
  const raw = header.subarray(start, start + length);
  // GNU base-256 for sizes of 8 GiB and more: high bit set, big-endian value.
  if ((raw[0]! & 0x80) !== 0) {
    let value = raw[0]! & 0x7f;
    for (let index = 1; index < raw.length; index += 1) value = value * 256 + raw[index]!;
    return value;
  }
  const text = field(header, start, length).trim();
  return text === '' ? 0 : Number.parseInt(text, 8);
}

function checksumMatches(header: Buffer): boolean {
  let sum = 0;
  for (let index = 0; index < blockSize; index += 1) sum += index >= 148 && index < 156 ? 0x20 : header[index]!;
  return sum === numberField(header, 148, 8);
}

/** Pax records: "LENGTH key=value\n" repeated. */
function parsePax(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space === -1) break;
    const length = Number.parseInt(data.subarray(offset, space).toString('utf8'), 10);
    if (!Number.isFinite(length) || length <= 0) break;
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (equals > 0) records.set(record.slice(0, equals), record.slice(equals + 1));
    offset += length;
  }
  return records;
}

/** The entry's path as a safe relative path, or null for the archive's own root ("./"). */
export function safeEntryPath(rawPath: string): string | null {
  const unsafe = () => new ModelStoreError('MODEL_ARCHIVE_UNSAFE', `The archive holds "${rawPath}", a path outside its own folder. Nothing was installed; use an archive made from the model folder itself.`, [rawPath]);
  if (rawPath.startsWith('/') || rawPath.includes('\\') || /^[A-Za-z]:/.test(rawPath)) throw unsafe();
  const segments = rawPath.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.some((segment) => segment === '..')) throw unsafe();
  return segments.length === 0 ? null : segments.join('/');
}

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const magic = Buffer.alloc(2);
    const { bytesRead } = await handle.read(magic, 0, 2, 0);
    return bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

async function copyBytes(reader: ExactReader, size: number, target: FileHandle | null): Promise<void> {
  let left = size;
  while (left > 0) {
    const piece = await reader.read(Math.min(left, copyPieceBytes));
    if (piece.length === 0) throw truncated();
    if (target) await target.write(piece);
    left -= piece.length;
  }
  const padding = (blockSize - (size % blockSize)) % blockSize;
  if (padding > 0 && (await reader.read(padding)).length < padding) throw truncated();
}

/**
 * Extracts a .tar, .tar.gz or .tgz into `destination` (which must exist) and returns the relative
 * paths of the files written. Throws ModelStoreError: MODEL_ARCHIVE_UNSAFE for a path escaping the
 * folder or a link, MODEL_SOURCE_INVALID for something that is not a (complete) tar archive.
 */
export async function extractTar(archivePath: string, destination: string): Promise<string[]> {
  const compressed = await isGzip(archivePath);
  const file = createReadStream(archivePath);
  const stream = compressed ? file.pipe(createGunzip()) : file;
  const reader = new ExactReader(stream as AsyncIterable<Buffer>);
  const written: string[] = [];
  let longName: string | null = null;
  let paxPath: string | null = null;
  let sawHeader = false;
  try {
    for (;;) {
      const header = await reader.read(blockSize);
      if (header.length === 0 && sawHeader) break;
      if (header.length < blockSize) throw sawHeader ? truncated() : notTar(archivePath);
      if (header.every((byte) => byte === 0)) break;
      if (!checksumMatches(header)) throw sawHeader ? new ModelStoreError('MODEL_SOURCE_INVALID', 'The archive is damaged (a header checksum does not match). Copy it again and retry.') : notTar(archivePath);
      sawHeader = true;
      const type = String.fromCharCode(header[156]!);
      const size = numberField(header, 124, 12);
      if (type === 'L' || type === 'x') {
        const data = await reader.read(size);
        if (data.length < size) throw truncated();
        const padding = (blockSize - (size % blockSize)) % blockSize;
        await reader.read(padding);
        if (type === 'L') longName = field(data, 0, data.length);
        else paxPath = parsePax(data).get('path') ?? paxPath;
        continue;
      }
      if (type === 'g' || type === 'K') {
        // Global pax defaults and GNU long link names carry nothing a model needs.
        await copyBytes(reader, size, null);
        continue;
      }
      const prefix = field(header, 345, 155);
      const ustarName = field(header, 0, 100);
      const rawPath = paxPath ?? longName ?? (prefix ? `${prefix}/${ustarName}` : ustarName);
      paxPath = null;
      longName = null;
      const path = safeEntryPath(rawPath);
      if (type === '5') {
        if (path) await mkdir(join(destination, path), { recursive: true });
        continue;
      }
      if (type !== '0' && type !== '\0' && type !== '7') {
        const kind = type === '1' ? 'a hard link' : type === '2' ? 'a symbolic link' : `an entry of type "${type}"`;
        throw new ModelStoreError('MODEL_ARCHIVE_UNSAFE', `The archive holds ${kind} at "${rawPath}"; a model archive may hold only files and folders. Nothing was installed.`, [rawPath]);
      }
      if (!path) throw new ModelStoreError('MODEL_SOURCE_INVALID', `The archive holds a file without a name.`);
      await mkdir(dirname(join(destination, path)), { recursive: true });
      const target = await open(join(destination, path), 'wx');
      try {
        await copyBytes(reader, size, target);
      } finally {
        await target.close();
      }
      written.push(path);
    }
  } catch (error) {
    if (error instanceof ModelStoreError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') throw new ModelStoreError('MODEL_SOURCE_INVALID', `${archivePath} is not a readable gzip file (${(error as Error).message}). Copy it again and retry.`);
    if (code === 'EEXIST') throw new ModelStoreError('MODEL_SOURCE_INVALID', `The archive holds the same file twice (${(error as Error).message}).`);
    throw error;
  } finally {
    stream.destroy();
    file.destroy();
  }
  return written;
}

function notTar(path: string): ModelStoreError {
  return new ModelStoreError('MODEL_SOURCE_INVALID', `${path} is not a tar archive. Import a model folder, or a .tar / .tar.gz made from one (tar -czf model.tgz FOLDER).`);
}
