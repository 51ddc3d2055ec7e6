/**
 * The stancecheck library. Everything public is listed here; nothing else is API.
 *
 * @example
 * import { loadModel, createChecker } from 'stancecheck';
 * const checker = createChecker(await loadModel());
 * checker.check({ headline: 'Shark swims on flooded motorway', body: '…' }).label;
 */
// Labels, results, errors
export { LABELS, RELATED_LABELS, isLabel, type Label, type Probabilities } from './core/labels.js';
export {
  CUES,
  WARNING_CODES,
  type Cue,
  type Evidence,
  type EvidenceSpan,
  type ClaimVerdict,
  type Verdict,
  type VerdictWarning,
  type WarningCode,
  type Article,
} from './core/verdict.js';
export { StanceError, ERROR_CODES, isStanceError, type ErrorCode, type ErrorContext } from './core/errors.js';

// Checking (pure)
export { createChecker, detectLanguage } from './library-defaults.js';
export type { Checker, CheckerOptions, CheckOptions, PreparedBody } from './core/checker.js';
export type { LanguageGuesser } from './core/text/language.js';
export { classifyPairs, type Pair, type PairResult } from './core/classify-pairs.js';
export { parseArticle, parseArticleJson, toArticle } from './core/article.js';
export { normalizeText } from './core/text/normalize.js';
export { extractArticle } from './adapters/html/extract.js';

// Models
export { loadModel, saveModel, DEFAULT_MODEL_PATH } from './adapters/fs/model-file.js';
export { MODEL_FORMAT_VERSION, type Model } from './core/model/model.js';
export type { ModelCard, Metrics, ClassScores } from './core/model/card.js';

// Evaluation and training
export { evaluate, type EvaluateInput } from './core/eval/evaluate.js';
export {
  trainModel,
  trainCalibrated,
  type TrainingPair,
  type TrainOptions,
  type CalibratedTrainOptions,
  type EmbeddingLookup,
} from './core/train/train.js';
export { trainFromFiles, type TrainFilesOptions } from './adapters/fs/train-files.js';
export { loadEmbeddings } from './adapters/fs/embeddings.js';
