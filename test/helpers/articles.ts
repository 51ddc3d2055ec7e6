/**
 * Project-written article texts for behaviour tests (original prose, not from any dataset).
 */

/** A report on a ceasefire in one (fictional) war. */
export const CEASEFIRE_BODY = [
  "A ceasefire between the government of Morvania and the Eastern Liberation Front came into force at midnight on Sunday, ending eleven months of fighting in the country's southern provinces.",
  'The truce was negotiated in Geneva over three weeks of talks chaired by the Swiss foreign ministry.',
  'Under its terms, both sides will pull heavy artillery back twenty kilometres from the front line around the city of Kesh, and international monitors will patrol a buffer zone along the Amber River.',
  'Aid agencies said the first convoys of food and medicine had already crossed into Kesh by Monday morning.',
  '"People have been living in basements since the spring," said Lena Ostrova, who coordinates relief work for a Morvanian charity. "Today they came out to see the sky."',
  "The Front's commander, Dario Velk, told reporters that his fighters would respect the truce as long as government troops stayed behind the agreed line.",
  "Morvania's defence minister said prisoner exchanges would begin within a fortnight.",
  'Previous ceasefires in the conflict collapsed within days, and diplomats in Geneva were careful not to call the agreement a peace deal.',
].join(' ');

/** A different war's headline with shared war vocabulary. */
export const OTHER_WAR_HEADLINE =
  'Navy ships shell rebel positions on Tarsa island as coastal offensive begins';

/** A claim and three bodies: one backs it, one refutes it after stating it, one reports it. */
export const SHARK_CLAIM = 'Shark seen swimming on flooded motorway in Dunmore';

export const SHARK_SUPPORTS = [
  'A shark was filmed swimming along a flooded stretch of the motorway outside Dunmore on Tuesday, police confirmed.',
  'Officers who were directing traffic away from the flooded road recorded the video, and the coastguard confirmed that the animal was a young bull shark.',
  'The storm surge had pushed seawater two metres deep across the motorway, and marine biologists said bull sharks can survive in shallow, brackish water for hours.',
  'The animal was later guided back to the estuary by a rescue team.',
].join(' ');

export const SHARK_REFUTES = [
  'A photo that claims to show a shark swimming on the flooded motorway in Dunmore spread widely on social media on Tuesday.',
  'It is a hoax.',
  'The image is a doctored picture that first circulated after a hurricane eight years ago, and the shark was pasted in from a diving magazine photograph.',
  'Police in Dunmore said no shark was seen on the motorway, and the coastguard said the claim was false.',
  'Fact-checkers traced the fake to an account that has shared the same fabricated picture after every major flood.',
].join(' ');

export const SHARK_DISCUSSES = [
  'Social media users claimed on Tuesday that a shark had been seen swimming on the flooded motorway in Dunmore.',
  'A video that reportedly shows a fin moving through brown water has been shared thousands of times, but it is unclear where or when it was filmed.',
  'Police said they were aware of the reports and were looking into them.',
  'The coastguard said it could not yet confirm whether the animal was a shark.',
].join(' ');

/** Sentences about unrelated everyday topics, used to pad long op-eds. */
const FILLER = [
  'The city council spent most of the evening debating the price of parking permits for residents of the old town.',
  'Bakers in the region say the cost of flour has risen by a third since last winter.',
  'My grandmother kept a garden of beans and tomatoes that fed the whole street every August.',
  'Train timetables changed again this month, and commuters have complained about the late services.',
  'A new library opened on the east side, with a reading room that stays open until midnight.',
  'The local football team lost its third match in a row, and the coach blamed the wet pitch.',
  'Schools are asking parents to help repaint classrooms during the summer holidays.',
  'Opinion writers have argued for years about whether the river promenade should be closed to cars.',
  'The museum will show a collection of maritime paintings borrowed from three private owners.',
  'Farmers worry that a dry spring could shorten the harvest for the second year running.',
];

/** A long op-ed (about `words` words) with `passage` placed in the middle. */
export function longOpEd(passage: string, words: number): string {
  const paragraphs: string[] = [];
  let count = 0;
  let i = 0;
  const half = words / 2;
  let placed = false;
  while (count < words) {
    const para: string[] = [];
    for (let k = 0; k < 4; k++) {
      const s = FILLER[(i++ * 7) % FILLER.length] as string;
      para.push(s);
      count += s.split(' ').length;
    }
    paragraphs.push(para.join(' '));
    if (!placed && count >= half) {
      paragraphs.push(passage);
      placed = true;
    }
  }
  return paragraphs.join('\n\n');
}
