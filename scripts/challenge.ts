/**
 * Scores a model on the project's challenge set (`npm run challenge [-- --model PATH] [-- --errors]`).
 * Errors are listed for the OPEN half only: the frozen half is only ever scored.
 */
import { loadModel } from '../src/adapters/fs/model-file.js';
import { createChecker } from '../src/index.js';
import { loadChallenge } from './lib/challenge.js';
import { challengeTable, evidenceReport, scoreChallenge } from './lib/score-challenge.js';

const args = process.argv.slice(2);
const at = args.indexOf('--model');
const modelPath = at >= 0 ? args[at + 1] : undefined;
const checker = createChecker(await loadModel(modelPath));
const open = scoreChallenge(checker, loadChallenge('open'));
const frozen = scoreChallenge(checker, loadChallenge('frozen'));
const extra = scoreChallenge(checker, loadChallenge('evidence'));
if (args.includes('--json')) {
  console.log(
    JSON.stringify({
      model: checker.card.name,
      open: { ...open, errors: undefined },
      frozen: {
        ...frozen,
        errors: undefined,
        evidence: { ...frozen.evidence, misses: undefined },
        reasons: { ...frozen.reasons, failures: undefined },
      },
    }),
  );
} else {
  console.log(challengeTable(open, 'challenge set, open half'));
  console.log(challengeTable(frozen, 'challenge set, frozen half'));
  console.log(evidenceReport(open, frozen, extra, 0.85));
  if (args.includes('--errors')) {
    console.log('\nopen-half errors:');
    for (const e of open.errors)
      console.log(`  ${e.id.padEnd(20)} expected ${e.expected.padEnd(10)} got ${e.got}`);
    console.log('\nevidence misses, open half and evidence.txt (top sentence not a marked one):');
    for (const m of [...open.evidence.misses, ...extra.evidence.misses])
      console.log(
        `  ${m.id.padEnd(20)} ${m.label}: top "${m.top}"\n      marked: ${m.marked.map((e) => `"${e}"`).join(', ')}`,
      );
    console.log('\nopen-half reason failures:');
    for (const f of open.reasons.failures) console.log(`  ${f.id.padEnd(20)} ${f.check}\n      ${f.reason}`);
  }
}
