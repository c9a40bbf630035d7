/** @module Reading policy packs from packs/<id>/ (YAML files) and compiling them once per process. */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { compilePack, type CompiledPack } from '../core/pack/compile.ts';
import type { PackManifest, PackSource } from '../core/pack/format.ts';
import { DomainError } from '../core/errors.ts';

export const PACKS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../packs');

export function readYaml(path: string): unknown {
  try {
    return parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new DomainError('invalid_pack', `${path}: ${(error as Error).message}`);
  }
}

export function packDirs(root = PACKS_DIR): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'pack.yaml')))
    .map((d) => join(root, d.name))
    .sort();
}

export function readPackSource(dir: string): PackSource {
  const manifest = readYaml(join(dir, 'pack.yaml')) as PackManifest;
  if (manifest?.id !== basename(dir)) throw new DomainError('invalid_pack', `${dir}: the folder must be named after the pack id (${String(manifest?.id)})`);
  const sections = (manifest.sections ?? []).map((file) => readYaml(join(dir, file))) as PackSource['sections'];
  return { manifest, sections };
}

let cache: CompiledPack[] | undefined;

/** All packs under packs/, compiled; cross-pack references (exclusions, overrides) are checked here. */
export function loadPacks(root = PACKS_DIR): CompiledPack[] {
  if (root === PACKS_DIR && cache) return cache;
  const packs = packDirs(root).map((dir) => compilePack(readPackSource(dir)));
  checkReferences(packs);
  if (root === PACKS_DIR) cache = packs;
  return packs;
}

function checkReferences(packs: CompiledPack[]): void {
  const ids = new Set(packs.flatMap((p) => [...p.byId.keys()]));
  for (const pack of packs) {
    for (const policy of pack.policies) {
      const refs = [...(policy.source.excludedBy ?? []), ...(policy.source.overrides ?? [])].map((r) => r.policy);
      for (const ref of refs) {
        if (!ids.has(ref)) throw new DomainError('invalid_pack', `${pack.manifest.id}/${policy.id}: refers to unknown policy ${ref}`);
      }
    }
  }
}
