/**
 * Articles written for the server tests and benchmark (not from any data set): a typical
 * ~600-word story, a ~4,000-word long one, and a story that has nothing to do with the first
 * headline (for the swapped-headline case).
 */

export const TYPICAL_HEADLINE = 'Riverside council approves new tram line to the hospital';
export const TYPICAL_SUBTITLE = 'The eight-kilometre route is due to open in three years';

const TYPICAL_PARAGRAPHS = [
  'The city council of Riverside voted on Wednesday evening to approve a new tram line linking the central station with the regional hospital, ending more than a decade of argument over how patients and staff should reach the site on the eastern edge of the city.',
  'Councillors backed the plan by thirty-one votes to nine after a debate that lasted almost four hours. The approved route runs for eight kilometres, with eleven stops, and follows the old goods railway for most of its length before crossing the river on a new bridge next to the existing road bridge.',
  'Mayor Helena Brandt said the decision was the most important transport vote the council had taken in a generation. "Every day thousands of people sit in traffic on the ring road to get to an appointment or a shift," she said. "From the day this line opens, they will be able to get there in eighteen minutes from the station, in any weather, without looking for a parking space."',
  'The council confirmed that construction is expected to begin next spring and that the line should carry its first passengers in three years. The transport department estimates that about fourteen thousand people will use the trams on a typical weekday, rising to twenty thousand once a planned housing district near the hospital is finished.',
  'The cost of the project is put at 212 million euros. According to the council, the national government has agreed to pay sixty per cent of the bill under its programme for regional public transport, and the rest will come from the city budget and a loan from the regional development bank. Opposition councillors questioned whether the estimate was realistic, pointing out that the last large transport project in the city ran over budget by almost a quarter.',
  'Councillor Marek Wojcik, who led the opposition to the plan, said his group supported better transport to the hospital but would have preferred a cheaper network of express buses. "We are not against the tram," he said. "We are against promising people a date and a price that we cannot be sure of." He asked the council to publish a monthly report on spending once construction begins, a request the mayor accepted.',
  'The hospital welcomed the vote. Its chief executive, Dr Samuel Osei, said that a third of the hospital\'s four thousand staff live within walking distance of one of the planned stops, and that many night-shift workers currently have no public transport at all. "For nurses finishing at six in the morning, this changes everything," he said.',
  'Residents along the old goods railway have raised concerns about noise and about the loss of a popular walking path. The transport department said the trams would run on rubber-damped track through residential areas and that a new path for walkers and cyclists would be built alongside the line for its whole length.',
  'Local businesses near the central station were largely in favour. The chamber of commerce said in a statement that better links between the station and the eastern districts would bring more customers into the city centre and make it easier for employers to recruit staff who do not own a car.',
  'Environmental groups also supported the plan, although some asked the council to go further. A spokesperson for the regional cycling association said the new bridge should include a separate cycle lane and that secure bicycle parking should be built at every stop.',
  'The council will now ask for tenders from construction companies. The mayor said she expected a contract to be signed before the end of the year, and that the city would hold public meetings in each district along the route before work begins.',
];

/** ~600 words, plain text with blank lines between paragraphs. */
export const TYPICAL_BODY = TYPICAL_PARAGRAPHS.join('\n\n');

/** ~4,000 words: the typical story followed by follow-up reports with different figures. */
export const LONG_BODY = (() => {
  const parts = [TYPICAL_BODY];
  const followUps = [
    ['Northgate', 'Anna Lindqvist', 'nine', '164', 'twelve thousand'],
    ['Eastbrook', 'Tomas Rivera', 'ten', '188', 'fifteen thousand'],
    ['Harbourside', 'Leila Nasser', 'seven', '143', 'nine thousand'],
    ['Millfield', 'Peter Hallam', 'twelve', '230', 'eighteen thousand'],
    ['Westmoor', 'Grace Mbeki', 'eight', '175', 'eleven thousand'],
    ['Kingsbridge', 'Oskar Nowak', 'eleven', '205', 'sixteen thousand'],
  ] as const;
  for (const [district, name, stops, cost, riders] of followUps) {
    parts.push(
      TYPICAL_PARAGRAPHS.map((p) =>
        p
          .replaceAll('Riverside', district)
          .replaceAll('Helena Brandt', name)
          .replaceAll('eleven stops', `${stops} stops`)
          .replaceAll('212 million', `${cost} million`)
          .replaceAll('fourteen thousand', riders),
      ).join('\n\n'),
    );
  }
  return parts.join('\n\n');
})();

/** A headline the typical body has nothing to do with. */
export const SWAPPED_HEADLINE = 'Chess prodigy, 12, wins national championship without losing a game';

/** A story that contradicts the tram headline. */
export const DENIAL_BODY = [
  'Reports on social media that the Riverside council approved a new tram line to the hospital on Wednesday are false, the council said on Thursday.',
  'A spokesperson said no vote on a tram line had taken place and that none was scheduled. "The council has not approved any tram line. The item on Wednesday\'s agenda was a study of bus lanes," she said.',
  'The claim appears to have started with a post that misread the agenda. Fact-checkers rated it false and the post was later deleted by its author, who apologised for the confusion.',
].join('\n\n');

/** An article page for the `{"html"}` input. */
export const TYPICAL_HTML = `<!doctype html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Tram line approved | Riverside Courier</title>
<meta property="og:title" content="${TYPICAL_HEADLINE}">
<meta property="og:description" content="${TYPICAL_SUBTITLE}">
<script>window.tracking = true;</script>
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<header><h1>${TYPICAL_HEADLINE}</h1><p class="standfirst">${TYPICAL_SUBTITLE}</p></header>
<article>
${TYPICAL_PARAGRAPHS.map((p) => `<p>${p.replaceAll('&', '&amp;').replaceAll('<', '&lt;')}</p>`).join('\n')}
</article>
<aside><h2>Most read</h2><ul><li><a href="/a">Weather warning for the weekend</a></li><li><a href="/b">Football results</a></li></ul></aside>
<footer>© Riverside Courier</footer>
</body></html>`;

/** Number of words in a text. */
export function wordCount(s: string): number {
  return s.split(/\s+/).filter(Boolean).length;
}
