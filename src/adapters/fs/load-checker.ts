/**
 * Loads the model (the default one unless `--model` names a file) and builds its checker.
 */
import type { Checker } from '../../core/checker.js';
import { createChecker } from '../../core/create-checker.js';
import type { Vocabulary } from '../../core/features/vocabulary.js';
import { loadModel } from '../fs/model-file.js';
import { guessLanguage } from '../language/tinyld.js';

/** Loads a model file and binds a checker to it. */
export async function loadChecker(modelPath?: string): Promise<Checker> {
  return (await loadCheckerWithVocab(modelPath)).checker;
}

/**
 * Loads a model file once: its checker, and its vocabulary (which the checker holds too), for work
 * on stored analyses such as the corpus audit's.
 */
export async function loadCheckerWithVocab(
  modelPath?: string,
): Promise<{ checker: Checker; vocab: Vocabulary }> {
  const model = await loadModel(modelPath);
  return { checker: createChecker(model, { guessLanguage }), vocab: model.vocab };
}
