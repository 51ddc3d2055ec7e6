import type { Checker } from '../../core/checker.js';
import { createChecker } from '../../core/create-checker.js';
import { loadModel } from '../fs/model-file.js';

/** Loads a model file (the default one when `path` is undefined) and builds its checker. Runs inside each worker. */
export async function loadChecker(path?: string): Promise<Checker> {
  return createChecker(await loadModel(path));
}
