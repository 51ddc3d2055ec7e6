/**
 * Cue words, matched on lower-cased tokens (apostrophes removed, so "didn't" is "didnt").
 * Each list is one kind of cue a sentence can carry (see Cue in verdict.ts).
 */
const words = (s: string): ReadonlySet<string> => new Set(s.split(/\s+/).filter(Boolean));

/** Words that call a claim false. */
export const REFUTE = words(`
  fake fakes faked fraud fraudulent hoax hoaxes false falsely deny denies denied denying denial
  bogus debunk debunks debunked debunking prank pranks retract retracts retracted retraction
  rumor rumour untrue satire satirical myth myths fabricated fabrication misleading erroneous
  incorrect baseless unfounded refute refutes refuted refuting dismiss dismissed dismisses
  disputed disputes dispute nonsense lie lies lied lying fiction fictional doctored photoshopped
  misinformation disinformation spoof parody scam contrary wrong wrongly mistaken`);

/** Event reversals: the reported event did not (or no longer) happen(s). */
export const REVERSAL = words(`
  withdraw withdraws withdrew withdrawn quit quits exits exited exit drop drops dropped dropping
  cancel cancels cancelled canceled scrapped scraps abandoned abandons backs backed pulled pulls
  reversed reverses rejected rejects declined declines turned bails bailed walked recovered alive
  survived safe returned released freed found`);

/** Negations. */
export const NEGATION = words(`
  not no never none nobody nothing neither nor isnt wasnt arent werent dont doesnt didnt cant
  cannot couldnt wont wouldnt shouldnt hasnt havent hadnt aint without nowhere`);

/** Negation words alone ({@link NEGATION} without "without", "nowhere", "aint" and "shouldnt"). */
export const PLAIN_NEGATION = words(`
  not no never none nobody nothing neither nor isnt wasnt arent werent dont doesnt didnt cant
  cannot couldnt wont wouldnt hasnt havent hadnt`);

/** Hedging and attribution: the body reports rather than asserts. */
export const HEDGE = words(`
  reportedly report reports reported allegedly alleged alleges allege claim claims claimed claiming
  according purportedly purported rumored rumoured apparently seemingly possibly possible may might
  could unconfirmed unverified suggest suggests suggested speculation speculate speculated
  believed believe believes appears appear appeared suspected supposedly likely unclear
  sources source said says say told tells insists insisted asserted maybe perhaps if whether`);

/** Confirming words: the body asserts the claim. */
export const SUPPORT = words(`
  confirmed confirms confirm confirming announced announces officially official revealed reveals
  proved proven proves verified indeed true truly footage evidence showed shows shown admitted
  admits acknowledged acknowledges`);

/** Words of alarm common in discussed claims (questions, investigation). */
export const INVESTIGATE = words(
  `investigating investigation investigate probe probing checking questions question doubt doubts skeptical sceptical`,
);

/** Counts the tokens of `tokens` that are in `set`. */
export function countIn(tokens: readonly string[], set: ReadonlySet<string>): number {
  let c = 0;
  for (const t of tokens) if (set.has(t)) c++;
  return c;
}

/** The first token of `tokens` that is in `set`, if any. */
export function firstIn(tokens: readonly string[], set: ReadonlySet<string>): string | undefined {
  for (const t of tokens) if (set.has(t)) return t;
  return undefined;
}
