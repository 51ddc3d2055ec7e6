/**
 * Loads the model (the default one unless `--model` names a file) and builds its checker.
 */
import type { Checker } from '../../core/checker.js';
import { createChecker } from '../../core/create-checker.js';
import { loadModel } from '../fs/model-file.js';

/** Loads a model file and binds a checker to it. */
export async function loadChecker(modelPath?: string): Promise<Checker> {
  return createChecker(await loadModel(modelPath));
}
