import { StringDecoder } from "node:string_decoder";
import { Readable } from "node:stream";
import Papa from "papaparse";
import { AppError } from "@/lib/errors";
import { detectFormat, flattenJsonExport, REQUIRED_COLUMNS, type UsageFormat } from "@/lib/domain/usage-formats";

const MAX_JSON_BYTES = 256 * 1024 * 1024;
const SLICE = 64 * 1024;

/** Rows of a usage file in batches, each row's cells by column position. */
export type UsageFile = {
  format: UsageFormat;
  /** header names in file order */
  columns: string[];
  /** lines before the first row (1 for a CSV header), so row k (1-based) is reported as line k + headerLines */
  headerLines: number;
  /** each batch is an array of rows; row n of the file (1 = header for CSV) is counted by the reader */
  batches: AsyncIterable<(string | undefined)[][]>;
};

/** Reads the first bytes to tell JSON from CSV, then yields batches of rows (CSV is streamed, never held whole). */
export async function openUsageFile(input: Readable): Promise<UsageFile> {
  const it = input[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) throw new AppError(422, "empty_file", "The file is empty");
  const head = Buffer.from(first.value as Buffer);
  // Re-sliced to at most 64 KB: papaparse hands each input chunk over as one batch of rows, and batches this
  // small die young in V8's GC (1 MB batches were promoted and cost ~2× the parse time in measurement).
  const rest = Readable.from((async function* () {
    for (let b: Buffer | null = head; b; ) {
      for (let i = 0; i < b.length; i += SLICE) yield b.subarray(i, i + SLICE);
      const n = await it.next();
      b = n.done ? null : (n.value as Buffer);
    }
  })());
  const firstChar = head.toString("utf8", 0, Math.min(head.length, 64)).replace(/^\uFEFF/, "").trimStart()[0];
  if (firstChar === "{" || firstChar === "[") return openJson(rest);
  return openCsv(utf8Text(rest));
}

/**
 * Bytes → text with a streaming UTF-8 decoder: a multi-byte character split across two chunks is completed
 * from the next chunk instead of being decoded (corrupted) half by half, as Buffer#toString per chunk would.
 */
function utf8Text(input: Readable): Readable {
  return Readable.from((async function* () {
    const decoder = new StringDecoder("utf8");
    for await (const chunk of input) {
      const text = decoder.write(chunk as Buffer);
      if (text) yield text;
    }
    const tail = decoder.end();
    if (tail) yield tail;
  })());
}

async function openJson(input: Readable): Promise<UsageFile> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of input) {
    size += (c as Buffer).length;
    if (size > MAX_JSON_BYTES) throw new AppError(413, "too_large", "JSON exports over 256 MB are not supported; export CSV instead");
    chunks.push(c as Buffer);
  }
  let records: Record<string, string>[];
  try {
    records = flattenJsonExport(JSON.parse(Buffer.concat(chunks).toString("utf8")));
  } catch (e) {
    throw new AppError(422, "bad_json", `Not a usage export: ${(e as Error).message}`);
  }
  if (!records.length) throw new AppError(422, "empty_file", "The export has no usage buckets");
  const format = detectFormat(Object.keys(records[0]));
  if (format !== "openai" && format !== "anthropic")
    throw new AppError(422, "unknown_format", "JSON must be an OpenAI completions usage or Anthropic usage report export");
  const names = [...new Set(records.flatMap((r) => Object.keys(r)))];
  const rows = records.map((r) => names.map((n) => r[n]));
  return { format, columns: names, headerLines: 0, batches: (async function* () { yield rows; })() };
}

/**
 * Streams CSV rows in batches: papaparse's chunk callback with pause/resume, so a slow consumer (COPY
 * backpressure) pauses the file instead of buffering it. (papaparse's NODE_STREAM_INPUT duplex was measured
 * at ~250× slower for large files.)
 */
async function* csvBatches(input: Readable): AsyncGenerator<string[][]> {
  const queue: string[][][] = [];
  let done = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  let parser: Papa.Parser | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  Papa.parse(input as unknown as File, {
    skipEmptyLines: true,
    chunkSize: 1 << 20,
    chunk: (res: Papa.ParseResult<string[]>, p: Papa.Parser) => {
      parser = p;
      p.pause();
      queue.push(res.data);
      notify();
    },
    complete: () => {
      done = true;
      notify();
    },
    error: (e: Error) => {
      failure = e;
      notify();
    },
  });
  input.on("error", (e) => {
    failure = e;
    notify();
  });
  while (true) {
    if (failure) throw failure;
    const batch = queue.shift();
    if (batch) {
      yield batch;
      (parser as Papa.Parser | null)?.resume();
      continue;
    }
    if (done) return;
    await new Promise<void>((r) => (wake = r));
  }
}

async function openCsv(input: Readable): Promise<UsageFile> {
  const batches = csvBatches(input);
  let pending: string[][] = [];
  let header: string[] | null = null;
  while (!header) {
    const n = await batches.next();
    if (n.done) throw new AppError(422, "empty_file", "The file is empty");
    pending = n.value;
    if (pending.length) header = pending.shift()!.map((h) => h.trim().replace(/^\uFEFF/, ""));
  }
  const format = detectFormat(header);
  if (!format)
    throw new AppError(
      422,
      "unknown_format",
      `Unrecognised header "${header.slice(0, 8).join(",")}". Expected Tokenhedge CSV (date,team,provider,model,input_tokens,output_tokens), FOCUS, OpenAI or Anthropic usage export.`,
    );
  const missing = REQUIRED_COLUMNS[format].filter((c) => !header!.includes(c));
  if (missing.length) throw new AppError(422, "missing_columns", `Missing column(s) for ${format} format: ${missing.join(", ")}`);
  return {
    format,
    columns: header,
    headerLines: 1,
    batches: (async function* () {
      if (pending.length) yield pending;
      for await (const b of batches) yield b;
    })(),
  };
}
