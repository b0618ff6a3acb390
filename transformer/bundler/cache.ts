// The bundler plugin's build cache: each module's transform result (rewritten code and map,
// or "nothing to do", and the warnings it reported) kept on disk between builds, so that a
// build whose sources did not change neither loads TypeScript nor traces anything.
//
// Validity. A module's result depends on its own text and on everything its program read:
// the project's other sources (the analysis follows helpers across modules, the checker sees
// their types), the declaration files (tsjit's, @types), the tsconfig, TypeScript's version
// and the plugin itself (its analysis, and the runtime that built the kernels). The cache
// file records the environment as a key (plugin options, TypeScript's version, the plugin's
// and the tracing worker's files) and the size and mtime of every file the program read; on
// load, one differing stamp drops every entry (the next build is a cold one and writes a
// fresh cache). An entry is used only when the module's text hashes the same. A module with
// an error is never cached: the build fails again the same way.
//
// Once the bundler reports a changed file (watch mode, the dev server), the cache is neither
// read nor written for the rest of that session: the project service sees the changes.

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface CachedTransform {
  /** Rewritten code (null: the module is left as it is). */
  readonly code: string | null;
  readonly map?: unknown;
  /** The warnings reported for the module, in tsc's format. */
  readonly warnings: readonly string[];
  /** The prebuilt entries the code imports (see index.ts#entryModule): hash -> entry code. */
  readonly entries?: Readonly<Record<string, string>>;
}

interface Entry extends CachedTransform {
  readonly hash: string;
}

interface CacheFile {
  readonly format: 1;
  readonly key: string;
  readonly stamps: Record<string, string>;
  readonly entries: Record<string, Entry>;
}

export interface BuildCache {
  /** The result recorded for `fileName` with this exact text, if the cache is valid. */
  lookup(fileName: string, text: string): CachedTransform | undefined;
  /** Records a result computed this build. */
  store(fileName: string, text: string, result: CachedTransform): void;
  /** Writes the cache; `dependencies`: every file the build's programs read (stamped now). */
  save(dependencies: Iterable<string>): void;
  /** A source changed during the session: stop reading and writing the cache. */
  suspend(): void;
}

/** `size:mtime` of a file, or "missing". */
export function stamp(file: string): string {
  try {
    const s = statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return "missing";
  }
}

function hashText(text: string): string {
  return createHash("sha1").update(text).digest("base64");
}

/**
 * The cache in `directory` for the configuration `name` (any JSON: its hash names the file,
 * so builds with other options keep their own cache, and a new version of the plugin
 * overwrites the old one's), valid for the environment described by `key` (any JSON).
 */
export function openBuildCache(directory: string, name: unknown, key: unknown): BuildCache {
  const keyText = JSON.stringify(key);
  const path = join(directory, `bundler-${hashText(JSON.stringify(name)).replace(/[/+=]/g, "").slice(0, 16)}.json`);
  let loaded: Record<string, Entry> | undefined;
  let loadedStamps: Record<string, string> = {};
  const fresh: Record<string, Entry> = {};
  let dirty = false;
  let suspended = false;

  const load = (): Record<string, Entry> => {
    if (loaded) return loaded;
    loaded = {};
    try {
      const file = JSON.parse(readFileSync(path, "utf8")) as CacheFile;
      if (file.format !== 1 || file.key !== keyText) return loaded;
      for (const [dep, was] of Object.entries(file.stamps)) if (stamp(dep) !== was) return loaded;
      loaded = file.entries;
      loadedStamps = file.stamps;
    } catch {
      // no cache yet, or unreadable: a cold build
    }
    return loaded;
  };

  return {
    lookup(fileName, text) {
      if (suspended) return undefined;
      const entry = fresh[fileName] ?? load()[fileName];
      if (!entry || entry.hash !== hashText(text)) return undefined;
      if (!fresh[fileName]) fresh[fileName] = entry;
      return entry;
    },
    store(fileName, text, result) {
      if (suspended) return;
      fresh[fileName] = { hash: hashText(text), code: result.code, ...(result.map !== undefined ? { map: result.map } : {}), warnings: [...result.warnings], ...(result.entries ? { entries: result.entries } : {}) };
      dirty = true;
    },
    save(dependencies) {
      if (suspended || !dirty) return;
      // What the entries reused from the last build depended on, and this build's reads.
      const stamps: Record<string, string> = { ...loadedStamps };
      for (const dep of dependencies) stamps[dep] = stamp(dep);
      // Entries of this build only: one whose module was not part of it may be stale.
      const file: CacheFile = { format: 1, key: keyText, stamps, entries: fresh };
      try {
        mkdirSync(directory, { recursive: true });
        const tmp = `${path}.${process.pid}.tmp`;
        writeFileSync(tmp, JSON.stringify(file));
        renameSync(tmp, path);
        dirty = false;
      } catch {
        // a read-only tree: builds stay cold
      }
    },
    suspend() {
      suspended = true;
    },
  };
}
